"""Ticket states, deadlines, extensions, ladder, supervisor, T01–T04 (SPEC §5), on the real
2026 calendar. Dates checked by hand; 2026-03-02 is a Monday, and a ticket assigned that day
is due Mon 03-09 (03-03, 03-04, 03-05, 03-06, 03-09)."""
from datetime import date

from huitan_xl.calendar import WorkCalendar
from huitan_xl.model import DayOverride, Department, Item, Level, Registers, Session, Src
from huitan_xl.rules.tickets import TicketStatus, ticket_statuses
from huitan_xl.settings import Settings

D = date
SHEET = "诉求台账"


def item(id="T-0001", row=5, **kw):
    base = dict(id=id, session_id="", proposer_id="", proposer="", category="职工诉求", tag="",
                content="", on_the_spot=False, department="机电科", head="", supervisor="",
                assigned=None, deadline=None, extended_to=None, extension_approved=None,
                replied=None, reply="", published=None, satisfaction="", resolved=None,
                implemented=None, problem="", risk="", src=Src(SHEET, row))
    base.update(kw)
    return Item(**base)


def run(items, as_of, overrides=(), settings=None, **regs):
    r = Registers(path="", items=list(items), **regs)
    return ticket_statuses(r, WorkCalendar(overrides), settings or Settings(), as_of)


def one(it, as_of, **kw):
    statuses, found = run([it], as_of, **kw)
    return statuses[0], found


def view(s: TicketStatus):
    return (s.state, s.deadline, s.days_overdue, s.workdays_overdue, s.hint)


def where(found):
    return [(f.code, f.severity, f.sheet, f.row, f.column, f.value) for f in found]


# ---- states -------------------------------------------------------------------

def test_on_the_spot_item_is_not_a_ticket():
    s, found = one(item(on_the_spot=True, replied=D(2026, 3, 2)), D(2026, 6, 1))
    assert view(s) == ("现场答复", None, None, None, "") and found == []


def test_pending_with_default_five_working_days():
    s, found = one(item(assigned=D(2026, 3, 2)), D(2026, 3, 3))
    assert view(s) == ("待答复", D(2026, 3, 9), None, None, "") and found == []
    assert (s.item_id, s.department, s.src) == ("T-0001", "机电科", Src(SHEET, 5))


def test_replied_on_the_deadline_day_is_on_time():
    s, _ = one(item(assigned=D(2026, 3, 2), replied=D(2026, 3, 9), published=D(2026, 3, 9)),
               D(2026, 3, 20))
    assert view(s) == ("按期答复", D(2026, 3, 9), None, None, "")


def test_replied_the_day_after_is_late_by_one_day():
    s, _ = one(item(assigned=D(2026, 3, 2), replied=D(2026, 3, 10), published=D(2026, 3, 10)),
               D(2026, 3, 20))
    assert view(s) == ("逾期答复", D(2026, 3, 9), 1, 1, "")


def test_not_replied_after_the_deadline_is_overdue_in_calendar_days():
    # as of Sat 03-14: 5 calendar days, working days 03-10..03-13 = 4
    s, _ = one(item(assigned=D(2026, 3, 2)), D(2026, 3, 14))
    assert view(s) == ("逾期未答复", D(2026, 3, 9), 5, 4, "催办")


def test_closed_takes_precedence_over_late_reply_and_keeps_days_overdue():
    s, found = one(item(assigned=D(2026, 3, 2), replied=D(2026, 3, 11), published=D(2026, 3, 11),
                        resolved=True, implemented=True, satisfaction="满意"), D(2026, 4, 1))
    assert view(s) == ("已办结", D(2026, 3, 9), 2, 2, "") and found == []


def test_replied_but_not_implemented_is_not_closed():
    s, _ = one(item(assigned=D(2026, 3, 2), replied=D(2026, 3, 5), published=D(2026, 3, 5),
                    resolved=True, implemented=None), D(2026, 4, 1))
    assert view(s) == ("按期答复", D(2026, 3, 9), None, None, "")


# ---- deadlines on the 2026 calendar ------------------------------------------------

def test_default_deadline_across_the_spring_festival():
    # 02-13(1) Sat 02-14 make-up(2) 02-24(3) 02-25(4) 02-26(5)
    s, _ = one(item(assigned=D(2026, 2, 12)), D(2026, 2, 24))
    assert view(s) == ("待答复", D(2026, 2, 26), None, None, "即将到期")


