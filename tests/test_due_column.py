"""Issue 18 §6: the owned column 应答复日期 — the effective deadline each state was computed
from (default days from 规则配置, working days with holidays and 调休, her 办理时限,
extensions), written as a real date; old workbooks with the 3-column block migrate
without a cell of hers moving; the Excel buttons write and find the same columns."""
from __future__ import annotations

import zipfile
from datetime import date, datetime

import openpyxl
import pytest

import xlwings_standin as xs
from clerk_books import AS_OF, EXPECTED, cells_of, clerk_register
from conftest import assert_fidelity, run_cli, type_rows
from huitan_xl import excel, ownership, schema
from huitan_xl.write import Workbook

# 2026: 国庆 + 中秋 off 10-01..10-07, Sat 10-10 a make-up working day (调休); 11-02 is a Monday.
TICKETS = [
    # 11-05 (Thu) + 5 working days over the weekend: 11-06, 11-09, 11-10, 11-11, 11-12
    {"编号": "A-1", "现场答复": "否", "交办日期": date(2026, 11, 5)},
    # 09-28 (Mon) + 5: 09-29, 09-30, (10-01..07 off) 10-08, 10-09, 10-10 (Saturday worked)
    {"编号": "A-2", "现场答复": "否", "交办日期": date(2026, 9, 28)},
    # her 5个工作日 from 09-30 (Wed): 10-08, 10-09, 10-10 (Sat, 调休), 10-12, 10-13; answered 10-12
    {"编号": "A-3", "现场答复": "否", "交办日期": date(2026, 9, 30), "答复时限": "5个工作日",
     "答复日期": date(2026, 10, 12)},
    # her 10月22日前: 10-22 (Thu), the year from the row
    {"编号": "A-4", "现场答复": "否", "交办日期": date(2026, 10, 14), "答复时限": "10月22日前"},
    # approved (11-05) before the deadline 11-06: extended to 11-27
    {"编号": "A-5", "现场答复": "否", "交办日期": date(2026, 11, 2), "答复时限": date(2026, 11, 6),
     "延期至": date(2026, 11, 27), "延期批准日期": date(2026, 11, 5)},
    # approved (11-10) after the deadline 11-06: the extension does not count (T01), 11-06 stays
    {"编号": "A-6", "现场答复": "否", "交办日期": date(2026, 11, 2), "答复时限": date(2026, 11, 6),
     "延期至": date(2026, 11, 27), "延期批准日期": date(2026, 11, 10)},
    # 待商定 and no 交办日期: no deadline at all -> empty, R01 on her cell, no state from a date
    {"编号": "A-7", "现场答复": "否", "答复时限": "待商定"},
    # 待商定 with 交办日期 11-20 (Fri): R01, and the default the state was computed from:
    # 11-23, 11-24, 11-25, 11-26, 11-27
    {"编号": "A-8", "现场答复": "否", "交办日期": date(2026, 11, 20), "答复时限": "待商定"},
    # answered 11-06, on time: the deadline 11-02 + 5 = 11-09 is still shown
    {"编号": "A-9", "现场答复": "否", "交办日期": date(2026, 11, 2), "答复日期": date(2026, 11, 6)},
    # a deadline on a holiday (10-03, Sat in 国庆) rolls to the next working day, 10-08
    {"编号": "A-10", "现场答复": "否", "交办日期": date(2026, 9, 25), "答复时限": date(2026, 10, 3),
     "答复日期": date(2026, 10, 8)},
    # answered on the spot: no deadline
    {"编号": "A-11", "现场答复": "是"},
]
# 编号 -> (状态, 应答复日期, 逾期天数) on 2026-11-24
DUE = {
    "A-1": ("逾期未答复", date(2026, 11, 12), 12),
    "A-2": ("逾期未答复", date(2026, 10, 10), 45),
    "A-3": ("按期答复", date(2026, 10, 13), None),
    "A-4": ("逾期未答复", date(2026, 10, 22), 33),
    "A-5": ("待答复", date(2026, 11, 27), None),
    "A-6": ("逾期未答复", date(2026, 11, 6), 18),
    "A-7": ("待答复", None, None),
    "A-8": ("待答复", date(2026, 11, 27), None),
    "A-9": ("按期答复", date(2026, 11, 9), None),
    "A-10": ("按期答复", date(2026, 10, 8), None),
    "A-11": ("现场答复", None, None),
}
OWNED = schema.ITEM_OWNED  # 状态 | 应答复日期 | 逾期天数 | 督办提示


