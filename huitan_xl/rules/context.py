"""The one rule contract: every check is `check(registers, ctx) -> list[Finding]`.

RuleContext carries what a rule may depend on besides the records — the day it judges by
(never the clock), the span the period rules look at (覆盖周期), the working-day calendar
and the 规则配置 settings. It is frozen: a rule cannot change what the next one sees.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..calendar import WorkCalendar
    from ..model import Registers
    from ..settings import Settings


@dataclass(frozen=True)
class RuleContext:
    as_of: date  # the day the rules judge by (deadlines, "not yet due", "this quarter")
    period: tuple[date, date]  # first and last day the period rules look at (S08, S10, S12)
    calendar: "WorkCalendar"  # working days: the holidays library + the 节假日 sheet
    settings: "Settings"  # 规则配置


def ticket_years(regs: "Registers", as_of: date) -> set[int]:
    """The years whose working days the ticket rules count: as_of's and every year a
    ticket's 交办日期, 答复时限 or 延期至 falls in."""
    years = {as_of.year}
    for it in regs.items:
        for d in (it.assigned, it.deadline, it.extended_to):
            if d is not None:
                years.add(d.year)
    return years


def make_context(regs: "Registers", as_of: date, period: tuple[date, date]) -> RuleContext:
    """The context of one run on `regs`: its calendar (with its 节假日 rows) and settings."""
    from ..calendar import WorkCalendar
    from ..settings import Settings

    settings = regs.settings if regs.settings is not None else Settings()
    return RuleContext(as_of, period, WorkCalendar(regs.day_overrides), settings)
