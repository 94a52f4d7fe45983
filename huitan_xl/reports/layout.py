"""Shared layout helpers for tool-owned sheets built with XlsxWriter.

Every tool-owned sheet is a title, optional summary lines, then one or more
tables. Values are written by type so that text is always text (never a
formula), dates are real dates and numbers real numbers.
"""
from __future__ import annotations

import unicodedata
from datetime import date, datetime
from itertools import zip_longest
from math import ceil
from typing import Iterable, Sequence

from ..xlsx.rows import Link, Styled, add_rows


class _NarrowOnly(dict):
    """A str.translate table that deletes the wide (W / F) characters and keeps the rest;
    each character's width is looked up once (unicodedata), then translate runs in C."""

    def __missing__(self, code: int):
        kept = None if unicodedata.east_asian_width(chr(code)) in "WF" else code
        self[code] = kept
        return kept


_NARROW_ONLY = _NarrowOnly()


def _wide(text: str) -> int:
    """How many wide (CJK, full-width) characters `text` holds."""
    return len(text) - len(text.translate(_NARROW_ONLY))


def display_width(value: object) -> int:
    """Width in Excel character units: CJK and full-width characters count 2."""
    if value is None:
        return 0
    if isinstance(value, (date, datetime)):
        return 10
    text = str(value)
    if text.isascii():  # no ASCII character is wide
        return max(len(line) for line in text.split("\n"))
    return max(len(line) + _wide(line) for line in text.split("\n"))


def fit_width(text: object, bold: bool = False) -> int:
    """Column width (Excel character units, 7 px each) that prints `text` on one line: a
    CJK character is about 7.35 px a unit, bold 8 % wider, plus the cell's padding."""
    px = display_width(text) * 7.35 * (1.08 if bold else 1.0) + 8
    return -(-int(px) // 7)


def write_value(ws, row: int, col: int, value: object, fmt, cell_format=None) -> None:
    """Write one value by its type (0-based row/col, as XlsxWriter counts)."""
    if value.__class__ is str and value:  # the common case first
        ws.write_string(row, col, value, cell_format)
        return
    if value.__class__ is Styled:
        write_value(ws, row, col, value.value, fmt, value.format)
        return
    if value.__class__ is Link:
        ws.write_url(row, col, value.target, value.format, string=value.text)
        return
    if value is None or value == "":
        if cell_format is not None:
            ws.write_blank(row, col, None, cell_format)
        return
    if isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否", cell_format)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, cell_format)
    elif isinstance(value, datetime):
        ws.write_datetime(row, col, value, cell_format or fmt.date)
    elif isinstance(value, date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), cell_format or fmt.date)
    else:
        ws.write_string(row, col, str(value), cell_format)


def write_title(ws, fmt, title: str, subtitle: str | None = None, row: int = 0) -> int:
    """Title (and subtitle) lines; returns the next free row (0-based)."""
    ws.write_string(row, 0, title, fmt.title)
    row += 1
    if subtitle:
        ws.write_string(row, 0, subtitle, fmt.subtitle)
        row += 1
    return row


LINE_PT = 15.0  # one line of wrapped 11-pt text (Calibri, or a CJK face standing in for it)
WRAP_PAD_PT = 3.0  # a CJK face's taller lines: without it the last wrapped line touches the border


def wrapped_height(lines: int) -> float | None:
    """Row height (points) for `lines` wrapped lines; None for one line (the default height)."""
    return LINE_PT * lines + WRAP_PAD_PT if lines > 1 else None
CJK_UNITS = 2.1  # a CJK (wide) character prints about 2.1 digit widths; display_width counts 2


