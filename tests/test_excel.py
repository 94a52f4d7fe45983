"""The Excel buttons (huitan_xl/excel.py) against the xlwings stand-in, compared cell by
cell with the command line on the same workbook; the stand-in checked against the real
xlwings classes; the VBA macros checked as text.

Tests marked `excel` drive real Microsoft Excel through xlwings (Windows with Excel
only): `python -m pytest -m excel tests/test_excel.py` (see docs/excel-setup.md).
"""
from __future__ import annotations

import inspect
import re
import shutil
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlwings
import xlwings.main as xwmain

import xlwings_standin as xs
from conftest import ROOT, huitan
from huitan_xl import excel, excel_live, schema
from huitan_xl.jobs import JOBS

AS_OF = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, 0, 0)
RUN_LOG = schema.RUN_LOG_SHEET


# ---- the stand-in cannot drift from xlwings ---------------------------------------------
PAIRS = [(xs.App, xwmain.App), (xs.Books, xwmain.Books), (xs.Book, xwmain.Book), (xs.Sheets, xwmain.Sheets),
         (xs.Sheet, xwmain.Sheet), (xs.Range, xwmain.Range), (xs.Font, xwmain.Font), (xs.Names, xwmain.Names),
         (xs.Name, xwmain.Name)]
DUNDERS = {"__getitem__", "__iter__", "__len__", "__contains__"}


def public_names(cls) -> list[str]:
    return [n for n in vars(cls) if not n.startswith("_") or n in DUNDERS]


@pytest.mark.parametrize("mine,real", PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_standin_matches_real_xlwings(mine, real):
    for name in public_names(mine):
        ours = inspect.getattr_static(mine, name)
        theirs = inspect.getattr_static(real, name, None)
        assert theirs is not None, f"xlwings.{real.__name__} has no {name}"
        assert type(ours) is type(theirs), (name, type(ours), type(theirs))  # property / classmethod / function
        if isinstance(ours, property):
            assert (ours.fset is None) or (theirs.fset is not None), f"{real.__name__}.{name} is read-only"
            continue
        fn_ours = ours.__func__ if isinstance(ours, classmethod) else ours
        fn_theirs = theirs.__func__ if isinstance(theirs, classmethod) else theirs
        p_ours = list(inspect.signature(fn_ours).parameters)
        p_theirs = list(inspect.signature(fn_theirs).parameters)
        assert p_ours == p_theirs[:len(p_ours)] or "options" in p_ours, (name, p_ours, p_theirs)
        if "options" in p_ours:  # **options on both sides
            assert p_ours == p_theirs, (name, p_ours, p_theirs)


def test_excel_only_uses_names_the_standin_defines():
    """Every attribute excel.py / excel_live.py reads on an xlwings object is one the stand-in has."""
    src = Path(excel.__file__).read_text(encoding="utf-8") + Path(excel_live.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r"\.(used_range|last_cell|options|value|color|font|bold|column_width|books|open|copy|"
                          r"delete|close|alert|screen_updating|fullname|sheets|app|caller|range|row|column|name|"
                          r"names|add|refers_to|number_format|api)\b", src))
    known = {n for mine, _ in PAIRS for n in public_names(mine)}
    assert used - known == set()


# ---- the macros ---------------------------------------------------------------------------
MACROS = sorted((ROOT / "macros").glob("*.bas"))


def test_macros_are_ascii_with_consistent_line_ends():
    assert MACROS
    for path in MACROS:
        data = path.read_bytes()
        data.decode("ascii")
        crlf = data.count(b"\r\n")
        lf = data.count(b"\n")
        assert crlf == lf or crlf == 0, path.name


def test_every_runpython_call_names_an_entry_point():
    calls = []
    for path in MACROS:
        text = path.read_bytes().decode("ascii")
        found = re.findall(r'^    RunPython "import huitan_xl\.excel as x; x\.(\w+)\(\)"\r?$', text, re.M)
        assert len(re.findall(r"^\s*RunPython\b", text, re.M)) == len(found), path.name
        calls += found
    assert sorted(calls) == ["assess", "deductions", "forms", "minutes", "notice", "overdue", "report", "rewards",
                             "suggest_attendees", "validate"]
    for name in calls:
        assert callable(getattr(excel, name)), name


