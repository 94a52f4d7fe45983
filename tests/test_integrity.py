"""Data checks R05, R07, R08, R09 across the registers."""
from datetime import date

from _selection_helpers import A, D, G, I, P, S, make_regs, where

from huitan_xl.findings import finding
from huitan_xl.rules.integrity import check_records

MAR10 = date(2026, 3, 10)
DEPTS = [D("机电科"), D("通风区"), D("安监处")]


def regs(**kw):
    base = dict(persons=[P("1001")], sessions=[S("H1", MAR10)], attendances=[A("H1", "1001")],
                items=[I("Q1")], departments=DEPTS, suggestions=[G("J1", "Q1")])
    base.update(kw)
    return make_regs(**base)


def test_clean_registers_have_no_findings():
    assert check_records(regs()) == []


def test_r07_duplicates_second_and_later_rows():
    got = check_records(regs(
        persons=[P("1001"), P("1002"), P("1001"), P("1001")],
        sessions=[S("H1", MAR10), S("H1", MAR10)],
        items=[I("Q1"), I("Q2"), I("Q2")],
        suggestions=[G("J1"), G("J1")]))
    assert where(got, "R07") == [("R07", "慧谈场次", 3, "场次编号"),
                                 ("R07", "诉求台账", 4, "编号"),
                                 ("R07", "职工名册", 4, "工号"), ("R07", "职工名册", 5, "工号"),
                                 ("R07", "合理化建议", 3, "编号")]
    assert "第2行" in got[2].message and "1001" in got[2].message


def test_r08_item_session_department_and_suggestion_source():
    got = check_records(regs(items=[I("Q1", sid="H9"), I("Q2", department="机电 科"),
                                    I("Q3", department="通风队"), I("Q4", department="机电科、安检处")],
                             suggestions=[G("J1", "Q1"), G("J2", "Q8"), G("J3", "")]))
    assert where(got) == [("R08", "诉求台账", 2, "场次编号"),
                          ("R08", "诉求台账", 4, "承办部门"),
                          ("R08", "诉求台账", 5, "承办部门"),
                          ("R08", "合理化建议", 3, "来源编号")]
    assert "您是不是要填「通风区」？" in got[1].message and "Q3" in got[1].message
    assert "「安检处」" in got[2].message and "「安监处」" in got[2].message
    assert got[3].value == "Q8" and "J2" in got[3].message


def test_r08_attendance_in_unknown_session_but_unknown_person_is_s03_not_r08():
    got = check_records(regs(attendances=[A("H1", "9999"), A("H7", "1001")]))
    assert where(got) == [("R08", "参会人员", 3, "场次编号")]


def test_r08_departments_not_checked_when_the_department_sheet_is_empty():
    assert check_records(regs(departments=[], items=[I("Q1", department="任意部门")])) == []


def test_r09_dates_out_of_order():
    got = check_records(regs(items=[
        I("Q1", assigned=date(2026, 3, 11), replied=date(2026, 3, 10)),
        I("Q2", assigned=date(2026, 3, 11), replied=date(2026, 3, 11), published=date(2026, 3, 10)),
        I("Q3", deadline=date(2026, 3, 18), extended_to=date(2026, 3, 17)),
        I("Q4", assigned=date(2026, 3, 11), deadline=date(2026, 3, 18), extended_to=date(2026, 3, 18),
          replied=date(2026, 3, 11), published=date(2026, 3, 11)),
    ], suggestions=[]))
    assert where(got) == [("R09", "诉求台账", 2, "答复日期"), ("R09", "诉求台账", 3, "公示日期"),
                          ("R09", "诉求台账", 4, "延期至")]
    assert got[0].value == date(2026, 3, 10)


def test_r09_review_after_session_is_s05_not_r09():
    got = check_records(regs(sessions=[S("H1", MAR10, reviewed=date(2026, 3, 12))]))
    assert got == []


def test_r05_ticket_needs_department_and_assignment_date():
    got = check_records(regs(items=[I("Q1", department="", assigned=None),
                                    I("Q2", on_the_spot=True, department="", assigned=None),
                                    I("Q3", assigned=None)], suggestions=[]))
    assert where(got) == [("R05", "诉求台账", 2, "承办部门"), ("R05", "诉求台账", 2, "交办日期"),
                          ("R05", "诉求台账", 4, "交办日期")]
    assert "Q1" in got[0].message


def test_r05_not_repeated_when_the_reader_reported_the_cell():
    unreadable = finding("R01", "诉求台账", 2, "交办日期", "2026-13-01", "日期无法识别")
    got = check_records(regs(items=[I("Q1", assigned=None)], suggestions=[], findings=[unreadable]))
    assert got == []
