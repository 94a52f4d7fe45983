"""The one place that reads the wall clock: today and now in China Standard Time.

Entry points (cli, excel, scheduler, the library face) call now_cst() when no time is
given; everything below them takes `as_of` / `now` as parameters.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

CST = timezone(timedelta(hours=8), "CST")  # China Standard Time; China keeps no DST


def now_cst() -> datetime:
    """The current time in Beijing, naive (the registers' times carry no zone)."""
    return datetime.now(CST).replace(tzinfo=None)
