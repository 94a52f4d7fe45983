"""成效总览 (SPEC §8): the figures the source reports for its own practice, since a start date.

Start: 规则配置「成效总览起始日期」(settings.overview_start), else the first session
date in the workbook. End: `as_of` (inclusive). Items are dated as in monthly.py
(session date, else 交办日期). A suggestion counts when the item it came from
falls in the span, or, when it has no dated source item, when its 实施日期 does;
a suggestion with neither date is counted too (it is on the register and the
register starts no earlier than the overview). Rewarded: 奖励金额 > 0 on 合理化建议.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from ..model import Registers
from ..rules.tickets import TicketStatus
from .monthly import REPLIED_STATES, Rate, item_date, items_between, session_index, status_lookup


@dataclass(frozen=True)
class Overview:
    start: date | None  # None: the workbook has no dated session and no start is set
    end: date
    sessions: int
    items: int
    on_the_spot: int  # 现场答复
    replied: int  # tickets replied (按期答复 / 逾期答复 / 已办结)
    answered: Rate  # (现场答复 + replied) / items
    resolved: int  # 是否解决 = 是 among replied tickets
    satisfied: Rate  # (满意 + 基本满意) / rated
    suggestions: int
    reasonable: int
    adopted: int
    implemented: int
    rewarded: int  # suggestions with a paid 奖励金额
    rewarded_yuan: int

    @property
    def resolved_or_answered(self) -> int:
        return self.on_the_spot + self.replied


def overview_start(regs: Registers) -> date | None:
    start = getattr(regs.settings, "overview_start", None) if regs.settings is not None else None
    if isinstance(start, date):
        return start
    dates = [s.date for s in regs.sessions if s.date is not None]
    return min(dates) if dates else None


def overview(regs: Registers, statuses: Iterable[TicketStatus], as_of: date,
             start: date | None = None) -> Overview:
    start = start or overview_start(regs)
    find = status_lookup(statuses)
    sessions = session_index(regs)
    lo = start or date.min
    held = [s for s in regs.sessions if s.date is not None and lo <= s.date <= as_of]
    items = items_between(regs, lo, as_of, sessions)
    replied = []
    for it in items:
        st = find(it)
        if it.is_ticket and st is not None and st.state in REPLIED_STATES:
            replied.append(it)
    on_spot = sum(it.on_the_spot for it in items)
    rated = [it for it in items if it.satisfaction]

    by_id = {it.id: it for it in regs.items}

    def in_span(sug) -> bool:
        src = by_id.get(sug.source_id)
        d = item_date(src, sessions) if src is not None else None
        d = d or sug.implemented_on
        return d is None or lo <= d <= as_of

    sugs = [s for s in regs.suggestions if in_span(s)]
    paid = [s for s in sugs if s.paid_amount]
    return Overview(
        start=start, end=as_of, sessions=len(held), items=len(items), on_the_spot=on_spot,
        replied=len(replied), answered=Rate("答复率", on_spot + len(replied), len(items)),
        resolved=sum(it.resolved is True for it in replied),
        satisfied=Rate("职工满意率", sum(it.satisfaction in ("满意", "基本满意") for it in rated), len(rated)),
        suggestions=len(sugs), reasonable=sum(s.reasonable is True for s in sugs),
        adopted=sum(s.adopted is True for s in sugs),
        implemented=sum(s.implementation == "已实施" for s in sugs),
        rewarded=len(paid), rewarded_yuan=sum(s.paid_amount for s in paid),
    )