def test_button_captions_and_sheet_name_decode_to_the_chinese_text():
    text = (ROOT / "macros" / "HuitanButtons.bas").read_bytes().decode("ascii")

    def decode(codes: str) -> str:
        return "".join(chr(int(c, 16)) for c in codes.split())

    assert decode(re.search(r'Worksheets\(U\("([0-9A-F ]+)"\)\)', text).group(1)) == schema.README
    captions = [decode(c) for c in re.findall(r'^\s+U\("([0-9A-F ]+)"\)', text, re.M)]
    subs = re.search(r"macros = Array\(([^)]*)\)", text).group(1).replace('"', "").split(", ")
    assert list(zip(subs, captions)) == [
        ("HuitanValidate", "校验"), ("HuitanOverdue", "逾期督办"), ("HuitanDeductions", "考核扣分"),
        ("HuitanRewards", "季度奖励"), ("HuitanReport", "月度分析"), ("HuitanAssess", "年度考核"),
        ("HuitanSuggest", "推荐参会人员"), ("HuitanForms", "诉求承办单"), ("HuitanNotice", "答复公示"),
        ("HuitanMinutes", "慧谈纪要")]
    for sub in subs:
        assert re.search(rf"^Sub {sub}\(\)\r$", text, re.M), sub


# ---- pure helpers -------------------------------------------------------------------------
def test_blocks_cover_exactly_the_cells_in_few_writes():
    cells = {(1, 5): "状态", (1, 6): "逾期天数", (2, 5): "待答复", (2, 6): None, (3, 5): "=1+1", (3, 6): 4,
             (5, 5): date(2026, 3, 5), (5, 6): 7, (1, 9): "x"}
    assert excel_live.blocks(cells) == [
        (1, 5, [["状态", "逾期天数"], ["待答复", None], ["'=1+1", 4]]),
        (5, 5, [[datetime(2026, 3, 5), 7]]),
        (1, 9, [["x"]])]


