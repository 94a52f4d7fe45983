"""Working days (SPEC §5): China's public holidays and 调休 make-up workdays from
the `holidays` package, overridden by the 节假日 sheet.

STUB — interface fixed, implementation pending (helper: calendar+tickets).
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from .model import DayOverride


class WorkCalendar:
    def __init__(self, overrides: Iterable[DayOverride] = ()):  # 节假日 rows win over the library
        raise NotImplementedError

    def is_workday(self, d: date) -> bool: ...
    def roll_forward(self, d: date) -> date:
        """d if it is a working day, else the next working day."""
    def add_workdays(self, d: date, n: int) -> date:
        """The n-th working day after d (n >= 1); n == 0 -> roll_forward(d)."""
    def workdays_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; 0 when b <= a."""
    def year_findings(self, years: Iterable[int]) -> list:
        """C01 warning for each year the library has no official schedule for."""
