"""成效总览 and 季度评审 figures on the hand-made register (tests/report_registers.py)."""
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from huitan_xl.model import Registers
from huitan_xl.periods import quarter
from huitan_xl.reports.overview import overview
from huitan_xl.reports.quarterly import quarterly_review
from huitan_xl.settings import Settings
from report_registers import october_registers

AS_OF = date(2026, 11, 5)


def _figures(ov):
    return (ov.start, ov.sessions, ov.items, ov.on_the_spot, ov.replied, ov.resolved_or_answered,
            ov.answered.value, ov.resolved, ov.satisfied.value, ov.suggestions, ov.reasonable,
            ov.adopted, ov.implemented, ov.rewarded, ov.rewarded_yuan)


def test_overview_since_first_session():
    regs, st = october_registers()
    ov = overview(regs, st, AS_OF)
    # start = H3 (2026-09-15); H4 has no date; 9 dated items (Q7 undated)
    # replied: Q2 Q3 Q4 P1 P2 P3; rated: Q1 Q2 Q3 Q4 P1 (Q3 不满意)
    # suggestions: G1 G2 G3 by their items, G4 undated (counted); paid G1 300 + G3 200
    assert _figures(ov) == (date(2026, 9, 15), 3, 9, 1, 6, 7, Fraction(7, 9), 3, Fraction(4, 5),
                            4, 2, 2, 2, 2, 500)


def test_overview_from_configured_start():
    regs, st = october_registers(Settings(overview_start=date(2026, 10, 1)))
    ov = overview(regs, st, AS_OF)
    # G3 came from P1 (September) and drops out with its 200 yuan
    assert _figures(ov) == (date(2026, 10, 1), 2, 6, 1, 3, 4, Fraction(4, 6), 2, Fraction(3, 4),
                            3, 1, 1, 1, 1, 300)


def test_overview_of_an_empty_workbook():
    ov = overview(Registers("empty.xlsx"), [], AS_OF)
    assert _figures(ov) == (None, 0, 0, 0, 0, 0, None, 0, None, 0, 0, 0, 0, 0, 0)


@dataclass(frozen=True)
class Ded:  # the fields of scoring.Deduction that the review reads
    code: str
    date: date
    department: str
    head: str
    points: int


@dataclass(frozen=True)
class Pay:  # the fields of scoring.Payout that the review reads
    suggestion_id: str
    person: str
    unit: str
    amount: int


def test_quarterly_review_deductions_rewards_months():
    regs, st = october_registers()
    q4 = quarter(2026, 4)  # 2026-10-01 .. 2026-12-31
    deductions = [Ded("D01", date(2026, 10, 18), "后勤科", "张三", -2),
                  Ded("D01", date(2026, 10, 28), "安监处", "李四", -2),
                  Ded("D02", date(2026, 10, 20), "后勤科", "王五", -1),
                  Ded("D01", date(2026, 9, 29), "机电科", "赵六", -2)]  # Q3: not counted
    payouts = [Pay("G1", "甲", "综采一队", 150), Pay("G1", "乙", "机电科", 150), Pay("G9", "丙", "综采一队", 200)]
    q = quarterly_review(regs, st, q4, deductions, payouts)
    assert (q.label, q.title, q.unfinished) == ("2026Q4", "2026年第四季度评审", "")
    # due in October: Q2 (on time), Q3 (late), Q4 (on time), Q5 (open); in November Q6 (11-06, open)
    assert [(m.label, m.items, m.tickets, m.on_time.value, m.satisfied.value) for m in q.months] == [
        ("2026-10", 6, 5, Fraction(1, 2), Fraction(3, 4)),
        ("2026-11", 0, 0, Fraction(0, 1), None),
        ("2026-12", 0, 0, None, None)]
    assert (q.total.items, q.total.tickets, q.total.on_time.value) == (6, 5, Fraction(2, 5))
    assert [(d.department, d.heads, d.events, d.points) for d in q.deductions] == [
        ("后勤科", "张三、王五", 2, -3), ("安监处", "李四", 1, -2)]
    assert (q.deduction_events, q.deduction_points) == (3, -5)
    assert [(u.unit, u.persons, u.yuan) for u in q.rewards] == [("综采一队", 2, 350), ("机电科", 1, 150)]
    assert (q.reward_suggestions, q.reward_yuan) == (2, 500)


def test_quarterly_chart_draws_the_signed_points_of_its_table(tmp_path):
    """The chart never contradicts the table: −3 in the table is a bar at −3, not +3."""
    import openpyxl
    import xlsxwriter

    from huitan_xl.reports.report_sheets import quarterly_sheet
    from huitan_xl.write import Formats
    from page_layout import chart_series

    regs, st = october_registers()
    deductions = [Ded("D01", date(2026, 10, 18), "后勤科", "张三", -2), Ded("D01", date(2026, 10, 28), "安监处", "李四", -2),
                  Ded("D02", date(2026, 10, 20), "后勤科", "王五", -1)]
    q = quarterly_review(regs, st, quarter(2026, 4), deductions, [])
    path = tmp_path / "q.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    quarterly_sheet(q)(wb.add_worksheet("季度评审"), Formats(wb))
    wb.close()
    [series] = chart_series(path, "季度评审")
    assert (series.chart, series.name) == ("本季度各部门扣分（分）", "扣分")
    assert series.categories == ["后勤科", "安监处"] and series.values == [-3, -2]
    ws = openpyxl.load_workbook(path)["季度评审"]
    header = next(r for r in range(1, 40) if ws.cell(r, 1).value == "承办部门")
    table = [(ws.cell(r, 1).value, ws.cell(r, 4).value) for r in range(header + 1, header + 3)]
    assert table == [("后勤科", -3), ("安监处", -2)]
    assert series.value_ref == f"季度评审!$D${header + 1}:$D${header + 2}"  # the table's own cells
    assert series.axis == (-4, 0)  # one step below the largest loss, up to 0
