"""Excel buttons: xlwings entry points only (SPEC §1, §11).

Each button's VBA is one line, `RunPython "import huitan_xl.excel as x; x.overdue()"`
(macros/HuitanButtons.bas). Each entry point takes the calling workbook
(`xw.Book.caller()`), reads the sheets its job needs in bulk (one `.value` read per
sheet, from A1, so list positions are Excel rows and columns), builds Registers with
the reader's in-memory entry point, plans the job with the same Job.plan of the job
table (jobs.JOBS) the command line uses, and writes the result into the OPEN workbook
(excel_live.py: tool-owned cells and their marks, tool-owned sheets, one 运行记录 line);
then says what happened in a Chinese message box. Parameters (month, period, quarter,
year, level, count) come from the yellow input cells of the 说明 sheet
(template.README_INPUTS); blank means the default named there.

`xw` is a module attribute so tests can swap in tests/xlwings_standin.py.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Mapping

import xlwings

from . import periods, pipeline, schema
from .clock import now_cst
from .convert import squash
from .errors import BadParameter, WorkbookUnusable, internal_error
from .excel_live import apply_live, live_marks, sheet_in, write_documents
from .jobs import ANY, JOBS, Job, JobContext, default_period
from .read import HEAD_ROWS, read_values
from .findings import ERROR, WARNING

xw = xlwings

TITLE = "八级慧谈台账"
MACROS_DIR = Path(__file__).resolve().parents[1] / "macros"
CONFIG_SHEET = "xlwings.conf"  # xlwings reads its settings from a sheet of this name


class InputProblem(Exception):
    """A 说明 input cell the job cannot use; the message is Chinese and names the cell."""


# ---- entry points (called by RunPython) -----------------------------------------
# One per job with a button in the job table: validate(), overdue(), deductions(),
# rewards(), report(), assess(), suggest_attendees(). as_of / now are for tests and
# mock callers; from Excel they default to today (CST).

def _entry(job: Job) -> Callable[..., object]:
    def entry(as_of: date | None = None, now: datetime | None = None):
        return run_button(job, as_of, now)

    entry.__name__ = entry.__qualname__ = job.function_name
    entry.__doc__ = f"「{job.title}」按钮：{job.summary}。"
    return entry


ENTRY_POINTS: dict[str, Callable[..., object]] = {
    job.function_name: _entry(job) for job in JOBS.values() if job.button}
globals().update(ENTRY_POINTS)


def button_period(job: Job, inputs: dict, as_of: date) -> str | None:
    """The period a button runs for: its 说明 cell, blank = the job's default."""
    if not job.period_flag or job.period_default is None:
        return None
    from .template import INPUT_LABELS

    kind = None if job.period_kind == ANY else job.period_kind
    return input_period(inputs, job.period_flag, INPUT_LABELS[job.period_flag],
                        default_period(job, as_of), kind).label


def button_options(job: Job, inputs: dict, regs) -> dict[str, object]:
    """A button's options: from their 说明 cells, else their fixed button value."""
    from .jobs import front_options
    from .template import INPUT_LABELS

    readers = {"suggest_level": lambda: input_level(inputs),
               "suggest_count": lambda: input_count(inputs, regs.settings.max_attendees)}
    given: dict[str, object] = {}
    for o in job.options:
        if o.cell in readers:
            given[o.name] = readers[o.cell]()
        elif o.cell is not None and inputs.get(o.cell) is not None:
            given[o.name] = input_text(inputs, o)
    return front_options(job, given, lambda o: InputProblem(
        f"「说明」表 {_cell_of(o.cell)}（{INPUT_LABELS[o.cell]}）为空：请填写{o.help}，再点“{job.title}”按钮。"))


# ---- the one flow every button runs ---------------------------------------------

def run_button(job: Job, as_of: date | None, now: datetime | None):
    """Caller book -> read -> plan -> write back live -> message box. Returns the
    JobResult (None when nothing could be done)."""
    book = xw.Book.caller()
    app = book.app
    if now is None:
        now = now_cst()
    as_of = as_of or now.date()
    stage = "read"  # nothing written before "write"
    try:
        only = list(job.reads) if job.reads is not None else None
        grids = LiveGrids(book)
        regs = read_values(grids, book.fullname, only, list(job.requires), protected=structure_protected(book),
                           head_of=grids.head, marks=live_marks(book))
        inputs = readme_inputs(grids.get(schema.README))
        try:
            ctx = JobContext(as_of, now, button_period(job, inputs, as_of), button_options(job, inputs, regs),
                             cells=grids.named)
            result, writes = job.plan(regs, ctx)
        except BadParameter as e:  # a parameter the plan cannot use (Chinese message)
            raise InputProblem(e.message) from e
        note = result.lines[0] if result.lines else ""
        row = pipeline.log_row(job.title, now, result.as_of, result.period, result.findings, note)
        stage = "write"
        companion = apply_live(book, writes, row, regs)
        result.files = write_documents(writes)
        result.lines += writes.notes
    except WorkbookUnusable as e:
        app.alert(e.message, TITLE, mode="critical")
        return None
    except InputProblem as e:
        app.alert(str(e), TITLE, mode="critical")
        return None
    except Exception as e:  # noqa: BLE001 - office staff get a Chinese box, admins the error text
        state = ("工作簿可能只写入了一部分，请不要保存，关闭后重新打开再试" if stage == "write"
                 else "工作簿未作改动")
        app.alert(f"「{job.title}」运行出错，{state}。\n{internal_error(book.fullname, e, 'excel ' + job.name)}",
                  TITLE, mode="critical")
        return None
    app.alert(summary(job, result, companion), TITLE, mode="info")
    return result


