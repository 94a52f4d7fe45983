"""月度职工思想动态分析报告 (SPEC §8): the month's figures as plain records.

Conventions (decided here, shown on the sheet):
  * An item belongs to the month of its session's date; when the session is
    unknown (or undated) it belongs to the month of its 交办日期. An item with
    neither is counted in ``undated_items`` and in no month.
  * 按期答复率, 问题解决率 and 问题落实率 share one denominator, the hotline's
    应办: every ticket (of any session month) whose effective deadline (答复时限,
    or an approved 延期至) falls in the period and has passed by the run's as_of
    (deadline < as_of), answered or not. 按期答复率 counts those answered on or
    before that deadline; 问题解决率 / 问题落实率 those answered with 是否解决 /
    是否落实 = 是. An unanswered due ticket lowers all three; a ticket whose
    deadline has not passed yet is in none. Replies use each item's state as the
    `statuses` know it (the run's as_of): a ticket due in October and replied in
    November counts as replied when the October report is rebuilt in December.
  * 职工满意率 counts the items of the month (by session date) that carry a rating.
  * The overdue list is taken at the month end (or at `as_of` if that is
    earlier): every ticket, of any month, whose effective deadline had passed
    and that had no reply on or before that day; days overdue count to that day.
  * 参会人次 counts each person once per session (a duplicated 参会人员 row,
    finding S07, is not a second attendance); 参会人数 counts distinct persons.
  * 承办部门 counts tickets only (an item answered on the spot has no department).
  * Suggestions are "collected in the month" when the item they came from
    (来源编号) belongs to the month; 本月实施 counts 实施日期 in the month.
  * Rates are Fractions, None when the denominator is 0 (shown as "—").
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Iterable, Sequence

from ..model import Item, Registers, Session
from ..periods import last_months, month as month_span  # month_span: the name callers use
from ..periods import unfinished_note
from ..rules.tickets import CLOSED, LATE, ON_TIME, TicketStatus
from ..schema import CATEGORIES, LEVEL_TABLE, SESSION_KINDS
from .topics_report import TopicFigures, topic_figures

REPLIED_STATES = (ON_TIME, LATE, CLOSED)
BLANK = "（未填）"

RATE_NAMES = ("按期答复率", "问题解决率", "问题落实率", "职工满意率")
DUE = "应办：答复时限（含有效延期）在本期内、统计日已过时限的承办单，无论是否答复"
RATE_DEFINITIONS = {
    "按期答复率": f"按期答复件数 ÷ 应办件数。{DUE}",
    "问题解决率": "已答复且“是否解决”为“是”的件数 ÷ 应办件数（应办同上，未答复计为未解决）",
    "问题落实率": "已答复且“是否落实”为“是”的件数 ÷ 应办件数（应办同上，未答复计为未落实）",
    "职工满意率": "本期诉求中（满意 + 基本满意）÷ 已填写满意度的件数",
}


@dataclass(frozen=True)
class Rate:
    name: str
    numerator: int
    denominator: int

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    @property
    def definition(self) -> str:
        return RATE_DEFINITIONS.get(self.name, "")


@dataclass(frozen=True)
class MonthFigures:
    """Items and the four rates for one month (a point of the 12-month trend)."""

    label: str
    items: int
    tickets: int
    on_time: Rate
    resolved: Rate
    implemented: Rate
    satisfied: Rate

    @property
    def rates(self) -> tuple[Rate, Rate, Rate, Rate]:
        return (self.on_time, self.resolved, self.implemented, self.satisfied)


@dataclass(frozen=True)
class OverdueEntry:
    item_id: str
    session_id: str
    department: str
    head: str
    supervisor: str
    deadline: date
    days_overdue: int  # calendar days to the cut-off day
    content: str


@dataclass(frozen=True)
class RiskEntry:
    item_id: str
    session_id: str
    category: str
    risk: str
    department: str
    state: str
    content: str


@dataclass(frozen=True)
class CoverageRow:
    code: str
    name: str
    active: int
    covered: int
    sessions: int
    uncovered: int
    share: Rate


@dataclass(frozen=True)
class SuggestionFunnel:
    collected: int  # from items of the month
    reasonable: int  # 合理性结论 = 合理
    adopted: int  # 是否采纳 = 是
    implemented: int  # 实施情况 = 已实施 (of those collected)
    implemented_in_month: int  # 实施日期 in the month (any suggestion)


@dataclass(frozen=True)
class MonthlyReport:
    label: str  # "2026-10"
    title: str  # "2026年10月职工思想动态分析报告"
    start: date
    end: date
    cutoff: date  # day the overdue list is taken at
    sessions: int
    sessions_by_level: tuple[tuple[str, str, int], ...]  # (code, name, count), all levels
    sessions_by_kind: tuple[tuple[str, int], ...]
    attendee_rows: int  # 参会人次: distinct (session, person) pairs
    distinct_attendees: int
    items: int
    on_the_spot: int
    tickets: int
    by_category: tuple[tuple[str, int], ...]
    by_tag: tuple[tuple[str, int], ...]
    by_department: tuple[tuple[str, int], ...]
    figures: MonthFigures
    overdue: tuple[OverdueEntry, ...]
    suggestions: SuggestionFunnel
    risks: tuple[RiskEntry, ...]
    coverage: tuple[CoverageRow, ...]
    trend: tuple[MonthFigures, ...]  # last 12 months (from the register's first), oldest first, this month last
    undated_items: int
    coverage_span: tuple[date, date] | None = None  # the span the coverage rows count
    topics: "TopicFigures | None" = None  # by topic, month on month, 反复反映 (reports/topics_report.py)
    unfinished: str = ""  # 「截至 D，月份未结束」 when the month had not ended on as_of, else ""
    mine: str = ""  # the mine's name (规则配置 / 说明 矿井名称), "" when unknown
    # items by topic: her 主题标签, else 主题（自动） from the 主题词表, else 未分类 (last)
    by_topic: tuple[tuple[str, int], ...] = ()

    @property
    def rates(self) -> tuple[Rate, Rate, Rate, Rate]:
        return self.figures.rates


# ---- shared helpers (also used by overview and quarterly) -------------------

def session_index(regs: Registers) -> dict[str, Session]:
    return {s.id: s for s in regs.sessions if s.id}


def item_date(item: Item, sessions: dict[str, Session]) -> date | None:
    """The date that places an item in a month: its session's, else 交办日期."""
    s = sessions.get(item.session_id)
    if s is not None and s.date is not None:
        return s.date
    return item.assigned


