"""layout.write_table wraps text wider than its column and gives the row the height its
lines need (15 pt a line, 3 pt more for a CJK face's taller lines); hand-counted in digit widths (a CJK character prints 2.1, a
digit or Latin letter 1) in a column of width − 0.5 (half a digit of padding)."""
import openpyxl
import xlsxwriter

from huitan_xl.reports.layout import write_table
from huitan_xl.write import Formats


def build(tmp_path, rows, **kw):
    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表")
    fmt = Formats(wb)
    write_table(ws, fmt, 0, ["编号", "说明"], rows, **kw)
    wb.close()
    return openpyxl.load_workbook(path)["表"]


def heights(ws, n):
    return [ws.row_dimensions[r].height for r in range(2, 2 + n)]


def test_long_text_wraps_with_the_height_of_its_lines(tmp_path):
    rows = [["A1", "一" * 9],  # 9 × 2.1 = 18.9 ≤ 19.5: one line
            ["A2", "一" * 10],  # 21 > 19.5: two lines
            ["A3", "一" * 30],  # 63 / 19.5 = 3.2: four lines
            ["A4", "甲\n乙"],  # a typed line break: two lines
            ["A5", "2026-11-24 09:00:00"]]  # 19 digits and signs ≤ 19.5: one line
    ws = build(tmp_path, rows, widths=[8, 20])
    assert heights(ws, 5) == [None, 33, 63, 33, None]
    assert all(ws.cell(r, 2).alignment.wrap_text for r in range(2, 7))  # the whole column wraps
    assert not ws.cell(2, 1).alignment.wrap_text  # the short column does not
    assert ws.cell(4, 2).value == "一" * 30 and int(ws.column_dimensions["B"].width) == 20  # 20.71 as stored


def test_fitted_widths_wrap_only_past_the_widest_allowed(tmp_path):
    ws = build(tmp_path, [["A1", "二" * 19], ["A2", "二" * 20], ["A3", "二" * 40]], max_width=42)
    # fitted: 2 × 40 + 2 = 82, capped at 42 (41.5 of room): 19 characters print 39.9 wide
    # (one line), 20 characters 42 (two), 40 characters 84 (2.02: three)
    assert int(ws.column_dimensions["B"].width) == 42
    assert heights(ws, 3) == [None, 33, 48]


def test_a_header_wider_than_its_given_column_gets_a_taller_row(tmp_path):
    ws = build(tmp_path, [["A1", "短"]], widths=[6, 20])
    # 编号: 2 × 2.1 = 4.2 ≤ 5.5: one line; no data row wraps
    assert ws.row_dimensions[1].height is None and heights(ws, 1) == [None]
    path = tmp_path / "h.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    write_table(wb.add_worksheet("表"), Formats(wb), 0, ["最长逾期天数"], [[1]], widths=[8])
    wb.close()
    # 最长逾期天数: 6 × 2.1 = 12.6 / 7.5 = 1.7: two lines
    assert openpyxl.load_workbook(path)["表"].row_dimensions[1].height == 33


def test_the_callers_heights_and_wrap_off_are_kept(tmp_path):
    ws = build(tmp_path, [["A1", "一" * 30]], widths=[8, 20], row_heights=[18])
    assert heights(ws, 1) == [18] and not ws.cell(2, 2).alignment.wrap_text
    ws = build(tmp_path, [["A1", "一" * 30]], widths=[8, 20], wrap=False)
    assert heights(ws, 1) == [None] and not ws.cell(2, 2).alignment.wrap_text


def test_a_timestamp_that_fits_does_not_wrap(tmp_path):
    ws = build(tmp_path, [["2026-11-24 09:00:00", "短"]], widths=[20, 8])
    assert heights(ws, 1) == [None] and not ws.cell(2, 1).alignment.wrap_text


def test_fitted_widths_and_heights_per_column_are_the_cell_by_cell_ones():
    """write_table measures each column once (each distinct value once): the widths and
    heights are display_width / line_count's, counted here by hand."""
    from datetime import date

    from huitan_xl.reports.layout import _widest, display_width, wrap_plan
    from huitan_xl.xlsx.rows import Link, Styled

    values = [True, 1, -100, None, date(2026, 1, 2), Styled("错误", None), Link("跳转", None, "internal:A!A1"), "ab"]
    assert _widest(values, 2, 60) == 10 + 2  # the date (10) is widest; -100 is 4, True 4, 错误 4
    assert _widest(["一二三", "一二三\n四", "a" * 7], 2, 60) == 9  # 7 narrow; 一二三 is 6
    assert _widest(["一" * 50], 6, 30) >= 30  # capped: at least the cap
    assert [display_width(v) for v in ("一二三\n四", True, -100)] == [6, 4, 4]
    rows = [["一" * 10, "x"], ["短", "一二\n三"], ["甲乙" * 5, "x"], [None]]
    cols, heights = wrap_plan(rows, [20, 8])
    # column A: 21 / 19.5 → 2 lines (both long rows); column B: a typed break → 2 lines
    assert cols == {0, 1} and heights == [33, 33, 33, None]
    assert wrap_plan([["a", "b"]], [20, 20]) == (set(), [None])
