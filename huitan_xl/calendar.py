"""Working days (SPEC §5): China's public holidays and 调休 make-up workdays from
the `holidays` package, overridden by the 节假日 sheet.

The library's China calendar declares each year's official State Council schedule
(days off moved and the make-up working weekend days) in its substituted-days table
``ChinaStaticHolidays.special_public_holidays``. A year present in that table has an
official schedule; any other year is only the library's rule-based estimate (the
statutory festival days, with weekend festivals moved to the next weekday, and no
make-up workdays) — that is a guess, and `year_findings` says so (C01).

Each year is computed once into a flag per day (1 = working day), a running count and
the list of working days, so `is_workday` is an index, `workdays_between` a subtraction
and `add_workdays` / `roll_forward` a bisection.
"""
from __future__ import annotations

import json
import os
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import Iterable

from .findings import ERROR, INFO, WARNING, Finding, finding
from .model import DayOverride
from .rules.context import RuleContext, ticket_years

SHEET = "节假日"

# finding codes of this family (findings.FAMILIES): code -> (severity, short Chinese title)
CODES = {
    "C01": (WARNING, "该年度尚无官方节假日安排"),
    "C02": (ERROR, "节假日表填写有误"),
    "C03": (INFO, "该年度按「节假日」表计算工作日"),
}
DAY_OFF = "休"
WORKDAY = "班"


def official_years() -> frozenset[int]:
    """Years for which the installed `holidays` package carries the official schedule:
    those with substituted days (调休) in its China table."""
    from holidays.countries.china import ChinaStaticHolidays

    table = getattr(ChinaStaticHolidays, "special_public_holidays", {})
    return frozenset(y for y, rows in table.items()
                     if any(isinstance(r, tuple) and len(r) >= 4 for r in _rows(rows)))


def _rows(rows) -> tuple:
    # a year maps to one tuple or to a tuple of tuples
    return (rows,) if rows and not isinstance(rows[0], tuple) else tuple(rows)


def _library_flags(y: int) -> bytes:
    """The `holidays` package's China calendar for year y: one byte per day, 1 = working day."""
    import holidays

    lib = holidays.China(years=y)  # public holidays (category PUBLIC) of year y
    start = date(y, 1, 1).toordinal()
    n = date(y + 1, 1, 1).toordinal() - start if y < 9999 else 365
    return bytes(lib.is_working_day(date.fromordinal(start + i)) for i in range(n))


def _holidays_version() -> str:
    """The installed holidays version, from its .dist-info folder's name (importlib.metadata
    would cost more than the cache saves)."""
    from importlib.util import find_spec

    spec = find_spec("holidays")
    if spec is not None and spec.origin:
        site = Path(spec.origin).parent.parent
        for name in os.listdir(site):
            if name.startswith("holidays-") and name.endswith(".dist-info"):
                return name[len("holidays-"):-len(".dist-info")]
    from importlib.metadata import version

    return version("holidays")


