"""月度分析 figures on a hand-made register (tests/report_registers.py), counted by hand."""
from datetime import date
from fractions import Fraction

from huitan_xl.model import Registers
from huitan_xl.reports.monthly import last_months, month_span, monthly_report
from report_registers import COVERAGE, october_registers

OCT = month_span(2026, 10)


def test_month_span_and_last_months():
    assert (month_span(2026, 2).start, month_span(2026, 2).end) == (date(2026, 2, 1), date(2026, 2, 28))
    assert (month_span(2026, 12).end, month_span(2026, 12).label) == (date(2026, 12, 31), "2026-12")
    labels = [m.label for m in last_months(date(2026, 3, 1), 12)]
    assert labels[0] == "2025-04" and labels[-1] == "2026-03" and len(labels) == 12


def test_sessions_and_attendees():
    regs, st = october_registers()
    rep = monthly_report(regs, st, OCT, COVERAGE)
    assert rep.title == "2026年10月职工思想动态分析报告"
    assert rep.sessions == 2
    assert [(c, n) for c, _, n in rep.sessions_by_level] == [
        ("L1", 1), ("L2", 0), ("L3", 1), ("L4", 0), ("L5", 0), ("L6", 0), ("L7", 0), ("L8", 0)]
    assert rep.sessions_by_kind == (("八级慧谈", 1), ("专题慧谈", 1), ("专业慧谈", 0), ("节点慧谈", 0))
    assert (rep.attendee_rows, rep.distinct_attendees) == (5, 4)


def test_items_by_category_tag_department():
    regs, st = october_registers()
    rep = monthly_report(regs, st, OCT, COVERAGE)
    # Q1..Q5 by session date; Q6 (unknown session H9) by 交办日期 10-30; Q7 has no date at all
    assert (rep.items, rep.on_the_spot, rep.tickets, rep.undated_items) == (6, 1, 5, 1)
    assert rep.by_category == (("问题意见", 2), ("合理化建议", 1), ("职工诉求", 3))
    assert rep.by_tag == (("安全", 2), ("食堂", 2), ("薪酬", 1), ("（未填）", 1))
    assert rep.by_department == (("后勤科", 3), ("安监处", 2))


def test_four_rates_as_fractions():
    regs, st = october_registers()
    rep = monthly_report(regs, st, OCT, COVERAGE)
    # due in October (应办): Q2 (已办结, on time), Q3 (逾期答复), Q4 (按期答复), Q5 (逾期未答复);
    # Q6 is due 11-06, the P tickets in September
    assert [(r.name, r.numerator, r.denominator, r.value) for r in rep.rates] == [
        ("按期答复率", 2, 4, Fraction(1, 2)),
        ("问题解决率", 2, 4, Fraction(1, 2)),
        ("问题落实率", 1, 4, Fraction(1, 4)),
        ("职工满意率", 3, 4, Fraction(3, 4)),  # Q1 满意, Q2 满意, Q4 基本满意 of 4 rated
    ]
    assert all(r.definition for r in rep.rates)


def test_overdue_list_is_taken_at_month_end():
    regs, st = october_registers()
    rep = monthly_report(regs, st, OCT, COVERAGE)
    # P3 (deadline 9-28, replied 11-02) was still open on 10-31; P2 was replied 10-05; Q6 not yet due
    assert [(e.item_id, e.department, e.deadline, e.days_overdue) for e in rep.overdue] == [
        ("P3", "机电科", date(2026, 9, 28), 33),
        ("Q5", "安监处", date(2026, 10, 27), 4),
    ]
    early = monthly_report(regs, st, OCT, COVERAGE, as_of=date(2026, 10, 25))
    assert early.cutoff == date(2026, 10, 25)
    assert [(e.item_id, e.days_overdue) for e in early.overdue] == [("P3", 27)]


def test_suggestions_risks_coverage():
    regs, st = october_registers()
    rep = monthly_report(regs, st, OCT, COVERAGE)
    s = rep.suggestions
    assert (s.collected, s.reasonable, s.adopted, s.implemented, s.implemented_in_month) == (2, 1, 1, 1, 2)
    assert [(r.item_id, r.risk, r.state) for r in rep.risks] == [("Q3", "信访风险", "逾期答复"),
                                                                 ("Q5", "管理风险", "逾期未答复")]
    assert [(c.code, c.active, c.covered, c.uncovered, c.share.value) for c in rep.coverage] == [
        ("L1", 4, 3, 1, Fraction(3, 4)), ("L2", 0, 0, 0, None), ("L3", 5, 2, 3, Fraction(2, 5))]


