"""Plain table rows of a tool-owned sheet, written straight as sheet XML.

A sheet builder writes through XlsxWriter (titles, formats, charts, print setup);
`write_table` hands the data rows of its tables to `add_rows`. When the worksheet
belongs to a scratch built for transplanting, the rows are kept here as values and
become <row> XML when the sheet is moved into the target (Transplanter), with the
target's style indexes: one f-string per cell instead of XlsxWriter's cell objects,
XML writer, shared-string table and a second pass over its output. Otherwise (a new
workbook written as XlsxWriter makes it) add_rows returns None and the caller writes
the cells through XlsxWriter as before.

Values are what layout.write_value takes: text (never a formula), numbers, dates,
bools (是/否), None (blank: only its format is kept), and Styled (a value with a format
of its own instead of its column's). A hyperlink on a table cell is XlsxWriter's
(`link_only`): only the <hyperlink> element, the cell stays in the rows.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Callable, NamedTuple, Sequence

from ..a1 import column_letters


BULK_ATTR = "huitan_row_blocks"  # on a scratch worksheet: the RowBlocks its tables handed over
MAX_TEXT = 32767
_WINDOWS_EPOCH = datetime(1899, 12, 30)
_MAC_EPOCH = datetime(1904, 1, 1)
_NEEDS_ESCAPE = re.compile(r"[&<>_\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XESC = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """Text for <t>: XML-escaped, OOXML _xHHHH_ escaping for control characters (as XlsxWriter)."""
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT]
    if not _NEEDS_ESCAPE.search(text):
        return text
    text = _XESC.sub(r"_x005F_\1", text)
    text = _CTRL.sub(lambda m: "_x%04X_" % ord(m.group(0)), text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Styled(NamedTuple):
    """A table value written with its own XlsxWriter format (None: none), not its column's."""

    value: object
    format: object

    def __str__(self) -> str:
        return str(self.value)


def link_only(ws, row: int, col: int, target: str, text: str, cell_format) -> int:
    """An XlsxWriter hyperlink on a cell the table writes (write_url without writing its
    string: XlsxWriter's own ignore_write_string, as its embed_image does). write_url's result."""
    ws.ignore_write_string = True
    try:
        return ws.write_url(row, col, target, cell_format, string=text)
    finally:
        ws.ignore_write_string = False


class Chunked:
    """A part as a list of byte blocks (streamed into the zip, never joined)."""

    def __init__(self, pieces: list[bytes]):
        self.pieces = pieces

    def chunks(self):
        return iter(self.pieces)

    def __len__(self) -> int:
        return sum(len(p) for p in self.pieces)

    def __bytes__(self) -> bytes:
        return b"".join(self.pieces)


class RowBlock:
    """Consecutive rows (0-based `first`, as XlsxWriter counts) of one table."""

    def __init__(self, first: int, rows: list[Sequence[object]], formats: Sequence[object], date_format,
                 heights: Sequence[float | None] | None = None):
        self.first = first
        self.rows = rows
        self.heights = heights  # points per row (None: the default height)
        self.formats = list(formats)  # XlsxWriter Format (or None) per column
        self.date_format = date_format

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cells(self, style_of: Callable[[object], int], date1904: bool):
        """Per row (Excel row number, its <row> start tag, [(0-based col, cell XML)]) — the
        row-by-row form, used where XlsxWriter wrote cells of its own into the same row."""
        maker = _CellMaker(style_of, date1904, self.date_format)
        for i, values in enumerate(self.rows):
            rnum = self.first + i + 1
            ht = self.heights[i] if self.heights else None
            tag = f'<row r="{rnum}" ht="{ht:g}" customHeight="1">' if ht else f'<row r="{rnum}">'
            yield rnum, tag, [(c, x) for c, v in enumerate(values)
                              if (x := maker.cell(c, rnum, v, self._format(c)))]

    def xml(self, style_of: Callable[[object], int], date1904: bool):
        """<row> elements as UTF-8 blocks of about 300 kB (the hot loop: text and whole
        numbers inline, anything else through _CellMaker.cell)."""
        maker = _CellMaker(style_of, date1904, self.date_format)
        width = self.width
        fmts = [self._format(c) for c in range(width)]
        cols = [maker.col(c) for c in range(width)]
        styles = [maker.style(f) for f in fmts]
        blanks = [f'"{styles[c]}/>' if fmts[c] is not None else "" for c in range(width)]
        dates = [maker.style(f or self.date_format) for f in fmts]
        serials, serial = maker.serials, maker.serial
        texts, text_body, cell = maker.texts, maker.text_body, maker.cell
        out: list[str] = []
        size = 0
        rnum = self.first
        heights = self.heights
        for i, values in enumerate(self.rows):
            rnum += 1
            rn = str(rnum)
            parts = []
            for c, v in enumerate(values):
                t = v.__class__
                if t is str:
                    if v:
                        body = texts.get(v) or text_body(v)
                        parts.append(f'<c r="{cols[c]}{rn}"{styles[c]}{body}')
                    elif blanks[c]:
                        parts.append(f'<c r="{cols[c]}{rn}{blanks[c]}')
                elif t is int and -10 ** 15 < v < 10 ** 15:
                    parts.append(f'<c r="{cols[c]}{rn}"{styles[c]}><v>{v}</v></c>')
                elif t is date:
                    parts.append(f'<c r="{cols[c]}{rn}"{dates[c]}><v>{serials.get(v) or serial(v)}</v></c>')
                elif v is None:
                    if blanks[c]:
                        parts.append(f'<c r="{cols[c]}{rn}{blanks[c]}')
                else:
                    x = cell(c, rnum, v, fmts[c])
                    if x:
                        parts.append(x)
            ht = heights[i] if heights else None
            if ht:
                row = f'<row r="{rn}" ht="{ht:g}" customHeight="1">{"".join(parts)}</row>'
            elif parts:
                row = f'<row r="{rn}">{"".join(parts)}</row>'
            else:
                continue
            out.append(row)
            size += len(row)
            if size > 300_000:
                yield "".join(out).encode("utf-8")
                out, size = [], 0
        if out:
            yield "".join(out).encode("utf-8")

    def own_formats(self) -> list:
        """The formats of its Styled values, distinct (XlsxWriter must number them too)."""
        found = {}
        for values in self.rows:
            for v in values:
                if v.__class__ is Styled and v.format is not None:
                    found.setdefault(id(v.format), v.format)
        return list(found.values())

    def _format(self, c: int):
        return self.formats[c] if c < len(self.formats) else None