def template_book(tmp_path, default_days: int | None = None):
    path = tmp_path / "台账.xlsx"
    assert run_cli("init", path).returncode == 0
    type_rows(path, schema.ITEMS, TICKETS)
    if default_days is not None:  # 规则配置: 默认答复时限(工作日)
        ws = openpyxl.load_workbook(path)[schema.SETTINGS]
        row = next(c.row for c in ws["A"] if c.value == "默认答复时限(工作日)")
        wb = Workbook.open(path)
        wb.set_cells(schema.SETTINGS, {(row, 2): default_days})
        wb.save(backup=False)
    return path


def owned_by_id(path, header_row=1, id_header="编号", owned=OWNED):
    ws = openpyxl.load_workbook(path)[schema.ITEMS]
    heads = [c.value for c in ws[header_row]]
    col = {h: i + 1 for i, h in enumerate(heads) if h}
    out = {}
    for r in range(header_row + 1, ws.max_row + 1):
        key = ws.cell(r, col[id_header]).value
        if isinstance(key, int) or (isinstance(key, str) and key.startswith("A-")):  # not 合计 / 注 rows
            out[str(key)] = [ws.cell(r, col[h]) for h in owned]
    return out, heads


def test_due_date_is_the_effective_deadline_as_a_real_date(tmp_path):
    path = template_book(tmp_path)
    proc = run_cli("overdue", path, "--as-of", AS_OF.isoformat(), "--json")
    assert proc.returncode == 1  # R01 on the two 待商定
    got, heads = owned_by_id(path)
    assert heads[23:27] == OWNED
    assert {k: (s.value, d.value.date() if d.value else None, n.value) for k, (s, d, n, _h) in got.items()} == DUE
    for s, d, n, h in got.values():
        if d.value is not None:  # a date cell shown as yyyy-mm-dd, never text
            assert (d.data_type, d.is_date, d.number_format) == ("d", True, "yyyy-mm-dd")
    import json
    findings = {(f["code"], f["row"]) for f in json.loads(proc.stdout)["findings"]}
    rows = {t["编号"]: i + 2 for i, t in enumerate(TICKETS)}
    assert ("R01", rows["A-7"]) in findings and ("R01", rows["A-8"]) in findings
    assert ("T03", rows["A-7"]) not in findings  # one finding for her cell
    assert ("T01", rows["A-6"]) in findings


def test_default_days_come_from_the_settings_sheet(tmp_path):
    """默认答复时限 10: 11-05 (Thu) + 10 working days = 11-19; her 5个工作日 still wins (10-13)."""
    path = template_book(tmp_path, default_days=10)
    assert run_cli("overdue", path, "--as-of", AS_OF.isoformat()).returncode == 1
    got, _ = owned_by_id(path)
    assert got["A-1"][1].value == datetime(2026, 11, 19)
    assert got["A-3"][1].value == datetime(2026, 10, 13)
    # 09-28 + 10: 09-29, 09-30, 10-08, 10-09, 10-10, 10-12, 10-13, 10-14, 10-15, 10-16
    assert got["A-2"][1].value == datetime(2026, 10, 16)


