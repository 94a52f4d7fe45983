"""Coverage per level (全覆盖), the coverage period, and the 覆盖率 sheet."""
import io
from datetime import date

import openpyxl
import pytest
import xlsxwriter
from _selection_helpers import Y2026, A, P, S, make_regs

from huitan_xl.reports.coverage import coverage, coverage_period
from huitan_xl.reports.coverage_sheet import coverage_builder
from huitan_xl.settings import Settings
from huitan_xl.write import Formats


def sample():
    persons = [P("1001", key="家庭困难"), P("1002"), P("1003", key="三违"),
               P("1004", active=False, left=date(2026, 6, 30)), P("9"), P("10", gender="女", post="掘进工"),
               P("2001", level="L2"), P("6001", level="L6", active=False)]
    sessions = [S("H0", date(2025, 12, 20)), S("H1", date(2026, 3, 10)),
                S("T1", date(2026, 4, 1), kind="专题慧谈"), S("H2", date(2026, 5, 1), level="L2")]
    att = [A("H0", "1002"), A("H1", "1001"), A("H1", "1004"), A("T1", "2001"), A("T1", "6001")]
    return make_regs(persons, sessions, att)


def test_coverage_hand_computed():
    rows = coverage(sample(), Y2026)
    # L1 active at 2026-12-31: 1001 1002 1003 9 10 (1004 left 2026-06-30); covered: 1001 (1002 only in 2025)
    assert [(r.code, r.active, r.covered, r.sessions, r.share) for r in rows] == [
        ("L1", 5, 1, 1, 0.2), ("L2", 1, 1, 1, 1.0), ("L3", 0, 0, 0, 0.0), ("L4", 0, 0, 0, 0.0),
        ("L5", 0, 0, 0, 0.0), ("L6", 0, 0, 0, 0.0), ("L7", 0, 0, 0, 0.0), ("L8", 0, 0, 0, 0.0)]
    assert [p.id for p in rows[0].uncovered] == ["1003", "9", "10", "1002"]
    assert rows[2].name == "群监员（青安岗）"


def test_coverage_over_a_quarter_and_a_year_earlier():
    q1 = coverage(sample(), (date(2026, 1, 1), date(2026, 3, 31)))
    # 1004 still active on 2026-03-31 and covered by H1
    assert [(r.code, r.active, r.covered, r.sessions) for r in q1[:2]] == [("L1", 6, 2, 1), ("L2", 1, 0, 0)]
    y25 = coverage(sample(), (date(2025, 1, 1), date(2025, 12, 31)))
    assert (y25[0].active, y25[0].covered, y25[0].sessions) == (6, 1, 1)


AS_OF = date(2026, 5, 10)


@pytest.mark.parametrize("setting, override, expected", [
    ("自然年", None, (date(2026, 1, 1), date(2026, 12, 31))),
    ("季度", None, (date(2026, 4, 1), date(2026, 6, 30))),
    ("全部", None, (date.min, date.max)),
    ("乱填", None, (date(2026, 1, 1), date(2026, 12, 31))),
    ("2025", None, (date(2025, 1, 1), date(2025, 12, 31))),
    ("自然年", "2025", (date(2025, 1, 1), date(2025, 12, 31))),
    ("自然年", "2026Q3", (date(2026, 7, 1), date(2026, 9, 30))),
    ("自然年", "2026Q4", (date(2026, 10, 1), date(2026, 12, 31))),
    ("自然年", "2026年第一季度", (date(2026, 1, 1), date(2026, 3, 31))),
    ("自然年", "2026-02", (date(2026, 2, 1), date(2026, 2, 28))),
    ("自然年", "2026-01-01..2026-06-30", (date(2026, 1, 1), date(2026, 6, 30))),
    ("全部", "季度", (date(2026, 4, 1), date(2026, 6, 30))),
])
def test_coverage_period(setting, override, expected):
    assert coverage_period(Settings(coverage_period=setting), AS_OF, override) == expected


@pytest.mark.parametrize("bad", ["2026Q5", "2026-13", "2026-06-30..2026-01-01", "明年"])
def test_coverage_period_bad_override_is_a_usage_error(bad):
    with pytest.raises(ValueError, match="无法识别的统计周期"):
        coverage_period(Settings(), AS_OF, bad)


def test_coverage_period_without_settings():
    assert coverage_period(None, AS_OF) == (date(2026, 1, 1), date(2026, 12, 31))


def test_coverage_sheet_cells():
    rows = coverage(sample(), Y2026)
    wb = xlsxwriter.Workbook(buf := io.BytesIO(), {"in_memory": True})
    coverage_builder(rows, Y2026)(wb.add_worksheet("覆盖率"), Formats(wb))
    wb.close()
    ws = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))["覆盖率"]
    assert ws["A1"].value == "覆盖率" and ws["A2"].value == "统计周期：2026-01-01 至 2026-12-31"
    assert [c.value for c in ws[4]] == ["层级代码", "层级", "在职人数", "已覆盖", "覆盖率", "八级慧谈场次"]
    assert [c.value for c in ws[5]] == ["L1", "职工", 5, 1, 0.2, 1]
    assert ws["E5"].number_format == "0.0%"
    assert [c.value for c in ws[13]] == ["合计", None, 6, 2, pytest.approx(2 / 6), 2]
    assert ws["A15"].value == "尚未覆盖人员（三必谈五必访对象在前）：4 人"
    assert [c.value for c in ws[16]] == ["工号", "姓名", "层级", "单位", "岗位", "重点对象"]
    assert [[c.value for c in ws[r]] for r in range(17, 21)] == [
        ["1003", "职工1003", "职工", "综采一队", "采煤工", "三违"],
        ["9", "职工9", "职工", "综采一队", "采煤工", None],
        ["10", "职工10", "职工", "综采一队", "掘进工", None],
        ["1002", "职工1002", "职工", "综采一队", "采煤工", None]]
    assert ws.max_row == 20


def test_coverage_line_says_why_it_cannot_be_computed():
    from huitan_xl.reports.coverage import coverage_line

    regs = sample()
    # hand count as above: L1 1/5, L2 1/1, the other six levels 0/0
    assert coverage_line(coverage(regs, Y2026), regs) == (
        "覆盖率：职工 1/5；党员 1/1；群监员（青安岗） 0/0；班组长 0/0；安监员 0/0；副区长（技术员） 0/0；"
        "区长书记 0/0；生产职能科室 0/0")
    empty = make_regs([], [], [])
    assert coverage_line(coverage(empty, Y2026), empty) == "覆盖率：职工名册没有人员，无法计算各层级的覆盖率"
    gone = make_regs([P("1004", active=False, left=date(2026, 6, 30))], [], [])  # her one member left in June
    assert coverage_line(coverage(gone, Y2026), gone) == (
        "覆盖率：职工名册中没有期末在职且填写了层级的人员，无法计算各层级的覆盖率")
