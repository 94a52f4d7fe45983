"""Which rows under a header are records (read.py), and merged cells spread over their rows.

A clerk's register carries rows that are not records: a description row right under the
header (「填写说明：日期格式 2026-3-5」), 合计 / 小计 / 总计 rows (COUNTA formulas), 注 / 说明 /
填表说明 lines, a signature block (填表人：… 审核人：…) and whatever stands below the end of
the table. They are skipped and counted (SheetInfo.skipped), never read as tickets.
A vertical merge in a data column (one 慧谈日期 over the requests of one talk) gives every
row it covers the value of its top-left cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .convert import squash, text

TOTAL = "合计行"
NOTE = "注释行"
DESCRIPTION = "填写说明行"
AFTER_END = "表格结束后的行"
REASONS = (DESCRIPTION, TOTAL, NOTE, AFTER_END)

_TOTAL_WORDS = ("合计", "总计", "共计", "累计", "小计", "总数", "汇总")
_END_TOTALS = ("合计", "总计", "共计", "累计", "总数", "汇总")  # 小计 may stand inside the table
_NOTE_HEADS = ("注", "说明", "填表说明", "填报说明", "备注", "附注", "附", "注意")
_NOTE = re.compile(rf"^({'|'.join(_NOTE_HEADS)})\s*\d*\s*[:：.、]")
_NOTE_WORDS = ("注", "说明", "填表说明", "填报说明")
_SIGNATURE_HEADS = ("填表人", "制表人", "填报人", "审核人", "审批人", "负责人", "经办人", "联系人", "联系电话",
                    "填报日期", "填表日期", "制表日期", "报送日期", "单位负责人", "部门负责人", "分管领导")
_SIGNATURE = re.compile(rf"^({'|'.join(_SIGNATURE_HEADS)})\s*[:：]")
_DESCRIBE = ("填写", "格式", "例：", "例:", "如：", "如:", "必填", "选填", "年月日", "yyyy", "（选", "(选",
             "请填", "下拉")
_TITLE_YEAR = re.compile(r"(20\d\d)\s*年")
# what a note or signature line begins with (_NOTE and _SIGNATURE match the text as written)
_NOTE_OR_SIGNATURE_FIRST = frozenset(w[0] for w in _NOTE_HEADS + _SIGNATURE_HEADS)


@dataclass
class SheetInfo:
    """What reading one register sheet did not take as data (for the job's summary)."""

    sheet: str
    found_by: str = ""  # 名称 / 表头 / 列名对照
    header_row: int = 0
    mapped: dict[str, str] = field(default_factory=dict)  # canonical header -> her header
    unmapped: list[str] = field(default_factory=list)  # her headers left alone
    skipped: dict[str, list[int]] = field(default_factory=dict)  # reason -> Excel rows
    title_year: int | None = None  # 「2026年…」 above the header


def _cells(row: list, limit: int | None = None) -> list[str]:
    """The row's non-empty texts, left to right; with `limit`, the first `limit` of them
    (what the total / note / signature tests look at: a register row has many cells)."""
    if limit is None:
        return [t for t in (text(v) for v in row) if t]
    out: list[str] = []
    for v in row:
        if v == "" or v is None:
            continue
        t = text(v)
        if t:
            out.append(t)
            if len(out) == limit:
                break
    return out


def _is_total(cells: list[str], words=_TOTAL_WORDS) -> bool:
    for t in cells[:4]:
        if "计" not in t and "总" not in t:  # in every total word; no other character folds to them (NFKC)
            continue
        k = squash(t)
        if k in words or any(k.startswith(w) and len(k) <= len(w) + 3 for w in words):
            return True
    return False


def _is_note(cells: list[str]) -> bool:
    if not cells:
        return False
    if len(cells) > 2 and not _NOTE.match(cells[0].strip()):
        return False
    # every note word has 注 or 说; of other characters only ㊟ folds to one of them (NFKC)
    c = cells[0]
    first = squash(c) if "注" in c or "说" in c or "\u329f" in c else ""
    return bool(_NOTE.match(cells[0].strip())) or (first in _NOTE_WORDS and len(cells) <= 2)


def _is_description(row: list, cells: list[str], key_col: int | None) -> bool:
    if not cells or any(v.__class__ is not str for v in row if v != ""):
        return False
    key = text(row[key_col]) if key_col is not None and key_col < len(row) else ""
    if key and not re.search(r"[\u4e00-\u9fff（(]", key):
        return False
    return any(w in t for t in cells for w in _DESCRIBE)


def _plainly_a_record(row: list) -> bool:
    """True when no total, note or signature test can hold for the row (after the first one
    below the header, before the table's end): no 计 or 总 in its first four non-empty cells
    (_is_total) and the first of them neither begins with a note or signature word nor holds
    注 / 说 / ㊟ (_is_note). Only text cells can: any other value reads as digits, a date or
    TRUE / FALSE. The other rows are classified by those tests, on their cells."""
    seen = 0
    for v in row:
        if v.__class__ is str:
            if "计" in v or "总" in v:
                return False
            if seen == 0:
                t = v.strip()
                if not t:
                    continue
                if t[0] in _NOTE_OR_SIGNATURE_FIRST or "注" in t or "说" in t or "\u329f" in t:
                    return False
            elif not v or v.isspace():
                continue
        elif v is None:
            continue
        seen += 1
        if seen == 4:
            return True
    return True


def classify(grid: list[list], data: list[int], key_col: int | None) -> tuple[list[int], dict[str, list[int]]]:
    """(0-based indexes of record rows, reason -> Excel rows skipped) for the non-blank
    rows `data` below the header."""
    keep: list[int] = []
    skipped: dict[str, list[int]] = {}
    ended = False
    for n, i in enumerate(data):
        row = grid[i]
        if n and not ended and _plainly_a_record(row):
            keep.append(i)
            continue
        cells = _cells(row) if n == 0 else _cells(row, 4)  # only the description test reads them all
        if ended:
            is_note = _is_note(cells) or bool(_SIGNATURE.match(cells[0] if cells else ""))
            skipped.setdefault(NOTE if is_note else AFTER_END, []).append(i + 1)
            continue
        if n == 0 and _is_description(row, cells, key_col):
            skipped.setdefault(DESCRIPTION, []).append(i + 1)
        elif _is_total(cells):
            skipped.setdefault(TOTAL, []).append(i + 1)
            ended = _is_total(cells, _END_TOTALS)
        elif _is_note(cells) or _SIGNATURE.match(cells[0] if cells else ""):
            skipped.setdefault(NOTE, []).append(i + 1)
            ended = True
        else:
            keep.append(i)
    return keep, skipped


def spread_merges(grid: list[list], merges, below: int) -> None:
    """Give every cell of a merged range that starts below row `below` (0-based) the value
    of its top-left cell, in place."""
    for (r0, c0), (r1, c1) in merges or ():
        if r0 <= below or r0 >= len(grid) or r1 == r0:
            continue
        top = grid[r0]
        value = top[c0] if c0 < len(top) else ""
        if value == "":
            continue
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value


def title_year(grid: list[list], header: int) -> int | None:
    """The year of a title above the header (「2026年八级慧谈诉求台账」)."""
    for row in grid[:header]:
        for t in _cells(row):
            m = _TITLE_YEAR.search(t)
            if m:
                return int(m.group(1))
    return None
