"""Workbook -> Registers (records + findings). The only module that parses input.

One bulk python-calamine read per sheet (`to_python(skip_empty_area=False)`, so a
list index is the Excel row / column minus one, wherever the table starts). The
header row is found below title rows; columns are mapped by name (aliases,
brackets, spaces and line breaks do not matter). Values are converted column by
column with one converter per column, memoised per distinct value (convert.py).
A cell that cannot be read becomes a Finding and an empty value; the rest of the
row is still used.
"""
from __future__ import annotations

import dataclasses
from datetime import date
import gc
import io
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Callable

from python_calamine import CalamineError, CalamineWorkbook

from . import cell_formats, columnmap, convert, ownership, schema, settings as settings_mod, table_rows
from .xlsx import encryption, file_check
from .convert import Bad, NoYear, Offset, squash
from .xlsx.save import read_with_fingerprint
from .errors import WorkbookUnusable
from .findings import WARNING, Finding, did_you_mean, finding
from .model import (Attendance, DayOverride, Department, Item, Level, ManualEvent, Person,
                    Registers, ReportSubmission, Session, SheetLayout, Src, Suggestion, TopicRule)

HEADER_SCAN_ROWS = 15  # non-blank rows searched for the header row
RUN_LOG_HEADER = "时间"  # the run log's first header ends with it (运行时间)

# tool-owned columns kept in SheetLayout.columns under their canonical names
OWNED_COLUMNS = {schema.ITEMS: schema.ITEM_OWNED + schema.TOPIC_OWNED, schema.SUGGESTIONS: schema.SUGGESTION_OWNED}


@dataclass
class Table:
    """One input sheet's table after conversion, before records are built."""

    sheet: str  # the sheet name as it stands in the workbook
    header_row: int  # Excel row (1-based)
    columns: dict[str, int]  # layout: canonical header / header as written -> Excel column
    headers: dict[str, str]  # field attr -> header text as written
    values: dict[str, list]  # field attr -> converted values, one per data row
    rows: list[int]  # Excel rows of the data rows (blank rows skipped)
    max_column: int
    max_row: int
    findings: list[Finding] = field(default_factory=list)
    info: table_rows.SheetInfo | None = None
    owned: dict[str, int] = field(default_factory=dict)  # tool-owned header -> Excel column
    owned_text: dict[str, str] = field(default_factory=dict)  # tool-owned header -> its text (状态（系统）)


# ---- entry point -------------------------------------------------------------
def read_workbook(path: Path, sheets: list[str] | None = None,
                  required: list[str] | tuple = (), strict: list[str] | tuple = ()) -> Registers:
    """Read the register sheets (all, or only `sheets`). Calls
    file_check.check_usable first. A sheet in `required` that is missing, or
    missing a schema.REQUIRED_COLUMNS column, raises WorkbookUnusable; other missing
    sheets are silently empty (the job decides whether to warn). 规则配置 is always
    read (regs.settings is always a Settings)."""
    file_check.check_usable(path)
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

    def grid(name: str) -> list[list]:
        sheet = _sheet(wb, name, path)
        merges[name] = sheet.merged_cell_ranges or []
        try:
            return sheet.to_python(skip_empty_area=False)
        except CalamineError as exc:
            raise WorkbookUnusable(f"无法读取工作簿「{path}」的工作表「{name}」：{exc}") from exc

    def head(name: str) -> list[list]:
        try:
            return _sheet(wb, name, path).to_python(skip_empty_area=False, nrows=HEAD_ROWS)
        except CalamineError:
            return []

    with wb:
        regs = _read_grids(str(path), list(wb.sheet_names), grid, sheets, required,
                           head_of=head, merges_of=lambda name: merges.get(name, []), strict=strict,
                           from_file=True, dated_of=lambda name, cells: cell_formats.date_formatted(
                               encryption.plaintext(path) or path, name, cells))
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


