"""Which sheet holds each register, which of its headers is which field (SPEC §9).

The same code serves `huitan init` (which proposes the map, prints it and records it in
the 列名对照 sheet) and every job (which reads through 列名对照 when it exists, and
otherwise finds the same sheets and columns the same way):

  * headers are compared by `stem`: squashed (convert.squash), a bracketed note dropped,
    and the interchangeable endings of schema.HEADER_ENDINGS unified (交办时间 = 交办日期);
  * a field takes the column named by its canonical header first, then by its aliases
    in the order schema lists them (诉求编号 before 序号);
  * a register's sheet is the one 列名对照 names, else the one with its name (or one of
    schema.SHEET_ALIASES), else the sheet whose header row names the most of its fields
    (at least MIN_FIELDS, the key among them).

Nothing here is fuzzy: a near miss (difflib) is only ever shown as a proposal.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import schema
from .convert import squash, text

HEADER_SCAN_ROWS = 15  # non-blank rows searched for the header row
MIN_FIELDS = 3  # a sheet found by its headers names at least this many fields of the register
COLUMN_MAP_SHEET = "列名对照"
COLUMN_MAP_HEADERS = ["台账", "工作表", "原列名", "对应字段", "说明"]
IGNORE = "（不读取）"  # 对应字段 value: leave this column alone

# registers looked for by their headers when no sheet bears their name (the others are
# the tool's own parameter sheets, or too small to be told apart by headers)
DISCOVERABLE = [schema.ITEMS, schema.ROSTER, schema.SESSIONS, schema.ATTENDANCE, schema.SUGGESTIONS,
                schema.REPORTS]


def header_key(value: str) -> str:
    """Comparable header text: squashed, a header wrapped whole in brackets (【专业类别】)
    unwrapped."""
    k = squash(value)
    if len(k) > 2 and (k[0], k[-1]) in (("[", "]"), ("(", ")")):
        k = k[1:-1]
    return k


def strip_note(key: str) -> str:
    """`答复时限(工作日)` -> `答复时限`: a trailing bracketed note."""
    for open_, close in (("(", ")"), ("[", "]")):
        if key.endswith(close) and open_ in key and not key.startswith(open_):
            return key[:key.rindex(open_)]
    return key


def stem(key: str) -> str:
    """A squashed header with its interchangeable ending unified (schema.HEADER_ENDINGS)."""
    for ending, to in schema.HEADER_ENDINGS:
        if key.endswith(ending):
            return key[: len(key) - len(ending)] + to
    return key


def stems_of(value: str) -> tuple[str, ...]:
    """The stems a header cell is looked up by: as written, then without its bracketed note."""
    k = header_key(value)
    if not k:
        return ()
    s1 = stem(k)
    s2 = stem(strip_note(k))
    return (s1,) if s1 == s2 else (s1, s2)


@dataclass(frozen=True)
class Lookup:
    """stem -> (field, priority): 0 for the canonical header, 1.. for the aliases in order.
    `owned` maps the stems of tool-owned headers to the header."""

    fields: dict[str, tuple[schema.Field, int]]
    owned: dict[str, str]


_LOOKUPS: dict[str, Lookup] = {}


def lookup(sheet: str) -> Lookup:
    found = _LOOKUPS.get(sheet)
    if found is None:
        table: dict[str, tuple[schema.Field, int]] = {}
        for f in schema.SHEETS[sheet]:
            for i, name in enumerate((f.header, *f.aliases)):
                s = stem(header_key(name))
                if s not in table or table[s][1] > i:
                    table.setdefault(s, (f, i))
        owned = {stem(header_key(h)): h for h in OWNED.get(sheet, ())}
        found = _LOOKUPS[sheet] = Lookup(table, owned)
    return found


OWNED: dict[str, list[str]] = {schema.ITEMS: schema.ITEM_OWNED + schema.TOPIC_OWNED,
                              schema.SUGGESTIONS: schema.SUGGESTION_OWNED}


def _is_blank(row: list) -> bool:
    for v in row:
        if v.__class__ is not str or (v and not v.isspace()):
            return False
    return True


def _row_fields(row: list, lk: Lookup) -> set[str]:
    hits = set()
    for v in row:
        if v.__class__ is str and v:
            for s in stems_of(v):
                hit = lk.fields.get(s)
                if hit is not None:
                    hits.add(hit[0].attr)
                    break
    return hits


def find_header(grid: list[list], sheet: str) -> tuple[int | None, int]:
    """(0-based index of the header row, number of fields it names): the row among the
    first non-blank ones naming the most fields of `sheet`; (None, 0) if none names any."""
    lk = lookup(sheet)
    best, best_count, seen = None, 0, 0
    for i, row in enumerate(grid):
        if _is_blank(row):
            continue
        seen += 1
        if seen > HEADER_SCAN_ROWS:
            break
        count = len(_row_fields(row, lk))
        if count > best_count:
            best, best_count = i, count
    return best, best_count


@dataclass
class Mapping:
    """One sheet's header row mapped to fields."""

    col_of: dict[str, int]  # attr -> 0-based column
    written: dict[str, str]  # attr -> header text as written
    layout: dict[str, int]  # canonical header (mapped / owned) or as-written header -> Excel column
    unmapped: list[str]  # her headers no field took (left alone)
    ignored: list[str] = field(default_factory=list)  # her headers 列名对照 says not to read
    by_map: set[str] = field(default_factory=set)  # attrs set by 列名对照


