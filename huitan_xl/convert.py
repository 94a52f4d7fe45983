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
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Callable, NamedTuple

from . import schema


class Bad(NamedTuple):
    code: str  # R01 / R02 / R03 / R04 / R06 / R11
    choices: tuple[str, ...] = ()  # valid values, for findings.did_you_mean
    why: str = ""  # what is wrong, when the code's general message would mislead


class NoYear(NamedTuple):
    """A date written without its year (9月10日, 11.5): read.py takes the year from the row
    (its talk's date, another date in the row) or from the register's title."""

    month: int
    day: int


class Offset(NamedTuple):
    """A deadline written as a span from assignment: 5个工作日 (workdays=True) or 15天."""

    days: int
    workdays: bool


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


_DATE_MD = re.compile(r"(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*[日号]?")
_BEFORE = re.compile(r"(?:之前|以前|前|止|为止|截止|内)$")
_UNDECIDED = ("待商定", "另行商定", "待定", "未定", "长期", "另定", "待协商", "协商", "视情况")
_NO_YEAR_WHY = "没有年份，且本行和表头上方的标题中都找不到年份"
SMALL_NUMBER_WHY = "是一个数字，不是日期：单元格设置为日期格式，这个数字显示为 1900 年的日期；请按 2026-3-5 的格式重新填写"
TIME_WHY = "是时间，不是日期；请按 2026-3-5 的格式填写日期"


def typed_number(v: object) -> float | None:
    """The number she typed into a date-formatted cell that the reader turned into a time or a
    date before 1901 (python-calamine: 0.1 -> 02:24:00, 1 -> 1900-01-01, 1.5 -> 1900-01-01
    12:00, 61 -> 1900-03-01; Excel's phantom 1900-02-29, 60, comes back as 59); None for
    any other value."""
    cls = v.__class__
    if cls is time:
        return round((v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6) / 86400, 9)
    if cls is date or cls is datetime:
        if v.year > 1900:
            return None
        at = v if cls is datetime else datetime(v.year, v.month, v.day)
        days = at - datetime(1899, 12, 31 if at < datetime(1900, 3, 1) else 30)
        return round(days.days + days.seconds / 86400 + days.microseconds / 864e8, 9)
    return None


def _month_day(m: int, d: int) -> NoYear | Bad:
    try:
        date(2024, m, d)  # a leap year: 2月29日 is a valid month-day
    except ValueError:
        return Bad("R01")
    return NoYear(m, d)