class _CellMaker:
    def __init__(self, style_of, date1904: bool, date_format):
        self.style_of = style_of
        self.epoch = _MAC_EPOCH if date1904 else _WINDOWS_EPOCH
        self.date_format = date_format
        self.letters: dict[int, str] = {}
        self.attrs: dict[int, str] = {}  # id(format) -> ' s="N"' (or "")
        self.texts: dict[str, str] = {}  # repeated text: escaped once
        self.serials: dict[object, str] = {}

    def style(self, fmt) -> str:
        if fmt is None:
            return ""
        key = id(fmt)
        attr = self.attrs.get(key)
        if attr is None:
            n = self.style_of(fmt)
            attr = self.attrs[key] = f' s="{n}"' if n else ""
        return attr

    def col(self, c: int) -> str:
        letters = self.letters.get(c)
        if letters is None:
            letters = self.letters[c] = column_letters(c + 1)
        return letters

    def cell(self, c: int, rnum: int, v, fmt) -> str:
        if v.__class__ is str:
            if not v:
                return f'<c r="{self.col(c)}{rnum}"{self.style(fmt)}/>' if fmt is not None else ""
            return self._text(c, rnum, v, fmt)
        if v is None:
            return f'<c r="{self.col(c)}{rnum}"{self.style(fmt)}/>' if fmt is not None else ""
        if v.__class__ is Styled:
            return self.cell(c, rnum, v.value, v.format)
        if isinstance(v, bool):
            return self._text(c, rnum, "是" if v else "否", fmt)
        if isinstance(v, (int, float)):
            if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
                return ""
            return f'<c r="{self.col(c)}{rnum}"{self.style(fmt)}><v>{v:.16G}</v></c>'
        if isinstance(v, date):
            return (f'<c r="{self.col(c)}{rnum}"{self.style(fmt or self.date_format)}>'
                    f'<v>{self.serials.get(v) or self.serial(v)}</v></c>')
        return self._text(c, rnum, str(v), fmt)

    def serial(self, v: date) -> str:
        """The Excel serial of a date or datetime, as XlsxWriter writes it (memoised)."""
        dt = v if isinstance(v, datetime) else datetime(v.year, v.month, v.day)
        delta = dt.replace(tzinfo=None) - self.epoch
        text = self.serials[v] = f"{delta.days + delta.seconds / 86400 + delta.microseconds / 864e8:.16G}"
        return text

    def _text(self, c: int, rnum: int, v: str, fmt) -> str:
        return f'<c r="{self.col(c)}{rnum}"{self.style(fmt)}{self.texts.get(v) or self.text_body(v)}'

    def text_body(self, v: str) -> str:
        """What follows a text cell's style: the inline string (memoised for repeated text)."""
        space = ' xml:space="preserve"' if (v[0].isspace() or v[-1].isspace()) else ""
        body = f' t="inlineStr"><is><t{space}>{escape(v)}</t></is></c>'
        if len(self.texts) < 50_000:
            self.texts[v] = body
        return body


def add_rows(ws, first: int, rows: list[Sequence[object]], formats: Sequence[object], date_format,
             heights: Sequence[float | None] | None = None) -> int | None:
    """Hand table rows (0-based `first`) to the scratch sheet `ws` to be written as XML when
    it is transplanted; the next free row, or None when `ws` does not take rows this way."""
    blocks = getattr(ws, BULK_ATTR, None)
    if blocks is None:
        return None
    if rows:
        blocks.append(RowBlock(first, rows, formats, date_format, heights))
    return first + len(rows)
