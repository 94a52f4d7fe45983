"""Selection rules S01–S12 (SPEC §4): choosing the right people for each session.

Pure functions: Registers + a coverage period -> findings. No I/O, no clock.

Choices made where the SPEC is silent:
  * sessions with a duplicated 场次编号 are checked once (the first row); the
    duplicate itself is R07 (integrity.py);
  * S01/S11 count distinct 工号 (a person listed twice is S07, not an extra head);
  * S04/S05/S06 apply to every session that names a level (a special session is
    organised by a level's lead person too); S02, S08, S09, S11 only to regular
    八级慧谈 sessions; S09 needs at least 2 attendees;
  * S10 is one finding per uncovered key person, on that person's roster row;
  * S12 covers every quarter overlapping the period that has started by
    min(period end, as_of); an open-ended period (date.min / date.max) is
    clipped to the first / last dated session.
"""
from __future__ import annotations

from bisect import bisect_right, insort
from collections import defaultdict
from datetime import date
from typing import Iterable

from .. import schema
from ..convert import split_list
from ..findings import ERROR, WARNING, Finding, finding
from ..model import Attendance, Level, Person, Registers, Session
from ..periods import quarter_of, quarters_between
from ..settings import Settings
from .context import RuleContext

# finding codes of this family (findings.FAMILIES): code -> (severity, short Chinese title)
CODES = {
    "S01": (ERROR, "参会人数超过上限"),
    "S02": (ERROR, "参会人员层级与场次层级不一致"),
    "S03": (ERROR, "参会人员不在名册或不在职"),
    "S04": (ERROR, "牵头人与层级规定不符"),
    "S05": (ERROR, "名单未经牵头人审核或审核晚于场次"),
    "S06": (ERROR, "选人单位不符合层级规定"),
    "S07": (ERROR, "同一场次重复参会"),
    "S08": (WARNING, "有人未参加时重复邀请"),
    "S09": (WARNING, "参会人员性别或岗位单一"),
    "S10": (WARNING, "三必谈五必访对象尚未覆盖"),
    "S11": (WARNING, "未兼顾先进、后进和中间"),
    "S12": (WARNING, "本季度该层级未召开八级慧谈"),
}

REGULAR = "八级慧谈"
TIERS = ("先进", "一般", "后进")
TIERED_LEVELS = ("L1", "L2", "L3", "L4", "L5")

LEVEL_CODES = [row[0] for row in schema.LEVEL_TABLE]
_DEFAULT_NAMES = {row[0]: row[1] for row in schema.LEVEL_TABLE}
_DEFAULT_UNITS = {row[0]: row[3] for row in schema.LEVEL_TABLE}


# ---- small shared helpers (also used by reports/coverage.py and suggest.py) ----

def squeeze(text: str | None) -> str:
    """Text with ALL whitespace removed (spaces, tabs, U+3000 ideographic space)."""
    return "".join((text or "").split())


def natural_key(person_id: str) -> tuple:
    """Sort key for 工号: numeric ids by value (9 before 10), others as text after."""
    s = (person_id or "").strip()
    return (0, int(s), s) if s.isdigit() else (1, 0, s)


def settings_of(regs: Registers) -> Settings:
    return regs.settings if isinstance(regs.settings, Settings) else Settings()


def level_by_code(regs: Registers) -> dict[str, Level]:
    out: dict[str, Level] = {}
    for lv in regs.levels:
        out.setdefault(lv.code, lv)
    return out


def level_name(regs: Registers, code: str | None) -> str:
    lv = level_by_code(regs).get(code or "")
    return lv.name if lv and lv.name else _DEFAULT_NAMES.get(code or "", code or "")


def selecting_units(regs: Registers, code: str) -> tuple[str, ...]:
    """The level's 选人单位 from the 层级 sheet, else SPEC §2's default."""
    lv = level_by_code(regs).get(code)
    units = tuple(squeeze(u) for u in (lv.selecting_units if lv else ()) if squeeze(u))
    return units or _DEFAULT_UNITS.get(code, ())


def max_attendees(regs: Registers, code: str | None) -> int:
    lv = level_by_code(regs).get(code or "")
    if lv is not None and lv.max_attendees:
        return lv.max_attendees
    return settings_of(regs).max_attendees