def map_columns(header: list, sheet: str, owned_cols: dict[int, str] | None = None,
                overrides: dict[str, str | None] | None = None) -> Mapping:
    """Header cells -> Mapping. `owned_cols` (0-based column -> owned header) are the
    tool's columns (ownership.py decides which); `overrides` (header_key of her header ->
    canonical header, or None = leave alone) come from 列名对照 and win."""
    lk = lookup(sheet)
    by_header = {f.header: f for f in schema.SHEETS[sheet]}
    owned_cols = dict(owned_cols or {})
    overrides = overrides or {}
    texts = [text(v) for v in header]
    col_of: dict[str, int] = {}
    written: dict[str, str] = {}
    named: dict[int, str] = dict(owned_cols)
    ignored: list[str] = []
    by_map: set[str] = set()

    def take(j: int, f: schema.Field) -> None:
        col_of[f.attr] = j
        written[f.attr] = texts[j]
        named[j] = f.header

    for j, h in owned_cols.items():  # an owned column the tool also reads back (奖励金额)
        if h in by_header and j < len(texts):
            take(j, by_header[h])
            named[j] = h

    for j, t in enumerate(texts):  # 列名对照 first
        if j in named or not t:
            continue
        k = header_key(t)
        if k in overrides:
            target = overrides[k]
            f = by_header.get(target) if target else None
            if f is None:
                ignored.append(t)
                named[j] = ""
            elif f.attr not in col_of:
                take(j, f)
                by_map.add(f.attr)
    candidates: list[tuple[int, int, schema.Field]] = []
    for j, t in enumerate(texts):
        if j in named or not t:
            continue
        for n, s in enumerate(stems_of(t)):
            hit = lk.fields.get(s)
            if hit is not None:
                candidates.append((hit[1] * 2 + n, j, hit[0]))
                break
    for _prio, j, f in sorted(candidates, key=lambda c: (c[0], c[1])):
        if f.attr not in col_of and j not in named:
            take(j, f)
    layout: dict[str, int] = {}
    for j, t in enumerate(texts):
        name = named.get(j) or t
        if name and name not in layout:
            layout[name] = j + 1
    unmapped = [t for j, t in enumerate(texts) if t and j not in named]
    return Mapping(col_of, written, layout, unmapped, ignored, by_map)


def near_misses(headers: Iterable[str], sheet: str, missing: Iterable[str]) -> dict[str, list[str]]:
    """For each missing canonical header, her unmapped headers that look like it
    (difflib, on the stems): proposals only."""
    pool = {stem(header_key(h)): h for h in headers if h}
    out: dict[str, list[str]] = {}
    for name in missing:
        f = next(f for f in schema.SHEETS[sheet] if f.header == name)
        targets = [stem(header_key(n)) for n in (f.header, *f.aliases)]
        hits: list[str] = []
        for t in targets:
            for k in difflib.get_close_matches(t, list(pool), n=3, cutoff=0.5):
                if pool[k] not in hits:
                    hits.append(pool[k])
        if hits:
            out[name] = hits[:3]
    return out


