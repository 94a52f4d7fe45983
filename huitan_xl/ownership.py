"""What the tool owns in a workbook, by a durable mark it writes itself (issue 18 §6, issue 12 §3).

THE MARK: hidden, sheet-scoped defined names in workbook.xml —
  _huitan.col.<key>    on an input sheet, refers to the header cell of a tool-owned column
                       (key: state / days / hint / due / notes / amount / quarter);
  _huitan.sheet.<key>  on a tool-owned sheet, refers to its A1 (key: overdue / findings / …).
Excel (and WPS) keep hidden names and move their references when columns are inserted or
sheets renamed, so the mark follows the column or sheet, whatever its header or name says.
A column or sheet is the tool's when the mark says so — never because of its header text or
its name alone. A column of hers headed 状态 is never written: the tool's column then gets
the header 状态（系统） (the mark finds it again). A sheet of hers named 考核扣分 is left
alone: the tool writes 考核扣分（系统）.

MIGRATION (workbooks written before the mark existed): for an owned column not yet marked,
a column headed exactly like that tool-owned column (or like its （系统） form) is taken
as the tool's when every value under it is one the tool writes there (legacy_owned:
states, 逾期天数 whole numbers, hints, dates, finding codes, amounts, quarters) and, for
状态 / 应答复日期 / 逾期天数 / 督办提示 and 奖励金额 / 奖励季度, when the whole group stands side
by side in the tool's order (BLOCKS: the tool has always written them so, the template has them
so; 状态 | 逾期天数 | 督办提示 is the block as versions before 应答复日期 wrote it — 应答复日期 is
then added as a new column at the far right and marked, nothing moves);
so the demo, the template and old registers keep working, and a 状态 column of hers —
holding 待解决, or still empty — stays hers. An unmarked sheet bearing a tool-owned name is the tool's when the workbook
has a 运行记录 written by the tool (its header row 运行时间 | 命令 …) — the previous version
ran there — or when it is the 运行记录 itself; otherwise it is hers. After one run
everything the tool owns is marked.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from lxml import etree

from . import columnmap, schema
from .a1 import cell, quote_sheet
from .convert import squash, text
from .model import Hint, TicketState

MARK_HEADER = "校验提示"  # tool-owned column on every input sheet (validate): what is wrong in the row
SYSTEM = "（系统）"  # the tool's header / sheet name when hers already bears the name

COLUMN_KEYS = {"状态": "state", "逾期天数": "days", "督办提示": "hint", "应答复日期": "due",
               MARK_HEADER: "notes", "奖励金额": "amount", "奖励季度": "quarter",
               "主题（自动）": "topic", "主题依据": "topic_basis", "重复反映": "recurring"}
SHEET_KEYS = {schema.FINDINGS_SHEET: "findings", schema.OVERDUE_SHEET: "overdue",
              schema.DEDUCTIONS_SHEET: "deductions", schema.REWARDS_SHEET: "rewards",
              schema.MONTHLY_SHEET: "monthly", schema.QUARTERLY_SHEET: "quarterly",
              schema.ANNUAL_SHEET: "annual", schema.COVERAGE_SHEET: "coverage",
              schema.OVERVIEW_SHEET: "overview", schema.RUN_LOG_SHEET: "runlog",
              columnmap.COLUMN_MAP_SHEET: "columnmap"}
_HEADER_OF_KEY = {v: k for k, v in COLUMN_KEYS.items()}
_SHEET_OF_KEY = {v: k for k, v in SHEET_KEYS.items()}
COLUMN_PREFIX, SHEET_PREFIX = "_huitan.col.", "_huitan.sheet."

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)$")


@dataclass
class Marks:
    columns: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> owned header -> Excel column
    sheets: dict[str, str] = field(default_factory=dict)  # tool sheet (canonical name) -> sheet as named now
    print_columns: dict[str, int] = field(default_factory=dict)  # sheet -> last Excel column of her print area
    structure_protected: bool = False  # 保护工作簿结构: no sheet can be added to this workbook

    def owned_sheet_names(self) -> set[str]:
        return set(self.sheets.values())


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def read_marks(path: Path | str) -> Marks:
    """The marks in a workbook file (empty when it has none or cannot be opened as a zip)."""
    try:
        from .xlsx import encryption

        plain = encryption.plaintext(path)
    except Exception:  # noqa: BLE001 - no encryption support: read the file itself
        plain = None
    try:
        import io

        with zipfile.ZipFile(io.BytesIO(plain) if plain is not None else path) as z:
            part = _workbook_part(z)
            root = etree.fromstring(z.read(part), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError):
        return Marks()
    return marks_from_root(root)


def marks_from_root(root) -> Marks:
    sheets = [el.get("name") for el in root.iter(_NS + "sheet")]
    marks = Marks()
    protection = root.find(_NS + "workbookProtection")
    marks.structure_protected = protection is not None and (
        protection.get("lockStructure") or "0").lower() in ("1", "true")
    for dn in root.iter(_NS + "definedName"):
        name, lsid = dn.get("name") or "", dn.get("localSheetId")
        if lsid is None or not lsid.isdigit() or int(lsid) >= len(sheets):
            continue
        add_mark(marks, sheets[int(lsid)], name, dn.text or "")
    return marks


def add_mark(marks: Marks, sheet: str, name: str, reference: str) -> None:
    """Take one sheet-scoped defined name (`sheet`: its scope) into `marks` when it is one
    of the tool's marks or her print area; any other name is ignored. The same step for
    names read from the file (marks_from_root) and from the workbook open in Excel
    (excel_live.live_marks)."""
    if name == PRINT_AREA:
        last = print_area_last_column(reference)
        if last:
            marks.print_columns[sheet] = last
        return
    m = _REF.match(reference.strip().lstrip("="))
    if name.startswith(COLUMN_PREFIX) and m and name[len(COLUMN_PREFIX):] in _HEADER_OF_KEY:
        marks.columns.setdefault(sheet, {})[_HEADER_OF_KEY[name[len(COLUMN_PREFIX):]]] = _col_number(m.group(3))
    elif name.startswith(SHEET_PREFIX) and name[len(SHEET_PREFIX):] in _SHEET_OF_KEY:
        marks.sheets.setdefault(_SHEET_OF_KEY[name[len(SHEET_PREFIX):]], sheet)


PRINT_AREA = "_xlnm.Print_Area"
_AREA_END = re.compile(r":\$?([A-Za-z]{1,3})(?:\$?\d+)?$")


def print_area_last_column(ref: str) -> int:
    """The right-most column of a print area ('台账'!$A$1:$O$20,'台账'!$A$30:$Q$40 -> 17, $A:$O -> 15);
    0 for rows only ($1:$20) or what cannot be read."""
    last = 0
    for part in ref.split(","):
        cell = part.rsplit("!", 1)[-1].strip()
        m = _AREA_END.search(cell) or re.fullmatch(r"\$?([A-Za-z]{1,3})\$?\d+", cell)
        if m:
            last = max(last, _col_number(m.group(1).upper()))
    return last


def _workbook_part(z: zipfile.ZipFile) -> str:
    try:
        rels = etree.fromstring(z.read("_rels/.rels"))
        for rel in rels:
            if (rel.get("Type") or "").endswith("/officeDocument"):
                return str(PurePosixPath(rel.get("Target").lstrip("/")))
    except KeyError:
        pass
    return "xl/workbook.xml"


# ---- columns -------------------------------------------------------------------------
_STATES = frozenset(TicketState)  # str members: "待答复" in _STATES
_HINTS = frozenset(Hint)
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")
_NOTE = re.compile(r"^[A-Z]\d\d")


def _tool_value(header: str, v: object) -> bool:
    if v == "" or v is None:
        return True
    if header == "状态":
        return v in _STATES
    if header == "督办提示":
        return v in _HINTS
    if header in ("逾期天数", "奖励金额"):
        return v.__class__ in (int, float) and float(v).is_integer()
    if header == "应答复日期":
        return v.__class__ in (date, datetime)
    if header == "奖励季度":
        return v.__class__ is str and bool(_QUARTER.match(v))
    if header == MARK_HEADER:
        return v.__class__ is str and bool(_NOTE.match(v))
    if header in schema.TOPIC_OWNED:  # free text the tool writes (issue 16): the name alone decides
        return True
    return False


def owned_headers(sheet: str) -> list[str]:
    return list(columnmap.OWNED.get(sheet, ())) + [MARK_HEADER]


def owned_like(header: list, sheet: str, skip: set[str] = frozenset()) -> bool:
    """Whether any header cell reads like a tool-owned column (or its （系统） form) whose
    mark (`skip`: the owned headers already marked) is not there."""
    keys = {columnmap.header_key(text(v)) for v in header if v != ""}
    return any(columnmap.header_key(h) in keys or columnmap.header_key(h + SYSTEM) in keys
               for h in owned_headers(sheet) if h not in skip)


# The owned columns the tool has always written side by side, in this order: an unmarked
# column headed like one of them is the tool's only inside this block (a lone 状态 of hers,
# empty or holding 待答复, stays hers).
BLOCKS = {schema.ITEMS: [schema.ITEM_OWNED, schema.LEGACY_ITEM_OWNED],
          schema.SUGGESTIONS: [schema.SUGGESTION_OWNED]}


def legacy_owned(header: list, sheet: str, data: list[list] | None = None) -> dict[int, str]:
    """Unmarked sheet: 0-based column -> owned header for each column headed like a
    tool-owned one (or its （系统） form) whose values are all values the tool writes; a
    header of a BLOCKS group counts only where the whole group stands side by side in order
    (状态 | 应答复日期 | 逾期天数 | 督办提示 as the tool writes them, or 状态 | 逾期天数 | 督办提示
    as versions before 应答复日期 wrote them)."""
    wanted = {}
    for h in owned_headers(sheet):
        wanted[columnmap.header_key(h)] = h
        wanted[columnmap.header_key(h + SYSTEM)] = h
    named = [wanted.get(columnmap.header_key(text(v))) for v in header]
    in_block: set[int] = set()
    grouped = {h for group in BLOCKS.get(sheet, ()) for h in group}
    for group in BLOCKS.get(sheet, ()):
        for j in range(len(named) - len(group) + 1):
            if named[j:j + len(group)] == list(group):
                in_block.update(range(j, j + len(group)))
    out: dict[int, str] = {}
    for j, h in enumerate(named):
        if h is None or h in out.values() or (h in grouped and j not in in_block):
            continue
        values = {row[j] if j < len(row) else "" for row in data} if data is not None else set()
        if all(_tool_value(h, x) for x in values):
            out[j] = h
    return out


def marked_owned(marks: Marks, sheet_name: str, header: list) -> dict[int, str] | None:
    """The owned columns the marks name on this sheet (0-based), or None when it has none."""
    cols = marks.columns.get(sheet_name)
    if not cols:
        return None
    return {c - 1: h for h, c in cols.items() if c >= 1}


def place(layout, headers: list[str]) -> list[tuple[int, str]]:
    """(Excel column, header text) for each owned header: the column the tool owns (by
    its mark, or recognised on first run), else a new column at the far right — headed
    H（系统） when a column of hers already bears the name H. A print area she set is hers:
    new columns go after it (and after her last used column), so it is never widened and
    the tool's columns never print inside it."""
    owned = getattr(layout, "owned", None) or {}
    taken = {squash(h) for h in layout.columns}
    next_col = max(layout.max_column, getattr(layout, "print_last_column", 0))
    out = []
    for h in headers:
        if h in owned:
            out.append((owned[h], _header_text(layout, owned[h], h)))
            continue
        next_col += 1
        out.append((next_col, h + SYSTEM if squash(h) in taken else h))
    return out


