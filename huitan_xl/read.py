"""Workbook -> Registers (records + findings). The only module that parses input.

One bulk python-calamine read per sheet (`to_python(skip_empty_area=False)`, so a
list index is the Excel row / column minus one, wherever the table starts). Which sheet
holds each register comes from 列名对照, the sheet's name or its headers (columnmap.py);
each sheet's table is read by read_table.py, its records built by read_records.py.
"""
from __future__ import annotations

import gc
import io
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Mapping

from python_calamine import CalamineError, CalamineWorkbook

from . import cell_formats, columnmap, convert, ownership, schema, settings as settings_mod
from .convert import squash
from .xlsx import encryption, file_check
from .xlsx.save import read_with_fingerprint
from .errors import WorkbookUnusable
from .findings import ERROR, WARNING
from .memory import BIG_GRID, release_freed_memory
from .model import Registers
from .read_records import _BUILDERS, parse_settings, read_run_log  # noqa: F401 - re-exported
from .read_table import Table, _is_blank, read_table  # noqa: F401 - re-exported

# finding codes of the reading family (findings.FAMILIES): code -> (severity, short Chinese
# title); raised here, in read_table / read_records, and by rules.integrity (R05, R07, R08, R09)
CODES = {
    "R01": (ERROR, "日期无法识别"),
    "R02": (ERROR, "是/否填写无法识别"),
    "R03": (ERROR, "层级名称无法识别"),
    "R04": (ERROR, "取值不在可选范围内"),
    "R05": (ERROR, "必填项为空"),
    "R06": (ERROR, "数字无法识别"),
    "R07": (ERROR, "编号重复"),
    "R08": (ERROR, "引用的记录不存在"),
    "R09": (ERROR, "日期先后顺序不对"),
    "R10": (WARNING, "缺少工作表或列"),
    "R11": (WARNING, "季度无法识别"),
    "R12": (WARNING, "规则配置中的参数名无法识别"),
}


# ---- entry point -------------------------------------------------------------
def read_workbook(path: Path, sheets: list[str] | None = None,
                  required: list[str] | tuple = (), strict: list[str] | tuple = ()) -> Registers:
    """Read the register sheets (all, or only `sheets`). Calls
    file_check.check_usable first. A sheet in `required` that is missing, or
    missing a schema.REQUIRED_COLUMNS column, raises WorkbookUnusable; other missing
    sheets are silently empty (the job decides whether to warn). 规则配置 is always
    read (regs.settings is always a Settings)."""
    file_check.check_usable(path)
    _companion_registers(Path(path))
    gc_was_on = gc.isenabled()
    gc.disable()  # millions of fresh cell objects: cyclic GC passes would only re-scan them
    try:
        return _read(Path(path), sheets, required, strict)
    finally:
        if gc_was_on:
            gc.enable()


def _read(path: Path, sheets: list[str] | None, required: list[str] | tuple,
          strict: list[str] | tuple = ()) -> Registers:
    try:
        # the bytes read are the bytes hashed: a save replaces only this very file
        data, source = read_with_fingerprint(path)
        plain = encryption.plaintext(path)  # an encrypted workbook: its decrypted bytes in memory
        wb = CalamineWorkbook.from_filelike(io.BytesIO(plain if plain is not None else data))
        del data, plain
    except (CalamineError, OSError, ValueError) as exc:
        raise WorkbookUnusable(_misnamed(path) or f"无法读取工作簿「{path}」：{exc}") from exc
    merges: dict[str, list] = {}
    # The sheets are parsed one ahead by a loader thread (python-calamine parses without the
    # GIL) while this one converts the sheet before; one call into the workbook at a time.
    lock = threading.Lock()
    loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sheet-loader")
    ahead: dict[str, Future] = {}
    upcoming: list[str] = []

    def load(name: str):
        with lock:
            return _sheet(wb, name, path)

    def will_read(names: list[str]) -> None:
        upcoming[:] = names
        load_next()

    def load_next() -> None:
        if upcoming and upcoming[0] not in ahead:
            ahead[upcoming[0]] = loader.submit(load, upcoming[0])

    def grid(name: str) -> list[list]:
        sheet = ahead.pop(name).result() if name in ahead else load(name)
        if upcoming and upcoming[0] == name:
            del upcoming[0]
        load_next()
        merges[name] = sheet.merged_cell_ranges or []
        try:
            rows = sheet.to_python(skip_empty_area=False)
        except CalamineError as exc:
            raise WorkbookUnusable(f"无法读取工作簿「{path}」的工作表「{name}」：{exc}") from exc
        if len(rows) >= BIG_GRID:  # its cell range, freed, back to the system before the rows are converted
            del sheet
            release_freed_memory()
        return rows

    def head(name: str) -> list[list]:
        try:
            return load(name).to_python(skip_empty_area=False, nrows=HEAD_ROWS)
        except CalamineError:
            return []

    with wb:
        try:
            regs = _read_grids(str(path), list(wb.sheet_names), grid, sheets, required,
                               head_of=head, merges_of=lambda name: merges.get(name, []), strict=strict,
                               from_file=True, dated_of=lambda name, cells: cell_formats.date_formatted(
                                   encryption.plaintext(path) or path, name, cells), will_read=will_read)
        finally:
            loader.shutdown(wait=True, cancel_futures=True)  # no parse left running when the workbook closes
            ahead.clear()
    regs.source = source
    return regs


