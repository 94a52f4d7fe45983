"""Cell values -> typed values, one converter per schema field type (schema.py).

Pure functions used by read.py. A converter takes one value as python-calamine
returns it (str, float, int, bool, date, datetime, time, timedelta; '' for an
empty cell) and returns the typed value, None / "" for an empty cell, or a
`Bad` marker for a value it cannot read. read.py turns a Bad into a Finding.
Converters are chosen once per column and memoised per distinct value there.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Callable, NamedTuple

from . import schema


class Bad(NamedTuple):
    code: str  # R01 / R02 / R03 / R04 / R06 / R11
    choices: tuple[str, ...] = ()  # valid values, for findings.did_you_mean


# ---- normalising text ------------------------------------------------------
_SPACES = re.compile(r"\s+")
_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "[", "〕": "]", "［": "[", "］": "]"})


def squash(text: str) -> str:
    """Comparable form of a header, level, enum or parameter name: full-width to
    half-width (NFKC), 【】 to [], no whitespace at all (incl. U+3000 and line
    breaks), lower case, no trailing colon and no required-marker asterisk."""
    s = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    s = _SPACES.sub("", s).lower()
    return s.strip("*:")


def text(v: object) -> str:
    """Any cell as text: numbers lose a trailing .0 (an ID typed as 123 -> "123")."""
    cls = v.__class__
    if cls is str:
        return v.strip()
    if cls is float:
        return str(int(v)) if v.is_integer() else repr(v)
    if cls is bool:
        return "TRUE" if v else "FALSE"
    if cls is datetime:
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat(" ")
    if v is None:
        return ""
    if cls is date:
        return v.isoformat()
    return str(v)


# ---- dates -----------------------------------------------------------------
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 367, 2958465  # 1901-01-01 .. 9999-12-31
_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s+|T)\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _ymd(y: str | int, m: str | int, d: str | int) -> date | Bad:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return Bad("R01")


def to_date(v: object) -> date | None | Bad:
    """Excel date, serial number (46086 -> 2026-03-05), 20260305, or text
    2026-3-5 / 2026/03/05 / 2026.3.5 / 2026年3月5日 / 2026-03-05 00:00:00."""
    cls = v.__class__
    if cls is date:
        return v
    if cls is datetime:
        return v.date()
    if cls is str:
        s = v.strip()
        if not s:
            return None
        s = unicodedata.normalize("NFKC", s)
        m = _DATE_TEXT.fullmatch(s) or _DATE_COMPACT.fullmatch(s)
        return _ymd(*m.groups()) if m else Bad("R01")
    if cls is float or cls is int:
        if 19000101 <= v <= 99991231 and float(v).is_integer():
            n = int(v)
            return _ymd(n // 10000, n // 100 % 100, n % 100)
        if _SERIAL_MIN <= v <= _SERIAL_MAX:
            return _EXCEL_EPOCH + timedelta(days=int(v))
        return Bad("R01")
    if v is None:
        return None
    return Bad("R01")  # bool, time, timedelta


_MONTH_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_MONTH_COMPACT = re.compile(r"(\d{4})(\d{2})")


def to_month(v: object) -> str | Bad:
    """2026-10, 2026/10, 2026年10月, 202610, or a date -> "2026-10"."""
    if v.__class__ is str:
        s = unicodedata.normalize("NFKC", v.strip())
        if not s:
            return ""
        m = _MONTH_TEXT.fullmatch(s) or _MONTH_COMPACT.fullmatch(s)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            return f"{y:04d}-{mo:02d}" if 1 <= mo <= 12 else Bad("R01")
    if v is None:
        return ""
    d = to_date(v)
    if d.__class__ is date:
        return f"{d.year:04d}-{d.month:02d}"
    return Bad("R01")


_QUARTER_TEXT = re.compile(r"(\d{4})(?:年|-|_|/)?(?:第)?([1-4一二三四])(?:季度|季)")
_QUARTER_Q = re.compile(r"(\d{4})(?:年|-|_|/)?Q([1-4])")
_CN_DIGIT = {"一": "1", "二": "2", "三": "3", "四": "4"}


def to_quarter(v: object) -> str | Bad:
    """2026Q3, 2026-Q3, 2026 q3, 2026年第三季度, 2026年3季度 -> "2026Q3"."""
    if v is None or v == "":
        return ""
    if v.__class__ is not str:
        return Bad("R11")
    s = _SPACES.sub("", unicodedata.normalize("NFKC", v)).upper()
    if not s:
        return ""
    m = _QUARTER_Q.fullmatch(s) or _QUARTER_TEXT.fullmatch(s)
    if not m:
        return Bad("R11")
    return f"{m.group(1)}Q{_CN_DIGIT.get(m.group(2), m.group(2))}"


# ---- yes / no --------------------------------------------------------------
_YES = {"是", "是的", "y", "yes", "√", "✓", "✔", "1", "true", "对"}
_NO = {"否", "不是", "n", "no", "×", "✗", "✘", "x", "0", "false"}
_YES_NO = tuple(schema.YES_NO)


def to_yesno(v: object) -> bool | None | Bad:
    cls = v.__class__
    if cls is bool:
        return v
    if cls is str:
        s = squash(v)
        if not s:
            return None
        if s in _YES:
            return True
        if s in _NO:
            return False
        return Bad("R02", _YES_NO)
    if cls is float or cls is int:
        if v == 1:
            return True
        if v == 0:
            return False
    if v is None:
        return None
    return Bad("R02", _YES_NO)


# ---- levels ----------------------------------------------------------------
def _level_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for code, name, _role, _units in schema.LEVEL_TABLE:
        full = squash(name)
        keys[code.lower()] = code
        keys[full] = code
        keys[full.replace("(", "").replace(")", "")] = code
        keys[full.split("(")[0]] = code  # 群监员 = 群监员（青安岗）
    return keys


LEVEL_KEYS = _level_keys()
LEVEL_NAME = {code: name for code, name, _r, _u in schema.LEVEL_TABLE}
# for "did you mean": full names, then the short names staff also write
LEVEL_CHOICES = tuple(schema.LEVEL_NAMES) + tuple(
    n.split("（")[0] for n in schema.LEVEL_NAMES if "（" in n)


def to_level(v: object) -> str | None | Bad:
    """A level name in any common spelling, or a code L1..L8 -> the code."""
    s = text(v)
    if not s:
        return None
    code = LEVEL_KEYS.get(squash(s).replace("[", "(").replace("]", ")"))
    if code:
        return code
    return Bad("R03", LEVEL_CHOICES)


# ---- enumerations ----------------------------------------------------------
def enum_converter(choices: tuple[str, ...] | list[str]) -> Callable[[object], str | Bad]:
    """Exact match after normalising spaces, brackets and case -> the canonical choice."""
    table = {squash(c): c for c in choices}
    choice_tuple = tuple(choices)

    def convert(v: object) -> str | Bad:
        s = text(v)
        if not s:
            return ""
        hit = table.get(squash(s))
        if hit is not None:
            return hit
        return Bad("R04", choice_tuple)
    return convert


# ---- numbers ---------------------------------------------------------------
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_UNITS = ("元", "分", "人", "个", "件", "次")


def to_int(v: object) -> int | None | Bad:
    """1000, 1000.0, "1,000", "1000元", "1.2万" -> int; 1000.5 or text -> Bad."""
    cls = v.__class__
    if cls is float:
        return int(v) if v.is_integer() else Bad("R06")
    if cls is int:
        return v
    if cls is str:
        s = unicodedata.normalize("NFKC", v)
        s = _SPACES.sub("", s).replace(",", "")
        if not s:
            return None
        if s.endswith(_UNITS):
            s = s[:-1]
        scale = 1
        if s.endswith("万"):
            s, scale = s[:-1], 10000
        if not _NUMBER.fullmatch(s):
            return Bad("R06")
        try:
            n = Decimal(s) * scale
        except InvalidOperation:  # pragma: no cover - the regex admits only numbers
            return Bad("R06")
        return int(n) if n == n.to_integral_value() else Bad("R06")
    if v is None:
        return None
    return Bad("R06")  # bool, dates, times


# ---- lists -----------------------------------------------------------------
_LIST_SPLIT = re.compile(r"[、,，;；/／\s]+")


def to_list(v: object) -> tuple[str, ...]:
    s = text(v)
    if not s:
        return ()
    return tuple(p for p in _LIST_SPLIT.split(s) if p)


def raw(v: object) -> object:
    return v.strip() if v.__class__ is str else v


def converter(field: schema.Field) -> Callable[[object], object]:
    """The converter for a field's type (schema.py comment block)."""
    t = field.type
    if t == "str":
        return text
    if t == "date":
        return to_date
    if t == "int":
        return to_int
    if t == "yesno":
        return to_yesno
    if t == "level":
        return to_level
    if t == "enum":
        return enum_converter(field.choices)
    if t == "list":
        return to_list
    if t == "month":
        return to_month
    if t == "quarter":
        return to_quarter
    if t == "raw":
        return raw
    raise ValueError(f"unknown field type {t!r} for {field.header}")


EMPTY = {"str": "", "date": None, "int": None, "yesno": None, "level": None, "enum": "",
         "list": (), "month": "", "quarter": "", "raw": None}