def read_values(grids: dict[str, list[list]], label: str, sheets: list[str] | None = None,
                required: list[str] | tuple = ()) -> Registers:
    """The same reading from values already in memory — e.g. one bulk `.value` read per
    sheet of the workbook open in Excel (excel.py). `grids` maps each sheet name, in
    workbook order, to its cells from A1 (None or '' for an empty cell)."""
    def grid(name: str) -> list[list]:
        return [["" if v is None else v for v in row] for row in grids[name]]

    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _read_grids(label, list(grids), grid, sheets, required)
    finally:
        if gc_was_on:
            gc.enable()


def _read_grids(path, sheet_names: list[str], grid_of: Callable[[str], list[list]],
                sheets: list[str] | None, required: list[str] | tuple,
                head_of: Callable[[str], list[list]] | None = None,
                merges_of: Callable[[str], list] | None = None,
                strict: list[str] | tuple = (), from_file: bool = False,
                dated_of: Callable[[str, list], set] | None = None) -> Registers:
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

    marks = ownership.read_marks(path) if from_file else ownership.Marks()
    regs.marks = marks
    map_name = actual.get(squash(columnmap.COLUMN_MAP_SHEET))
    cmap = columnmap.parse_column_map(grid_of(map_name)) if map_name else columnmap.ColumnMap()
    located, how = columnmap.locate(sheet_names, head, cmap, marks.owned_sheet_names())
    regs.located = dict(located)
    regs.located_by = dict(how)
    for sheet in required:
        if sheet not in located:
            raise WorkbookUnusable(_missing_sheet(path, sheet, sheet_names, head))
    for sheet, fields in schema.SHEETS.items():
        name = located.get(sheet)
        if sheet not in wanted or name is None:
            continue
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
    log_name = ownership.sheet_target(schema.RUN_LOG_SHEET, sheet_names, marks, True)
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


def _missing_sheet(path, sheet: str, sheet_names: list[str], head) -> str:
    """No sheet holds `sheet`: say which sheets there are and what their headers are."""
    shown = []
    for name in sheet_names[:8]:
        rows = [r for r in head(name) if not _is_blank(r)][:1]
        cells = [convert.text(v) for v in rows[0] if convert.text(v)][:8] if rows else []
        shown.append(f"「{name}」（{'、'.join(cells) or '空'}）")
    return (f"工作簿「{path}」中找不到{sheet}：没有名为「{sheet}」的工作表，也没有哪张表的表头像{sheet}"
            f"（需有「{'」「'.join(f.header for f in schema.SHEETS[sheet] if f.key)}」等列）。"
            f"现有工作表：{'；'.join(shown)}。请把{sheet}所在的工作表和列在「{columnmap.COLUMN_MAP_SHEET}」表中指定"
            f"（运行 huitan init 生成），或用 huitan init 生成的模板。")


# ---- header ----------------------------------------------------------------
def _is_blank(row: list) -> bool:
    for v in row:
        if v.__class__ is not str or (v and not v.isspace()):
            return False
    return True


header_key = columnmap.header_key
_strip_note = columnmap.strip_note


