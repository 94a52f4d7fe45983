"""Issue 18 §5: text in a date-formatted cell (`10.14` typed where Excel expected a date) is a
finding naming sheet, row, her header and the value — never completed silently — and it is
the only finding on that cell; the same text in a General cell is a date without a year,
completed from the row. Findings name her header, so 校验提示's highlight finds her cell."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, time

import openpyxl
import pytest

from clerk_books import AS_OF, EXPECTED, cells_of, clerk_register
from conftest import PROBE, huitan
from huitan_xl import cell_formats


def hers(cells: dict) -> dict:
    """Her columns A..O of the clerk register (the tool's own columns come after them)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    return {k: v for k, v in cells.items() if column_index_from_string(coordinate_from_string(k)[0]) <= 15}


def run_json(*args) -> tuple[int, dict]:
    proc = huitan(*map(str, args), "--json")
    return proc.returncode, json.loads(proc.stdout.decode("utf-8"))


def clerk_with(path, cells: dict[str, tuple[object, str]]):
    """The clerk register with some cells retyped: ref -> (value, number format)."""
    clerk_register(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["诉求台账"]
    for ref, (value, fmt) in cells.items():
        ws[ref] = value
        ws[ref].number_format = fmt
    wb.save(path)
    return path


@pytest.mark.parametrize("code, expected", [
    ("yyyy/m/d", True), ('yyyy"年"m"月"d"日"', True), ("m/d", True), ("[$-804]yyyy-mm-dd", True),
    ("[DBNum1]yyyy\"年\"m\"月\"", True), ("General", False), ("@", False), ("0.00E+00", False),
    ('0"天"', False), ("[Red]0.00", False), ("mm:ss", False), ("#,##0.00_ ", False)])
def test_date_number_formats(code, expected):
    assert cell_formats.is_date_format(code) is expected


def test_date_formatted_cells_by_builtin_and_custom_formats(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表 1"
    for ref, fmt in (("A1", "mm-dd-yy"), ("B1", 'yyyy"年"m"月"d"日"'), ("C1", "General"), ("D1", "@"),
                     ("A2", "0.00"), ("B2", "yyyy/m/d")):
        ws[ref] = "1.10"
        ws[ref].number_format = fmt
    wb.save(tmp_path / "f.xlsx")
    asked = [(1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 2), (3, 3)]  # C3 does not exist
    assert cell_formats.date_formatted(tmp_path / "f.xlsx", "表 1", asked) == {(1, 1), (1, 2), (2, 2)}
    assert cell_formats.date_formatted(tmp_path / "f.xlsx", "没有这张表", asked) == set()


def test_text_in_a_date_formatted_cell_is_one_finding_and_no_guess(tmp_path):
    # row 6 = ticket 3: 交办时间 retyped as the text "10.14" in a yyyy/m/d cell; it has no 办理时限,
    # so without 交办日期 no deadline can be set: 待答复, deadline none — and no T03 / R05 beside the R01.
    # row 8 = ticket 5: its 交办时间 "11.5" is text in a General cell -> 2026-11-05 from the row (as before).
    # row 4 = ticket 1: 答复时间 retyped as the number 1.1 in a date cell (shows 1900/1/1) -> R01.
    path = clerk_with(tmp_path / "台账.xlsx", {"I6": ("10.14", "yyyy/m/d"), "K4": (1.1, "yyyy/m/d")})
    code, out = run_json("overdue", path, "--as-of", AS_OF, "--dry-run")
    assert code == 1
    tickets = {t["id"]: (t["state"], t["deadline"], t["days_overdue"]) for t in out["tickets"]}
    assert tickets["3"] == ("待答复", None, None)
    assert tickets["5"] == ("逾期未答复", "2026-11-12", 12)
    # ticket 1 lost its reply date: 2026-09-16 has passed -> 逾期未答复, 2026-11-24 - 09-16 = 69 days
    assert tickets["1"] == ("逾期未答复", "2026-09-16", 69)
    code, out = run_json("validate", path, "--as-of", AS_OF, "--dry-run")
    on = {r: [(f["code"], f["column"], f["value"]) for f in out["findings"] if f["row"] == r] for r in (4, 6, 8)}
    assert on[6] == [("R01", "交办时间", "10.14")]
    assert on[8] == []
    assert [c[:2] for c in on[4]] == [("R01", "答复时间")]
    msg = next(f["message"] for f in out["findings"] if f["row"] == 6)
    # the talk of ticket 3 was on 2026-09-09 (merged 慧谈日期): the year proposed is 2026
    assert msg == ("编号 3 的「交办时间」写的是“10.14”，是文字，不是日期：单元格设置为日期格式，Excel 却没有把它当作日期"
                   "（没有年份，也可能是输入有误）；若是 2026年10月14日，请重新输入 2026-10-14。")
    assert next(f for f in out["findings"] if f["row"] == 6)["sheet"] == "诉求台账"


def test_a_full_date_typed_as_text_in_a_date_cell_is_read(tmp_path):
    # the text 2026.10.14 in a date-formatted cell says which day it is: read, no finding
    path = clerk_with(tmp_path / "台账.xlsx", {"I6": ("2026.10.14", "yyyy/m/d")})
    code, out = run_json("overdue", path, "--as-of", AS_OF, "--dry-run")
    assert {t["id"]: t["state"] for t in out["tickets"]}["3"] == EXPECTED["3"][0]
    assert [f for f in out["findings"] if f["row"] == 6] == []


def test_findings_name_her_headers_and_the_highlight_finds_her_cell(tmp_path):
    # ticket 4 (row 7): 部分解决 -> T04 on her 是否解决; ticket 6 (row 9): 是否满意 retyped 不满意 -> T04 on
    # her 是否满意 (not 职工满意度); ticket 3 (row 6): 交办时间 10.14 in a date cell -> R01 on 交办时间.
    path = clerk_with(tmp_path / "台账.xlsx", {"M9": ("不满意", "General"), "I6": ("10.14", "yyyy/m/d")})
    before = cells_of(path)["诉求台账"]
    proc = huitan("validate", str(path), "--as-of", str(AS_OF))
    assert proc.returncode == 1
    wb = openpyxl.load_workbook(path)
    ws = wb["诉求台账"]
    heads = [c.value for c in ws[3]]
    notes = ws
    mark_col = heads.index("校验提示") + 1
    assert notes.cell(6, mark_col).value == "R01「交办时间」日期无法识别"
    assert notes.cell(7, mark_col).value == "T04「是否解决」答复成效不理想，仍在督办"
    assert notes.cell(9, mark_col).value == "T04「是否满意」答复成效不理想，仍在督办"
    # the highlight searches 「header」 of each column in 校验提示: her header cells are what it searches
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert any('SEARCH("「"&A$3&"」"' in f for r in rules for f in r.formula)
    assert hers(cells_of(path)["诉求台账"]) == before  # every cell of hers as it was (A..O)


def test_her_cells_unchanged_by_overdue_with_text_in_a_date_cell(tmp_path):
    path = clerk_with(tmp_path / "台账.xlsx", {"I6": ("10.14", "yyyy/m/d")})
    first = tmp_path / "before.xlsx"
    first.write_bytes(path.read_bytes())
    before = cells_of(path)["诉求台账"]
    assert huitan("overdue", str(path), "--as-of", str(AS_OF)).returncode == 1
    after = cells_of(path)["诉求台账"]
    assert hers(after) == before
    assert after["I6"] == "10.14"
    if PROBE.exists():
        probe = subprocess.run([sys.executable, str(PROBE), str(first), str(path)], capture_output=True)
        assert probe.returncode == 0, probe.stdout.decode("utf-8", "replace")


def test_reading_text_in_a_general_cell_is_unchanged(tmp_path):
    from huitan_xl.read import read_workbook

    regs = read_workbook(clerk_with(tmp_path / "台账.xlsx", {"I6": ("10.14", "General")}))
    assert {i.id: i.assigned for i in regs.items}["3"] == date(2026, 10, 14)


def test_a_small_number_or_a_time_in_a_date_column_shows_what_she_typed(tmp_path):
    # python-calamine reads 0.1 in a yyyy-mm-dd cell as 02:24:00 and 1.5 as 1900-01-01 12:00: the
    # finding shows the number she typed. 1.10 typed as text: the text. 45000 is 2023-03-15, a real
    # date: no finding (+ 5 working days = 03-22). 8:30 typed into an h:mm cell: a time, not a date.
    # Rows 2, 3 and 5 have no 交办日期 and no 答复时限 left: no T03 beside the R01 (one finding per cell).
    from conftest import run_cli

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "诉求台账"
    ws.append(["编号", "交办日期", "答复时限", "答复日期"])
    for row in (["A1", 0.1], ["A2", "1.10"], ["A3", 45000], ["A4", 1.5], ["A5", 45000, None, time(8, 30)]):
        ws.append(row)
    for r in range(2, 7):
        ws.cell(r, 2).number_format = "yyyy-mm-dd"
    ws["D6"].number_format = "h:mm"
    wb.save(tmp_path / "t.xlsx")
    proc = run_cli("overdue", tmp_path / "t.xlsx", "--as-of", AS_OF, "--dry-run", "--json")
    assert proc.returncode == 1
    out = json.loads(proc.stdout.decode("utf-8"))
    number = "是一个数字，不是日期：单元格设置为日期格式，这个数字显示为 1900 年的日期；请按 2026-3-5 的格式重新填写。"
    assert [(f["code"], f["row"], f["column"], f["value"], f["message"]) for f in out["findings"]] == [
        ("R01", 2, "交办日期", 0.1, "编号 A1 的「交办日期」写的是“0.1”，" + number),
        ("R01", 3, "交办日期", "1.10", "编号 A2 的「交办日期」写的是“1.10”，是文字，不是日期：单元格设置为日期格式，"
                                     "Excel 却没有把它当作日期（没有年份，也可能是输入有误）；请重新输入带年份的完整日期，如 2026-3-5。"),
        ("R01", 5, "交办日期", 1.5, "编号 A4 的「交办日期」写的是“1.5”，" + number),
        ("R01", 6, "答复日期", "08:30", "编号 A5 的「答复日期」写的是“08:30”，是时间，不是日期；请按 2026-3-5 的格式填写日期。"),
    ]
    deadlines = {t["id"]: t["deadline"] for t in out["tickets"]}
    assert deadlines == {"A1": None, "A2": None, "A3": "2023-03-22", "A4": None, "A5": "2023-03-22"}


@pytest.mark.parametrize("value, typed", [
    (time(2, 24), 0.1), (time(12), 0.5), (date(1900, 1, 1), 1), (datetime(1900, 1, 1, 12), 1.5),
    (date(1900, 2, 28), 59), (date(1900, 3, 1), 61), (date(1900, 12, 31), 366),
    (date(1901, 1, 1), None), (45000, None), ("0.1", None)])
def test_the_number_behind_a_reader_s_tiny_date(value, typed):
    from huitan_xl import convert

    assert convert.typed_number(value) == typed