def _misnamed(path: Path) -> str:
    """An .xlsx saved under an .xls / .et name: the same Chinese refusal from every job."""
    try:
        with open(path, "rb") as f:
            zipped = f.read(4) == b"PK\x03\x04"
    except OSError:
        return ""
    if not zipped or Path(path).suffix.lower() not in (".xls", ".et", ".xlt", ".ett"):
        return ""
    return (f"「{Path(path).name}」的内容是 .xlsx 工作簿，扩展名却是 {Path(path).suffix}。请把文件改名为 "
            f"{Path(path).stem}.xlsx（或在 Excel / WPS 中“另存为”.xlsx）后再运行。工作簿未改动。")


def _sheet(wb: CalamineWorkbook, name: str, path: Path):
    try:
        return wb.get_sheet_by_name(name)
    except CalamineError as exc:
        raise WorkbookUnusable(f"无法读取工作簿「{path}」的工作表「{name}」：{exc}") from exc


HEAD_ROWS = 40  # rows read to find a sheet's header row when looking for a register by headers


def grid_rows(rows: list[list]) -> list[list]:
    """Cells as the reader takes them: None (blank) -> ""."""
    return [["" if v is None else v for v in row] for row in rows]


def read_values(grids: Mapping[str, list[list]], label: str, sheets: list[str] | None = None,
                required: list[str] | tuple = (), protected: bool = False,
                head_of: Callable[[str], list[list]] | None = None,
                marks: ownership.Marks | None = None) -> Registers:
    """The same reading from values already in memory — e.g. one bulk `.value` read per
    sheet of the workbook open in Excel (excel.py). `grids` maps each sheet name, in
    workbook order, to its cells from A1 (None or '' for an empty cell); `protected`: its
    structure is protected (a missing register is then refused as from the file); `marks`:
    the tool's marks as the open workbook holds them (excel_live.live_marks)."""
    def grid(name: str) -> list[list]:
        return grid_rows(grids[name])

    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _read_grids(label, list(grids), grid, sheets, required, protected=protected,
                           head_of=None if head_of is None else (lambda name: grid_rows(head_of(name))),
                           marks=marks)
    finally:
        if gc_was_on:
            gc.enable()