@pytest.mark.parametrize("value,written", [
    ("逾期未答复", "逾期未答复"), ("", None), ("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("+86", "'+86"),
    ("-1", "'-1"), ("2026-10", "'2026-10"), ("00123", "'00123"), (" x", "' x"), (5, 5), (None, None),
    (date(2026, 1, 2), datetime(2026, 1, 2))])
def test_excel_value_keeps_text_text(value, written):
    assert excel_live.excel_value(value) == written


@pytest.mark.parametrize("cell,kind,expected", [
    (None, "month", "2026-10"), ("2026-09", "month", "2026-09"), (datetime(2026, 8, 1), "month", "2026-08"),
    (2025.0, "year", "2025"), ("2026年", "year", "2026"), ("2026年第二季度", "quarter", "2026Q2"),
    ("2026Q1", None, "2026Q1"), ("2026-07", None, "2026-07")])
def test_input_periods_from_the_readme_cells(cell, kind, expected):
    from huitan_xl import periods
    default = periods.parse_period({"month": "2026-10", "year": "2025", "quarter": "2026Q3"}.get(kind, "2026Q3"))
    name = {"month": "month", "year": "year", "quarter": "quarter", None: "period"}[kind]
    assert excel.input_period({name: cell}, name, "x", default, kind).label == expected


def test_wrong_readme_inputs_say_which_cell():
    from huitan_xl import periods
    with pytest.raises(excel.InputProblem) as e:
        excel.input_period({"quarter": "2026-10"}, "quarter", "奖励季度", periods.parse_period("2026Q3"),
                           periods.QUARTER)
    assert str(e.value) == "「说明」表 B6（奖励季度）写的是“2026-10”，这里应填季度，如 2026Q3；请改正或清空后再点按钮。"
    with pytest.raises(excel.InputProblem) as e:
        excel.input_count({"suggest_count": 2.5}, 10)
    assert str(e.value) == "「说明」表 B9（建议人数）写的是“2.5”，请填写 1 到 100 之间的整数，或清空（按每场人数上限）。"
    assert excel.input_count({"suggest_count": 6.0}, 10) == 6
    assert excel.input_count({}, 10) == 10
    assert excel.input_level({"suggest_level": "群监员"}) == "L3"


# ---- each button = the command line on the same workbook ---------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    from huitan_xl.demo import DemoSize
    from huitan_xl.demo_run import build_demo_workbook

    folder = tmp_path_factory.mktemp("demo")
    return build_demo_workbook(folder, AS_OF, size=DemoSize(employees=150, sessions=24, items=90, suggestions=24))


def file_values(path: Path) -> dict[str, dict]:
    wb = openpyxl.load_workbook(path, data_only=True)
    return {ws.title: {(c.row, c.column): xs._cell_value(c.value) for row in ws.iter_rows() for c in row
                       if xs._cell_value(c.value) is not None} for ws in wb.worksheets}


def live_values(book) -> dict[str, dict]:
    return {s.name: dict(s._values) for s in book.sheets}


def last_log_row(values: dict) -> list:
    last = max(r for r, _ in values)
    return [values.get((last, c)) for c in range(1, 10)]


def run_both(demo: Path, tmp_path: Path, cli_args: list[str], entry: str, inputs: dict | None = None):
    cli_path, live_path = tmp_path / "cli.xlsx", tmp_path / "live.xlsx"
    shutil.copy(demo, cli_path)
    shutil.copy(demo, live_path)
    proc = huitan(cli_args[0], cli_path, *cli_args[1:], "--as-of", AS_OF.isoformat())
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    app = xs.App()
    book = app.books.open(live_path)
    for address, v in (inputs or {}).items():
        book.sheets[schema.README].range(address).value = v
    app.value_writes.clear()
    book.set_mock_caller()
    result = getattr(excel, entry)(as_of=AS_OF, now=NOW)
    return file_values(cli_path), live_values(book), app, book, result


@pytest.fixture(autouse=True)
def standin(monkeypatch):
    monkeypatch.setattr(excel, "xw", xs)
    yield
    xs.reset()


JOB_CASES = [
    (["overdue"], "overdue", None, [schema.ITEMS, schema.OVERDUE_SHEET]),
    (["validate"], "validate", None, [schema.FINDINGS_SHEET, schema.COVERAGE_SHEET]),
    (["deductions", "--period", "2026Q3"], "deductions", None, [schema.DEDUCTIONS_SHEET]),
    (["rewards", "--quarter", "2026Q3"], "rewards", None, [schema.SUGGESTIONS, schema.REWARDS_SHEET]),
    (["report", "--month", "2026-10"], "report", None,
     [schema.MONTHLY_SHEET, schema.QUARTERLY_SHEET, schema.OVERVIEW_SHEET]),
    (["assess", "--year", "2026"], "assess", {"B7": "2026"}, [schema.ANNUAL_SHEET]),
    (["deductions", "--period", "2026-10"], "deductions", {"B5": "2026-10"}, [schema.DEDUCTIONS_SHEET]),
    (["suggest-attendees", "--level", "班组长", "--n", "5", "--write"], "suggest_attendees",
     {"B8": "班组长", "B9": 5}, [schema.SESSIONS, schema.ATTENDANCE]),
]


@pytest.mark.parametrize("cli_args,entry,inputs,changed", JOB_CASES,
                         ids=[" ".join(c[0][:3]) for c in JOB_CASES])
def test_button_writes_what_the_command_line_writes(demo, tmp_path, cli_args, entry, inputs, changed):
    cli, live, app, book, result = run_both(demo, tmp_path, cli_args, entry, inputs)
    assert result is not None, app.alerts
    before = file_values(demo)
    for name in changed:  # the job really changed these sheets, both ways
        assert cli[name] != before.get(name), name
    assert set(live) == set(cli)
    names = [s.name for s in book.sheets]
    assert names == openpyxl.load_workbook(tmp_path / "cli.xlsx", read_only=True).sheetnames
    for name in cli:
        if name == RUN_LOG:
            continue
        got, want = live[name], cli[name]
        if name == schema.README and inputs:
            got = {k: v for k, v in got.items() if k not in {xs._rc(a) for a in inputs}}
        assert got == want, (name, sorted(set(got.items()) ^ set(want.items()), key=str)[:6])
    # one 运行记录 line, the same apart from the run time
    cli_log, live_log = last_log_row(cli[RUN_LOG]), last_log_row(live[RUN_LOG])
    assert live_log[0] == "2026-11-24 09:00:00"
    assert live_log[1:] == cli_log[1:]
    assert live_log[1] == JOBS[result.command].title  # 运行记录 names the task in Chinese


def test_overdue_reads_each_sheet_once_and_writes_in_two_blocks(demo, tmp_path):
    cli, live, app, book, result = run_both(demo, tmp_path, ["overdue"], "overdue")
    from huitan_xl import pipeline
    before = openpyxl.load_workbook(demo, read_only=True).sheetnames  # no 运行记录 yet
    wanted = [n for n in before if n in pipeline.OVERDUE_SHEETS + [schema.README]]
    assert len(wanted) == 7
    assert sorted(n for n, _f, _l in app.value_reads) == sorted(wanted)
    assert all(first == (1, 1) for _n, first, _l in app.value_reads)
    # the demo's 诉求台账: the 23 input columns, then 状态 | 应答复日期 | 逾期天数 | 督办提示 in X:AA
    # (24..27), then the topic columns the report fills (28..30)
    ws = openpyxl.load_workbook(demo)[schema.ITEMS]
    assert [ws.cell(1, c).value for c in range(23, 32)] == ["风险提示", "状态", "应答复日期", "逾期天数", "督办提示",
                                                           "主题（自动）", "主题依据", "重复反映", None]
    n_rows = ws.max_row
    # the four owned columns in one block from the header row down; 运行记录 is new (copied in)
    assert [(n, first, len(v), len(v[0])) for n, first, v in app.value_writes] == [
        (schema.ITEMS, (1, 24), n_rows, 4)]
    items = book.sheets[schema.ITEMS]
    assert [items._formats[(1, c)] for c in (24, 25, 26, 27)] == [
        {"bg_color": "#FCE4D6", "font_color": "#833C0B", "bold": True}] * 4
    assert [items._widths[c] for c in (24, 25, 26, 27)] == [11, 11, 9, 10]
    # 应答复日期 as real dates shown yyyy-mm-dd; the marks as hidden names of the sheet, as the CLI writes them
    dates = [items._values.get((r, 25)) for r in range(2, n_rows + 1)]
    assert any(isinstance(d, datetime) for d in dates) and all(d is None or isinstance(d, datetime) for d in dates)
    first_date = 2 + next(i for i, d in enumerate(dates) if d is not None)
    assert items.range((first_date, 25)).number_format == "yyyy-mm-dd"
    assert {n.name: (n.refers_to, n.api.Visible) for n in items.names if "_huitan" in n.name} == {
        f"'诉求台账'!_huitan.col.{key}": (f"='诉求台账'!${col}$1", False)
        for key, col in (("state", "X"), ("due", "Y"), ("days", "Z"), ("hint", "AA"))}
    assert app.alerts == [(
        "\n".join(["「逾期督办」已完成。"] + [line.strip() for line in result.lines[:8]] + [
            f"发现错误 {sum(f.severity == 'error' for f in result.findings)} 条、警告 "
            f"{sum(f.severity == 'warning' for f in result.findings)} 条；点“校验”按钮可在「校验结果」表逐条查看。",
            "结果已写入当前工作簿，请检查后保存。"]), "八级慧谈台账", "info")]
    assert [b for b in app._books] == [book]  # the temporary book was closed


def test_second_run_replaces_sheets_in_place_and_appends_one_log_line(demo, tmp_path):
    cli, live, app, book, result = run_both(demo, tmp_path, ["overdue"], "overdue")
    order = [s.name for s in book.sheets]
    log_rows = max(r for r, _ in live[RUN_LOG])
    excel.overdue(as_of=AS_OF, now=datetime(2026, 11, 24, 10, 0))
    assert [s.name for s in book.sheets] == order
    again = live_values(book)
    assert max(r for r, _ in again[RUN_LOG]) == log_rows + 1
    assert again[RUN_LOG][(log_rows + 1, 1)] == "2026-11-24 10:00:00"
    assert {k: v for k, v in again.items() if k != RUN_LOG} == {k: v for k, v in live.items() if k != RUN_LOG}
    assert book.sheets[RUN_LOG]._values[(log_rows, 1)] == "2026-11-24 09:00:00"


def test_bad_input_cell_and_unusable_workbook_show_a_chinese_box(demo, tmp_path):
    app = xs.App()
    shutil.copy(demo, tmp_path / "b.xlsx")
    book = app.books.open(tmp_path / "b.xlsx")
    book.sheets[schema.README].range("B4").value = "十月"
    book.set_mock_caller()
    before = live_values(book)
    assert excel.report(as_of=AS_OF, now=NOW) is None
    assert app.alerts[-1][2] == "critical"
    assert app.alerts[-1][0].startswith("「说明」表 B4（统计月份）：无法识别期间「十月」")
    book.sheets[schema.ITEMS].delete()
    assert excel.overdue(as_of=AS_OF, now=NOW) is None
    message, title, level = app.alerts[-1]
    assert (title, level) == ("八级慧谈台账", "critical")
    assert message.startswith(f"工作簿「{book.fullname}」中找不到诉求台账：没有名为「诉求台账」的工作表，"
                              f"也没有哪张表的表头像诉求台账（需有「编号」列，且至少 3 列是诉求台账的列，如「内容」「承办部门」「交办日期」「答复时限」或其常用别名）。现有工作表：「说明」")
    after = live_values(book)
    assert after == {k: v for k, v in before.items() if k != schema.ITEMS}


def test_setup_workbook_elsewhere_than_windows_says_so(capsys, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert excel.setup_workbook(Path("台账.xlsm")) == 2
    assert "Windows" in capsys.readouterr().out


def test_setup_files_and_config():
    files = excel.vba_files()
    assert [f.name for f in files] == ["xlwings.bas", "Dictionary.cls", "HuitanButtons.bas"]
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in files[0].read_text("utf-8", "replace")
    assert xlwings.__version__ == "0.37.8"
    assert [k for k, _v in excel.config_rows()] == ["INTERPRETER_WIN", "PYTHONPATH", "USE UDF SERVER",
                                                    "SHOW CONSOLE"]


# ---- real Excel (Windows) --------------------------------------------------------------------
def excel_available() -> bool:
    if sys.platform != "win32":
        return False
    try:
        app = xlwings.App(visible=False, add_book=False)
        app.quit()
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.mark.excel
@pytest.mark.skipif(not excel_available(), reason="needs Microsoft Excel on Windows")
@pytest.mark.parametrize("cli_args,entry,inputs,changed", JOB_CASES[:6], ids=[c[1] for c in JOB_CASES[:6]])
def test_real_excel_matches_the_command_line(demo, tmp_path, monkeypatch, cli_args, entry, inputs, changed):
    monkeypatch.setattr(excel, "xw", xlwings)
    cli_path, live_path = tmp_path / "cli.xlsx", tmp_path / "live.xlsx"
    shutil.copy(demo, cli_path)
    shutil.copy(demo, live_path)
    assert huitan(cli_args[0], cli_path, *cli_args[1:], "--as-of", AS_OF.isoformat()).returncode in (0, 1)
    app = xlwings.App(visible=False, add_book=False)
    try:
        book = app.books.open(str(live_path))
        for address, v in (inputs or {}).items():
            book.sheets[schema.README].range(address).value = v
        book.set_mock_caller()
        monkeypatch.setattr(app, "alert", lambda *a, **k: "ok")  # no modal box in a test run
        assert getattr(excel, entry)(as_of=AS_OF, now=NOW) is not None
        book.save()
        book.close()
    finally:
        app.quit()
    cli, live = file_values(cli_path), file_values(live_path)
    for name in changed:
        assert live[name] == cli[name], name


def test_protected_structure_sends_the_sheets_to_the_companion_workbook(demo, tmp_path):
    shutil.copy(demo, tmp_path / "台账.xlsx")
    app = xs.App()
    book = app.books.open(tmp_path / "台账.xlsx")
    book.structure_protected = True
    book.set_mock_caller()
    names = [s.name for s in book.sheets]
    result = excel.overdue(as_of=AS_OF, now=NOW)
    assert result is not None
    assert [s.name for s in book.sheets] == names  # nothing added
    companion = tmp_path / "台账.huitan.xlsx"
    assert openpyxl.load_workbook(companion).sheetnames == [schema.OVERDUE_SHEET, RUN_LOG]
    assert book.sheets[schema.ITEMS]._values[(1, 24)] == "状态"  # owned columns still filled
    assert app.alerts[-1][0].splitlines()[-2] == f"工作簿结构受保护，新生成的工作表已另存为：{companion}"
    assert len(app._books) == 1


def test_an_unexpected_error_says_whether_anything_was_written(demo, tmp_path, monkeypatch):
    shutil.copy(demo, tmp_path / "c.xlsx")
    app = xs.App()
    book = app.books.open(tmp_path / "c.xlsx")
    book.set_mock_caller()
    from huitan_xl import pipeline

    def broken(regs, as_of):
        raise KeyError("状态")
    monkeypatch.setattr(pipeline, "plan_overdue", broken)
    before = live_values(book)
    assert excel.overdue(as_of=AS_OF, now=NOW) is None
    log = tmp_path / "c.huitan.log"
    assert app.alerts[-1] == ("「逾期督办」运行出错，工作簿未作改动。\n"
                              f"程序内部出错（KeyError），任务未完成；详细信息已写入 {log}，请发给管理员。",
                              "八级慧谈台账", "critical")
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and text.rstrip().endswith("KeyError: '状态'")
    assert live_values(book) == before


# ---- the document buttons (issue 15): the same Word files as the command line ---------------
def docx_text(path: Path) -> list[str]:
    from docx import Document

    doc = Document(str(path))
    return [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]


def first_session(path: Path) -> str:
    ws = openpyxl.load_workbook(path, read_only=True)[schema.SESSIONS]
    return next(r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r[0])


@pytest.mark.parametrize("job", ["minutes", "notice", "report"])
def test_document_buttons_write_what_the_command_line_writes(demo, tmp_path, job):
    session = first_session(demo)
    cli_args, inputs = {"minutes": (["minutes", "--session", session], {"B11": session}),
                        "notice": (["notice", "--month", "2026-10"], {"B4": "2026-10"}),
                        "report": (["report", "--month", "2026-10"], {"B4": "2026-10"})}[job]
    _cli, _live, app, book, result = run_both(demo, tmp_path, cli_args, job, inputs)
    assert result is not None, app.alerts
    written = [Path(p) for p in result.files]
    assert len(written) == 1 and written[0].exists() and written[0].name.startswith("live_")
    twin = written[0].with_name("cli_" + written[0].name[len("live_"):])
    assert twin.exists(), sorted(p.name for p in tmp_path.iterdir())
    assert docx_text(written[0]) == docx_text(twin)
    assert f"已生成文档：{written[0]}" in app.alerts[-1][0]


def test_minutes_button_without_a_session_says_which_cell(demo, tmp_path):
    live = tmp_path / "live.xlsx"
    shutil.copy(demo, live)
    app = xs.App()
    book = app.books.open(live)
    book.set_mock_caller()
    assert excel.minutes(as_of=AS_OF, now=NOW) is None
    assert app.alerts[-1][0] == "「说明」表 B11（纪要场次）为空：请填写场次编号，如 HT-2026-10-03，再点“慧谈纪要”按钮。"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.xlsx"]  # nothing written


def test_a_protected_workbook_without_its_register_gets_the_command_line_s_advice(tmp_path):
    # the button says what `huitan overdue` says (tests/test_protected_init.py): no sheet can be
    # added, what she can do; nothing is written, no companion
    from openpyxl.workbook.protection import WorkbookProtection

    wb = openpyxl.Workbook()
    wb.active.title = "会议安排"
    wb.active.append(["会议名称", "时间", "地点"])
    wb.security = WorkbookProtection(lockStructure=True)
    wb.save(tmp_path / "会议.xlsx")
    app = xs.App()
    book = app.books.open(tmp_path / "会议.xlsx")
    book.structure_protected = True
    book.set_mock_caller()
    assert excel.overdue(as_of=AS_OF, now=NOW) is None
    message, _title = app.alerts[-1][:2]
    assert message.startswith(f"工作簿「{tmp_path / '会议.xlsx'}」中找不到诉求台账：")
    # her sheets are listed with their headers, as by the command line
    assert message.endswith(
        "（需有「编号」列，且至少 3 列是诉求台账的列，如「内容」「承办部门」「交办日期」「答复时限」或其常用别名）。现有工作表：「会议安排」（会议名称、时间、地点）。工作簿「会议.xlsx」的结构受保护（保护工作簿结构），"
        "程序不能在其中添加工作表。可以：在 Excel 或 WPS 中“审阅 → 保护工作簿”取消结构保护，然后重新运行 huitan init；"
        "或者把台账放在现有的某张工作表中、写好能识别的表头，各任务按表头找到它。工作簿未改动。")
    assert [s.name for s in book.sheets] == ["会议安排"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["会议.xlsx"]


def test_a_register_on_a_sheet_named_otherwise_is_found_by_the_button(tmp_path):
    """Her register on a sheet named 2026年 (issue 18): the button finds it by its headers, as
    `huitan overdue` does, and writes the same states into her sheet (clerk_books.EXPECTED)."""
    from clerk_books import AS_OF as CLERK_AS_OF, EXPECTED, clerk_register

    assert CLERK_AS_OF == AS_OF
    source = clerk_register(tmp_path / "her.xlsx", sheet="2026年")
    cli, live, app, _book, result = run_both(source, tmp_path, ["overdue"], "overdue")
    assert result is not None and app.alerts[-1][2] == "info", app.alerts
    assert not any(s == schema.ITEMS for s in live)  # no empty 诉求台账 beside hers
    header = {v: c for (r, c), v in live["2026年"].items() if r == 3}
    states = {str(int(live["2026年"][(r, 1)])): live["2026年"].get((r, header["状态"])) for r in range(4, 11)}
    assert states == {k: v[0] for k, v in EXPECTED.items()}
    assert {k: v for k, v in live["2026年"].items()} == cli["2026年"]
    assert live[schema.OVERDUE_SHEET] == cli[schema.OVERDUE_SHEET]


def test_report_button_takes_the_box_text_typed_in_the_open_book(demo, tmp_path):
    """Staff type their 思想分析 / 应对举措 into 月度分析 in Excel and click 月度分析 without
    saving first: the Word report and the rebuilt sheet carry what is on screen, not the
    file's older (here: blank) boxes."""
    from docx import Document

    live = tmp_path / "live.xlsx"
    shutil.copy(demo, live)
    assert huitan("report", live, "--month", "2026-10", "--as-of", AS_OF.isoformat(), "--no-docx").returncode in (0, 1)
    app = xs.App()
    book = app.books.open(live)
    book.sheets[schema.README].range("B4").value = "2026-10"
    sheet = book.sheets[schema.MONTHLY_SHEET]
    labels = {key: r for (r, c), v in sheet._values.items() if c == 1 and isinstance(v, str)
              for key in ("思想分析", "应对举措") if v.endswith(key + "（由党群办填写）")}
    sheet.range((labels["思想分析"] + 1, 1)).value = "夜班就餐问题集中。"
    sheet.range((labels["应对举措"] + 1, 1)).value = "后勤科增加夜班班中餐品种。"
    book.set_mock_caller()
    result = excel.report(as_of=AS_OF, now=NOW)
    assert result is not None, app.alerts
    paras = [p.text for p in Document(result.files[0]).paragraphs]
    i, j = paras.index("四、原因分析"), paras.index("五、对策建议")
    assert paras[i + 1:j] == ["夜班就餐问题集中。"] and paras[j + 1] == "后勤科增加夜班班中餐品种。"
    rebuilt = book.sheets[schema.MONTHLY_SHEET]._values
    assert rebuilt[(labels["思想分析"] + 1, 1)] == "夜班就餐问题集中。"
    assert rebuilt[(labels["应对举措"] + 1, 1)] == "后勤科增加夜班班中餐品种。"