# ---- table -----------------------------------------------------------------
def read_table(grid: list[list], sheet: str, canonical_sheet: str, fields: list[schema.Field],
               required_in: Path | None = None, merges=(), overrides: dict | None = None,
               owned_cols: dict[int, str] | None = None,
               formats: Callable[[list], set] | None = None) -> Table:
    """Find the header, map the columns (columnmap.py), skip blank rows and rows that are
    not records (table_rows.py), spread vertical merges and convert every mapped column.
    `required_in` (the workbook path) makes a missing header or required column a
    WorkbookUnusable instead of an R10 warning."""
    width = max((len(r) for r in grid), default=0)
    table = Table(sheet, 0, {}, {}, {}, [], width, len(grid))
    table.info = table_rows.SheetInfo(sheet)
    must = schema.REQUIRED_COLUMNS.get(canonical_sheet) or [f.header for f in fields if f.key]
    h, _n = columnmap.find_header(grid, canonical_sheet)
    if h is None:
        if required_in is not None:
            raise WorkbookUnusable(
                f"工作簿「{required_in}」的工作表「{sheet}」找不到表头行（缺少「{'、'.join(must)}」列），"
                f"请在表格上方写好列名后再运行。")
        table.findings.append(finding(
            "R10", sheet, None, "", "",
            f"工作表「{sheet}」找不到表头行，未读取其中的数据；请在数据上方加一行列名"
            f"（如「{'」「'.join(f.header for f in fields[:3])}」）。"))
        return table
    header = grid[h]
    table_rows.spread_merges(grid, merges, h)
    key_field = next((f for f in fields if f.key), None)
    marked = dict(owned_cols or {})
    if ownership.owned_like(header, canonical_sheet, skip=set(marked.values())):
        # an owned column without its mark: the migration rule looks at the values of the records
        prelim = columnmap.map_columns(header, canonical_sheet, marked, overrides)
        rows_now = [i for i in range(h + 1, len(grid)) if not _is_blank(grid[i])]
        kept, _ = table_rows.classify(grid, rows_now, prelim.col_of.get(key_field.attr) if key_field else None)
        legacy = ownership.legacy_owned(header, canonical_sheet, [grid[i] for i in kept])
        owned_cols = {**{j: n for j, n in legacy.items() if j not in marked and n not in marked.values()},
                      **marked}
    m = columnmap.map_columns(header, canonical_sheet, owned_cols, overrides)
    table.owned = {name: j + 1 for j, name in (owned_cols or {}).items()}
    table.owned_text = {name: convert.text(header[j]) if j < len(header) else name
                        for j, name in (owned_cols or {}).items()}
    col_of, written = m.col_of, m.written
    table.header_row, table.columns, table.headers = h + 1, m.layout, written
    table.info.header_row, table.info.unmapped = h + 1, m.unmapped + m.ignored
    table.info.mapped = {f.header: written[f.attr] for f in fields if f.attr in written}
    table.info.title_year = table_rows.title_year(grid, h)
    missing = [f.header for f in fields if f.attr not in col_of]
    for f in fields:
        if f.attr in col_of:
            continue
        if required_in is not None and f.header in must:
            raise WorkbookUnusable(_missing_column(required_in, sheet, h, header, canonical_sheet, [f.header],
                                                   unmapped=m.unmapped))
        if f.required:
            lost = "，该表的数据未读取" if f.key else ""
            table.findings.append(finding(
                "R10", sheet, h + 1, f.header, "",
                f"工作表「{sheet}」的表头（第{h + 1}行）缺少必填列「{f.header}」{lost}；请加上这一列。"))
            if f.key:
                return table
    if required_in is not None and canonical_sheet == schema.ITEMS and {"assigned", "deadline"} & set(col_of) == set():
        raise WorkbookUnusable(_missing_column(required_in, sheet, h, header, canonical_sheet, ["交办日期", "答复时限"],
                                               both=True, unmapped=m.unmapped))
    data = [i for i in range(h + 1, len(grid)) if not _is_blank(grid[i])]
    data, table.info.skipped = table_rows.classify(grid, data, col_of.get(key_field.attr) if key_field else None)
    table.rows = [i + 1 for i in data]
    del missing
    if not data:
        return table
    rows = [grid[i] for i in data]
    by_attr = {f.attr: f for f in fields}
    key = next((f for f in fields if f.key and f.attr in col_of), None)
    raw_cols = {attr: [r[j] for r in rows] for attr, j in col_of.items()}
    order = sorted(raw_cols, key=lambda a: key is None or a != key.attr)  # the key first:
    keys: list = []  # every finding names its record by the key

    def name_of(n: int) -> str:
        k = keys[n] if keys else ""
        if k.__class__ is tuple:
            k = "、".join(k)
        return f"{key.header} {convert.text(k)} 的" if k else f"第{table.rows[n]}行的"

    found: list[tuple[int, int, Finding]] = []
    for attr in order:
        f, raw_col = by_attr[attr], raw_cols[attr]
        out, any_bad = _convert(raw_col, convert.converter(f))
        table.values[attr] = out
        col, head = col_of[attr], written[attr]
        if any_bad:
            for n in [n for n, v in enumerate(out) if v.__class__ is Bad]:
                bad = out[n]
                out[n] = convert.EMPTY[f.type]
                row = table.rows[n]
                found.append((row, col, _bad_finding(bad, sheet, row, head, raw_col[n], name_of(n),
                                                     f)))
        if f is key:
            keys = out
        if f.required:
            empty = convert.EMPTY[f.type]
            for n, v in enumerate(out):
                if v == empty and convert.text(raw_col[n]) == "":
                    row = table.rows[n]
                    found.append((row, col, finding(
                        "R05", sheet, row, head, "",
                        f"{name_of(n)}「{head}」是必填项，现在为空；请填写。")))
    dated = [a for a in order if by_attr[a].type in ("date", "deadline")]
    if dated:
        _complete_dates(table, dated, by_attr, raw_cols, col_of, found, name_of, formats)
    found.sort(key=lambda t: (t[0], t[1]))
    table.findings += [f for _r, _c, f in found]
    return table


