"""年度考核 (SPEC §8): per department, the year's deductions and the three measures
the source names — 职工是否满意、诉求是否解决、问题是否落实 — with a ranking.

Counts are over the tickets assigned in the year (交办日期; blank: the session's
date). Rates are exact Fractions (None when there is nothing to rate).

Rates: 满意率 = (满意 + 基本满意) ÷ rated tickets; 解决率 / 落实率 = tickets answered
with 是否解决 / 是否落实 = 是 ÷ answered tickets (a ticket left unanswered past its
deadline is charged in the points instead, D01).

Ranking: most points kept first (fewest deducted), then the 综合得分, highest
first: Σ(weight × rate) ÷ Σweight over the rates the department has (weights
满意率权重 / 解决率权重 / 落实率权重 in 规则配置, default 40 / 30 / 30); a
department with no rate at all sorts after every department with one.
Departments equal on both share a rank (1, 1, 3: standard competition ranking);
the name only orders the lines. A department with no ticket assigned in the year
is, by default (规则配置 无承办任务部门 = 单列), listed after the ranking as
「本年度无承办任务」 and not ranked; with 参与排名 it is ranked like the others.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Iterable

from ..model import Registers
from ..periods import Period


@dataclass(frozen=True)
class DepartmentAssessment:
    department: str
    head: str
    points: int  # sum of the year's deductions (negative or 0)
    events: int  # ledger rows in the year
    rated: int  # tickets with a satisfaction rating
    satisfied: int  # 满意 + 基本满意
    tickets: int  # tickets assigned in the year
    resolved: int  # replied tickets with 是否解决 = 是
    implemented: int  # replied tickets with 是否落实 = 是
    rank: int
    replied: int = 0  # tickets with a reply date
    score: Fraction | None = None  # 综合得分 (0..1), None when no rate can be computed
    idle: bool = False  # no ticket in the year and listed apart (rank 0)

    @property
    def satisfaction_rate(self) -> Fraction | None:
        return Fraction(self.satisfied, self.rated) if self.rated else None

    @property
    def resolution_rate(self) -> Fraction | None:
        return Fraction(self.resolved, self.replied) if self.replied else None

    @property
    def implementation_rate(self) -> Fraction | None:
        return Fraction(self.implemented, self.replied) if self.replied else None


IDLE = "本年度无承办任务"


def weights(settings) -> tuple[int, int, int]:
    """(满意率, 解决率, 落实率) weights from 规则配置; negative ones count as 0."""
    return tuple(max(0, int(getattr(settings, a, d) or 0)) for a, d in
                 (("weight_satisfaction", 40), ("weight_resolution", 30), ("weight_implementation", 30)))


def ranks_idle(settings) -> bool:
    """规则配置 无承办任务部门: 参与排名 ranks departments without tickets; anything else lists them apart."""
    return str(getattr(settings, "idle_departments", "") or "").strip().startswith("参与")


def score_of(r: DepartmentAssessment, w: tuple[int, int, int]) -> Fraction | None:
    parts = [(k, f) for k, f in zip(w, (r.satisfaction_rate, r.resolution_rate, r.implementation_rate))
             if f is not None and k]
    total = sum(k for k, _ in parts)
    return sum(k * f for k, f in parts) / total if total else None


def assess(regs: Registers, statuses: Iterable, ledger: Iterable, year: Period
           ) -> list[DepartmentAssessment]:
    """One row per department: every department of the 部门 sheet, ranked, then — with rank 0,
    not ranked — those with no ticket in the year (idle, unless 规则配置 ranks them) and any
    other department that has a ticket or a deduction in the year (where the 部门 sheet is
    empty, every department is ranked)."""
    sessions = {s.id: s for s in regs.sessions}
    heads = {d.name.strip(): d.head.strip() for d in regs.departments}
    status_head = {st.item_id: st.head for st in statuses}
    names: dict[str, None] = {d.name.strip(): None for d in regs.departments}
    # per department: points, events, rated, satisfied, tickets, replied, resolved, implemented
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * 8)
    fallback_head: dict[str, str] = {}

    for e in ledger:
        if not year.contains(e.date):
            continue
        if not e.department.strip():
            continue  # no department to rank (R05 / P02 already report it)
        c = counts[e.department.strip()]
        c[0] += e.points
        c[1] += 1
        names.setdefault(e.department.strip(), None)
        if e.head:
            fallback_head[e.department.strip()] = e.head

    for it in regs.items:
        if not it.is_ticket:
            continue
        sess = sessions.get(it.session_id)
        when = it.assigned or (sess.date if sess else None)
        if not year.contains(when):
            continue
        dept = it.department.strip()
        if not dept:
            continue  # a ticket without 承办部门 is an R05 error; it cannot be ranked
        names.setdefault(dept, None)
        c = counts[dept]
        c[4] += 1
        if it.satisfaction in ("满意", "基本满意", "不满意"):
            c[2] += 1
            c[3] += it.satisfaction != "不满意"
        if it.replied is not None:
            c[5] += 1
            c[6] += it.resolved is True
            c[7] += it.implemented is True
        head = it.head.strip() or status_head.get(it.id, "")
        if head:
            fallback_head.setdefault(dept, head)

    rows, idle, unlisted = [], [], []
    listed = {d.name.strip() for d in regs.departments}
    w = weights(regs.settings)
    rank_idle = ranks_idle(regs.settings)
    for dept in names:
        c = counts.get(dept, [0] * 8)
        row = DepartmentAssessment(
            department=dept, head=heads.get(dept) or fallback_head.get(dept, ""), points=c[0],
            events=c[1], rated=c[2], satisfied=c[3], tickets=c[4], resolved=c[6], implemented=c[7],
            rank=0, replied=c[5])
        row = replace(row, score=score_of(row, w))
        # a department missing from the 部门 sheet (misspelt: R08 in 校验结果) is shown, not ranked
        if listed and dept not in listed:
            unlisted.append(row)
        elif not row.tickets and not rank_idle:
            idle.append(replace(row, idle=True))
        else:
            rows.append(row)
    rows.sort(key=lambda r: (_merit(r), r.department))
    out, prev, rank = [], None, 0
    for i, r in enumerate(rows, 1):
        if _merit(r) != prev:
            rank, prev = i, _merit(r)
        out.append(replace(r, rank=rank))
    return out + sorted(idle, key=lambda r: (-r.points, r.department)) + sorted(unlisted, key=lambda r: r.department)


def _merit(r: DepartmentAssessment) -> tuple:
    """Sort key, smaller is better: points kept, then the 综合得分 (None last)."""
    return (-r.points, (1, Fraction(0)) if r.score is None else (0, -r.score))