def status_lookup(statuses: Iterable[TicketStatus]):
    """item -> its TicketStatus (matched by source row first, then by 编号)."""
    by_src, by_id = {}, {}
    for st in statuses:
        if st.src is not None:
            by_src[(st.src.sheet, st.src.row)] = st
        by_id.setdefault(st.item_id, st)

    def find(item: Item) -> TicketStatus | None:
        if item.src is not None and (item.src.sheet, item.src.row) in by_src:
            return by_src[(item.src.sheet, item.src.row)]
        return by_id.get(item.id)

    return find


def items_between(regs: Registers, start: date, end: date, sessions=None) -> list[Item]:
    sessions = sessions if sessions is not None else session_index(regs)
    out = []
    for it in regs.items:
        d = item_date(it, sessions)
        if d is not None and start <= d <= end:
            out.append(it)
    return out


def _on_time(st: TicketStatus) -> bool:
    return st.state == ON_TIME or (st.state == CLOSED and not st.days_overdue)


def due_tickets(all_items: Iterable[Item], find, start: date, end: date,
                as_of: date | None) -> list[tuple[Item, TicketStatus]]:
    """应办: tickets whose effective deadline falls in start..end and has passed by
    as_of (deadline < as_of; None: every deadline in the span counts), answered or not."""
    out = []
    for it in all_items:
        if not it.is_ticket:
            continue
        st = find(it)
        if st is None or st.deadline is None or not (start <= st.deadline <= end):
            continue
        if as_of is not None and st.deadline >= as_of:
            continue
        out.append((it, st))
    return out