def test_clerk_register_with_her_state_column(tmp_path):
    """Her 状态 (待解决 …) stays hers; 状态（系统） and 应答复日期 go beside it; every cell of
    hers is as it was (cell by cell and by the fidelity probe)."""
    path = clerk_register(tmp_path / "台账.xlsx", own_state=True)
    before_bytes = path.read_bytes()
    before = cells_of(path)["诉求台账"]
    assert run_cli("overdue", path, "--as-of", AS_OF.isoformat()).returncode == 1
    got, heads = owned_by_id(path, header_row=3, id_header="序号", owned=["状态（系统）", *OWNED[1:]])
    assert heads[15:20] == ["状态", "状态（系统）", "应答复日期", "逾期天数", "督办提示"]
    assert {k: (v[0].value, v[1].value.date(), v[2].value) for k, v in got.items()} == EXPECTED
    after = cells_of(path)["诉求台账"]
    assert {k: v for k, v in after.items() if k[0] not in "QRST"} == before
    assert [after.get(f"P{r}") for r in range(4, 11)] == ["已解决", "待解决"] * 3 + ["已解决"]
    # 状态（系统） prints on one line: 6 CJK characters bold, 6 * 2 * 7.35 * 1.08 + 8 = 103.3 px -> 15 units
    assert openpyxl.load_workbook(path)["诉求台账"].column_dimensions["Q"].width == 15
    (tmp_path / "before.xlsx").write_bytes(before_bytes)
    assert_fidelity(tmp_path / "before.xlsx", path)