def test_default_deadline_across_national_day_counts_the_make_up_saturday():
    # 09-29(1) 09-30(2) 10-08(3) 10-09(4) Sat 10-10 make-up(5)
    s, _ = one(item(assigned=D(2026, 9, 28)), D(2026, 10, 12))
    assert view(s) == ("逾期未答复", D(2026, 10, 10), 2, 1, "催办")


def test_written_deadline_on_a_holiday_rolls_forward():
    s1, _ = one(item(deadline=D(2026, 10, 3)), D(2026, 9, 1))
    s2, _ = one(item(deadline=D(2026, 5, 2)), D(2026, 4, 1))  # Labour Day Sat -> Wed 05-06
    assert (s1.deadline, s2.deadline) == (D(2026, 10, 8), D(2026, 5, 6))


def test_written_deadline_wins_over_the_default():
    s, _ = one(item(assigned=D(2026, 3, 2), deadline=D(2026, 3, 20)), D(2026, 3, 12))
    assert view(s) == ("待答复", D(2026, 3, 20), None, None, "")


def test_holiday_sheet_makes_a_friday_off_and_a_saturday_a_workday():
    overrides = [DayOverride(D(2026, 3, 13), "休", "矿庆", Src("节假日", 3)),
                 DayOverride(D(2026, 3, 14), "班", "补班", Src("节假日", 4))]
    its = [item("T-0001", 5, deadline=D(2026, 3, 13)),
           item("T-0002", 6, assigned=D(2026, 3, 6))]  # 03-09..03-12 (4), Sat 03-14 (5)
    with_sheet, _ = run(its, D(2026, 3, 1), overrides=overrides)
    without, _ = run(its, D(2026, 3, 1))
    assert [s.deadline for s in with_sheet] == [D(2026, 3, 14), D(2026, 3, 14)]
    assert [s.deadline for s in without] == [D(2026, 3, 13), D(2026, 3, 13)]


# ---- extensions (T01) --------------------------------------------------------------

def test_extension_approved_on_the_deadline_day_moves_the_deadline_and_rolls_forward():
    # 延期至 Sat 04-04 (清明 04-04..04-06) -> Tue 04-07
    s, found = one(item(assigned=D(2026, 3, 2), extended_to=D(2026, 4, 4),
                        extension_approved=D(2026, 3, 9)), D(2026, 3, 20))
    assert view(s) == ("待答复", D(2026, 4, 7), None, None, "") and found == []


def test_extension_approved_the_day_after_is_ignored_with_t01():
    s, found = one(item("T-0003", 8, assigned=D(2026, 3, 2), extended_to=D(2026, 3, 20),
                        extension_approved=D(2026, 3, 10)), D(2026, 3, 12))
    assert view(s) == ("逾期未答复", D(2026, 3, 9), 3, 3, "催办")
    assert where(found) == [("T01", "warning", SHEET, 8, "延期批准日期", D(2026, 3, 10))]
    assert found[0].message.startswith("编号 T-0003 的延期批准日期 2026-03-10 晚于原答复时限 2026-03-09")


def test_extension_without_approval_date_is_ignored_with_t01():
    s, found = one(item("T-0004", 9, assigned=D(2026, 3, 2), extended_to=D(2026, 3, 20)),
                   D(2026, 3, 3))
    assert s.deadline == D(2026, 3, 9)
    assert where(found) == [("T01", "warning", SHEET, 9, "延期批准日期", "")]
    assert "编号 T-0004" in found[0].message and "没有延期批准日期" in found[0].message


# ---- no deadline (T03) -------------------------------------------------------------

def test_no_deadline_and_no_assignment_date_is_t03_and_never_overdue():
    its = [item("T-0005", 10), item("T-0006", 11, replied=D(2026, 3, 2), published=D(2026, 3, 2))]
    statuses, found = run(its, D(2026, 12, 31))
    assert [view(s) for s in statuses] == [("待答复", None, None, None, ""),
                                           ("按期答复", None, None, None, "")]
    assert where(found) == [("T03", "error", SHEET, 10, "答复时限", ""),
                            ("T03", "error", SHEET, 11, "答复时限", "")]
    assert found[0].message.startswith("编号 T-0005 既没有答复时限也没有交办日期")


# ---- ladder (督办提示) ------------------------------------------------------------------

