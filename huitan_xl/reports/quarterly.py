"""季度评审 (SPEC §8): the quarter's deductions and rewards beside its three months.

Deductions are scoring.Deduction rows (department, head, points < 0, date, ...);
only those dated in the quarter are counted, so the whole ledger may be passed.
Payouts are scoring.Payout rows of this quarter's reward run (amount in yuan),
taken as given. Monthly figures follow monthly.py (items by session date).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from ..model import Registers
from ..rules.tickets import TicketStatus
from ..periods import unfinished_note
from .monthly import MonthFigures, month_span, session_index, spans_figures, status_lookup

_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True)
class DepartmentDeductions:
    department: str
    heads: str  # the heads charged, joined with 、 (one department may change head)
    events: int
    points: int  # negative total


@dataclass(frozen=True)
class UnitRewards:
    unit: str
    persons: int  # payout rows (one per proposer share)
    yuan: int


@dataclass(frozen=True)
class QuarterlyReview:
    label: str  # "2026Q3"
    title: str  # "2026年第三季度评审"
    start: date
    end: date
    months: tuple[MonthFigures, ...]  # the three months, in order
    total: MonthFigures  # the quarter as one span
    deductions: tuple[DepartmentDeductions, ...]  # largest deduction first
    deduction_events: int
    deduction_points: int  # negative
    rewards: tuple[UnitRewards, ...]
    reward_suggestions: int
    reward_yuan: int
    unfinished: str = ""  # 「截至 D，季度未结束」 when the quarter had not ended on as_of
    mine: str = ""  # the mine's name, "" when unknown
    cutoff: date | None = None  # the last day the figures count (the quarter end, or as_of before it)


def quarterly_review(regs: Registers, statuses: Iterable[TicketStatus], quarter,
                     deductions: Iterable, payouts: Iterable, as_of: date | None = None,
                     mine: str = "") -> QuarterlyReview:
    """`quarter` has .start and .end (periods.Period); deductions and payouts come from scoring.
    A quarter not over on `as_of` is titled 「截至 D，季度未结束」 and lists only the
    months begun by then."""
    start, end = quarter.start, quarter.end
    q = (start.month - 1) // 3 + 1
    find = status_lookup(statuses)
    sessions = session_index(regs)
    unfinished = unfinished_note(quarter, as_of) if hasattr(quarter, "kind") else ""
    cutoff = end if as_of is None else min(end, as_of)
    spans = [(m.label, m.start, m.end) for m in (month_span(start.year, start.month + i) for i in range(3))
             if m.start <= cutoff]
    *months, total = spans_figures(regs, find, sessions, [*spans, (f"{start.year}Q{q}", start, end)], as_of)
    months = tuple(months)

    per_dept: dict[str, list] = defaultdict(lambda: [[], 0, 0])
    for d in deductions:
        if d.date is None or not (start <= d.date <= end):
            continue
        acc = per_dept[d.department or "（未填）"]
        if d.head and d.head not in acc[0]:
            acc[0].append(d.head)
        acc[1] += 1
        acc[2] += d.points
    dept_rows = sorted((DepartmentDeductions(k, "、".join(v[0]), v[1], v[2]) for k, v in per_dept.items()),
                       key=lambda r: (r.points, r.department))

    per_unit: dict[str, list] = defaultdict(lambda: [0, 0])
    suggestion_ids = set()
    for p in payouts:
        acc = per_unit[p.unit or "（未填）"]
        acc[0] += 1
        acc[1] += p.amount
        suggestion_ids.add(p.suggestion_id)
    unit_rows = sorted((UnitRewards(k, v[0], v[1]) for k, v in per_unit.items()),
                       key=lambda r: (-r.yuan, r.unit))

    return QuarterlyReview(
        label=f"{start.year}Q{q}",
        title=f"{start.year}年第{_ZH[q]}季度评审" + (f"（{unfinished}）" if unfinished else ""),
        unfinished=unfinished, mine=mine, cutoff=cutoff,
        start=start, end=end, months=months, total=total,
        deductions=tuple(dept_rows), deduction_events=sum(r.events for r in dept_rows),
        deduction_points=sum(r.points for r in dept_rows),
        rewards=tuple(unit_rows), reward_suggestions=len(suggestion_ids),
        reward_yuan=sum(r.yuan for r in unit_rows),
    )