def legacy_register(tmp_path):
    """The clerk register as an older version left it: the unmarked block 状态 | 逾期天数 | 督办提示
    in P:R, holding what that version wrote."""
    path = clerk_register(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["诉求台账"]
    for j, h in enumerate(schema.LEGACY_ITEM_OWNED):
        ws.cell(3, 16 + j).value = h
    for i in range(7):
        state, _due, days = EXPECTED[str(i + 1)]
        ws.cell(4 + i, 16).value = state
        ws.cell(4 + i, 17).value = days
    ws.cell(5, 18).value = "通报"
    wb.save(path)
    return path


def sheet_xml(path):
    """诉求台账's sheet XML (the clerk register's first and only sheet of hers: sheet1.xml)."""
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


def test_legacy_block_migrates_without_moving_a_cell_and_a_second_run_changes_nothing(tmp_path):
    """The old block stays where it is (P:R), 应答复日期 is added as a new owned column at the
    far right (S) and marked; nothing of hers moves; the next run writes the same bytes."""
    path = legacy_register(tmp_path)
    before = cells_of(path)["诉求台账"]
    before_bytes = path.read_bytes()
    proc = run_cli("overdue", path, "--as-of", AS_OF.isoformat())
    assert proc.returncode == 1
    assert "状态（系统）" not in proc.stdout.decode("utf-8")
    got, heads = owned_by_id(path, header_row=3, id_header="序号")
    assert heads[15:19] == ["状态", "逾期天数", "督办提示", "应答复日期"]
    assert ownership.read_marks(path).columns["诉求台账"] == {"状态": 16, "逾期天数": 17, "督办提示": 18,
                                                          "应答复日期": 19}
    assert {k: (v[0].value, v[1].value.date(), v[2].value) for k, v in got.items()} == EXPECTED
    after = cells_of(path)["诉求台账"]
    assert {k: v for k, v in after.items() if k[0] in "ABCDEFGHIJKLMNO"} == {
        k: v for k, v in before.items() if k[0] in "ABCDEFGHIJKLMNO"}
    first = sheet_xml(path)
    assert run_cli("overdue", path, "--as-of", AS_OF.isoformat()).returncode == 1
    assert sheet_xml(path) == first  # idempotent: the same sheet XML, no second 应答复日期
    assert cells_of(path)["诉求台账"] == after
    (tmp_path / "before.xlsx").write_bytes(before_bytes)
    assert_fidelity(tmp_path / "before.xlsx", path)


def test_marked_workbook_without_the_due_mark_gets_it(tmp_path):
    """Marks written by a version before 应答复日期 (state / days / hint only): the column is
    added after her last column and the tool's, and marked."""
    path = legacy_register(tmp_path)
    wb = Workbook.open(path)
    for j, h in enumerate(schema.LEGACY_ITEM_OWNED):
        wb.set_hidden_name(*ownership.column_mark("诉求台账", h, 16 + j, 3))
    wb.save(backup=False)
    assert set(ownership.read_marks(path).columns["诉求台账"]) == set(schema.LEGACY_ITEM_OWNED)
    assert run_cli("overdue", path, "--as-of", AS_OF.isoformat()).returncode == 1
    assert ownership.read_marks(path).columns["诉求台账"]["应答复日期"] == 19
    got, heads = owned_by_id(path, header_row=3, id_header="序号")
    assert heads[15:19] == ["状态", "逾期天数", "督办提示", "应答复日期"]
    assert got["2"][1].value == datetime(2026, 10, 22)


def test_print_area_she_set_is_not_widened(tmp_path):
    path = clerk_register(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["诉求台账"].print_area = "A1:O14"
    wb.save(path)
    assert run_cli("overdue", path, "--as-of", AS_OF.isoformat()).returncode == 1
    ws = openpyxl.load_workbook(path)["诉求台账"]
    assert ws.print_area == "'诉求台账'!$A$1:$O$14"
    assert [c.value for c in ws[3]][15:19] == OWNED


# ---- the Excel buttons (tests/xlwings_standin.py) -------------------------------------
@pytest.fixture
def standin(monkeypatch):
    monkeypatch.setattr(excel, "xw", xs)
    yield
    xs.reset()


def button_overdue(path):
    app = xs.App()
    book = app.books.open(path)
    book.set_mock_caller()
    assert excel.overdue(as_of=AS_OF, now=datetime(2026, 11, 24, 9, 0)) is not None, app.alerts
    return book


def live_row(book, col, rows=range(4, 11)):
    return [book.sheets["诉求台账"]._values.get((r, col)) for r in rows]


def test_button_on_a_legacy_register_adds_the_same_column_as_the_command_line(tmp_path, standin):
    cli = legacy_register(tmp_path)
    assert run_cli("overdue", cli, "--as-of", AS_OF.isoformat()).returncode == 1
    (tmp_path / "live").mkdir()
    live = legacy_register(tmp_path / "live")
    book = button_overdue(live)
    items = book.sheets["诉求台账"]
    want = openpyxl.load_workbook(cli)["诉求台账"]
    assert [items._values.get((3, c)) for c in range(16, 21)] == ["状态", "逾期天数", "督办提示", "应答复日期", None]
    for c in range(16, 20):
        assert live_row(book, c) == [want.cell(r, c).value for r in range(4, 11)], c
    assert items.range((4, 19)).number_format == "yyyy-mm-dd"
    assert excel.live_marks(book).columns["诉求台账"] == ownership.read_marks(cli).columns["诉求台账"]


def test_button_after_the_command_line_finds_the_marked_columns(tmp_path, standin):
    """Her 状态 column: the CLI writes 状态（系统） … and marks; a button run on that workbook
    finds the same columns by the marks (no second copy) and writes the same values."""
    path = clerk_register(tmp_path / "台账.xlsx", own_state=True)
    assert run_cli("overdue", path, "--as-of", AS_OF.isoformat()).returncode == 1
    want = openpyxl.load_workbook(path)["诉求台账"]
    book = button_overdue(path)
    items = book.sheets["诉求台账"]
    assert [items._values.get((3, c)) for c in range(16, 22)] == [
        "状态", "状态（系统）", "应答复日期", "逾期天数", "督办提示", None]
    for c in range(16, 21):
        assert live_row(book, c) == [want.cell(r, c).value for r in range(4, 11)], c
    assert live_row(book, 16) == ["已解决", "待解决"] * 3 + ["已解决"]  # hers, untouched


def test_button_keeps_the_owned_columns_outside_her_print_area(tmp_path, standin):
    """Her print area A1:Q14 read from the open book (Print_Area): the button's columns start at R."""
    path = clerk_register(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["诉求台账"].print_area = "A1:Q14"
    wb.save(path)
    book = button_overdue(path)
    items = book.sheets["诉求台账"]
    assert excel.live_marks(book).print_columns == {"诉求台账": 17}
    assert [items._values.get((3, c)) for c in range(16, 22)] == [None, None, *OWNED]
    assert live_row(book, 19) == [datetime.combine(EXPECTED[str(i)][1], datetime.min.time()) for i in range(1, 8)]