def in_period(d: date | None, period: tuple[date, date]) -> bool:
    return d is not None and period[0] <= d <= period[1]


def first_sessions(regs: Registers) -> list[Session]:
    """Sessions with a 场次编号, the first row of each id only."""
    seen: set[str] = set()
    out = []
    for s in regs.sessions:
        if s.id and s.id not in seen:
            seen.add(s.id)
            out.append(s)
    return out


def attendance_by_session(regs: Registers) -> dict[str, list[Attendance]]:
    out: dict[str, list[Attendance]] = defaultdict(list)
    for a in regs.attendances:
        out[a.session_id].append(a)
    return out


def roster(regs: Registers) -> dict[str, Person]:
    out: dict[str, Person] = {}
    for p in regs.persons:
        out.setdefault(p.id, p)
    return out


def covered_ids(regs: Registers, period: tuple[date, date]) -> set[str]:
    """工号 of everyone who attended any session (regular or special) dated in the period."""
    dated = {s.id for s in first_sessions(regs) if in_period(s.date, period)}
    return {a.person_id for a in regs.attendances if a.session_id in dated}


def _sheet_row(s) -> tuple[str, int | None]:
    return (s.src.sheet, s.src.row) if s.src else ("", None)


def _session_finding(code: str, s: Session, column: str, value: object, message: str) -> Finding:
    return finding(code, s.src.sheet if s.src else schema.SESSIONS, s.src.row if s.src else None,
                   column, value, message)


def _attendance_finding(code: str, a: Attendance, message: str) -> Finding:
    return finding(code, a.src.sheet if a.src else schema.ATTENDANCE, a.src.row if a.src else None,
                   "工号", a.person_id, message)


def _who(a: Attendance, p: Person | None) -> str:
    name = (p.name if p else "") or a.name
    return f"工号{a.person_id}（{name}）" if name else f"工号{a.person_id}"



class _Pools:
    """The roster indexed by level once, answering "who of level L is active on day d"
    without rescanning the roster for every session. Person.active_on(d) is: d < 离职日期
    when one is given, else 在职; so a level's members split into the always active,
    the never active and the leavers, and the leavers active on d are a suffix of
    them sorted by 离职日期."""

    def __init__(self, people: dict[str, Person]):
        self.people = people
        self.steady: dict[str, list[Person]] = defaultdict(list)  # 在职, no 离职日期
        self.gone: dict[str, list[Person]] = defaultdict(list)  # not 在职, no 离职日期
        self.leavers: dict[str, list[Person]] = defaultdict(list)  # by 离职日期
        for p in people.values():
            if p.level:
                (self.leavers if p.left_on is not None else self.steady if p.active else self.gone
                 )[p.level].append(p)
        self.leave_dates: dict[str, list[date]] = {}
        for code, ps in self.leavers.items():
            ps.sort(key=lambda p: p.left_on)
            self.leave_dates[code] = [p.left_on for p in ps]
        self._values: dict[tuple, frozenset] = {}

    def _leavers_on(self, level: str, d: date) -> list[Person]:
        ps = self.leavers.get(level, [])
        return ps[bisect_right(self.leave_dates.get(level, []), d):]

    def members(self, level: str, d: date | None) -> list[Person]:
        """Members of `level` active on d (all of them when d is None), in no set order."""
        if d is None:
            return self.steady.get(level, []) + self.gone.get(level, []) + self.leavers.get(level, [])
        return self.steady.get(level, []) + self._leavers_on(level, d)

    def count(self, level: str, d: date) -> int:
        return len(self.steady.get(level, [])) + len(self._leavers_on(level, d))

    def values(self, level: str, d: date | None, attr: str) -> frozenset:
        """The non-blank values of `attr` among the level's members active on d (cached)."""
        key = (level, d, attr)
        got = self._values.get(key)
        if got is None:
            got = self._values[key] = frozenset(
                v for v in (getattr(p, attr) for p in self.members(level, d)) if v)
        return got