def figures_for(label: str, items: Sequence[Item], find,
                due: Sequence[tuple[Item, TicketStatus]]) -> MonthFigures:
    """The period's figures: `items` are the items of the period (by session date),
    `due` its 应办 tickets (due_tickets)."""
    tickets = [it for it in items if it.is_ticket]
    replied = [(it, st) for it, st in due if st.state in REPLIED_STATES]
    rated = [it for it in items if it.satisfaction]
    n = len(due)
    return MonthFigures(
        label=label, items=len(items), tickets=len(tickets),
        on_time=Rate("按期答复率", sum(_on_time(st) for _, st in replied), n),
        resolved=Rate("问题解决率", sum(it.resolved is True for it, _ in replied), n),
        implemented=Rate("问题落实率", sum(it.implemented is True for it, _ in replied), n),
        satisfied=Rate("职工满意率", sum(it.satisfaction in ("满意", "基本满意") for it in rated), len(rated)),
    )


def period_figures(regs: Registers, find, sessions, label: str, start: date, end: date,
                   as_of: date | None) -> MonthFigures:
    """figures_for over one span: its items by session date, its 应办 tickets by deadline."""
    return figures_for(label, items_between(regs, start, end, sessions), find,
                       due_tickets(regs.items, find, start, end, as_of))


def spans_figures(regs: Registers, find, sessions, spans: Iterable[tuple[str, date, date]],
                  as_of: date | None) -> list[MonthFigures]:
    """period_figures of each (label, start, end): every item's date and every ticket's status
    looked up once, not once per span (the 12 months of a trend)."""
    dated = [(d, it) for it in regs.items if (d := item_date(it, sessions)) is not None]
    due = [(st.deadline, it, st) for it in regs.items if it.is_ticket
           and (st := find(it)) is not None and st.deadline is not None and (as_of is None or st.deadline < as_of)]
    return [figures_for(label, [it for d, it in dated if start <= d <= end], find,
                        [(it, st) for d, it, st in due if start <= d <= end]) for label, start, end in spans]


def first_month(regs: Registers, sessions=None) -> date | None:
    """The first day of the register's first month: its earliest session or item date."""
    sessions = sessions if sessions is not None else session_index(regs)
    days = [s.date for s in regs.sessions if s.date is not None]
    days += [d for d in (item_date(it, sessions) for it in regs.items) if d is not None]
    return date(min(days).year, min(days).month, 1) if days else None


def _counted(values: Iterable[str], order: Sequence[str] = ()) -> tuple[tuple[str, int], ...]:
    """Counts: the `order` keys first (zeros kept), then others by count desc, name."""
    c = Counter(v or BLANK for v in values)
    head = [(k, c.pop(k, 0)) for k in order]
    rest = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(head + rest)


def level_names(regs: Registers) -> list[tuple[str, str]]:
    if regs.levels:
        return sorted(((lv.code, lv.name) for lv in regs.levels), key=lambda t: t[0])
    return [(code, name) for code, name, _, _ in LEVEL_TABLE]


def coverage_rows_of(rows: Iterable) -> tuple[CoverageRow, ...]:
    """reports.coverage.LevelCoverage (code, name, active, covered, sessions,
    uncovered) -> CoverageRow; `active`/`covered`/`uncovered` may be counts or lists."""
    def n(v):
        return v if isinstance(v, int) else len(v or ())
    out = []
    for r in rows:
        active, covered = n(r.active), n(r.covered)
        out.append(CoverageRow(r.code, r.name, active, covered, n(r.sessions), n(r.uncovered),
                               Rate("覆盖率", covered, active)))
    return tuple(out)


# ---- the report ---------------------------------------------------------------

