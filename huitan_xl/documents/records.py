"""Registers + ticket statuses -> the records each document shows. Pure: no I/O, no clock.

Choices (shown to staff in docs/staff.md):
  * 承办单 (forms): with ``ids`` exactly those tickets, in the order given (an unknown 编号 is
    reported, an on-the-spot item too: it has no form). Otherwise the tickets assigned on or
    after ``since``; with no ``since``, on or after the 基准日期 of the last ``forms`` run in
    运行记录 (a ticket of that day is printed again rather than missed); when forms never ran,
    every ticket not yet replied. Tickets without 交办日期 are left out of the date selection.
  * 公示 (notice): tickets with 公示日期 in the month, and tickets replied in the month without
    公示日期 yet.
  * 成效不理想 (monthly report): the month's replied tickets with 职工满意度 = 不满意 or
    是否解决 = 否 (SPEC §5), in 编号 order.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from ..model import Item, Registers
from ..reports.monthly import items_between, session_index, status_lookup
from ..rules.tickets import CLOSED, LATE, ON_TIME, TicketStatus
from ..schema import LEVEL_TABLE
from .forms import FormTicket
from .minutes import MinutesItem, MinutesSession
from .monthly_doc import WeakTicket
from .notice import NoticeRow

FORMS_TASKS = ("forms", "承办单", "诉求承办单")  # how a forms run is named in 运行记录's 任务 column


def level_name(regs: Registers, code: str | None) -> str:
    names = {lv.code: lv.name for lv in regs.levels} or {c: n for c, n, _, _ in LEVEL_TABLE}
    return names.get(code or "", code or "")


def _units(regs: Registers) -> dict[str, str]:
    return {p.id: p.unit for p in regs.persons if p.id}


def _log_date(v) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v.strip()[:10])
        except ValueError:
            return None
    return None


def last_forms_run(run_log: Iterable[list]) -> date | None:
    """The 基准日期 of the latest forms run in 运行记录 (rows: 运行时间, 任务, 基准日期, …)."""
    last = None
    for row in run_log:
        if len(row) > 2 and str(row[1]).strip() in FORMS_TASKS:
            d = _log_date(row[2])
            if d is not None and (last is None or d > last):
                last = d
    return last


def select_form_items(regs: Registers, ids: list[str] | None,
                      since: date | None) -> tuple[list[Item], list[str], str]:
    """(items, Chinese problems, how chosen) for the forms run."""
    problems: list[str] = []
    if ids:
        by_id = {}
        for it in regs.items:
            by_id.setdefault(it.id, it)
        chosen = []
        for i in ids:
            it = by_id.get(i)
            if it is None:
                problems.append(f"诉求台账中没有编号“{i}”的诉求，未打印。")
            elif not it.is_ticket:
                problems.append(f"诉求 {i} 已现场答复，不需要承办单，未打印。")
            elif it not in chosen:
                chosen.append(it)
        return chosen, problems, f"按编号选取 {len(ids)} 件"
    tickets = [it for it in regs.items if it.is_ticket and it.id]
    if since is None:
        chosen = [it for it in tickets if it.replied is None]
        how = "首次打印：全部尚未答复的承办单"
    else:
        chosen = [it for it in tickets if it.assigned is not None and it.assigned >= since]
        how = f"交办日期在 {since.isoformat()} 及以后的承办单"
    chosen.sort(key=lambda it: (it.assigned or date.min, it.id))
    return chosen, problems, how


def form_tickets(regs: Registers, statuses: list[TicketStatus], items: list[Item]) -> list[FormTicket]:
    find = status_lookup(statuses)
    sessions = session_index(regs)
    units = _units(regs)
    out = []
    for it in items:
        st = find(it)
        s = sessions.get(it.session_id)
        out.append(FormTicket(
            id=it.id, category=it.category, session_id=it.session_id,
            session_date=s.date if s else it.talk_date, level=level_name(regs, s.level) if s else "",
            kind=s.kind if s else "", proposer=it.proposer, unit=units.get(it.proposer_id) or it.proposer_unit,
            content=it.content, department=(st.department if st else "") or it.department,
            head=(st.head if st else "") or it.head, supervisor=(st.supervisor if st else "") or it.supervisor,
            assigned=it.assigned, deadline=st.deadline if st else it.deadline))
    return out


def notice_rows(regs: Registers, statuses: list[TicketStatus], start: date, end: date) -> list[NoticeRow]:
    find = status_lookup(statuses)
    units = _units(regs)
    rows = []
    for it in regs.items:
        if not it.is_ticket:
            continue
        posted = it.published is not None and start <= it.published <= end
        to_post = it.published is None and it.replied is not None and start <= it.replied <= end
        if not (posted or to_post):
            continue
        st = find(it)
        rows.append(NoticeRow(it.id, it.category, units.get(it.proposer_id) or it.proposer_unit, it.content,
                              (st.department if st else "") or it.department, it.reply, it.replied,
                              st.state if st else ""))
    rows.sort(key=lambda r: (r.replied or date.max, r.id))
    return rows


def person_names(regs: Registers) -> set[str]:
    """Every name the register knows: roster, attendees, proposers, heads, supervisors, leads."""
    names = {p.name for p in regs.persons} | {a.name for a in regs.attendances}
    for it in regs.items:
        names |= {it.proposer, it.head, it.supervisor}
    names |= {d.head for d in regs.departments} | {lv.lead for lv in regs.levels}
    names |= {s.lead for s in regs.sessions} | {s.reviewer for s in regs.sessions}
    for g in regs.suggestions:
        names |= set(g.proposers)
    return {n for n in names if n}


def weak_tickets(regs: Registers, statuses: list[TicketStatus], start: date, end: date) -> list[WeakTicket]:
    find = status_lookup(statuses)
    out = []
    for it in items_between(regs, start, end):
        if not it.is_ticket:
            continue
        st = find(it)
        if st is None or st.state not in (ON_TIME, LATE, CLOSED):
            continue
        if it.satisfaction == "不满意" or it.resolved is False:
            out.append(WeakTicket(it.id, (st.department or it.department), it.satisfaction, it.resolved,
                                  it.content))
    out.sort(key=lambda w: w.item_id)
    return out


def minutes_session(regs: Registers, statuses: list[TicketStatus], session_id: str) -> MinutesSession | None:
    s = next((x for x in regs.sessions if x.id == session_id), None)
    if s is None:
        return None
    find = status_lookup(statuses)
    units = _units(regs)
    persons = {p.id: p for p in regs.persons if p.id}
    seen, attendees = set(), []
    for a in regs.attendances:
        key = a.person_id or a.name
        if a.session_id != session_id or not key or key in seen:
            continue
        seen.add(key)
        person = persons.get(a.person_id)
        attendees.append(((a.name or (person.name if person else a.person_id)), units.get(a.person_id, "")))
    items = []
    for it in regs.items:
        if it.session_id != session_id:
            continue
        st = find(it)
        items.append(MinutesItem(it.id, it.proposer, units.get(it.proposer_id) or it.proposer_unit, it.category, it.content,
                                 it.on_the_spot, it.reply, (st.department if st else "") or it.department,
                                 st.deadline if st and it.is_ticket else None))
    return MinutesSession(s.id, s.date, s.place, s.form, level_name(regs, s.level), s.kind, s.topic, s.lead,
                          tuple(attendees), s.invited_departments, s.attending_departments, tuple(items))
