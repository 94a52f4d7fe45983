"""Reporting periods: a month, a quarter or a year (SPEC §6–8, §10).

`parse_period` reads what staff and scripts write ("2026-10", "2026年10月",
"2026Q3", "2026-Q3", "2026年第三季度", "2026", "2026年"); every Period knows its
first and last day, a stable label ("2026-10", "2026Q3", "2026") and a Chinese
title for sheets ("2026年10月", "2026年第三季度", "2026年").
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"

_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_ZH_QUARTER = {1: "一", 2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True)
class Period:
    kind: str  # "month" | "quarter" | "year"
    start: date  # first day, inclusive
    end: date  # last day, inclusive
    label: str  # "2026-10" | "2026Q3" | "2026"

    def contains(self, d: date | None) -> bool:
        return d is not None and self.start <= d <= self.end

    @property
    def title(self) -> str:
        """Chinese name for sheets and messages: 2026年10月 / 2026年第三季度 / 2026年."""
        y = self.start.year
        if self.kind == MONTH:
            return f"{y}年{self.start.month}月"
        if self.kind == QUARTER:
            return f"{y}年第{_ZH_QUARTER[(self.start.month - 1) // 3 + 1]}季度"
        return f"{y}年"

    def months(self) -> list["Period"]:
        """The month periods inside this period, in order."""
        return months_between(self.start, self.end)


def month(year: int, m: int) -> Period:
    if not 1 <= m <= 12:
        raise ValueError(f"月份「{m}」不存在，应为 1–12")
    last = calendar.monthrange(year, m)[1]
    return Period(MONTH, date(year, m, 1), date(year, m, last), f"{year}-{m:02d}")


def quarter(year: int, q: int) -> Period:
    if not 1 <= q <= 4:
        raise ValueError(f"季度「{q}」不存在，应为 1–4")
    first = 3 * (q - 1) + 1
    last = calendar.monthrange(year, first + 2)[1]
    return Period(QUARTER, date(year, first, 1), date(year, first + 2, last), f"{year}Q{q}")


def year(y: int) -> Period:
    return Period(YEAR, date(y, 1, 1), date(y, 12, 31), f"{y}")


def month_of(d: date) -> Period:
    return month(d.year, d.month)


def quarter_of(d: date) -> str:
    """The quarter label of a day: date(2026, 8, 1) -> "2026Q3"."""
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


def quarter_period_of(d: date) -> Period:
    return quarter(d.year, (d.month - 1) // 3 + 1)


def previous_month(d: date) -> Period:
    """The calendar month before the one d is in."""
    return month(d.year - 1, 12) if d.month == 1 else month(d.year, d.month - 1)


def previous_quarter(d: date) -> Period:
    """The calendar quarter before the one d is in."""
    q = (d.month - 1) // 3 + 1
    return quarter(d.year - 1, 4) if q == 1 else quarter(d.year, q - 1)


def previous_year(d: date) -> Period:
    return year(d.year - 1)


def months_between(start: date, end: date) -> list[Period]:
    """Month periods from start's month to end's month, both included ([] if end < start)."""
    out: list[Period] = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(month(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def quarters_between(start: date, end: date) -> list[Period]:
    """Quarter periods from start's quarter to end's quarter, both included ([] if end's quarter is earlier)."""
    out: list[Period] = []
    y, q = start.year, (start.month - 1) // 3 + 1
    while (y, q) <= (end.year, (end.month - 1) // 3 + 1):
        out.append(quarter(y, q))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def last_months(d: date, n: int = 12) -> list[Period]:
    """The n month periods ending with d's month, oldest first."""
    y, m = divmod(d.year * 12 + d.month - 1 - (n - 1), 12)
    return months_between(date(y, m + 1, 1), d)


_RE_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$")
_RE_QUARTER = re.compile(r"^(\d{4})\s*(?:年\s*)?[-/]?\s*(?:Q\s*([1-4])|第?\s*([一二三四1-4])\s*季度?)$")
_RE_YEAR = re.compile(r"^(\d{4})\s*(?:年度?)?$")


def parse_period(text: str) -> Period:
    """"2026-10" / "2026年10月" -> month; "2026Q3" / "2026-Q3" / "2026年第三季度" -> quarter;
    "2026" / "2026年" -> year. Full-width digits and letters are accepted.
    Raises ValueError with a Chinese message on anything else."""
    s = unicodedata.normalize("NFKC", str(text)).strip().upper()
    m = _RE_QUARTER.match(s)
    if m:
        return quarter(int(m.group(1)), _ZH_DIGITS[m.group(2) or m.group(3)])
    m = _RE_MONTH.match(s)
    if m:
        mm = int(m.group(2))
        if not 1 <= mm <= 12:
            raise ValueError(f"期间「{text}」的月份不存在，应为 1–12 月，例如 2026-10")
        return month(int(m.group(1)), mm)
    m = _RE_YEAR.match(s)
    if m:
        return year(int(m.group(1)))
    raise ValueError(f"无法识别期间「{text}」：月份写作 2026-10，季度写作 2026Q3 或 2026年第三季度，"
                     f"年度写作 2026")


_KIND_WORD = {MONTH: "月份", QUARTER: "季度", YEAR: "年度"}


def is_finished(period: Period, as_of: date) -> bool:
    """A period has ended once its last day is over: as_of is after it."""
    return as_of > period.end


def unfinished_note(period: Period, as_of: date | None) -> str:
    """「截至 2026-12-02，季度未结束」 for a period not yet over on as_of, else ""."""
    if as_of is None or is_finished(period, as_of):
        return ""
    return f"截至 {as_of.isoformat()}，{_KIND_WORD[period.kind]}未结束"