def _header_text(layout, col: int, h: str) -> str:
    written = getattr(layout, "owned_text", {}) or {}
    return written.get(h, h)


def column_mark(sheet: str, header: str, col: int, header_row: int) -> tuple[str, str, str]:
    """(sheet, defined name, reference) marking an owned column."""
    return sheet, COLUMN_PREFIX + COLUMN_KEYS[header], f"{quote_sheet(sheet)}!{cell(header_row, col, absolute=True)}"


def sheet_mark(sheet: str, canonical: str) -> tuple[str, str, str]:
    return sheet, SHEET_PREFIX + SHEET_KEYS[canonical], f"{quote_sheet(sheet)}!$A$1"


# ---- sheets ---------------------------------------------------------------------------
def sheet_target(canonical: str, sheet_names: list[str], marks: Marks, tool_ran_before: bool) -> str:
    """The sheet the tool writes `canonical` (逾期督办 …) into: the one its mark names; else
    the sheet of that name when it is the tool's (migration rule above); else a new name
    that no sheet bears (考核扣分（系统）, 考核扣分（系统2）…)."""
    marked = marks.sheets.get(canonical)
    if marked is not None and marked in sheet_names:
        return marked
    folded = {n.casefold() for n in sheet_names}
    owned_elsewhere = marks.owned_sheet_names()
    if canonical.casefold() not in folded:
        return canonical
    same = next(n for n in sheet_names if n.casefold() == canonical.casefold())
    if same not in owned_elsewhere and (tool_ran_before or canonical == schema.RUN_LOG_SHEET) and not marks.sheets:
        return same
    for i in range(1, 100):
        name = canonical + (SYSTEM if i == 1 else f"（系统{i}）")
        if name.casefold() not in folded:
            return name
        hit = next(n for n in sheet_names if n.casefold() == name.casefold())
        if marks.sheets.get(canonical) == hit:
            return hit
    raise ValueError(f"no free sheet name for {canonical}")