_REFERENCE_ORDER = ("talk_date", "date", "assigned", "replied", "deadline")


def _text_in_date_cell(md: NoYear, year: int | None) -> str:
    meant = f"；若是 {year}年{md.month}月{md.day}日，请重新输入 {year}-{md.month}-{md.day}" if year else (
        "；请重新输入带年份的完整日期，如 2026-3-5")
    return ("是文字，不是日期：单元格设置为日期格式，Excel 却没有把它当作日期（没有年份，也可能是输入有误）"
            + meant)


def _complete_dates(table: Table, dated: list[str], by_attr: dict, raw_cols: dict, col_of: dict,
                    found: list, name_of, formats: Callable[[list], set] | None = None) -> None:
    """NoYear -> a date in the year nearest to another date of the row (its talk's date
    first), else the title's year, else an R01 saying the year is missing; an Offset
    (5个工作日) in 答复时限 moves to `deadline_offset` for the ticket rules. A NoYear typed as
    text into a date-formatted cell (`formats` says which) is an R01, never completed."""
    values = table.values
    refs = [a for a in _REFERENCE_ORDER if a in values] + [a for a in dated if a not in _REFERENCE_ORDER]
    if formats is not None:
        asked = [(table.rows[n], col_of[a] + 1) for a in dated for n, v in enumerate(values[a])
                 if v.__class__ is NoYear and raw_cols[a][n].__class__ is str]
        in_date_cells = formats(asked) if asked else set()
        for attr in dated:
            col, j = values[attr], col_of[attr] + 1
            for n, v in enumerate(col):
                if v.__class__ is NoYear and (table.rows[n], j) in in_date_cells:
                    col[n] = None
                    ref = next((values[a][n] for a in refs if values[a][n].__class__ is date), None)
                    guess = _nearest(v, ref) if ref is not None else None
                    bad = Bad("R01", why=_text_in_date_cell(v, guess.year if guess else table.info.title_year))
                    found.append((table.rows[n], j - 1, _bad_finding(
                        bad, table.sheet, table.rows[n], table.headers[attr], raw_cols[attr][n], name_of(n),
                        by_attr[attr])))
    if "deadline" in values and any(v.__class__ is Offset for v in values["deadline"]):
        values["deadline_offset"] = [v if v.__class__ is Offset else None for v in values["deadline"]]
        values["deadline"] = [None if v.__class__ is Offset else v for v in values["deadline"]]
    for attr in dated:
        col = values[attr]
        for n, v in enumerate(col):
            if v.__class__ is not NoYear:
                continue
            ref = next((values[a][n] for a in refs if values[a][n].__class__ is date), None)
            d = _nearest(v, ref) if ref is not None else (
                _in_year(v, table.info.title_year) if table.info.title_year else None)
            if d is None:
                col[n] = None
                row, head = table.rows[n], table.headers[attr]
                bad = Bad("R01", why="没有年份，本行其他日期和表格标题中也找不到年份；请写成 2026-9-10 这样的完整日期")
                found.append((row, col_of[attr], _bad_finding(bad, table.sheet, row, head, raw_cols[attr][n],
                                                              name_of(n), by_attr[attr])))
            else:
                col[n] = d


