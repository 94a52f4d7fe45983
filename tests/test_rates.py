"""按期答复率 / 问题解决率 / 问题落实率 (应办 = due by the cut-off) and unfinished periods, by hand.

One October 2026 session (H1, 10-05) and one of September (H0, 09-20). Tickets, with their
effective deadline (答复时限, or an approved 延期至):
  A  deadline 10-10, replied 10-09          solved, implemented   -> on time
  B  deadline 10-15, replied 10-20 (late)   solved, not implemented
  C  deadline 10-20, no reply                                     -> 逾期未答复
  D  deadline 10-31, replied 10-31 (the deadline day is on time), not solved
  E  deadline 11-03, no reply               (due in November, not October)
  F  deadline 10-12 extended to 11-09 (effective 11-09), no reply  (not due in October)
  G  on the spot                            (never a ticket)
  S  September's session, deadline 09-30, replied 10-08 (late): due in September, counted in
     October by none of the three rates although it was answered in October
"""
from datetime import date
from fractions import Fraction

from huitan_xl.periods import month, quarter, unfinished_note, year
from huitan_xl.reports.monthly import monthly_report
from huitan_xl.reports.quarterly import quarterly_review
from huitan_xl.rules.tickets import LATE, ON_THE_SPOT, ON_TIME, OVERDUE_OPEN, PENDING, CLOSED
from huitan_xl.model import Registers
from huitan_xl.settings import Settings
from report_registers import D, item, session, status


def register(as_of: date):
    """Items and their statuses as rules.tickets gives them as of `as_of`."""
    sessions = [session("H1", D(2026, 10, 5), row=2), session("H0", D(2026, 9, 20), row=3)]
    a = item("A", "H1", "职工诉求", dept="后勤科", assigned=D(2026, 10, 5), replied=D(2026, 10, 9),
             satisfaction="满意", resolved=True, implemented=True, row=2)
    b = item("B", "H1", "职工诉求", dept="后勤科", assigned=D(2026, 10, 5), replied=D(2026, 10, 20),
             satisfaction="不满意", resolved=True, implemented=False, row=3)
    c = item("C", "H1", "问题意见", dept="机电科", assigned=D(2026, 10, 5), row=4)
    d = item("D", "H1", "问题意见", dept="机电科", assigned=D(2026, 10, 5), replied=D(2026, 10, 31),
             resolved=False, row=5)
    e = item("E", "H1", "职工诉求", dept="机电科", assigned=D(2026, 10, 5), row=6)
    f = item("F", "H1", "职工诉求", dept="通风科", assigned=D(2026, 10, 5), row=7)
    g = item("G", "H1", "职工诉求", spot=True, satisfaction="基本满意", row=8)
    s = item("S", "H0", "职工诉求", dept="通风科", assigned=D(2026, 9, 20), replied=D(2026, 10, 8),
             resolved=True, implemented=True, row=9)
    items = [a, b, c, d, e, f, g, s]

    def replied_by(it, state):  # a reply typed after as_of is not known yet
        return state if it.replied and it.replied <= as_of else (OVERDUE_OPEN if as_of > dl[it.id] else PENDING)

    dl = {"A": D(2026, 10, 10), "B": D(2026, 10, 15), "C": D(2026, 10, 20), "D": D(2026, 10, 31),
          "E": D(2026, 11, 3), "F": D(2026, 11, 9), "S": D(2026, 9, 30)}
    states = {"A": CLOSED, "B": LATE, "C": OVERDUE_OPEN, "D": ON_TIME, "E": OVERDUE_OPEN,
              "F": OVERDUE_OPEN, "S": CLOSED}
    statuses = [status(g, ON_THE_SPOT, None)]
    for it in items:
        if it.id in dl:
            st = replied_by(it, states[it.id])
            days = (it.replied - dl[it.id]).days if st in (LATE, CLOSED) and it.replied > dl[it.id] else None
            statuses.append(status(it, st, dl[it.id], days))
    return Registers("t.xlsx", sessions=sessions, items=items, settings=Settings()), statuses


def rates(rep_or_fig):
    return [(r.name, r.numerator, r.denominator) for r in rep_or_fig.rates]