def structure_protected(book) -> bool:
    """保护工作簿结构 on the open workbook (COM Workbook.ProtectStructure)."""
    try:
        return bool(book.api.ProtectStructure)
    except Exception:  # noqa: BLE001 - not known: the messages then do not mention it
        return False


class LiveGrids(Mapping):
    """Every sheet of the open book by name, in workbook order. A sheet's cells (cell (r, c)
    of Excel is grid[r-1][c-1]; blank cells are "") are read in one bulk `.value` the first
    time they are asked for; `head` reads only the first rows. So the reader can look at
    the first rows of every sheet for a register kept on a sheet named otherwise (2026年,
    Sheet1 — issue 18) as it does from the file, without reading every sheet whole."""

    def __init__(self, book):
        self._sheets = {sheet.name: sheet for sheet in book.sheets}
        self._grids: dict[str, list[list]] = {}

    def __getitem__(self, name: str) -> list[list]:
        if name not in self._grids:
            self._grids[name] = _sheet_cells(self._sheets[name])
        return self._grids[name]

    def __iter__(self):
        return iter(self._sheets)

    def __len__(self) -> int:
        return len(self._sheets)

    def named(self, sheet: str) -> list[list] | None:
        """The cells of the sheet named `sheet` (spaces and case aside), or None."""
        name = next((n for n in self._sheets if squash(n) == squash(sheet)), None)
        return None if name is None else self[name]

    def head(self, name: str) -> list[list]:
        if name in self._grids:
            return self._grids[name][:HEAD_ROWS]
        return _sheet_cells(self._sheets[name], HEAD_ROWS)


def _sheet_cells(sheet, rows: int | None = None) -> list[list]:
    last = sheet.used_range.last_cell
    grid = sheet.range((1, 1), (last.row if rows is None else min(rows, last.row), last.column)
                       ).options(ndim=2).value
    return [["" if v is None else v for v in row] for row in grid]


# ---- 说明 inputs ----------------------------------------------------------------
def readme_inputs(grid: list[list] | None) -> dict[str, object]:
    """README_INPUTS name -> the cell's value (None when blank or absent)."""
    from openpyxl.utils.cell import coordinate_to_tuple

    from .template import README_INPUTS

    out: dict[str, object] = {}
    for name, address in README_INPUTS.items():
        r, c = coordinate_to_tuple(address)
        v = grid[r - 1][c - 1] if grid and r <= len(grid) and c <= len(grid[r - 1]) else None
        out[name] = None if v is None or (isinstance(v, str) and not v.strip()) else v
    return out


def _cell_of(name: str) -> str:
    from .template import README_INPUTS
    return README_INPUTS[name]


def input_period(inputs: dict, name: str, label: str, default: periods.Period,
                 kind: str | None) -> periods.Period:
    """A month / quarter / year typed in a 说明 cell (Excel may have turned 2026-10 into
    a date, or 2026 into a number); blank -> default; wrong -> InputProblem."""
    v = inputs.get(name)
    if v is None:
        return default
    if isinstance(v, datetime) or isinstance(v, date):
        text = f"{v.year}-{v.month:02d}" if kind != periods.YEAR else str(v.year)
    elif isinstance(v, float) and v.is_integer():
        text = str(int(v))
    else:
        text = str(v).strip()
    where = f"「说明」表 {_cell_of(name)}（{label}）"
    try:
        p = periods.parse_period(text)
    except ValueError as e:
        raise InputProblem(f"{where}：{e}。请改正或清空后再点按钮。") from None
    if kind is not None and p.kind != kind:
        want = {periods.MONTH: "月份，如 2026-10", periods.QUARTER: "季度，如 2026Q3",
                periods.YEAR: "年度，如 2026"}[kind]
        raise InputProblem(f"{where}写的是“{text}”，这里应填{want}；请改正或清空后再点按钮。")
    return p


def input_text(inputs: dict, option) -> object:
    """A text option typed in its 说明 cell (承办单编号, 场次编号), converted like the
    command line converts it; a value it cannot use -> InputProblem naming the cell."""
    from .template import INPUT_LABELS

    text = str(inputs.get(option.cell)).strip()
    if option.type is None:
        return text
    try:
        return option.type(text)
    except argparse.ArgumentTypeError as e:
        raise InputProblem(f"「说明」表 {_cell_of(option.cell)}（{INPUT_LABELS[option.cell]}）：{e}") from None