class _Attended:
    """Who has attended so far, counted per level as members active on a day, so that
    S08 can ask how many of a level still wait without rescanning the roster."""

    def __init__(self, pools: _Pools):
        self.pools = pools
        self.ids: set[str] = set()
        self.steady: dict[str, int] = defaultdict(int)
        self.leave_dates: dict[str, list[date]] = defaultdict(list)  # sorted

    def add(self, person_id: str) -> None:
        if person_id in self.ids:
            return
        self.ids.add(person_id)
        p = self.pools.people.get(person_id)
        if p is None or not p.level:
            return
        if p.left_on is not None:
            insort(self.leave_dates[p.level], p.left_on)
        elif p.active:
            self.steady[p.level] += 1

    def waiting(self, level: str, d: date, also: set[str]) -> int:
        """Members of `level` active on d who attended nothing yet and are not in `also`."""
        dates = self.leave_dates.get(level, [])
        done = self.steady.get(level, 0) + len(dates) - bisect_right(dates, d)
        for i in also:
            p = self.pools.people.get(i)
            if i not in self.ids and p is not None and p.level == level and p.active_on(d):
                done += 1
        return self.pools.count(level, d) - done


# ---- the rules --------------------------------------------------------------

def check_sessions(regs: Registers, period: tuple[date, date], as_of: date | None = None) -> list[Finding]:
    """S01–S12 over all sessions (S08, S10, S12 within `period`)."""
    levels = level_by_code(regs)
    people = roster(regs)
    by_session = attendance_by_session(regs)
    sessions = first_sessions(regs)
    pools = _Pools(people)
    facts: dict[str | None, tuple] = {}  # level code -> (name, attendee limit, selecting units)
    out: list[Finding] = []
    for s in sessions:
        if s.level not in facts:
            facts[s.level] = (level_name(regs, s.level), max_attendees(regs, s.level),
                              selecting_units(regs, s.level) if s.level else ())
        out += _check_one(regs, s, by_session.get(s.id, []), people, levels, pools, facts[s.level])
    out += _repeats(regs, sessions, by_session, people, period, pools)
    out += _key_persons(regs, period)
    out += _cadence(regs, sessions, period, as_of)
    return out


def _check_one(regs, s: Session, rows: list[Attendance], people: dict[str, Person],
               levels: dict[str, Level], pools: _Pools, facts: tuple) -> list[Finding]:
    out: list[Finding] = []
    sid = s.id
    distinct = list(dict.fromkeys(a.person_id for a in rows))
    lname, limit, allowed = facts
    if len(distinct) > limit:  # S01
        out.append(_session_finding(
            "S01", s, "场次编号", sid,
            f"场次{sid}有{len(distinct)}名参会人员，超过每场{limit}人的上限；请删减参会人员或拆分为两场。"))

    lv = levels.get(s.level or "")
    if s.level:
        lead = lv.lead if lv else ""
        if squeeze(lead) and squeeze(s.lead) != squeeze(lead):  # S04
            out.append(_session_finding(
                "S04", s, "牵头人", s.lead,
                (f"场次{sid}的牵头人「{s.lead}」不是" if squeeze(s.lead) else f"场次{sid}未填写牵头人，应为")
                + f"层级表中{lname}的牵头人「{lead}」；"
                f"请改为「{lead}」，或先更新层级表。"))
        # S05: the list was reviewed by the level's lead, on or before the session date
        if not squeeze(s.reviewer):
            out.append(_session_finding(
                "S05", s, "名单审核人", "",
                f"场次{sid}的参会名单没有审核人；请由{lname}的牵头人{lead or ''}审核并填写名单审核人。"))
        elif squeeze(lead) and squeeze(s.reviewer) != squeeze(lead):
            out.append(_session_finding(
                "S05", s, "名单审核人", s.reviewer,
                f"场次{sid}的参会名单由「{s.reviewer}」审核，应由{lname}的牵头人「{lead}」审核。"))
        if s.reviewed_on is None:
            out.append(_session_finding(
                "S05", s, "审核日期", "",
                f"场次{sid}未填写名单审核日期；请填写牵头人审核名单的日期（不晚于慧谈日期）。"))
        elif s.date is not None and s.reviewed_on > s.date:
            out.append(_session_finding(
                "S05", s, "审核日期", s.reviewed_on,
                f"场次{sid}的名单审核日期{s.reviewed_on.isoformat()}晚于慧谈日期{s.date.isoformat()}；"
                f"名单应在慧谈前审核，请核实审核日期。"))
        given = list(split_list(s.selecting_unit))
        wrong = [u for u in given if u not in allowed]
        if not given or wrong:  # S06
            what = f"选人单位「{s.selecting_unit}」" if given else "未填写选人单位"
            out.append(_session_finding(
                "S06", s, "选人单位", s.selecting_unit,
                f"场次{sid}{what}；{lname}层级的参会人员应由{'或'.join(allowed)}选定。"))

    seen: set[str] = set()
    for a in rows:
        p = people.get(a.person_id)
        if a.person_id in seen:  # S07
            out.append(_attendance_finding(
                "S07", a, f"场次{sid}中{_who(a, p)}重复列出；请删除重复的这一行。"))
            continue
        seen.add(a.person_id)
        if p is None:  # S03
            out.append(_attendance_finding(
                "S03", a, f"场次{sid}的参会人员{_who(a, p)}不在职工名册中；请核对工号，或先在职工名册中登记。"))
            continue
        if s.date is not None and not p.active_on(s.date):
            left = f"（离职日期{p.left_on.isoformat()}）" if p.left_on else ""
            out.append(_attendance_finding(
                "S03", a, f"场次{sid}的参会人员{_who(a, p)}在慧谈日期{s.date.isoformat()}已不在职{left}；"
                          f"请核对名单或名册的在职状态。"))
            continue
        if s.regular and s.level and p.level != s.level:  # S02
            theirs = level_name(regs, p.level) if p.level else "未填写"
            out.append(_attendance_finding(
                "S02", a, f"场次{sid}是{lname}层级的八级慧谈，参会人员{_who(a, p)}的层级为{theirs}；"
                          f"请换成本层级人员，或改为专题/专业/节点慧谈。"))

    if s.regular and s.level:
        present = [people[i] for i in distinct if i in people]
        out += _diversity(s, lname, present, pools, len(distinct))
    return out


