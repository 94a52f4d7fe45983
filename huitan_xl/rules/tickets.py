"""Ticket states, deadlines, extensions and the supervision ladder (SPEC §5).

STUB — interface fixed, implementation pending (helper: calendar+tickets).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model import Src

# states
ON_THE_SPOT = "现场答复"
PENDING = "待答复"
OVERDUE_OPEN = "逾期未答复"
ON_TIME = "按期答复"
LATE = "逾期答复"
CLOSED = "已办结"

# supervision ladder (督办提示)
DUE_SOON = "即将到期"
URGE = "催办"
REPORT = "通报"
UNSATISFACTORY = "成效不理想"


@dataclass(frozen=True)
class TicketStatus:
    item_id: str
    state: str
    deadline: date | None  # effective deadline (default, extension, rolled to a working day)
    days_overdue: int | None  # calendar days (SPEC §5); None when not overdue
    workdays_overdue: int | None
    hint: str  # "" / 即将到期 / 催办 / 通报 / 成效不理想
    department: str
    head: str
    supervisor: str  # named, else the level's lead person
    src: Src | None = None


def ticket_statuses(regs, calendar, settings, as_of: date) -> tuple[list[TicketStatus], list]:
    """One TicketStatus per item (on-the-spot items too, state 现场答复), plus findings
    (T01 late extension, T02 unpublished reply, T03 no deadline, T04 unsatisfactory)."""
    raise NotImplementedError