def input_level(inputs: dict) -> str:
    from .convert import to_level

    v = inputs.get("suggest_level")
    where = f"「说明」表 {_cell_of('suggest_level')}（建议层级）"
    if v is None:
        raise InputProblem(f"{where}为空：请先从下拉列表选一个层级（如 班组长），再点按钮。")
    code = to_level(str(v))
    if not isinstance(code, str):
        raise InputProblem(f"{where}写的是“{v}”，不是八个层级之一；请从下拉列表选择。")
    return code


def input_count(inputs: dict, default: int) -> int:
    v = inputs.get("suggest_count")
    if v is None:
        return int(default)
    try:
        f = float(str(v).strip())
    except ValueError:
        f = 0.0
    if not f.is_integer() or not 1 <= f <= 100:
        raise InputProblem(f"「说明」表 {_cell_of('suggest_count')}（建议人数）写的是“{v}”，"
                           f"请填写 1 到 100 之间的整数，或清空（按每场人数上限）。")
    return int(f)


# ---- message box ------------------------------------------------------------------
def summary(job: Job, result, companion: Path | None) -> str:
    errors = sum(1 for f in result.findings if f.severity == ERROR)
    warnings = sum(1 for f in result.findings if f.severity == WARNING)
    lines = [f"「{job.title}」已完成" + (f"（{result.period}）" if result.period else "") + "。"]
    lines += [s.strip() for s in result.lines[:8]]
    if errors or warnings:
        where = (f"详见「{schema.FINDINGS_SHEET}」表。" if job.name == "validate"
                 else f"点“校验”按钮可在「{schema.FINDINGS_SHEET}」表逐条查看。")
        lines.append(f"发现错误 {errors} 条、警告 {warnings} 条；{where}")
    if companion is not None:
        lines.append(f"工作簿结构受保护，新生成的工作表已另存为：{companion}")
    for doc in result.files:
        lines.append(f"已生成文档：{doc}")
    lines.append("结果已写入当前工作簿，请检查后保存。")
    return "\n".join(lines)


# ---- one-off set-up of a workbook (Windows + Excel only) --------------------------
def interpreter_path() -> str:
    """pythonw.exe beside the running python.exe (no console window), else python."""
    exe = Path(sys.executable)
    w = exe.with_name("pythonw.exe")
    return str(w if w.exists() else exe)


def config_rows() -> list[list[str]]:
    """The xlwings.conf sheet: xlwings' VBA reads keys from column A, values from B."""
    return [["INTERPRETER_WIN", interpreter_path()], ["PYTHONPATH", ""],
            ["USE UDF SERVER", "False"], ["SHOW CONSOLE", "False"]]


def vba_files() -> list[Path]:
    """What the workbook must carry: xlwings' own VBA module of the installed (pinned)
    version, its Dictionary class, and our button macros."""
    pkg = Path(xlwings.__file__).resolve().parent
    return [pkg / "xlwings.bas", pkg / "addin" / "Dictionary.cls", *sorted(MACROS_DIR.glob("*.bas"))]


def setup_workbook(path: Path) -> int:
    """`huitan excel-setup WB.xlsm`: import the VBA modules into the workbook, write
    the xlwings.conf sheet, add the buttons on 说明 and save as .xlsm. Windows with
    Excel only; needs 「信任对 VBA 工程对象模型的访问」."""
    if sys.platform != "win32":
        print("excel-setup 只能在安装了 Microsoft Excel 的 Windows 电脑上运行；"
              "其他系统请按 docs/excel-setup.md 的“手工导入”步骤操作。")
        return 2
    path = Path(path).resolve()
    if not path.exists():
        print(f"找不到工作簿「{path}」，请先用 huitan init 生成台账。")
        return 2
    app = xw.App(visible=False, add_book=False)
    try:
        book = app.books.open(str(path))
        try:
            project = book.api.VBProject
            components = project.VBComponents
        except Exception:  # noqa: BLE001 - COM: access to the VBA project is not trusted
            print("Excel 拒绝访问 VBA 工程：请在 Excel 中打开 文件 → 选项 → 信任中心 → 信任中心设置 → "
                  "宏设置，勾选「信任对 VBA 工程对象模型的访问」，然后重新运行本命令。")
            return 2
        for f in vba_files():
            name = f.stem
            for comp in list(components):
                if comp.Name == name:
                    components.Remove(comp)
            components.Import(str(f))
        conf = sheet_in(book, CONFIG_SHEET) or book.sheets.add(CONFIG_SHEET, after=list(book.sheets)[-1])
        conf.range((1, 1)).value = config_rows()
        target = path if path.suffix.lower() == ".xlsm" else path.with_suffix(".xlsm")
        book.save(str(target))
        book.macro("HuitanAddButtons")()
        book.save(str(target))
        print(f"已为「{target}」导入按钮宏（xlwings {xlwings.__version__}），并在「{schema.README}」表添加按钮。")
        return 0
    finally:
        app.quit()