def print_width(text: str) -> float:
    """Width of one line in digit widths as printed: 1 a narrow character, 2.1 a wide one."""
    if text.isascii():
        return len(text)
    return sum(CJK_UNITS if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def line_count(text: str, width: float) -> int:
    """Lines `text` takes wrapped in a column `width` characters wide (half of one is padding)."""
    room = max(1.0, width - 0.5)
    if "\n" not in text:
        return _lines(text, room)
    return sum(_lines(line, room) for line in text.split("\n"))


def _lines(line: str, room: float) -> int:
    """max(1, ceil(print_width(line) / room)), counting the wide characters in C; print_width's
    own sum (its float rounding) decides only when the width is within a hair of a line break."""
    if line.isascii():
        return max(1, ceil(len(line) / room))
    wide = _wide(line)
    ratio = (len(line) - wide + CJK_UNITS * wide) / room
    near = round(ratio)
    if abs(ratio - near) < 1e-6:
        ratio = print_width(line) / room
    return max(1, ceil(ratio))


def _wrapped(fmt, base):
    """`base` (an XlsxWriter Format, or None) with wrapping and top alignment added; one per base."""
    cache = fmt.__dict__.setdefault("_huitan_wrapped", {})
    key = id(base)
    if key not in cache:
        if base is None:
            cache[key] = fmt.wrap
        else:
            f = fmt.workbook.add_format()
            f.__dict__.update({k: v for k, v in base.__dict__.items() if k not in ("xf_index", "dxf_index")})
            f.set_text_wrap()
            f.set_align("top")
            cache[key] = f
    return cache[key]


def wrap_plan(rows: Sequence[Sequence[object]], widths: Sequence[float]) -> tuple[set[int], list[float | None]]:
    """The columns whose text does not fit their width, and per row the height (points) its
    tallest wrapped cell needs (None: one line, the default height)."""
    return _wrap_plan(_columns(rows, len(widths)), len(rows), widths)


def _columns(rows: Sequence[Sequence[object]], n: int) -> list[Sequence[object]]:
    """The first `n` columns of `rows`, each a value per row (None past the end of a short row)."""
    if not rows:
        return [()] * n
    if min(map(len, rows)) >= n:
        columns = list(zip(*rows))
    else:
        columns = list(zip_longest(*rows, fillvalue=None))
    return (columns + [(None,) * len(rows)] * n)[:n]


def _wrap_plan(columns: list[Sequence[object]], count: int,
               widths: Sequence[float]) -> tuple[set[int], list[float | None]]:
    cols: set[int] = set()
    lines: list[int] | None = None  # per row, its tallest wrapped cell's
    for c, values in enumerate(columns):
        # quick test first: no text prints wider than 2.1 times its length
        limit = widths[c] - 0.5
        texts = [v for v in values if v.__class__ is str]
        if not texts or (CJK_UNITS * max(map(len, texts)) <= limit and "\n" not in "".join(texts)):
            continue
        need = [i for i, v in enumerate(values) if v.__class__ is str and (CJK_UNITS * len(v) > limit or "\n" in v)]
        counted = {t: line_count(t, widths[c]) for t in {values[i] for i in need}}  # each text once
        col = [1] * count
        for i in need:
            col[i] = counted[values[i]]
        if max(col) > 1:
            cols.add(c)
            lines = col if lines is None else list(map(max, lines, col))
    if lines is None:
        return cols, [None] * count
    return cols, list(map(wrapped_height, lines))


def _widest(values: Sequence[object], fit: int, cap: int) -> int:
    """max(fit, display_width(v) + 2 for every v), or some number >= cap once that is >= cap."""
    texts = [v for v in values if v.__class__ is str]
    if len(texts) < len(values):
        others = [v for v in values if v.__class__ is not str]
        ints = [v for v in others if v.__class__ is int]
        if ints:  # the longest whole number is the smallest or the largest
            fit = max(fit, len(str(min(ints))) + 2, len(str(max(ints))) + 2)
        # a Styled value or a link is as wide as its text (str() of it)
        texts += [v.text if v.__class__ is Link else str(v.value) for v in others if v.__class__ in (Styled, Link)]
        try:  # each distinct value once (by its class too: True is 1 to a set)
            distinct = {(v.__class__, v) for v in others if v.__class__ not in (int, Styled, Link)}
        except TypeError:
            distinct = [(v.__class__, v) for v in others if v.__class__ not in (int, Styled, Link)]
        for _, v in distinct:
            if fit >= cap:
                return fit
            fit = max(fit, display_width(v) + 2)
    # the longest texts first: none prints wider than twice its length
    for text in sorted(set(texts), key=len, reverse=True):
        if fit >= cap or 2 * len(text) + 2 <= fit:
            break
        fit = max(fit, display_width(text) + 2)
    return fit


def write_table(ws, fmt, row: int, headers: Sequence[str], rows: Iterable[Sequence[object]],
                col_formats: dict[int, object] | None = None, widths: list[float] | None = None,
                header_format=None, autofilter: bool = False, max_width: int = 60,
                min_width: int = 6, row_heights: Sequence[float | None] | None = None,
                wrap: bool = True) -> int:
    """Header row plus data rows starting at 0-based `row`; sets column widths that
    fit the (Chinese) text unless `widths` is given; `row_heights` (points, None =
    default) per data row, for wrapped text. Without `row_heights` (and unless `wrap` is
    off), text wider than its column wraps: that column's cells wrap and each row (the
    header row too) gets the height its tallest wrapped cell needs. Returns the next free row."""
    col_formats = dict(col_formats or {})
    hdr = header_format or fmt.header
    rows = rows if isinstance(rows, list) else list(rows)
    columns = None
    if widths:
        final = [max(min_width, min(max_width, w)) for w in widths]
    else:  # each column as wide as its header and its widest value, within min_width..max_width
        columns = _columns(rows, len(headers))
        final = [max(min_width, min(max_width, _widest(values, display_width(h) + 2, max_width)))
                 for h, values in zip(headers, columns)]
    if wrap and row_heights is None:
        if columns is None or len(final) > len(columns):
            columns = _columns(rows, len(final))
        cols, heights = _wrap_plan(columns[:len(final)], len(rows), final)
        if cols:
            row_heights = heights
            for c in cols:
                col_formats[c] = _wrapped(fmt, col_formats.get(c))
        head = max((line_count(h, final[c]) for c, h in enumerate(headers) if c < len(final)), default=1)
        if head > 1:
            ws.set_row(row, wrapped_height(head))
    for c, h in enumerate(headers):
        ws.write_string(row, c, h, hdr)
    if getattr(ws, "_huitan_header_row", None) is None:
        ws._huitan_header_row = row  # print_setup repeats the first table's header on every page
    first = row
    formats = [col_formats.get(c) for c in range(max(col_formats, default=-1) + 1)]
    r = add_rows(ws, row + 1, rows, formats, fmt.date, row_heights)  # a scratch sheet takes them as XML
    if r is None:
        r = row + 1
        for i, values in enumerate(rows):
            for c, v in enumerate(values):
                write_value(ws, r, c, v, fmt, formats[c] if c < len(formats) else None)
            if row_heights and row_heights[i]:
                ws.set_row(r, row_heights[i])
            r += 1
    for c, w in enumerate(final):
        ws.set_column(c, c, w)
    if autofilter and r > first + 1:
        ws.autofilter(first, 0, r - 1, len(headers) - 1)
    return r


FOOTER = "&L&8huitan-xl 生成&C第 &P 页，共 &N 页"
SIGN_LINE = "制表：＿＿＿＿＿＿　　　　审核：＿＿＿＿＿＿　　　　日期：＿＿＿＿年＿＿月＿＿日"


def signed_title(mine: str, title: str, unfinished: str = "") -> str:
    """The title of a sheet leadership signs: the mine's name first, an unfinished
    period said in it: 东山煤矿2026年第四季度评审（截至 2026-12-02，季度未结束）."""
    return f"{mine.strip()}{title}" + (f"（{unfinished}）" if unfinished else "")


def write_sign_line(ws, fmt, row: int) -> int:
    """The 制表 / 审核 / 日期 line under a signed sheet's tables; returns the next free row."""
    ws.write_string(row, 0, SIGN_LINE, fmt.bold)
    return row + 1


def print_setup(ws, landscape: bool = True, repeat: tuple[int, int] | None = None) -> None:
    """A4 (landscape unless told), one page wide, page numbers and the 「huitan-xl 生成」
    remark in the footer, and the header row of the sheet's first table (or `repeat`,
    0-based first and last rows) repeated at the top of every printed page."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_footer(FOOTER)
    if repeat is None:
        header = getattr(ws, "_huitan_header_row", None)
        repeat = (header, header) if header is not None else None
    if repeat is not None:
        ws.repeat_rows(*repeat)


def mine_name(regs) -> str:
    """The mine's name for report titles: 规则配置 矿井名称, else the 说明 sheet's 矿井名称
    input cell of the workbook file, else ""."""
    settings = getattr(regs, "settings", None)
    name = str(getattr(settings, "mine_name", "") or "").strip()
    if name:
        return name
    path = getattr(regs, "path", None)
    if not path:
        return ""
    try:
        from pathlib import Path

        from ..read import readme_mine_name

        return readme_mine_name(Path(path)) if Path(path).is_file() else ""
    except Exception:  # noqa: BLE001 - a title without the name is better than no report
        return ""
