"""Plain table rows of a tool-owned sheet, written straight as sheet XML.

A sheet builder writes through XlsxWriter (titles, formats, charts, print setup);
`write_table` hands the data rows of its tables to `add_rows`. When the worksheet
belongs to a scratch built for transplanting, the rows are kept here as values and
become <row> XML when the sheet is moved into the target (Transplanter), with the
target's style indexes, column by column (one f-string per cell in a comprehension
per column) instead of XlsxWriter's cell objects, XML writer, shared-string table and a
second pass over its output. Otherwise (a new
workbook written as XlsxWriter makes it) add_rows returns None and the caller writes
the cells through XlsxWriter as before.

Values are what layout.write_value takes: text (never a formula), numbers, dates,
bools (是/否), None (blank: only its format is kept), Styled (a value with a format
of its own instead of its column's) and Link (text with a format of its own and an
internal hyperlink: the <hyperlink> elements XlsxWriter's write_url writes, put in by
the Transplanter after the rows).
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime
from itertools import chain, repeat, zip_longest
from operator import itemgetter
from typing import Callable, NamedTuple, Sequence

from ..a1 import column_letters


BULK_ATTR = "huitan_row_blocks"  # on a scratch worksheet: the RowBlocks its tables handed over
MAX_TEXT = 32767
ROWS_PER_BLOCK = 1000  # rows per UTF-8 block RowBlock.xml yields (about 800 kB of 逾期督办)
_WINDOWS_EPOCH = datetime(1899, 12, 30)
_MAC_EPOCH = datetime(1904, 1, 1)
_NEEDS_ESCAPE = re.compile(r"[&<>_\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XESC = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_ATTR_ESCAPE = re.compile(r'[&<>"\n\r\t]')
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


class Link(NamedTuple):
    """A table value that jumps to a cell of the workbook: `text` written with `format`
    (an XlsxWriter Format) and an internal hyperlink to `target`, as XlsxWriter's write_url
    takes it ("internal:'诉求台账'!C12")."""

    text: str
    format: object
    target: str

    def __str__(self) -> str:
        return self.text


def hyperlinks_xml(links: list[tuple[int, int, Link]]) -> str:
    """<hyperlink> elements of (Excel row, 0-based col, Link), in row and column order: the
    ones XlsxWriter's write_url writes for internal links (ref, location, display)."""
    out = []
    for rnum, c, link in sorted(links, key=lambda x: x[:2]):
        if not link.target.startswith("internal:"):
            raise ValueError(f"a table link must be internal: {link.target!r}")
        location = _attr(link.target.removeprefix("internal:"))
        out.append(f'<hyperlink ref="{column_letters(c + 1)}{rnum}" location="{location}" '
                   f'display="{_attr(link.text)}"/>')
    return "".join(out)


def _attr(text: str) -> str:
    """An attribute value escaped as lxml writes it (XlsxWriter's sheet goes through lxml)."""
    if not _ATTR_ESCAPE.search(text):
        return text
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


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

    def cells(self, style_of: Callable[[object], int], date1904: bool, links: list | None = None):
        """Per row (Excel row number, its <row> start tag, [(0-based col, cell XML)]) — the
        row-by-row form, used where XlsxWriter wrote cells of its own into the same row; the
        hyperlinks of its Link values go to `links` as xml() puts them."""
        maker = _CellMaker(style_of, date1904, self.date_format)
        for i, values in enumerate(self.rows):
            rnum = self.first + i + 1
            if links is not None:
                links.extend((rnum, c, v) for c, v in enumerate(values) if v.__class__ is Link)
            ht = self.heights[i] if self.heights else None
            tag = f'<row r="{rnum}" ht="{ht:g}" customHeight="1">' if ht else f'<row r="{rnum}">'
            yield rnum, tag, [(c, x) for c, v in enumerate(values)
                              if (x := maker.cell(c, rnum, v, self._format(c)))]

    def xml(self, style_of: Callable[[object], int], date1904: bool, links: list | None = None):
        """<row> elements as UTF-8 blocks of ROWS_PER_BLOCK rows, built column by column: a
        column of text, of whole numbers or of dates (blanks among them) in one comprehension
        each, any other column cell by cell; the hyperlinks of its Link values go to `links`
        as (Excel row, 0-based col, Link)."""
        maker = _CellMaker(style_of, date1904, self.date_format)
        width = self.width
        specs = [_ColumnSpec(maker, c, self._format(c)) for c in range(width)]
        heights = self.heights
        for at in range(0, len(self.rows), ROWS_PER_BLOCK):
            part = self.rows[at:at + ROWS_PER_BLOCK]
            first = self.first + at + 1
            rns = [str(n) for n in range(first, first + len(part))]
            if heights:
                hts = heights[at:at + ROWS_PER_BLOCK]
                if len(hts) != len(part):
                    raise ValueError("a row height per row")
                opens = [f'<row r="{rn}" ht="{ht:g}" customHeight="1">' if ht else f'<row r="{rn}">'
                         for rn, ht in zip(rns, hts)]
            else:
                hts = None
                opens = [f'<row r="{rn}">' for rn in rns]
            if width == 0:
                cells = []
            else:
                columns = zip_longest(*part, fillvalue=_ABSENT) if min(map(len, part)) < width else zip(*part)
                cells = [spec.cells(values, rns, first, links) for spec, values in zip(specs, columns)]
            if any(map(all, cells)):  # (a column with a cell in every row: no row is empty)
                pieces = chain.from_iterable(zip(opens, *cells, repeat("</row>")))
            else:  # a row without cells or a height is left out
                pieces = (f"{o}{body}</row>" if body or (hts and hts[i]) else ""
                          for i, (o, body) in enumerate(zip(opens, map("".join, zip(*cells)) if cells
                                                            else repeat(""))))
            yield "".join(pieces).encode("utf-8")

    def own_formats(self) -> list:
        """The formats of its Styled and Link values, distinct (XlsxWriter must number them too)."""
        found = {}
        for values in zip_longest(*self.rows):  # (column by column: most hold neither)
            kinds = set(map(type, values))
            if kinds & {Styled, Link}:
                own = values if kinds <= {Styled, Link} else [v for v in values if v.__class__ in (Styled, Link)]
                for f in map(itemgetter(1), own):  # (the format of either)
                    if f is not None:
                        found.setdefault(id(f), f)
        return list(found.values())

    def _format(self, c: int):
        return self.formats[c] if c < len(self.formats) else None