def monthly_report(regs: Registers, statuses: Iterable[TicketStatus], month, coverage_rows=None,
                   as_of: date | None = None,
                   coverage_span: tuple[date, date] | None = None, mine: str = "") -> MonthlyReport:
    """The month's report. `month` has .start and .end (a periods.Period).
    `coverage_rows` are reports.coverage.LevelCoverage rows counted over
    `coverage_span` (default: Jan 1 .. month end). When `coverage_rows` is None they
    are computed here: the 覆盖周期 setting's period, cut at the month end."""
    start, end = month.start, month.end
    label = f"{start.year}-{start.month:02d}"
    statuses = list(statuses)
    find = status_lookup(statuses)
    sessions = session_index(regs)

    month_sessions = [s for s in regs.sessions if s.date is not None and start <= s.date <= end]
    ids = {s.id for s in month_sessions}
    level_count = Counter(s.level for s in month_sessions)
    by_level = tuple((code, name, level_count.get(code, 0)) for code, name in level_names(regs))
    by_kind = _counted((s.kind for s in month_sessions), SESSION_KINDS)
    attendance = [a for a in regs.attendances if a.session_id in ids]
    distinct = {a.person_id or a.name for a in attendance if a.person_id or a.name}
    # 参会人次: one per person per session; a person listed twice in one session (S07) attended once
    seats = {(a.session_id, a.person_id or a.name) for a in attendance if a.person_id or a.name}

    items = items_between(regs, start, end, sessions)
    tickets = [it for it in items if it.is_ticket]

    cutoff = end if as_of is None else min(end, as_of)
    overdue = []
    for it in regs.items:
        if not it.is_ticket:
            continue
        st = find(it)
        if st is None or st.deadline is None or st.deadline >= cutoff:
            continue
        if it.replied is not None and it.replied <= cutoff:
            continue
        overdue.append(OverdueEntry(it.id, it.session_id, st.department or it.department,
                                    st.head or it.head, st.supervisor or it.supervisor, st.deadline,
                                    (cutoff - st.deadline).days, it.content))
    overdue.sort(key=lambda e: (-e.days_overdue, e.item_id))

    item_ids = {it.id for it in items}
    collected = [s for s in regs.suggestions if s.source_id and s.source_id in item_ids]
    funnel = SuggestionFunnel(
        collected=len(collected),
        reasonable=sum(s.reasonable is True for s in collected),
        adopted=sum(s.adopted is True for s in collected),
        implemented=sum(s.implementation == "已实施" for s in collected),
        implemented_in_month=sum(s.implemented_on is not None and start <= s.implemented_on <= end
                                 for s in regs.suggestions),
    )

    risks = []
    for it in items:
        if it.risk:
            st = find(it)
            risks.append(RiskEntry(it.id, it.session_id, it.category, it.risk, it.department,
                                   st.state if st else "", it.content))

    if coverage_rows is None:
        from .coverage import coverage, coverage_period  # imported when needed
        lo, hi = coverage_period(regs.settings, end)
        coverage_span = (lo, min(hi, end))
        coverage_rows = coverage(regs, coverage_span)
    coverage_span = coverage_span or (date(start.year, 1, 1), end)

    # the trend: the last 12 months, but not before the register's first month
    first = first_month(regs, sessions)
    months = [(m.label, m.start, m.end) for m in last_months(start, 12)
              if first is None or m.end >= first or m.start == start]
    *trend, figures = spans_figures(regs, find, sessions, [*months, (label, start, end)], as_of)

    topics = topic_figures(regs, start, end, find)
    unfinished = unfinished_note(month, as_of) if hasattr(month, "kind") else ""
    title = f"{start.year}年{start.month}月职工思想动态分析报告" + (f"（{unfinished}）" if unfinished else "")
    return MonthlyReport(
        label=label, title=title, unfinished=unfinished, mine=mine,
        start=start, end=end, cutoff=cutoff,
        sessions=len(month_sessions), sessions_by_level=by_level, sessions_by_kind=by_kind,
        attendee_rows=len(seats), distinct_attendees=len(distinct),
        items=len(items), on_the_spot=len(items) - len(tickets), tickets=len(tickets),
        by_category=_counted((it.category for it in items), CATEGORIES),
        by_tag=_counted(it.tag for it in items),
        by_department=_counted(it.department for it in tickets),
        figures=figures,
        overdue=tuple(overdue), suggestions=funnel, risks=tuple(risks),
        coverage=coverage_rows_of(coverage_rows), trend=tuple(trend),
        undated_items=sum(item_date(it, sessions) is None for it in regs.items),
        coverage_span=coverage_span,
        topics=topics,
        by_topic=tuple((r.topic, r.this_month) for r in topics.rows if r.this_month),  # as 八 counts them
    )