def _in_year(md: NoYear, year: int) -> date | None:
    try:
        return date(year, md.month, md.day)
    except ValueError:
        return None


def _nearest(md: NoYear, ref: date) -> date | None:
    options = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _in_year(md, y)) is not None]
    return min(options, key=lambda d: abs((d - ref).days)) if options else None


def _missing_column(path, sheet: str, h: int, header: list, canonical_sheet: str, names: list[str],
                    both: bool = False, unmapped: list[str] | None = None) -> str:
    """«未找到「交办日期」列——「交办时间」是不是？可在「列名对照」表中指定»"""
    found = [convert.text(v) for v in header if convert.text(v)]
    hints = columnmap.near_misses(found if unmapped is None else unmapped, canonical_sheet, names)
    what = "、".join(f"「{n}」" for n in names)
    msg = (f"工作簿「{path}」的工作表「{sheet}」未找到{what}{'中的任何一' if both else ''}列"
           f"（表头在第{h + 1}行：{'、'.join(found[:20])}）。")
    for name, cands in hints.items():
        msg += f"「{name}」——{'、'.join(f'「{c}」' for c in cands)}是不是？"
    if both:
        msg += "没有交办日期和答复时限就无法判断逾期，本次未写入任何状态。"
    return msg + f"可在「{columnmap.COLUMN_MAP_SHEET}」表中指定（运行 huitan init 生成），然后重新运行。工作簿未改动。"


def _convert(col: list, conv: Callable[[object], object]) -> tuple[list, bool]:
    """One converter over a column: inline for text, memoised per distinct value
    otherwise. Returns (values, whether any is Bad)."""
    if conv is convert.text:
        text = convert.text
        head = col[:1000]
        uniq = set(head) if len(set(head)) * 4 <= len(head) else None
        if uniq is not None:
            uniq.update(col)
        if uniq is None or (True in uniq or False in uniq) and any(v.__class__ is bool for v in uniq):
            return [v.strip() if v.__class__ is str else text(v) for v in col], False
        # few distinct texts (names, departments, categories): one string object per text,
        # not one per cell, in the records that stay in memory
        memo = {v: v.strip() if v.__class__ is str else text(v) for v in uniq}
        return list(map(memo.__getitem__, col)), False
    uniq = set(col)
    if (True in uniq or False in uniq) and any(v.__class__ is bool for v in uniq):
        out = [conv(v) for v in col]  # a set holds True or 1.0, not both: no memo here
        return out, any(v.__class__ is Bad for v in out)
    memo = {v: conv(v) for v in uniq}
    return list(map(memo.__getitem__, col)), any(v.__class__ is Bad for v in memo.values())


_WHAT = {
    "R01": "不是有效日期，请按 2026-3-5 的格式填写",
    "R02": "无法识别，请填写“是”或“否”",
    "R03": "不是八个层级之一，请填写层级名称或代码（如 班组长 或 L4）",
    "R04": "不在可选范围内（{choices}），请从中选择",
    "R06": "不是整数，请填写整数（如 1000，不带小数）",
    "R11": "不是可识别的季度，请按 2026Q3 或 2026年第三季度 的格式填写",
}
_MONTH_WHAT = "不是有效月份，请按 2026-10 的格式填写"


def _bad_finding(bad: Bad, sheet: str, row: int, head: str, value: object, who: str,
                 f: schema.Field) -> Finding:
    what = bad.why or (_MONTH_WHAT if f.type == "month" else _WHAT[bad.code].format(choices="、".join(bad.choices)))
    shown = convert.text(value)
    hint = did_you_mean(shown, bad.choices) if bad.code in ("R03", "R04") else ""
    value = value.strip() if value.__class__ is str else value
    return finding(bad.code, sheet, row, head, value,
                   f"{who}「{head}」写的是“{shown}”，{what}。{hint}".rstrip())


