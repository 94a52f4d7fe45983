"""Topics and recurring requests for the monthly report and the 诉求台账 owned columns (issue 16).

`analyse(regs)` tags every item (rules/topics.py) and links recurring requests
(rules/recurring.py) once per read; `topic_figures` turns that into the month's
figures (MonthlyReport.topics); `topic_columns` gives each 诉求台账 row the values
of 主题（自动）, 主题依据, 重复反映.

Conventions (shown on the sheet):
  * An item's topic is her 主题标签 when filled, else the 主题词表 match (主题（自动））.
  * 上月 counts the items of the previous calendar month, placed in months like the
    other figures (session date, else 交办日期).
  * 「反复反映」 lists every request raised `反复反映次数` (default 3) or more times up
    to the month end whose latest raising is within `重复反映时间窗(天)` of the month
    end, oldest first; its state is the latest raising's state.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

from ..model import Item, Registers
from ..rules.recurring import Recurrence, RecurringGroup, find_recurring
from ..rules.topics import UNCLASSIFIED, TopicTag, rules_of, tag_items


@dataclass
class TopicAnalysis:
    tags: list[TopicTag]  # one per regs.items entry, same order
    recurrences: dict[int, Recurrence]  # item index -> its flag
    groups: list[RecurringGroup]
    dates: list[date | None]
    table_order: list[str]  # topics in 主题词表 order
    workbook_table: bool  # False: the workbook has no 主题词表, the default one was used


def _settings(regs: Registers):
    from ..settings import Settings

    return regs.settings if regs.settings is not None else Settings()


def analyse(regs: Registers) -> TopicAnalysis:
    """Tags and recurrences of all items, computed once per Registers."""
    cached = regs.__dict__.get("_topic_analysis")
    if cached is not None:
        return cached
    from .monthly import item_date, session_index

    rules, own = rules_of(regs)
    sessions = session_index(regs)
    dates = [item_date(it, sessions) for it in regs.items]
    unit_of = {p.id: p.unit for p in regs.persons}
    units = [unit_of.get(it.proposer_id) or it.proposer_unit for it in regs.items]
    tags = tag_items(regs.items, rules)
    flags, groups = find_recurring(regs.items, dates, units, rules, _settings(regs))
    result = TopicAnalysis(tags, flags, groups, dates, list(dict.fromkeys(r.topic for r in rules)), own)
    regs.__dict__["_topic_analysis"] = result
    return result


def topic_columns(regs: Registers):
    """Excel row -> [主题（自动）, 主题依据, 重复反映] for the 诉求台账 rows."""
    a = analyse(regs)
    by_row = {}
    for i, (it, tag) in enumerate(zip(regs.items, a.tags)):
        if it.src is None:
            continue
        rec = a.recurrences.get(i)
        by_row[it.src.row] = [tag.topic if tag.auto else None, tag.keyword if tag.auto else None,
                              rec.text if rec else None]
    return by_row


@dataclass(frozen=True)
class TopicRow:
    topic: str
    this_month: int
    last_month: int

    @property
    def change(self) -> int:
        return self.this_month - self.last_month

    @property
    def trend(self) -> str:
        if self.last_month == 0 and self.this_month > 0:
            return "新出现"
        if self.change > 0:
            return "上升"
        if self.change < 0:
            return "下降"
        return "持平"


@dataclass(frozen=True)
class RecurringEntry:
    first_id: str
    first_date: date
    latest_id: str
    latest_date: date
    times: int  # raisings up to the month end
    ids: tuple[str, ...]
    department: str  # the latest raising's 承办部门 (else the latest one named)
    state: str  # the latest raising's state
    content: str  # the first raising's content


@dataclass(frozen=True)
class TopicFigures:
    label: str  # "2026-10"
    previous_label: str  # "2026-09"
    rows: tuple[TopicRow, ...]  # this month desc, then last month desc, then table order; 未分类 last
    unclassified: int  # this month's items no keyword matched (her 主题标签 blank)
    auto_tagged: int  # this month's items tagged by the table
    own_tags: int  # this month's items carrying her 主题标签
    workbook_table: bool
    recurring: tuple[RecurringEntry, ...]
    recurring_times: int  # the 反复反映次数 threshold used

    @property
    def rising(self) -> tuple[TopicRow, ...]:
        return tuple(r for r in self.rows if r.change > 0 and r.topic != UNCLASSIFIED)

    @property
    def falling(self) -> tuple[TopicRow, ...]:
        return tuple(r for r in self.rows if r.change < 0 and r.topic != UNCLASSIFIED)


def _month_indexes(dates: Sequence[date | None], start: date, end: date) -> list[int]:
    return [i for i, d in enumerate(dates) if d is not None and start <= d <= end]


def topic_figures(regs: Registers, start: date, end: date, find) -> TopicFigures:
    """The month [start, end]'s topic table, month-on-month, and 反复反映 list.
    `find(item)` gives an item's TicketStatus (reports.monthly.status_lookup)."""
    a = analyse(regs)
    prev_end = start - timedelta(days=1)
    prev_start = prev_end.replace(day=1)
    now = _month_indexes(a.dates, start, end)
    before = _month_indexes(a.dates, prev_start, prev_end)
    this_c = Counter(a.tags[i].topic for i in now)
    last_c = Counter(a.tags[i].topic for i in before)
    rank = {t: k for k, t in enumerate(a.table_order)}
    topics = [t for t in set(this_c) | set(last_c) if t != UNCLASSIFIED]
    topics.sort(key=lambda t: (-this_c[t], -last_c[t], rank.get(t, len(rank)), t))
    rows = [TopicRow(t, this_c[t], last_c[t]) for t in topics]
    if this_c[UNCLASSIFIED] or last_c[UNCLASSIFIED]:
        rows.append(TopicRow(UNCLASSIFIED, this_c[UNCLASSIFIED], last_c[UNCLASSIFIED]))

    settings = _settings(regs)
    times = max(2, int(settings.recurring_times))
    window = int(settings.recurring_window_days)
    entries = []
    for g in a.groups:
        upto = [(it, d) for it, d in zip(g.items, g.dates) if d <= end]
        if len(upto) < times or (end - upto[-1][1]).days > window:
            continue
        latest, latest_date = upto[-1]
        st = find(latest)
        state = st.state if st is not None else ""
        dept = next((it.department for it, _ in reversed(upto) if it.department), "")
        entries.append(RecurringEntry(upto[0][0].id, upto[0][1], latest.id, latest_date, len(upto),
                                      tuple(it.id for it, _ in upto), dept, state, upto[0][0].content))
    entries.sort(key=lambda e: (e.first_date, e.first_id))
    return TopicFigures(
        label=f"{start.year}-{start.month:02d}", previous_label=f"{prev_start.year}-{prev_start.month:02d}",
        rows=tuple(rows), unclassified=this_c[UNCLASSIFIED],
        auto_tagged=sum(a.tags[i].auto and a.tags[i].topic != UNCLASSIFIED for i in now),
        own_tags=sum(not a.tags[i].auto for i in now), workbook_table=a.workbook_table,
        recurring=tuple(entries), recurring_times=times)