def _read_grids(path, sheet_names: list[str], grid_of: Callable[[str], list[list]],
                sheets: list[str] | None, required: list[str] | tuple,
                head_of: Callable[[str], list[list]] | None = None,
                merges_of: Callable[[str], list] | None = None,
                strict: list[str] | tuple = (), from_file: bool = False,
                dated_of: Callable[[str, list], set] | None = None, protected: bool = False,
                marks: ownership.Marks | None = None,
                will_read: Callable[[list[str]], None] | None = None) -> Registers:
    """`will_read`: told, once the registers are located, the sheets grid_of will be asked for,
    in order."""
    wanted = set(schema.SHEETS) | {schema.RUN_LOG_SHEET} if sheets is None else set(sheets)
    wanted |= set(required)
    wanted.add(schema.SETTINGS)
    regs = Registers(path=str(path))
    regs.sheet_names = list(sheet_names)
    actual = {}
    for name in sheet_names:
        actual.setdefault(squash(name), name)
    heads: dict[str, list[list]] = {}

    def head(name: str) -> list[list]:
        if name not in heads:
            heads[name] = head_of(name) if head_of else grid_of(name)[:HEAD_ROWS]
        return heads[name]

    if marks is None:
        marks = ownership.read_marks(path) if from_file else ownership.Marks()
    regs.marks = marks
    protected = protected or marks.structure_protected
    map_name = actual.get(squash(columnmap.COLUMN_MAP_SHEET))
    cmap = columnmap.parse_column_map(grid_of(map_name)) if map_name else columnmap.ColumnMap()
    located, how = columnmap.locate(sheet_names, head, cmap, marks.owned_sheet_names())
    regs.located = dict(located)
    regs.located_by = dict(how)
    for sheet in required:
        if sheet not in located:
            raise WorkbookUnusable(_missing_sheet(path, sheet, sheet_names, head, protected))
    if strict and not any(s in located for s in columnmap.DISCOVERABLE):
        # no register anywhere (an unrelated workbook): never a clean 0 件 from any job
        raise WorkbookUnusable(_missing_sheet(path, strict[0], sheet_names, head, protected))
    log_name = ownership.sheet_target(schema.RUN_LOG_SHEET, sheet_names, marks, True)
    reading = [(sheet, located[sheet]) for sheet in schema.SHEETS if sheet in wanted and located.get(sheet) is not None]
    if will_read is not None:
        will_read([name for _s, name in reading]
                  + ([log_name] if schema.RUN_LOG_SHEET in wanted and log_name in sheet_names else []))
    for sheet, name in reading:
        fields = schema.SHEETS[sheet]
        must = sheet in required or sheet in strict
        g = grid_of(name)
        table = read_table(g, name, sheet, fields, path if must else None,
                           merges=merges_of(name) if merges_of else (),
                           overrides=cmap.columns.get(sheet), owned_cols=_marked(marks, name, sheet),
                           formats=(lambda cells, n=name: dated_of(n, cells)) if dated_of else None)
        regs.findings += table.findings
        regs.reading[sheet] = table.info
        if table.header_row:
            _BUILDERS[sheet](regs, table)
        if must and not table.rows:
            others = columnmap.register_candidates(sheet_names, head, sheet, set(located.values()) | {name})
            if others:
                listed = "、".join(f"「{n}」" for n, _ in others)
                raise WorkbookUnusable(
                    f"工作簿「{path}」的工作表「{name}」没有数据，而工作表{listed}看起来是{sheet}。"
                    f"请在「{columnmap.COLUMN_MAP_SHEET}」表中把{sheet}指定为{listed.split('、')[0]}"
                    f"（运行 huitan init 会生成这张表），或删除空的「{name}」后再运行。工作簿未改动。")
    if regs.settings is None:
        regs.settings = settings_mod.Settings()
    if schema.RUN_LOG_SHEET in wanted and log_name in sheet_names:
        regs.run_log = read_run_log(grid_of(log_name))
    return regs


def _marked(marks, name: str, sheet: str) -> dict[int, str] | None:
    """The owned columns the marks name on this sheet (0-based); None when it carries no
    mark (then ownership.legacy_owned decides)."""
    cols = marks.columns.get(name)
    return {c - 1: h for h, c in cols.items()} if cols else None


# The jobs (pipeline.read) pass strict=STRICT_SHEETS: an 诉求台账 that is present must be
# usable whichever job reads it, so overdue and validate agree on what makes a workbook
# unusable (no header, no 编号, no 交办日期 and no 答复时限, empty beside a sheet that looks
# like the register).
STRICT_SHEETS = (schema.ITEMS,)


def _missing_sheet(path, sheet: str, sheet_names: list[str], head, protected: bool = False) -> str:
    """No sheet holds `sheet`: say which sheets there are and what their headers are (and,
    for a structure-protected workbook, why no sheet can be added and what she can do)."""
    shown = sheets_shown(sheet_names, head)
    return (f"工作簿「{path}」中找不到{sheet}：没有名为「{sheet}」的工作表，也没有哪张表的表头像{sheet}"
            f"（{header_need(sheet)}）。"
            + (f"现有工作表：{shown}。" if shown else "") + (
                protected_advice(Path(str(path)).name) if protected else
                f"请把{sheet}所在的工作表和列在「{columnmap.COLUMN_MAP_SHEET}」表中指定"
                f"（运行 huitan init 生成），或用 huitan init 生成的模板。"))


_NEED_EXAMPLES = {schema.ITEMS: ["内容", "承办部门", "交办日期", "答复时限"]}


def header_need(sheet: str) -> str:
    """What a header row must name for a sheet to be taken as `sheet` (columnmap.locate): its key
    column and at least MIN_FIELDS of its columns: 需有「编号」列，且至少 3 列是诉求台账的列，如「内容」…或其常用别名."""
    fields = schema.SHEETS[sheet]
    key = next(f.header for f in fields if f.key)
    others = _NEED_EXAMPLES.get(sheet) or [f.header for f in fields if not f.key][:3]
    return (f"需有「{key}」列，且至少 {columnmap.MIN_FIELDS} 列是{sheet}的列，"
            f"如「{'」「'.join(others)}」或其常用别名")