# ---- records -----------------------------------------------------------------
def _column(t: Table, attr: str, ftype: str) -> object:
    return t.values[attr] if attr in t.values else repeat(convert.EMPTY[ftype], len(t.rows))


def _records(cls, t: Table, fields: list[schema.Field], **override) -> list:
    """Build cls(...) for every data row, column-wise, with src=(sheet, Excel row)."""
    types = {f.attr: f.type for f in fields}
    sheet = t.sheet
    cols = [[Src(sheet, r) for r in t.rows] if a == "src" else
            override[a] if a in override else _column(t, a, types.get(a, "str"))
            for a in (fl.name for fl in dataclasses.fields(cls))]
    return list(map(cls, *cols))


def _layout(regs: Registers, canonical_sheet: str, t: Table, records: list) -> None:
    regs.layouts[canonical_sheet] = SheetLayout(
        t.sheet, t.header_row, dict(t.columns), t.max_column, t.max_row,
        tuple(r.src.row for r in records), dict(t.owned), dict(t.owned_text),
        {f.header: t.headers[f.attr] for f in schema.SHEETS[canonical_sheet] if f.attr in t.headers},
        regs.marks.print_columns.get(t.sheet, 0) if regs.marks is not None else 0)


def _build_levels(regs: Registers, t: Table) -> None:
    fields = schema.SHEETS[schema.LEVELS]
    named = _column(t, "name", "level")
    written = [convert.to_level(c) for c in _column(t, "code", "str")]
    codes = [n or (w if w.__class__ is str else None) for n, w in zip(named, written)]
    recs = _records(Level, t, fields, code=codes,
                    name=[convert.LEVEL_NAME.get(c, "") for c in codes])
    regs.levels = [r for r in recs if r.code]
    _layout(regs, schema.LEVELS, t, regs.levels)


def _simple(sheet: str, cls, attr: str, **overrides: Callable[[Table], list]):
    def build(regs: Registers, t: Table) -> None:
        recs = _records(cls, t, schema.SHEETS[sheet], **{a: fn(t) for a, fn in overrides.items()})
        setattr(regs, attr, recs)
        _layout(regs, sheet, t, recs)
    return build


def _is_true(t: Table, attr: str) -> list[bool]:
    return [v is True for v in _column(t, attr, "yesno")]


def _build_persons(regs: Registers, t: Table) -> None:
    _simple(schema.ROSTER, Person, "persons",
            violator=lambda t: _is_true(t, "violator"),
            new_graduate=lambda t: _is_true(t, "new_graduate"),
            active=lambda t: [v != "离职" for v in _column(t, "active", "enum")])(regs, t)


_REASONABLE = {"合理": True, "不合理": False}


def _build_holidays(regs: Registers, t: Table) -> None:
    recs = _records(DayOverride, t, schema.SHEETS[schema.HOLIDAYS])
    regs.day_overrides = [r for r in recs if r.date is not None and r.kind]
    _layout(regs, schema.HOLIDAYS, t, regs.day_overrides)


def _build_topics(regs: Registers, t: Table) -> None:
    recs = _records(TopicRule, t, schema.SHEETS[schema.TOPICS])
    regs.topic_rules = [r for r in recs if r.topic]
    _layout(regs, schema.TOPICS, t, regs.topic_rules)


def _build_settings(regs: Registers, t: Table) -> None:
    regs.settings, found = parse_settings(t)
    regs.findings += found
    regs.layouts[schema.SETTINGS] = SheetLayout(t.sheet, t.header_row, dict(t.columns),
                                                t.max_column, t.max_row, tuple(t.rows))


