"""One register sheet's table: header row, column map, rows, converted values (read.py).

The header row is found below title rows; columns are mapped by name (columnmap.py:
aliases, brackets, spaces and line breaks do not matter); blank rows and rows that are
not records are skipped (table_rows.py); vertical merges are spread. Values are
converted column by column with one converter per column, memoised per distinct value
(convert.py). A cell that cannot be read becomes a Finding naming sheet, row, her header
and the value, and an empty value; the rest of the row is still used. Dates without a
year are completed from the row or the title here (`_complete_dates`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from itertools import compress, repeat
from operator import eq, is_, itemgetter
from pathlib import Path
from typing import Callable

from . import columnmap, convert, ownership, schema, table_rows
from .convert import Bad, NoYear, Offset
from .errors import WorkbookUnusable
from .findings import Finding, did_you_mean, finding


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
    raw_cols = {attr: list(map(itemgetter(j), rows)) for attr, j in col_of.items()}
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
            bad_rows = [n for n, v in enumerate(out) if v.__class__ is Bad]
            timed = _time_cells([(table.rows[n], col + 1) for n in bad_rows if raw_col[n].__class__ is time],
                                formats)
            for n in bad_rows:
                bad = out[n]
                out[n] = convert.EMPTY[f.type]
                row = table.rows[n]
                if (row, col + 1) in timed:
                    bad = bad._replace(why=convert.TIME_WHY)
                found.append((row, col, _bad_finding(bad, sheet, row, head, raw_col[n], name_of(n),
                                                     f)))
        if f is key:
            keys = out
        if f.required:
            empty = convert.EMPTY[f.type]
            for n in compress(range(len(out)), map(eq, out, repeat(empty))):
                if convert.text(raw_col[n]) == "":
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


def _time_cells(cells: list[tuple[int, int]], formats: Callable[[list], set] | None) -> set:
    """Of the cells read as a time, those formatted as a time, not a date (she typed 8:30): a
    time in a date-formatted cell is a small number she typed (0.1 shows as 1900-01-00)."""
    if not cells or formats is None:
        return set()
    return set(cells) - formats(cells)


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
    no_year = {a: _where(values[a], NoYear) for a in dated}  # few: most dates are complete
    if formats is not None:
        asked = [(table.rows[n], col_of[a] + 1) for a in dated for n in no_year[a]
                 if raw_cols[a][n].__class__ is str]
        in_date_cells = formats(asked) if asked else set()
        for attr in dated:
            col, j = values[attr], col_of[attr] + 1
            for n in no_year[attr]:
                v = col[n]
                if (table.rows[n], j) in in_date_cells:
                    col[n] = None
                    ref = next((values[a][n] for a in refs if values[a][n].__class__ is date), None)
                    guess = _nearest(v, ref) if ref is not None else None
                    bad = Bad("R01", why=_text_in_date_cell(v, guess.year if guess else table.info.title_year))
                    found.append((table.rows[n], j - 1, _bad_finding(
                        bad, table.sheet, table.rows[n], table.headers[attr], raw_cols[attr][n], name_of(n),
                        by_attr[attr])))
    if "deadline" in values and _where(values["deadline"], Offset):
        values["deadline_offset"] = [v if v.__class__ is Offset else None for v in values["deadline"]]
        values["deadline"] = [None if v.__class__ is Offset else v for v in values["deadline"]]
    for attr in dated:
        col = values[attr]
        for n in no_year[attr]:
            v = col[n]
            if v.__class__ is not NoYear:  # an R01 above
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


def _where(col: list, cls: type) -> list[int]:
    """The indexes of the values of class `cls` in `col` (one C-level pass)."""
    return list(compress(range(len(col)), map(is_, map(type, col), repeat(cls))))


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
            if set(map(type, col)) == {str}:  # all text (ids, contents): str.strip in one C-level pass
                return list(map(str.strip, col)), False
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
    number = convert.typed_number(value) if bad.why == convert.SMALL_NUMBER_WHY else None
    if number is not None:  # what she typed (0.1), not the reader's 02:24:00 / 1900-01-01
        value = int(number) if number.is_integer() else number
    elif bad.why == convert.TIME_WHY:
        value = value.strftime("%H:%M:%S" if value.second else "%H:%M")
    shown = convert.text(value)
    hint = did_you_mean(shown, bad.choices) if bad.code in ("R03", "R04") else ""
    value = value.strip() if value.__class__ is str else value
    return finding(bad.code, sheet, row, head, value,
                   f"{who}「{head}」写的是“{shown}”，{what}。{hint}".rstrip())