def sheets_shown(sheet_names: list[str], head) -> str:
    """「会议安排」（会议名称、时间、地点）；… — the first 8 sheets and their header rows."""
    shown = []
    for name in sheet_names[:8]:
        rows = [r for r in head(name) if not _is_blank(r)][:1]
        cells = [convert.text(v) for v in rows[0] if convert.text(v)][:8] if rows else []
        shown.append(f"「{name}」（{'、'.join(cells) or '空'}）")
    return "；".join(shown)


# what a structure-protected workbook lacking a register lets her do: said alike by init and every job
PROTECTED_ADVICE = ("工作簿「{name}」的结构受保护（保护工作簿结构），程序不能在其中添加工作表。可以：在 Excel 或 WPS 中"
                    "“审阅 → 保护工作簿”取消结构保护，然后重新运行 huitan init；或者把台账放在现有的某张工作表中、"
                    "写好能识别的表头，各任务按表头找到它。工作簿未改动。")


def protected_advice(name: str) -> str:
    return PROTECTED_ADVICE.format(name=name)


_PREFILLED = {schema.LEVELS, schema.TOPICS, schema.SETTINGS}  # init fills these: rows there are not hers


def _companion_registers(path: Path) -> None:
    """NAME.huitan.xlsx holds the tool's sheets of a structure-protected workbook and is
    rewritten by every job that writes. Registers typed into it (an older huitan init put the
    input sheets there; today's adds none) would be lost and are never read: refuse, naming
    them, until they are moved."""
    companion = path.with_name(path.stem + ".huitan.xlsx")
    if not companion.is_file() or companion == path:
        return
    try:
        book = CalamineWorkbook.from_path(str(companion))
        with book:
            kept = []
            for name in book.sheet_names:
                if name.strip() not in schema.SHEETS or name.strip() in _PREFILLED:
                    continue
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=True, nrows=HEAD_ROWS)
                if sum(1 for r in rows if not _is_blank(r)) > 1:  # more than the header row
                    kept.append(name)
    except (CalamineError, OSError, ValueError):
        return
    if kept:
        listed = "、".join(f"「{n}」" for n in kept)
        raise WorkbookUnusable(
            f"「{companion.name}」中有已登记数据的台账工作表{listed}。工作簿「{path.name}」的结构受保护，"
            f"旧版本的 huitan init 把新工作表放进了「{companion.name}」，而各任务不读取它、运行时还会重写该文件。"
            f"请在 Excel 或 WPS 中“审阅 → 保护工作簿”取消「{path.name}」的结构保护，把{listed}复制（移动）到"
            f"「{path.name}」中，然后删除或改名「{companion.name}」后重新运行。工作簿未改动。")


# ---- 说明's 矿井名称 (consolidate, the sheet titles, the documents) --------------------------
_MINE_NAME_LABEL = "矿井名称"
_README_SCAN_ROWS = 40


def sheet_cells(path: Path, sheet: str) -> list[list] | None:
    """The cells of the sheet named `sheet` (spaces and case aside) in a workbook file, row by
    row from A1; None when there is no such sheet."""
    with encryption.open_calamine(path) as wb:
        name = next((n for n in wb.sheet_names if squash(n) == squash(sheet)), None)
        return None if name is None else wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def readme_mine_name(path: Path, cells: Callable[[str], list[list] | None] | None = None) -> str:
    """The 矿井名称 input cell of the 说明 sheet ("" if there is none): the cell
    template.README_INPUTS["mine"] names, else the cell right of a 矿井名称 label. `cells`:
    where a sheet's cells come from (the workbook open in Excel); default: the file."""
    from .template import README_INPUTS  # template -> jobs -> pipeline -> read: at call time

    grid = (cells or (lambda sheet: sheet_cells(path, sheet)))(schema.README)
    if grid is None:
        return ""
    address = README_INPUTS.get("mine")
    if address:
        from xlsxwriter.utility import xl_cell_to_rowcol

        r, c = xl_cell_to_rowcol(address)
        value = grid[r][c] if r < len(grid) and c < len(grid[r]) else ""
        return str(value).strip()
    for line in grid[:_README_SCAN_ROWS]:
        for c, v in enumerate(line):
            if isinstance(v, str) and squash(v).rstrip(":：") == _MINE_NAME_LABEL:
                rest = [str(x).strip() for x in line[c + 1:] if str(x).strip()]
                return rest[0] if rest else ""
    return ""