_BUILDERS: dict[str, Callable[[Registers, Table], None]] = {
    schema.LEVELS: _build_levels,
    schema.DEPARTMENTS: _simple(schema.DEPARTMENTS, Department, "departments"),
    schema.ROSTER: _build_persons,
    schema.SESSIONS: _simple(schema.SESSIONS, Session, "sessions"),
    schema.ATTENDANCE: _simple(schema.ATTENDANCE, Attendance, "attendances"),
    schema.ITEMS: _simple(schema.ITEMS, Item, "items", on_the_spot=lambda t: _is_true(t, "on_the_spot"),
                          deadline_offset=lambda t: t.values.get("deadline_offset") or repeat(None, len(t.rows))),
    schema.SUGGESTIONS: _simple(schema.SUGGESTIONS, Suggestion, "suggestions", reasonable=lambda t: [
        _REASONABLE.get(v) for v in _column(t, "reasonable", "enum")]),
    schema.REPORTS: _simple(schema.REPORTS, ReportSubmission, "reports"),
    schema.MANUAL: _simple(schema.MANUAL, ManualEvent, "manual_events"),
    schema.SETTINGS: _build_settings,
    schema.HOLIDAYS: _build_holidays,
    schema.TOPICS: _build_topics,
}


# ---- 规则配置 -----------------------------------------------------------------
def _parameter_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for name in settings_mod.BY_NAME:
        keys[squash(name)] = name
    for name in settings_mod.BY_NAME:  # also without the bracketed unit, when unique
        keys.setdefault(_strip_note(squash(name)), name)
    return keys


_PARAMETER_KEYS = _parameter_keys()


def parse_settings(t: Table) -> tuple[settings_mod.Settings, list[Finding]]:
    """Rows 参数 | 值 -> Settings. Unknown parameter: R04 warning; unreadable value:
    R06 (R01 for a date) and the default kept; blank value: the default."""
    values: dict[str, object] = {}
    found: list[Finding] = []
    names = t.values.get("name", [])
    vals = t.values.get("value", [""] * len(names))
    name_head = t.headers.get("name", "参数")
    value_head = t.headers.get("value", "值")
    for row, name, value in zip(t.rows, names, vals):
        if not name:
            continue
        param = _PARAMETER_KEYS.get(squash(name))
        if param is None:
            found.append(finding(
                "R04", t.sheet, row, name_head, name,
                f"参数 {name} 不是可识别的规则参数，已忽略；请核对参数名称。"
                f"{did_you_mean(name, settings_mod.BY_NAME)}".rstrip(), severity=WARNING))
            continue
        attr, default = settings_mod.BY_NAME[param].attr, settings_mod.BY_NAME[param].default
        if value is None or convert.text(value) == "":
            continue
        if isinstance(default, int) and not isinstance(default, bool):
            v, code, what = convert.to_int(value), "R06", f"不是整数，已按默认值 {default} 计算；请填写整数"
        elif default is None:
            v, code, what = convert.to_date(value), "R01", "不是有效日期，已按默认处理；请按 2026-3-5 的格式填写"
        else:
            v, code, what = convert.text(value), "", ""
        if v.__class__ is Bad:
            found.append(finding(code, t.sheet, row, value_head, value,
                                 f"参数 {param} 的「{value_head}」写的是“{convert.text(value)}”，{what}。"))
            continue
        lo, hi = settings_mod.RANGES.get(attr, (None, None))
        if lo is not None and isinstance(v, int) and not lo <= v <= hi:
            found.append(finding("R04", t.sheet, row, value_head, value,
                                 f"参数 {param} 的「{value_head}」写的是“{convert.text(value)}”，超出合理范围 "
                                 f"{lo}–{hi}，已按默认值 {default} 计算；请填写该范围内的整数。"))
            continue
        values[attr] = v
    return settings_mod.Settings(**values), found


# ---- 运行记录 -----------------------------------------------------------------
def read_run_log(grid: list[list]) -> list[list]:
    """The tool-owned run log's data rows, header excluded: the header row is the
    one whose cell reads 时间 (or 运行时间); rows are taken from that column on."""
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        for j, v in enumerate(row):
            if v.__class__ is str and len(v) <= 8 and squash(v).endswith(RUN_LOG_HEADER):
                end = max(k for k, h in enumerate(row) if convert.text(h)) + 1
                return [list(r[j:end]) for r in grid[i + 1:] if not _is_blank(r)]
    return []