def test_trend_starts_at_the_registers_first_month():
    regs, st = october_registers()
    rep = monthly_report(regs, st, OCT, COVERAGE)
    # the register begins in September (session H3 of 2026-09-15): no empty months before it
    assert [m.label for m in rep.trend] == ["2026-09", "2026-10"]
    sep, oct_ = rep.trend
    assert oct_ == rep.figures
    assert (sep.label, sep.items, sep.tickets) == ("2026-09", 3, 3)
    # due in September: P1 (9-20, on time, solved, implemented), P2 (9-25, late), P3 (9-28, late, not solved)
    assert [(r.numerator, r.denominator) for r in sep.rates] == [(1, 3), (1, 3), (1, 3), (1, 1)]


def test_month_without_sessions_or_items():
    regs, st = october_registers()
    rep = monthly_report(regs, st, month_span(2026, 12), [])
    assert (rep.sessions, rep.items, rep.tickets, rep.attendee_rows, rep.distinct_attendees) == (0, 0, 0, 0, 0)
    assert [r.value for r in rep.rates] == [None, None, None, None]
    assert rep.by_category == (("问题意见", 0), ("合理化建议", 0), ("职工诉求", 0))
    assert (rep.by_tag, rep.by_department, rep.risks) == ((), (), ())
    # tickets of earlier months still open at 12-31: Q5 (due 10-27), Q6 (due 11-06); Q7 has no deadline
    assert [(e.item_id, e.days_overdue) for e in rep.overdue] == [("Q5", 65), ("Q6", 55)]


def test_empty_workbook_gives_an_empty_report():
    rep = monthly_report(Registers("empty.xlsx"), [], month_span(2026, 10), [])
    assert (rep.sessions, rep.items, rep.overdue, rep.risks, rep.coverage) == (0, 0, (), (), ())
    assert len(rep.sessions_by_level) == 8 and all(n == 0 for _, _, n in rep.sessions_by_level)
    assert [r.value for r in rep.rates] == [None] * 4


def test_coverage_computed_when_not_given():
    from huitan_xl.model import Person
    regs, st = october_registers()
    regs.persons = [Person(pid, pid, "男", "综采一队", "采煤工", "L1", "", False, False, "", "本部", True, None)
                    for pid in ("E1", "E9")]
    rep = monthly_report(regs, st, OCT)  # 覆盖周期 自然年, cut at the month end
    assert rep.coverage_span == (date(2026, 1, 1), date(2026, 10, 31))
    assert [(c.code, c.active, c.covered, c.uncovered, c.share.value) for c in rep.coverage][:2] == [
        ("L1", 2, 1, 1, Fraction(1, 2)), ("L2", 0, 0, 0, None)]


def test_trend_chart_plots_the_trend_table_from_the_registers_first_month(tmp_path):
    import xlsxwriter

    from huitan_xl.reports.monthly_sheet import monthly_sheet
    from huitan_xl.write import Formats
    from page_layout import chart_series

    regs, st = october_registers()
    rep = monthly_report(regs, st, OCT, COVERAGE)
    path = tmp_path / "m.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    monthly_sheet(rep)(wb.add_worksheet("月度分析"), Formats(wb))
    wb.close()
    trend = [s for s in chart_series(path, "月度分析") if s.chart == "近12个月办理成效"]
    assert [s.name for s in trend] == ["按期答复率", "问题解决率", "问题落实率", "职工满意率"]
    october = {r.name: float(r.value) for r in rep.figures.rates}
    for s in trend:  # the chart starts at September, the register's first month, as the table does
        assert s.categories == ["2026-09", "2026-10"], s.name
    # September by hand (P1 on time, solved, implemented; P2, P3 late; one rated, satisfied)
    assert [s.values[0] for s in trend] == [1 / 3, 1 / 3, 1 / 3, 1.0]
    assert [s.values[1] for s in trend] == [october[s.name] for s in trend]


def test_items_by_topic_take_her_tag_else_the_topic_table():
    """Section 二 counts topics: her 主题标签 where typed, else the 主题词表 match, else 未分类."""
    from dataclasses import replace

    regs, st = october_registers()
    rep = monthly_report(regs, st, OCT, COVERAGE)
    # Q6's tag is blank and its text (内容) matches no keyword: 未分类, listed last; the order is
    # section 八's: this month's count, then September's (食堂 1, 薪酬 1: P2, P1), then name
    assert rep.by_topic == (("食堂", 2), ("安全", 2), ("薪酬", 1), ("未分类", 1))
    q6 = next(i for i, it in enumerate(regs.items) if it.id == "Q6")
    items = list(regs.items)
    items[q6] = replace(items[q6], content="单身公寓夜里没有热水")  # 公寓 / 热水: 生活后勤
    items[0] = replace(items[0], tag="")  # Q1 (薪酬, text 内容): untagged now, 未分类
    regs = replace(regs, items=items)
    rep = monthly_report(regs, st, OCT, COVERAGE)
    assert rep.by_topic == (("食堂", 2), ("安全", 2), ("生活后勤", 1), ("未分类", 1))
    assert rep.by_tag == (("安全", 2), ("食堂", 2), ("（未填）", 2))  # typed tags only, as before
    assert sum(n for _, n in rep.by_topic) == rep.items