class _Library:
    """What the calendar takes from the `holidays` package, kept in a small file per
    installed holidays version (importing the package costs ~0.1 s a command; what it
    says for a given version never changes). Without a usable cache folder everything
    is computed as before."""

    def __init__(self) -> None:
        self._data: dict | None = None
        self._path: Path | None = None
        self._dirty = False

    def _load(self) -> dict:
        if self._data is None:
            self._data = {}
            try:
                folder = (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None) or \
                    os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
                self._path = Path(folder) / "huitan-xl" / f"workdays-holidays-{_holidays_version()}.json"
                data = json.loads(self._path.read_text("utf-8"))
                if data.get("format") == _CACHE_FORMAT:
                    self._data = data
            except (OSError, ValueError, ImportError, AttributeError):
                pass
        return self._data

    def official_years(self) -> frozenset[int]:
        data = self._load()
        if "official" not in data:
            data["official"] = sorted(official_years())
            self._save()
        return frozenset(data["official"])

    def flags(self, y: int) -> bytes:
        years = self._load().setdefault("years", {})
        text = years.get(str(y))
        if text is None:
            text = years[str(y)] = bytes(48 + f for f in _library_flags(y)).decode("ascii")
            self._save()
        return bytes(ord(c) - 48 for c in text)

    def _save(self) -> None:
        if self._path is None:
            return
        self._data["format"] = _CACHE_FORMAT
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._path.with_name(f"{self._path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self._data), "utf-8")
            os.replace(tmp, self._path)
        except OSError:
            pass


_CACHE_FORMAT = 1
LIBRARY = _Library()


def __getattr__(name: str):
    if name == "OFFICIAL_YEARS":  # computed on first use (it needs the library or its cache)
        return LIBRARY.official_years()
    raise AttributeError(name)


@dataclass(frozen=True)
class _Year:
    start: int  # ordinal of 1 January
    flags: bytes  # flags[i] == 1: start + i is a working day
    cum: tuple[int, ...]  # cum[i]: working days among the first i days of the year
    work: tuple[int, ...]  # ordinals of the working days, ascending


class WorkCalendar:
    def __init__(self, overrides: Iterable[DayOverride] = ()):  # 节假日 rows win over the library
        self._overrides: dict[date, DayOverride] = {}
        self._conflicts: list[tuple[DayOverride, DayOverride]] = []
        for o in overrides:
            if o is None or o.date is None or o.kind not in (DAY_OFF, WORKDAY):
                continue  # the reader reports a bad 节假日 row (R01/R04/R05)
            prev = self._overrides.get(o.date)
            if prev is not None and prev.kind != o.kind:
                self._conflicts.append((prev, o))
            self._overrides[o.date] = o  # the later row wins
        self._years: dict[int, _Year] = {}

    # ---- per-year tables -----------------------------------------------------
    def _year(self, y: int) -> _Year:
        t = self._years.get(y)
        if t is None:
            t = self._years[y] = self._build(y)
        return t

    def _build(self, y: int) -> _Year:
        start = date(y, 1, 1).toordinal()
        flags = bytearray(LIBRARY.flags(y))
        n = len(flags)
        for d, o in self._overrides.items():
            if d.year == y:
                flags[d.toordinal() - start] = o.kind == WORKDAY
        return _Year(start, bytes(flags), tuple(accumulate(flags, initial=0)),
                     tuple(start + i for i in range(n) if flags[i]))

    # ---- queries -------------------------------------------------------------
    def is_workday(self, d: date) -> bool:
        t = self._years.get(d.year) or self._year(d.year)
        return t.flags[d.toordinal() - t.start] == 1

    def roll_forward(self, d: date) -> date:
        """d if it is a working day, else the next working day."""
        y = d.year
        t = self._years.get(y) or self._year(y)
        o = d.toordinal()
        if t.flags[o - t.start]:
            return d
        i = bisect_left(t.work, o)
        while i >= len(t.work):
            y += 1
            t, i = self._year(y), 0
        return date.fromordinal(t.work[i])

    def add_workdays(self, d: date, n: int) -> date:
        """The n-th working day after d (n >= 1); n == 0 -> roll_forward(d).
        A negative n counts back: the |n|-th working day before d."""
        if n == 0:
            return self.roll_forward(d)
        y = d.year
        t = self._year(y)
        o = d.toordinal()
        if n > 0:
            i = bisect_right(t.work, o) + n - 1  # index of the n-th working day after d
            while i >= len(t.work):
                i -= len(t.work)
                y += 1
                t = self._year(y)
        else:
            i = bisect_left(t.work, o) + n  # |n|-th working day before d
            while i < 0:
                y -= 1
                t = self._year(y)
                i += len(t.work)
        return date.fromordinal(t.work[i])

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; 0 when b <= a."""
        if b <= a:
            return 0
        ta = self._years.get(a.year) or self._year(a.year)
        ia = a.toordinal() - ta.start + 1
        if a.year == b.year:
            return ta.cum[b.toordinal() - ta.start + 1] - ta.cum[ia]
        total = ta.cum[-1] - ta.cum[ia]
        for y in range(a.year + 1, b.year):
            total += self._year(y).cum[-1]
        tb = self._year(b.year)
        return total + tb.cum[b.toordinal() - tb.start + 1]

    # ---- findings ------------------------------------------------------------
    def year_findings(self, years: Iterable[int]) -> list[Finding]:
        """C01 (warning) for each year the library has no official schedule for and the
        节假日 sheet has no rows for; C03 (info) that the sheet is used when it has. C02 for a date the 节假日 sheet lists both as 休 and as 班 (the
        later row is used)."""
        years = sorted({int(y) for y in years})
        wanted = set(years)
        out: list[Finding] = []
        for y in years:
            if y in LIBRARY.official_years():
                continue
            rows = [o for o in self._overrides.values() if o.date.year == y]
            if not rows:
                out.append(finding(
                    "C01", SHEET, None, "", y,
                    f"{y}年的法定节假日和调休安排尚未公布（或本程序的日历库未收录），工作日按周末和"
                    f"推算的法定节日计算，调休上班日未知，可能不准确；请在「节假日」表中补充该年的"
                    f"放假和调休上班日期。"))
            else:
                off = sum(o.kind == DAY_OFF for o in rows)
                on = len(rows) - off
                out.append(finding(
                    "C03", SHEET, None, "", y,
                    f"{y}年的法定节假日和调休安排本程序的日历库未收录，已按「节假日」表中该年的"
                    f"{len(rows)}个日期（放假{off}天、调休上班{on}天）计算工作日；请核对该表已包含"
                    f"该年全部放假和调休上班日期。"))
        for first, later in self._conflicts:
            if later.date.year not in wanted:
                continue
            row = later.src.row if later.src else None
            first_row = f"第{first.src.row}行" if first.src else "前面一行"
            out.append(finding(
                "C02", SHEET, row, "类型", later.kind,
                f"日期 {later.date.isoformat()} 在「节假日」表中既填为「{first.kind}」（{first_row}）"
                f"又填为「{later.kind}」，现按后一行「{later.kind}」计算；请删除其中错误的一行。"))
        return out


def check(regs, ctx: RuleContext) -> list[Finding]:
    """The rule contract (rules/registry.py): C01/C02 for the years the tickets span."""
    return list(ctx.calendar.year_findings(sorted(ticket_years(regs, ctx.as_of))))
