"""Attendee suggestions for the next regular session of a level (选准慧谈对象).

Pure: Registers + level + date + coverage period -> a ranked list with Chinese
reasons, and the rows of a draft session. The suggestion keeps to S01–S11
wherever the roster allows:
  * only members of the level active on the day (S02, S03), each once (S07),
    at most the level's limit (S01);
  * those never covered in the period first (S08), key persons first (S10);
  * the best-ranked member of every tier the roster records (先进/一般/后进,
    L1–L5, when 5 or more are invited: S11), of the other gender and of a
    second post (S09) are seeded in; the rest filled by rank, preferring posts
    not yet present. Ties go by 工号, so the result is deterministic.
A tier or gender seed may have to be someone already covered when nobody
uncovered has that tier; that can trade an S11 warning for an S08 warning.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import schema
from ..model import Person, Registers
from .selection import (REGULAR, TIERED_LEVELS, TIERS, covered_ids, level_by_code, level_name,
                        max_attendees, natural_key, roster, selecting_units)


@dataclass(frozen=True)
class Suggested:
    person: Person
    reasons: tuple[str, ...]


def suggest_attendees(regs: Registers, level: str, n: int = 10, *, on: date,
                      period: tuple[date, date]) -> list[Suggested]:
    covered = covered_ids(regs, period)
    pool = [p for p in roster(regs).values() if p.level == level and p.active_on(on)]

    def rank(p: Person) -> tuple:
        return (p.id in covered, not p.key_reason, natural_key(p.id))

    pool.sort(key=rank)
    cap = max(0, min(n, max_attendees(regs, level), len(pool)))
    chosen: list[Person] = []
    why: dict[str, list[str]] = {}

    def take(p: Person, reason: str | None = None) -> None:
        if p not in chosen and len(chosen) < cap:
            chosen.append(p)
            why[p.id] = [reason] if reason else []
        elif reason and p in chosen and reason not in why[p.id]:
            why[p.id].append(reason)

    if cap:
        take(pool[0])  # the best-ranked member anchors the list
    if level in TIERED_LEVELS and cap >= 5:  # 抓两头、促中间
        for tier in TIERS:
            if not any(c.tier == tier for c in chosen):
                first = next((p for p in pool if p.tier == tier), None)
                if first is not None:
                    take(first)
    for attr, label in (("gender", "兼顾{}职工"), ("post", "兼顾不同岗位：{}")):  # S09
        mine = {getattr(c, attr) for c in chosen if getattr(c, attr)}
        if len(mine) == 1 and len({getattr(p, attr) for p in pool if getattr(p, attr)}) > 1:
            first = next((p for p in pool if getattr(p, attr) and getattr(p, attr) not in mine), None)
            take(first, label.format(getattr(first, attr)))
    while len(chosen) < cap:  # fill by rank, preferring posts not yet present
        present = {c.post for c in chosen}
        rest = [p for p in pool if p not in chosen]
        take(min(rest, key=lambda p: (p.id in covered, not p.key_reason, p.post in present,
                                      natural_key(p.id))))

    out = []
    for p in sorted(chosen, key=rank):
        reasons = []
        if p.id not in covered:
            reasons.append("尚未参加过慧谈")
        if p.key_reason:
            reasons.append(f"三必谈五必访：{p.key_reason}")
        if level in TIERED_LEVELS and p.tier:
            reasons.append(f"表现档次：{p.tier}")
        if p.violator:
            reasons.append("三违人员")
        if p.new_graduate:
            reasons.append("新入职大学生")
        reasons += why.get(p.id, [])
        out.append(Suggested(p, tuple(reasons)))
    return out


def draft_session_rows(regs: Registers, level: str, suggested: list[Suggested],
                       on: date) -> tuple[dict, list[dict]]:
    """Rows (canonical headers) for a draft regular session of `level` on `on`:
    the level's lead as 牵头人 and 名单审核人, 审核日期 blank (a draft until reviewed)."""
    lv = level_by_code(regs).get(level)
    lead = lv.lead.strip() if lv else ""
    sid = f"草稿-{level}-{on:%Y%m%d}"
    session = {h: None for h in _headers(schema.SESSIONS)}
    session.update({
        "场次编号": sid, "日期": on, "类型": REGULAR, "层级": level_name(regs, level),
        "主题": "", "牵头人": lead, "形式": "现场", "选人单位": "、".join(selecting_units(regs, level)),
        "名单审核人": lead, "审核日期": None,
    })
    rows = []
    for s in suggested:
        row = {h: None for h in _headers(schema.ATTENDANCE)}
        row.update({"场次编号": sid, "工号": s.person.id, "姓名": s.person.name,
                    "备注": "；".join(s.reasons)})
        rows.append(row)
    return session, rows


def _headers(sheet: str) -> list[str]:
    return [f.header for f in schema.SHEETS[sheet]]