def test_ladder():
    due_mon_0309 = item(assigned=D(2026, 3, 2))
    hints = {as_of: one(due_mon_0309, as_of)[0] for as_of in (
        D(2026, 3, 4),  # 3 working days before (03-05, 03-06, 03-09)
        D(2026, 3, 5),  # 2 working days before (03-06, 03-09)
        D(2026, 3, 9),  # the deadline day
        D(2026, 3, 10),  # the day after
        D(2026, 3, 13),  # 4 working days overdue
        D(2026, 3, 16),  # 5 working days overdue
    )}
    assert [view(s)[2:] for s in hints.values()] == [
        (None, None, ""),
        (None, None, "即将到期"),
        (None, None, "即将到期"),
        (1, 1, "催办"),
        (4, 4, "催办"),
        (7, 5, "通报"),
    ]


# ---- supervisor and head ----------------------------------------------------------

def test_supervisor_falls_back_to_the_level_lead_and_head_to_the_department():
    levels = [Level("L3", "群监员（青安岗）", "群团工作骨干", "王五", ("矿党群办", "安监处"), None)]
    sessions = [Session("HT-01", D(2026, 3, 1), "八级慧谈", "L3", "", "王五", "现场", "", "", "", None,
                        (), (), None)]
    departments = [Department("机电科", "赵六", "职能科室")]
    its = [item("T-0001", 5, session_id="HT-01", assigned=D(2026, 3, 2)),
           item("T-0002", 6, session_id="HT-01", supervisor="李四", head="钱七",
                assigned=D(2026, 3, 2)),
           item("T-0003", 7, session_id="HT-99", department="通风区", assigned=D(2026, 3, 2))]
    statuses, _ = run(its, D(2026, 3, 3), levels=levels, sessions=sessions,
                      departments=departments)
    assert [(s.supervisor, s.head) for s in statuses] == [("王五", "赵六"), ("李四", "钱七"), ("", "")]


# ---- publication (T02) and results (T04) --------------------------------------------

def test_t02_reply_not_published_within_five_working_days():
    # replied Mon 03-02: publish by 03-09 (03-03, 03-04, 03-05, 03-06, 03-09)
    def t02(published, as_of):
        _, found = one(item("T-0007", 12, assigned=D(2026, 3, 2), replied=D(2026, 3, 2),
                            published=published), as_of)
        return where(found)

    assert t02(None, D(2026, 3, 9)) == []  # not past the period yet
    assert t02(None, D(2026, 3, 10)) == [("T02", "warning", SHEET, 12, "公示日期", "")]
    assert t02(D(2026, 3, 9), D(2026, 4, 1)) == []
    assert t02(D(2026, 3, 10), D(2026, 4, 1)) == [
        ("T02", "warning", SHEET, 12, "公示日期", D(2026, 3, 10))]


def test_t04_dissatisfied_or_unresolved_reply_stays_on_supervision():
    its = [item("T-0008", 13, assigned=D(2026, 3, 2), replied=D(2026, 3, 5),
                published=D(2026, 3, 5), satisfaction="不满意", resolved=True, implemented=True),
           item("T-0009", 14, assigned=D(2026, 3, 2), replied=D(2026, 3, 12),
                published=D(2026, 3, 12), satisfaction="基本满意", resolved=False)]
    statuses, found = run(its, D(2026, 3, 20))
    assert [view(s) for s in statuses] == [("已办结", D(2026, 3, 9), None, None, "成效不理想"),
                                           ("逾期答复", D(2026, 3, 9), 3, 3, "成效不理想")]
    assert where(found) == [("T04", "warning", SHEET, 13, "职工满意度", "不满意"),
                            ("T04", "warning", SHEET, 14, "是否解决", "否")]
    assert found[1].message.startswith("编号 T-0009 已于 2026-03-12 答复，但是否解决为否")


def test_settings_change_the_default_deadline_and_thresholds():
    s = Settings(default_reply_days=3, due_soon_days=0, report_after_days=2)
    # 03-03, 03-04, 03-05 -> due Thu 03-05; as of 03-09: 03-06, 03-09 = 2 working days
    st, _ = one(item(assigned=D(2026, 3, 2)), D(2026, 3, 9), settings=s)
    assert view(st) == ("逾期未答复", D(2026, 3, 5), 4, 2, "通报")
    st, _ = one(item(assigned=D(2026, 3, 2)), D(2026, 3, 4), settings=s)
    assert view(st) == ("待答复", D(2026, 3, 5), None, None, "")