# ---- 列名对照 ------------------------------------------------------------------
@dataclass
class ColumnMap:
    """What 列名对照 says: register -> her sheet; register -> {header_key: canonical | None}."""

    sheets: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str | None]] = field(default_factory=dict)
    rows: list[list[str]] = field(default_factory=list)  # as written, for init to keep her edits


def parse_column_map(grid: list[list]) -> ColumnMap:
    cmap = ColumnMap()
    head = None
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        keys = [header_key(text(v)) for v in row]
        if "台账" in keys and "原列名" in keys:
            head = i, {k: j for j, k in enumerate(keys) if k}
            break
    if head is None:
        return cmap
    i, cols = head

    def cell(row: list, name: str) -> str:
        j = cols.get(name)
        return text(row[j]) if j is not None and j < len(row) else ""

    registers = {squash(s): s for s in schema.SHEETS}
    for row in grid[i + 1:]:
        reg = registers.get(squash(cell(row, "台账")))
        if reg is None:
            continue
        her_sheet, her_header, target = cell(row, "工作表"), cell(row, "原列名"), cell(row, "对应字段")
        cmap.rows.append([reg, her_sheet, her_header, target, cell(row, "说明")])
        if her_sheet:
            cmap.sheets.setdefault(reg, her_sheet)
        if her_header:
            canon = {squash(f.header): f.header for f in schema.SHEETS[reg]}
            cmap.columns.setdefault(reg, {})[header_key(her_header)] = canon.get(squash(target)) if target else None
    return cmap


# ---- finding the sheets ----------------------------------------------------------
def locate(sheet_names: list[str], head_of: Callable[[str], list[list]], cmap: ColumnMap,
           not_registers: set[str] = frozenset()) -> tuple[dict[str, str], dict[str, str]]:
    """(register -> sheet name as in the workbook, register -> how it was found:
    列名对照 / 名称 / 表头). `not_registers`: sheets that are the tool's own."""
    actual: dict[str, str] = {}
    for name in sheet_names:
        actual.setdefault(squash(name), name)
    found: dict[str, str] = {}
    how: dict[str, str] = {}
    for reg, her in cmap.sheets.items():
        if squash(her) in actual:
            found[reg], how[reg] = actual[squash(her)], "列名对照"
    for reg in schema.SHEETS:
        if reg in found:
            continue
        for name in (reg, *schema.SHEET_ALIASES.get(reg, ())):
            hit = actual.get(squash(name))
            if hit is not None and hit not in found.values() and hit not in not_registers:
                found[reg], how[reg] = hit, "名称"
                break
    claimed = set(found.values()) | set(not_registers)
    pending = [r for r in DISCOVERABLE if r not in found]
    if not pending:
        return found, how
    scores: list[tuple[int, str, str]] = []
    for name in sheet_names:
        if name in claimed or squash(name) in _TOOL_NAMES:
            continue
        head = head_of(name)
        for reg in pending:
            row, n = find_header(head, reg)
            if row is None or n < MIN_FIELDS:
                continue
            key = next(f.attr for f in schema.SHEETS[reg] if f.key)
            if key in _row_fields(head[row], lookup(reg)):
                scores.append((n, reg, name))
    for n, reg, name in sorted(scores, key=lambda s: (-s[0], DISCOVERABLE.index(s[1]), sheet_names.index(s[2]))):
        if reg not in found and name not in found.values():
            found[reg], how[reg] = name, "表头"
    return found, how


def register_candidates(sheet_names: list[str], head_of: Callable[[str], list[list]], reg: str,
                        skip: set[str]) -> list[tuple[str, int]]:
    """Other sheets whose header row names at least MIN_FIELDS fields of `reg`, with the count."""
    out = []
    for name in sheet_names:
        if name in skip or squash(name) in _TOOL_NAMES:
            continue
        row, n = find_header(head_of(name), reg)
        if row is not None and n >= MIN_FIELDS:
            out.append((name, n))
    return out


_TOOL_NAMES = {squash(n) for n in (
    schema.FINDINGS_SHEET, schema.OVERDUE_SHEET, schema.DEDUCTIONS_SHEET, schema.REWARDS_SHEET,
    schema.MONTHLY_SHEET, schema.QUARTERLY_SHEET, schema.ANNUAL_SHEET, schema.COVERAGE_SHEET,
    schema.OVERVIEW_SHEET, schema.RUN_LOG_SHEET, COLUMN_MAP_SHEET)}