def to_date(v: object) -> date | None | Bad | NoYear:
    """Excel date, serial number (46086 -> 2026-03-05), 20260305, or text
    2026-3-5 / 2026/03/05 / 2026.3.5 / 2026年3月5日 / 2026-03-05 00:00:00, also with
    前 / 之前 (10月22日前). Without a year (9月10日, 11.5 typed as text or as a number)
    -> NoYear for read.py to complete; a number with one decimal that may have lost a
    trailing zero (11.1 = 11.1 or 11.10?) and a date before 1901 (a small number in a
    date-formatted cell) are Bad."""
    cls = v.__class__
    if cls is date:
        return v if v.year > 1900 else Bad("R01", why=SMALL_NUMBER_WHY)
    if cls is datetime:
        return v.date() if v.year > 1900 else Bad("R01", why=SMALL_NUMBER_WHY)
    if cls is str:
        s = v.strip()
        if not s:
            return None
        s = unicodedata.normalize("NFKC", s)
        m = _DATE_TEXT.fullmatch(s) or _DATE_COMPACT.fullmatch(s)
        if m:
            return _ymd(*m.groups())
        s = _SPACES.sub("", s)
        if any(w in s for w in _UNDECIDED):
            return Bad("R01", why="不是日期（尚未确定）；留空的答复时限按规则配置中的默认答复时限计算，确定后请填写日期")
        s = _BEFORE.sub("", s)
        m = _DATE_TEXT.fullmatch(s) or _DATE_COMPACT.fullmatch(s)
        if m:
            return _ymd(*m.groups())
        m = _DATE_MD.fullmatch(s)
        return _month_day(int(m.group(1)), int(m.group(2))) if m else Bad("R01")
    if cls is float or cls is int:
        if 19000101 <= v <= 99991231 and float(v).is_integer():
            n = int(v)
            return _ymd(n // 10000, n // 100 % 100, n % 100)
        if _SERIAL_MIN <= v <= _SERIAL_MAX:
            return _EXCEL_EPOCH + timedelta(days=int(v))
        if cls is float and 1 <= v < 13 and not v.is_integer():
            month, _, frac = repr(v).partition(".")
            if len(frac) == 2 or frac in ("4", "5", "6", "7", "8", "9"):
                return _month_day(int(month), int(frac))
            return Bad("R01", why=f"可能是 {month}月{frac}日 也可能是 {month}月{frac}0日（数字丢掉了末尾的 0）；"
                                  f"请写成 2026-{month}-{frac} 这样的完整日期")
        return Bad("R01")
    if v is None:
        return None
    if cls is time:  # a number below 1 in a date- or time-formatted cell (read_table tells which)
        return Bad("R01", why=SMALL_NUMBER_WHY)
    return Bad("R01")  # bool, timedelta


_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_OFFSET = re.compile(r"(\d{1,3}|[一二两三四五六七八九十]{1,3})个?(工作日|天|日|自然日)(?:内|之内|以内)?")


def _cn_int(t: str) -> int:
    if t.isdigit():
        return int(t)
    if "十" not in t:
        return _CN_NUM[t]
    tens, _, ones = t.partition("十")
    return (_CN_NUM[tens] if tens else 1) * 10 + (_CN_NUM[ones] if ones else 0)


def to_deadline(v: object) -> date | None | Bad | NoYear | Offset:
    """答复时限 as clerks write it: a date (to_date), or a span from assignment:
    5个工作日 / 五个工作日内 -> Offset(5, workdays); 15天 / 15个自然日 -> Offset(15, calendar)."""
    if v.__class__ is str:
        s = _SPACES.sub("", unicodedata.normalize("NFKC", v.strip()))
        m = _OFFSET.fullmatch(s)
        if m:
            try:
                n = _cn_int(m.group(1))
            except KeyError:
                return Bad("R01")
            if 1 <= n <= 366:
                return Offset(n, m.group(2) == "工作日")
            return Bad("R01")
    return to_date(v)


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
_YES = {"是", "是的", "y", "yes", "√", "✓", "✔", "1", "true", "对",
        "已解决", "解决", "已办结", "办结", "已落实", "落实", "已完成", "完成", "已处理"}
_NO = {"否", "不是", "n", "no", "×", "✗", "✘", "x", "0", "false",
       "未解决", "没解决", "部分解决", "未办结", "未落实", "未完成", "正在解决", "解决中", "办理中", "落实中"}
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
def enum_converter(choices: tuple[str, ...] | list[str],
                   synonyms: dict[str, str] | None = None) -> Callable[[object], str | Bad]:
    """Exact match after normalising spaces, brackets and case -> the canonical choice;
    `synonyms` (schema.VALUE_SYNONYMS) are other words for a choice."""
    table = {squash(k): c for k, c in (synonyms or {}).items()}
    table.update({squash(c): c for c in choices})
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
# The one list-splitting rule: names in one cell (提出人, 邀请科室, 选人单位, 关键词, 通知邮箱 …)
# are separated by 、 , ， ; ； / ／ or whitespace.
LIST_SEPARATORS = re.compile(r"[、,，;；/／\s]+")


# 编号 lists (--ids, 承办单编号 on 说明) split the same way except on / and ／: a register's
# 编号 may contain one (2026/015).
ID_SEPARATORS = re.compile(r"[、,，;；\s]+")


def split_ids(s: str | None) -> tuple[str, ...]:
    """"SQ-1、2026/015 SQ-3" -> ("SQ-1", "2026/015", "SQ-3")."""
    return tuple(p for p in ID_SEPARATORS.split(s) if p) if s else ()


def split_list(s: str | None) -> tuple[str, ...]:
    """"张三、李四 / 王五" -> ("张三", "李四", "王五"); blank parts dropped."""
    return tuple(p for p in LIST_SEPARATORS.split(s) if p) if s else ()


def to_list(v: object) -> tuple[str, ...]:
    return split_list(text(v))


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
        return enum_converter(field.choices, schema.VALUE_SYNONYMS.get(field.header))
    if t == "deadline":
        return to_deadline
    if t == "list":
        return to_list
    if t == "month":
        return to_month
    if t == "quarter":
        return to_quarter
    if t == "raw":
        return raw
    raise ValueError(f"unknown field type {t!r} for {field.header}")


EMPTY = {"str": "", "date": None, "deadline": None, "int": None, "yesno": None, "level": None, "enum": "",
         "list": (), "month": "", "quarter": "", "raw": None}