def _diversity(s: Session, lname: str, present: list[Person], pools: _Pools, count: int) -> list[Finding]:
    """S09 / S11 against the level's members active on the session day (`pools`)."""
    out: list[Finding] = []
    sid = s.id
    problems = []
    if len(present) >= 2:  # S09
        for attr, label in (("gender", "性别"), ("post", "岗位")):
            mine = {getattr(p, attr) for p in present if getattr(p, attr)}
            if len(mine) == 1 and len(pools.values(s.level, s.date, attr)) > 1:
                problems.append(f"参会人员{label}都是「{next(iter(mine))}」")
    if problems:
        out.append(_session_finding(
            "S09", s, "场次编号", sid,
            f"场次{sid}{'，'.join(problems)}，而{lname}层级在职人员不止一种；请兼顾不同岗位和性别。"))
    if s.level in TIERED_LEVELS and count >= 5:  # S11
        mine = {p.tier for p in present if p.tier in TIERS}
        missing = [t for t in TIERS if t not in mine and t in pools.values(s.level, s.date, "tier")]
        if missing:
            out.append(_session_finding(
                "S11", s, "场次编号", sid,
                f"场次{sid}有{count}人参会，但没有表现档次为{'、'.join(missing)}的职工；"
                f"请按“抓两头、促中间”兼顾先进、一般和后进。"))
    return out


def _order(s: Session) -> tuple:
    return (s.date or date.min, s.src.row if s.src else 0, s.id)


def _repeats(regs, sessions: list[Session], by_session, people: dict[str, Person],
             period: tuple[date, date], pools: _Pools) -> list[Finding]:
    """S08: a repeat attendee of a regular session while members of the level still wait."""
    out: list[Finding] = []
    dated = sorted((s for s in sessions if in_period(s.date, period)), key=_order)
    attended_any = _Attended(pools)  # anyone, any session, earlier in the period
    attended_level: dict[str, dict[str, str]] = defaultdict(dict)  # level -> 工号 -> first session id
    for s in dated:
        rows = by_session.get(s.id, [])
        ids = {a.person_id for a in rows}
        if s.regular and s.level:
            earlier = attended_level[s.level]
            # the waiting list is counted only for a session that has a repeat attendee
            waiting = (attended_any.waiting(s.level, s.date, ids)
                       if any(a.person_id in earlier for a in rows) else 0)
            if waiting:
                done: set[str] = set()
                for a in rows:
                    if a.person_id in earlier and a.person_id not in done:
                        done.add(a.person_id)
                        out.append(_attendance_finding(
                            "S08", a,
                            f"场次{s.id}的{_who(a, people.get(a.person_id))}本周期已参加过场次"
                            f"{earlier[a.person_id]}，而{level_name(regs, s.level)}层级还有{waiting}名"
                            f"在职人员从未参加；请优先邀请未参加过的人员。"))
            for i in ids:
                earlier.setdefault(i, s.id)
        for i in ids:
            attended_any.add(i)
    return out