_NONE = type(None)
_SPACE = re.compile(r"\s")  # (what str.isspace and str.strip take)
_ABSENT = object()  # past the end of a row shorter than its block: no cell at all
_TEXT = ' t="inlineStr"><is><t>'
_TEXT_KEPT = ' t="inlineStr"><is><t xml:space="preserve">'
_TEXT_END = "</t></is></c>"
_INT_LIMIT = 10 ** 15  # whole numbers past it are written as floats are (%.16G), as XlsxWriter does


class _ColumnSpec:
    """One column of a block: its cells for a run of rows, by what the column holds."""

    def __init__(self, maker: "_CellMaker", c: int, fmt):
        self.maker, self.c, self.fmt = maker, c, fmt
        self.start = f'<c r="{maker.col(c)}'  # + row number + the rest
        self.style = f'"{maker.style(fmt)}'  # closes r=, then the style if any
        self.blank = f'"{maker.style(fmt)}/>' if fmt is not None else None
        self.date_style = f'"{maker.style(fmt or maker.date_format)}'

    def cells(self, values: Sequence[object], rns: list[str], first: int, links: list | None) -> list[str]:
        """The cell XML of `values` (rows numbered `rns`, the first `first`): "" for no cell."""
        kinds = set(map(type, values))
        gaps = _NONE in kinds  # (None: a blank, or no cell)
        kinds.discard(_NONE)
        start, blank, end = self.start, self.blank, _TEXT_END
        if kinds and all(issubclass(k, str) for k in kinds):
            if kinds != {str}:  # (a StrEnum, say: written as str() gives it, once per value)
                text_of = {key: str(key[1]) for key in {(v.__class__, v) for v in values
                                                         if v.__class__ is not str and v is not None}}
                values = [v if v.__class__ is str or v is None else text_of[v.__class__, v] for v in values]
            texts = [v for v in values if v]
            if max(map(len, texts), default=0) <= MAX_TEXT and not _NEEDS_ESCAPE.search("".join(texts)):
                head = self.style + _TEXT
                if _SPACE.search("".join(map(itemgetter(0), texts)) + "".join(map(itemgetter(-1), texts))):
                    kept = self.style + _TEXT_KEPT
                    return [(f"{start}{rn}{head}{v}{end}" if v.strip() == v else f"{start}{rn}{kept}{v}{end}")
                            if v else (f"{start}{rn}{blank}" if blank else "") for v, rn in zip(values, rns)]
                if len(texts) == len(values):
                    return [f"{start}{rn}{head}{v}{end}" for v, rn in zip(values, rns)]
                return [f"{start}{rn}{head}{v}{end}" if v else (f"{start}{rn}{blank}" if blank else "")
                        for v, rn in zip(values, rns)]
            style, texts, body = self.style, self.maker.texts, self.maker.text_body
            return [f"{start}{rn}{style}{texts.get(v) or body(v)}" if v else
                    (f"{start}{rn}{blank}" if blank else "") for v, rn in zip(values, rns)]
        if not kinds:
            return [f"{start}{rn}{blank}" for rn in rns] if blank else [""] * len(rns)
        numbers = ([v for v in values if v is not None] if gaps else values) if kinds == {int} else ()
        if numbers and -_INT_LIMIT < min(numbers) and max(numbers) < _INT_LIMIT:
            style = self.style
            if not gaps:
                return [f"{start}{rn}{style}><v>{v}</v></c>" for v, rn in zip(values, rns)]
            return [f"{start}{rn}{style}><v>{v}</v></c>" if v is not None else
                    (f"{start}{rn}{blank}" if blank else "") for v, rn in zip(values, rns)]
        if kinds == {date}:
            style, serials, serial = self.date_style, self.maker.serials, self.maker.serial
            return [f"{start}{rn}{style}><v>{serials.get(v) or serial(v)}</v></c>" if v is not None else
                    (f"{start}{rn}{blank}" if blank else "") for v, rn in zip(values, rns)]
        if links is not None and Link in kinds:
            links.extend((first + i, self.c, v) for i, v in enumerate(values) if v.__class__ is Link)
        cell, c, fmt = self.maker.cell, self.c, self.fmt
        return [cell(c, rn, v, fmt) if v is not _ABSENT else "" for v, rn in zip(values, rns)]


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
        if v.__class__ is Link:
            return self.cell(c, rnum, v.text, v.format)
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
