"""The vocabulary of a worksheet's XML shared by the sheet writers: what to write into a
cell (CellWrite), edits of the original bytes (Edit, PatchedXml), text and number forms,
the namespace-aware regexes of one sheet (_Sheet), and A1 column letters."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from ..a1 import column_index, column_letters

MAX_TEXT = 32767  # Excel's limit on characters in a cell


class CellWrite(NamedTuple):  # a NamedTuple: hundreds of thousands are made for a big sheet
    """What to put in one cell: kind 'str' | 'num' | 'bool' | 'none' | 'style' (style only)."""
    kind: str
    text: str = ""  # inline text, or the number as written in <v>
    style: int | None = None  # target cellXfs index, None = keep the cell's own


Edit = tuple[int, int, bytes]  # replace original bytes [start:end) with these


class PatchedXml:
    """The original bytes plus sorted, non-overlapping edits. Streams into the zip
    as memoryview slices, so a 100 MB sheet is never copied whole."""

    def __init__(self, base: bytes, edits: list[Edit]):
        self.base = base
        self.edits = edits
        self._len: int | None = None

    def chunks(self):
        view, pos = memoryview(self.base), 0
        for start, end, new in self.edits:
            yield view[pos:start]
            yield new
            pos = end
        yield view[pos:]

    def __bytes__(self) -> bytes:
        return b"".join(self.chunks())

    def __len__(self) -> int:  # (asked more than once of a 100,000-edit sheet: counted once)
        if self._len is None:
            self._len = len(self.base) + sum(len(new) - (end - start) for start, end, new in self.edits)
        return self._len


@dataclass(frozen=True)
class PatchResult:
    xml: PatchedXml
    removed_formulas: bool  # a formula was overwritten (calcChain must go)


_XESC = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


_NEEDS_ESCAPE = re.compile(r"[&<>_\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape_text(text: str) -> bytes:
    """Text for <t>: XML-escaped, OOXML _xHHHH_ escaping for control characters."""
    if len(text) <= MAX_TEXT and not _NEEDS_ESCAPE.search(text):
        return text.encode("utf-8")
    text = text[:MAX_TEXT]
    text = _XESC.sub(r"_x005F_\1", text)
    text = _CTRL.sub(lambda m: "_x%04X_" % ord(m.group(0)), text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.encode("utf-8")


def number_text(value: float | int) -> str | None:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value) or math.isinf(value):
        return None
    return repr(float(value))


class _Sheet:
    """Regexes for one sheet's namespace prefix ('' or 'x:')."""

    def __init__(self, xml: bytes):
        m = re.search(rb"<([A-Za-z_][\w.-]*:)?worksheet\b", xml[:4096]) or re.search(
            rb"<([A-Za-z_][\w.-]*:)?worksheet\b", xml)
        p = re.escape(m.group(1)) if m and m.group(1) else b""
        self.prefix = m.group(1) if m and m.group(1) else b""
        self.sheetdata_open = re.compile(rb"<" + p + rb"sheetData\b[^>]*?(/?)>")
        self.sheetdata_close = b"</" + self.prefix + b"sheetData>"
        self.cell = re.compile(rb"<" + p + rb"c(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)", re.S)
        self.formula = re.compile(rb"<" + p + rb"f(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + p + rb"f>)", re.S)
        self.dimension = re.compile(rb"<" + p + rb"dimension\b[^>]*?\bref=\"([^\"]*)\"")
        self.cols = re.compile(rb"<" + p + rb"cols>(.*?)</" + p + rb"cols>", re.S)


_ATTR_R = re.compile(rb'\br="([^"]*)"')
_ATTR_S = re.compile(rb'\bs="([^"]*)"')
_ATTR_PH = re.compile(rb'\bph="([^"]*)"')
_ATTR_SPANS = re.compile(rb'\s+spans="[^"]*"')
_ATTR_SI = re.compile(rb'\bsi="([^"]*)"')
_ATTR_REF = re.compile(rb'\bref="([^"]*)"')
_REF = re.compile(rb"([A-Za-z]{1,3})(\d+)")
_WS = (b" ", b"\t", b"\r", b"\n", b"/", b">")  # what may follow "<row"


_COLUMNS: dict[bytes, int] = {}


get_column_letter = column_letters  # 1 -> A, 27 -> AA (the one A1 helper, a1.py)
column_index_from_string = column_index  # A -> 1, AA -> 27


def _col_of(ref: bytes) -> int:
    return _letters_col(_REF.match(ref).group(1))


def _letters_col(letters: bytes) -> int:
    col = _COLUMNS.get(letters)
    if col is None:
        col = _COLUMNS[letters] = column_index_from_string(letters.decode().upper())
    return col


_SIMPLE_RANGE = re.compile(r"([A-Z]{1,3})([1-9]\d*)(?::([A-Z]{1,3})([1-9]\d*))?")


def range_boundaries(ref: str) -> tuple:
    """(min_col, min_row, max_col, max_row) of A1 / A1:B2; other forms through openpyxl."""
    m = _SIMPLE_RANGE.fullmatch(ref)
    if m is None:
        from openpyxl.utils.cell import range_boundaries as general
        return general(ref)
    c1, r1 = column_index_from_string(m.group(1)), int(m.group(2))
    if m.group(3) is None:
        return c1, r1, c1, r1
    return c1, r1, column_index_from_string(m.group(3)), int(m.group(4))


def _xml_escape(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


def _unescape(text: bytes) -> str:
    return (text.decode("utf-8").replace("&lt;", "<").replace("&gt;", ">")
            .replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&"))


# Excel's day 0 (openpyxl.utils.datetime's epochs; computed here so that writing does not
# import openpyxl, and with it numpy)
WINDOWS_EPOCH = datetime(1899, 12, 30)
MAC_EPOCH = datetime(1904, 1, 1)


def cell_write(value: object, style: int | None, named: dict[str, int], epoch: datetime) -> CellWrite:
    """A Python value as the cell write the row patch applies (dates get the 'date' style)."""
    kind = type(value)
    if kind is str:
        return CellWrite("str", value, style)
    if value is None:
        return CellWrite("none", "", style)
    if kind is bool:
        return CellWrite("bool", "1" if value else "0", style)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = number_text(value)
        return CellWrite("num", text, style) if text is not None else CellWrite("none", "", style)
    if isinstance(value, date):
        return CellWrite("num", serial_text(value, epoch), style if style is not None else named["date"])
    # str / bool subclasses
    return CellWrite("str" if isinstance(value, str) else "bool",
                     value if isinstance(value, str) else ("1" if value else "0"), style)


def serial_text(value: date, epoch: datetime) -> str:
    """The Excel serial of a date / datetime as <v> text (openpyxl's to_excel arithmetic)."""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    else:
        value = datetime(value.year, value.month, value.day)
    days = (value - epoch).days
    if 0 < days <= 60 and epoch == WINDOWS_EPOCH:
        days -= 1  # Excel's 1900-02-29
    serial = days + (value.hour * 3600 + value.minute * 60 + value.second
                     + value.microsecond / 10**6) / 86400
    return number_text(int(serial) if float(serial).is_integer() else serial)