def test_october_rates_count_every_ticket_due_in_october_answered_or_not():
    regs, st = register(D(2026, 11, 20))
    rep = monthly_report(regs, st, month(2026, 10), [], as_of=D(2026, 11, 20))
    # 应办 = A, B, C, D (deadlines 10-10..10-31, all passed by 11-20); E is November's, F moved to 11-09
    assert rates(rep) == [("按期答复率", 2, 4),  # A, D (replied on its deadline day)
                          ("问题解决率", 2, 4),  # A, B; C is unanswered, D not solved
                          ("问题落实率", 1, 4),  # A
                          ("职工满意率", 2, 3)]  # A 满意, G 基本满意 of A, B, G rated (items of October)
    assert rep.rates[0].value == Fraction(1, 2)
    assert rep.unfinished == "" and rep.title == "2026年10月职工思想动态分析报告"
    # the overdue list shows C, whose deadline is in October: the rate and the list agree
    assert [e.item_id for e in rep.overdue] == ["C"]


def test_september_and_november_take_their_own_due_tickets():
    regs, st = register(D(2026, 11, 20))
    sep = monthly_report(regs, st, month(2026, 9), [], as_of=D(2026, 11, 20))
    nov = monthly_report(regs, st, month(2026, 11), [], as_of=D(2026, 11, 20))
    assert rates(sep)[:3] == [("按期答复率", 0, 1), ("问题解决率", 1, 1), ("问题落实率", 1, 1)]  # S, late
    # November by 11-20: E (11-03) and F (11-09) are due, neither answered
    assert rates(nov)[:3] == [("按期答复率", 0, 2), ("问题解决率", 0, 2), ("问题落实率", 0, 2)]
    assert nov.unfinished == "截至 2026-11-20，月份未结束"
    assert nov.title == "2026年11月职工思想动态分析报告（截至 2026-11-20，月份未结束）"


def test_a_ticket_not_yet_due_is_in_no_rate_and_the_deadline_day_is_not_yet_past():
    # as of 10-20, inside October: A (10-10) and B (10-15) have passed; C's deadline is today
    regs, st = register(D(2026, 10, 20))
    rep = monthly_report(regs, st, month(2026, 10), [], as_of=D(2026, 10, 20))
    assert rates(rep)[:3] == [("按期答复率", 1, 2), ("问题解决率", 2, 2), ("问题落实率", 1, 2)]
    assert rep.unfinished == "截至 2026-10-20，月份未结束"
    # the day after, C has passed unanswered and joins the denominator
    regs, st = register(D(2026, 10, 21))
    rep = monthly_report(regs, st, month(2026, 10), [], as_of=D(2026, 10, 21))
    assert rates(rep)[:3] == [("按期答复率", 1, 3), ("问题解决率", 2, 3), ("问题落实率", 1, 3)]


def test_no_due_ticket_is_a_dash_not_a_hundred_percent():
    regs, st = register(D(2026, 10, 10))  # nothing has passed its deadline yet
    rep = monthly_report(regs, st, month(2026, 10), [], as_of=D(2026, 10, 10))
    assert [(r.denominator, r.value) for r in rep.rates[:3]] == [(0, None)] * 3


def test_unfinished_quarter_review_lists_only_begun_months_and_says_so():
    regs, st = register(D(2026, 11, 20))
    q = quarterly_review(regs, st, quarter(2026, 4), [], [], as_of=D(2026, 11, 20))
    assert q.unfinished == "截至 2026-11-20，季度未结束"
    assert q.title == "2026年第四季度评审（截至 2026-11-20，季度未结束）"
    assert [m.label for m in q.months] == ["2026-10", "2026-11"]  # no blank December row
    # the quarter: A, B, C, D of October and E, F of November are due; A and D on time
    assert [(r.numerator, r.denominator) for r in q.total.rates[:3]] == [(2, 6), (2, 6), (1, 6)]
    done = quarterly_review(regs, st, quarter(2026, 3), [], [], as_of=D(2026, 11, 20))
    assert (done.unfinished, done.title, len(done.months)) == ("", "2026年第三季度评审", 3)


def test_unfinished_note_for_month_quarter_year():
    assert unfinished_note(month(2026, 12), D(2026, 12, 2)) == "截至 2026-12-02，月份未结束"
    assert unfinished_note(month(2026, 12), D(2026, 12, 31)) == "截至 2026-12-31，月份未结束"  # its last day
    assert unfinished_note(month(2026, 12), D(2027, 1, 1)) == ""
    assert unfinished_note(quarter(2026, 4), D(2026, 12, 2)) == "截至 2026-12-02，季度未结束"
    assert unfinished_note(year(2026), D(2026, 12, 2)) == "截至 2026-12-02，年度未结束"
    assert unfinished_note(year(2026), None) == ""