def _key_persons(regs, period: tuple[date, date]) -> list[Finding]:
    """S10: one finding per active key person (三必谈五必访) not covered in the period."""
    covered = covered_ids(regs, period)
    out = []
    for p in sorted(roster(regs).values(), key=lambda p: (LEVEL_CODES.index(p.level)
                                                          if p.level in LEVEL_CODES else 99,
                                                          natural_key(p.id))):
        if p.key_reason and p.level and p.active_on(period[1]) and p.id not in covered:
            out.append(finding(
                "S10", p.src.sheet if p.src else schema.ROSTER, p.src.row if p.src else None,
                "重点对象", p.key_reason,
                f"工号{p.id}（{p.name}）是三必谈五必访对象（{p.key_reason}），本周期尚未参加慧谈；"
                f"请安排其参加{level_name(regs, p.level)}层级的慧谈。"))
    return out


def _cadence(regs, sessions: list[Session], period: tuple[date, date], as_of: date | None) -> list[Finding]:
    """S12: per level, each quarter of the period without a regular session — with `as_of`,
    only quarters that have ended by then (a level may still meet before its quarter ends)."""
    dates = sorted(s.date for s in sessions if s.date is not None)
    lo, hi = period
    if as_of is not None:
        hi = min(hi, as_of)
    if lo == date.min or hi == date.max:
        if not dates:
            return []
        lo = max(lo, dates[0])
        hi = min(hi, dates[-1])
    if hi < lo:
        return []
    held = {(s.level, quarter_of(s.date)) for s in sessions if s.regular and s.level and s.date}
    levels = level_by_code(regs)
    ended = [q for q in quarters_between(lo, hi) if as_of is None or q.end < as_of]  # flagged from the day after
    if not sessions and ended:
        return [_no_sessions(regs, ended)]
    out = []
    for q in ended:
        label, start, end = q.label, q.start, q.end
        for code in LEVEL_CODES:
            if (code, label) in held:
                continue
            lv = levels.get(code)
            name = level_name(regs, code)
            out.append(finding(
                "S12", lv.src.sheet if lv and lv.src else schema.LEVELS, lv.src.row if lv and lv.src else None,
                "层级", name,
                f"{name}层级（{code}）在{label}（{start.isoformat()}至{end.isoformat()}）没有召开八级慧谈；"
                f"请安排本季度的慧谈，并在慧谈场次表登记。"))
    return out


def _no_sessions(regs, ended) -> Finding:
    """S12 when 慧谈场次 holds no session at all: one finding saying what could not be checked,
    not one per level and quarter claiming that no talk was held (a clerk's register may record
    talks only as a 慧谈日期 column)."""
    talk_days = sorted({i.talk_date for i in regs.items if i.talk_date is not None})
    seen = (f"诉求台账中记有 {len(talk_days)} 个慧谈日期（{talk_days[0].isoformat()} 至 {talk_days[-1].isoformat()}），"
            f"但" if talk_days else "")
    span = ended[0].label if len(ended) == 1 else f"{ended[0].label}至{ended[-1].label}"
    return finding(
        "S12", schema.SESSIONS, None, "日期", "",
        f"{seen}慧谈场次表没有登记任何一场慧谈，无法检查{span}各层级是否按季度召开慧谈，选人规则和覆盖率也无从检查；"
        f"请在慧谈场次表登记已召开的慧谈（日期、类型、层级），参会人员登记在参会人员表。")


def check(regs: Registers, ctx: RuleContext) -> list[Finding]:
    """The rule contract (rules/registry.py): S01–S12 over ctx.period as of ctx.as_of."""
    return check_sessions(regs, ctx.period, ctx.as_of)
