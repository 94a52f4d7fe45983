"""Coverage (全覆盖, SPEC §4): per level, the share of active members who attended
at least one session in the coverage period, and who is still waiting.

Pure: Registers + period -> rows. The period comes from coverage_period().
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .. import periods
from ..model import Person, Registers
from ..rules.selection import (LEVEL_CODES, covered_ids, first_sessions, in_period, level_name,
                               natural_key, roster)
from ..settings import Settings

ALL = "全部"
YEAR = "自然年"
QUARTER = "季度"


@dataclass(frozen=True)
class LevelCoverage:
    code: str
    name: str
    active: int  # members of the level active at the period's end
    covered: int  # of those, attended any session dated in the period
    sessions: int  # regular 八级慧谈 sessions of the level held in the period
    uncovered: tuple[Person, ...]  # key persons first, then by 工号

    @property
    def share(self) -> float:
        return self.covered / self.active if self.active else 0.0


def uncovered_order(p: Person) -> tuple:
    return (0 if p.key_reason else 1, natural_key(p.id))


def coverage_line(rows: list[LevelCoverage], regs: Registers) -> str:
    """validate's one-line coverage (覆盖率：职工 137/236；…), or — when no level has an active member —
    why none can be computed, instead of 0/0 for every level."""
    if any(r.active for r in rows):
        return "覆盖率：" + "；".join(f"{r.name} {r.covered}/{r.active}" for r in rows)
    if not regs.persons:
        return "覆盖率：职工名册没有人员，无法计算各层级的覆盖率"
    return "覆盖率：职工名册中没有期末在职且填写了层级的人员，无法计算各层级的覆盖率"


def coverage(regs: Registers, period: tuple[date, date]) -> list[LevelCoverage]:
    covered = covered_ids(regs, period)
    people = list(roster(regs).values())
    held = [s for s in first_sessions(regs) if s.regular and in_period(s.date, period)]
    out = []
    for code in LEVEL_CODES:
        active = [p for p in people if p.level == code and p.active_on(period[1])]
        waiting = sorted((p for p in active if p.id not in covered), key=uncovered_order)
        out.append(LevelCoverage(code, level_name(regs, code), len(active), len(active) - len(waiting),
                                 sum(1 for s in held if s.level == code), tuple(waiting)))
    return out


_RANGE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*(?:\.\.|~|～|至|到)\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def parse_period(text: str) -> tuple[date, date] | None:
    """'2026', '2026Q3' (also 2026-Q3, 2026年第三季度), '2026-03' (periods.parse_period), or a
    range '2026-01-01..2026-06-30' -> (first day, last day); None when not understood."""
    t = (text or "").strip()
    try:
        p = periods.parse_period(t)
        return p.start, p.end
    except ValueError:
        pass
    if m := _RANGE.match(t):
        try:
            lo = date(int(m[1]), int(m[2]), int(m[3]))
            hi = date(int(m[4]), int(m[5]), int(m[6]))
        except ValueError:  # month 13, Feb 30 ...
            return None
        return (lo, hi) if lo <= hi else None
    return None


def coverage_period(settings: Settings | None, as_of: date, override: str | None = None) -> tuple[date, date]:
    """The coverage period: `override` (from the command line) if given, else the
    覆盖周期 setting. 自然年 -> the calendar year of as_of; 季度 -> its quarter;
    全部 -> (date.min, date.max); or an explicit year / quarter / month / range.
    An override that cannot be understood raises ValueError (a usage error); an
    unreadable setting falls back to 自然年."""
    if override is not None:
        got = _named(override.strip(), as_of) or parse_period(override)
        if got is None:
            raise ValueError(f"无法识别的统计周期「{override}」；可填 自然年、季度、全部、2026、2026Q3、"
                             f"2026-03 或 2026-01-01..2026-06-30。")
        return got
    value = str(getattr(settings, "coverage_period", YEAR) or YEAR).strip()
    return _named(value, as_of) or parse_period(value) or _named(YEAR, as_of)


def _named(value: str, as_of: date) -> tuple[date, date] | None:
    if value == YEAR:
        return date(as_of.year, 1, 1), date(as_of.year, 12, 31)
    if value == QUARTER:
        q = periods.quarter_period_of(as_of)
        return q.start, q.end
    if value == ALL:
        return date.min, date.max
    return None


def period_text(period: tuple[date, date]) -> str:
    if period == (date.min, date.max):
        return ALL
    return f"{period[0].isoformat()} 至 {period[1].isoformat()}"
