"""Demo data: a realistic sample mine register for `huitan demo`, tests and benchmarks.

`generate` builds every input sheet as rows of {canonical header: value} from one
random.Random(seed): no global random state, no clock (`as_of` is a parameter).
The data is clean by construction — selection rules S01–S12, dates in order,
every reference resolvable — except the errors listed in `DemoData.planted`.

How clean sessions are chosen (SPEC §4): every level's regular sessions draw, in
date order, from the members who have not attended a regular session of the
level yet, key persons (三必谈五必访) first, seeding one of each gender, each tier
(先进/一般/后进, L1–L5) and a second post. A small level is covered completely by
its first sessions ("partition"); only then may later sessions repeat people,
so nobody is invited twice while others wait (S08). The roster is drawn with
enough women and tiers for every such group (S09, S11).

Business events the rules report as warnings or deductions are part of a
realistic register, not planted errors: one extension approved after its
deadline (T01), replies rated 不满意 or 是否解决 = 否 (T04), late and open tickets
(D01), 办理问题 (D02/D03), absent invited departments (D04), a late and a missing
monthly report (D05), manual events (D06), a 合理 suggestion not adopted (D07).
"""
from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from . import demo_vocab as V
from . import schema
from .calendar import WorkCalendar
from .settings import PARAMETERS

REGULAR = "八级慧谈"
LEVEL_CODES = [row[0] for row in schema.LEVEL_TABLE]
LEVEL_NAME = {row[0]: row[1] for row in schema.LEVEL_TABLE}
LEVEL_ROLE = {row[0]: row[2] for row in schema.LEVEL_TABLE}
LEVEL_UNITS = {row[0]: row[3] for row in schema.LEVEL_TABLE}
TIERED = set(LEVEL_CODES[:5])
TIERS = tuple(schema.TIERS)
HEADERS = {sheet: [f.header for f in fields] for sheet, fields in schema.SHEETS.items()}
MIN_SIZE = (60, 12, 30)  # employees, sessions, items below which the planted errors do not fit

# special sessions: theme -> (kind, organising level, topic)
THEMES = {
    "cloud": ("专题慧谈", "L1", "云上慧谈（{area}）"),
    "safety": ("专题慧谈", "L5", "安全慧谈（三违人员帮教）"),
    "career": ("节点慧谈", "L6", "职业规划慧谈（新入职大学生）"),
    "trade": ("专业慧谈", "L6", "机电专业慧谈"),
}
THEME_CYCLE = ["cloud", "safety", "cloud", "career", "trade"]


@dataclass
class DemoSize:
    employees: int = 400
    sessions: int = 60
    items: int = 300
    suggestions: int = 60
    year: int = 2026


@dataclass(frozen=True)
class Planted:
    """One deliberate data error (code "" : a trap that must stay harmless)."""

    code: str
    sheet: str
    key: str  # 编号 / 场次编号 / 工号 / "场次编号/工号" for 参会人员
    column: str
    note: str


@dataclass
class DemoData:
    rows: dict[str, list[dict[str, object]]]
    planted: list[Planted]
    as_of: date
    seed: int
    size: DemoSize = field(default_factory=DemoSize)


def generate(size: DemoSize = DemoSize(), seed: int = 2026, as_of: date = date(2026, 11, 24)) -> DemoData:
    """A sample register for `size`, identical for the same seed and as_of."""
    if any(have < least for have, least in zip((size.employees, size.sessions, size.items), MIN_SIZE)):
        raise ValueError(f"demo needs at least {MIN_SIZE[0]} employees, {MIN_SIZE[1]} sessions and "
                         f"{MIN_SIZE[2]} items")
    if not date(size.year, 2, 1) <= as_of:
        raise ValueError("as_of must fall after January of the demo year")
    return _Generator(size, seed, as_of).run()


def write_demo_workbook(path: Path, data: DemoData) -> Path:
    """Write the demo rows as a new register workbook at `path`."""
    from . import template, write

    wb = write.Workbook.new()
    wb.put_sheet(schema.README, template.readme_builder())
    for sheet in schema.INPUT_SHEETS:
        if sheet != schema.README:
            wb.put_sheet(sheet, template.register_builder(sheet, data.rows.get(sheet, [])))
    wb.save(Path(path))
    return Path(path)


def row_of(sheet: str, values: dict[str, object]) -> dict[str, object]:
    """A row with every canonical header of `sheet` (blank = None)."""
    return {h: values.get(h) for h in HEADERS[sheet]}


# ---- internal records ---------------------------------------------------------

class _Person:
    __slots__ = ("idx", "id", "name", "gender", "unit", "post", "level", "key", "violator", "grad",
                 "tier", "area", "left_on")

    def __init__(self, idx, name, gender, level):
        self.idx, self.name, self.gender, self.level = idx, name, gender, level
        self.id = self.unit = self.post = self.key = self.tier = ""
        self.area = "本部"
        self.violator = self.grad = False
        self.left_on: date | None = None

    def active_on(self, d: date) -> bool:
        return self.left_on is None or d < self.left_on


class _Session:
    __slots__ = ("date", "kind", "level", "theme", "topic", "area", "group", "id", "form", "place")

    def __init__(self, d, kind, level, theme="", topic="", area=""):
        self.date, self.kind, self.level, self.theme, self.topic, self.area = d, kind, level, theme, topic, area
        self.group: list[_Person] = []
        self.id = self.form = self.place = ""


@dataclass
class _LevelPlan:
    code: str
    n: int  # roster members
    sizes: list[int] = field(default_factory=list)  # regular sessions in date order
    fresh: int = 0  # leading sessions drawn from members not yet covered
    leavers: int = 0
    members: list = field(default_factory=list)  # selectable members (_Person)
    order: list = field(default_factory=list)  # preference order for fresh picks
    start: int = 0
    taken: set = field(default_factory=set)  # idx attended a regular session of the level
    done: int = 0
    counts: dict = field(default_factory=dict)  # (attr, value) -> untaken members
    genders: set = field(default_factory=set)
    posts: set = field(default_factory=set)
    tiers: set = field(default_factory=set)


class _Generator:
    def __init__(self, size: DemoSize, seed: int, as_of: date):
        self.size, self.seed, self.as_of = size, seed, as_of
        self.rng = random.Random(seed)
        self.cal = WorkCalendar()
        self.year = size.year
        self.start = date(self.year, 1, 5)
        self.end = min(as_of, date(self.year, 12, 31))
        d, days = self.start, []
        while d <= self.end:
            if self.cal.is_workday(d):
                days.append(d)
            d += timedelta(days=1)
        self.workdays = days
        self.names: set[str] = set()
        self.planted: list[Planted] = []
        self.typo: _Person | None = None  # the 班组长 whose level is misspelt (R03)

    # ---- small helpers --------------------------------------------------------
    def workday_in(self, lo: date, hi: date) -> date:
        i, j = bisect.bisect_left(self.workdays, lo), bisect.bisect_right(self.workdays, hi)
        if i >= j:
            return self.workdays[min(i, len(self.workdays) - 1)]
        return self.workdays[self.rng.randrange(i, j)]

    def prev_workday(self, d: date) -> date:
        while not self.cal.is_workday(d):
            d -= timedelta(days=1)
        return d

    def name(self, gender: str) -> str:
        given = V.FEMALE_GIVEN if gender == "女" else V.MALE_GIVEN
        rng = self.rng
        while True:
            g = rng.choice(given) + (rng.choice(given) if rng.random() < 0.7 else "")
            n = rng.choice(V.SURNAMES) + g
            if n not in self.names:
                self.names.add(n)
                return n

    # ---- the whole register ---------------------------------------------------
    def run(self) -> DemoData:
        self.make_departments()
        self.plan_levels()
        self.make_roster()
        self.make_sessions()
        self.select_attendees()
        roster, sessions = self.roster_rows(), self.session_rows()
        self.plant_session_errors(roster)
        self.make_items()
        self.make_suggestions()
        self.plant_item_errors()
        rows = {
            schema.LEVELS: self.level_rows(),
            schema.DEPARTMENTS: [row_of(schema.DEPARTMENTS, {"部门": n, "负责人": self.heads[n], "类型": k})
                                 for n, k in self.departments],
            schema.ROSTER: roster,
            schema.SESSIONS: sessions,
            schema.ATTENDANCE: self.attendance_rows,
            schema.ITEMS: self.items,
            schema.SUGGESTIONS: self.suggestions,
            schema.REPORTS: self.report_rows(),
            schema.MANUAL: self.manual_rows(),
            schema.SETTINGS: [row_of(schema.SETTINGS, {"参数": p.name, "值": p.default, "说明": p.description})
                              for p in PARAMETERS],
            schema.HOLIDAYS: [],
        }
        return DemoData(rows, self.planted, self.as_of, self.seed, self.size)

    def make_departments(self) -> None:
        self.departments = ([(n, "职能科室") for n in V.FUNCTIONAL] + [(n, "其他") for n in V.OTHER_UNITS]
                            + [(n, "区队") for n in V.TEAMS])
        self.heads = {n: self.name("女" if self.rng.random() < 0.1 else "男") for n, _k in self.departments}
        self.leads = {c: self.heads[V.LEAD_IS_HEAD[c]] if c in V.LEAD_IS_HEAD else self.name(
            "女" if self.rng.random() < 0.25 else "男") for c in LEVEL_CODES}

    def level_rows(self) -> list[dict]:
        return [row_of(schema.LEVELS, {"层级代码": c, "层级": LEVEL_NAME[c], "牵头人岗位": LEVEL_ROLE[c],
                                       "牵头人": self.leads[c], "选人单位": "、".join(LEVEL_UNITS[c])})
                for c in LEVEL_CODES]

    # ---- how many sessions of which size per level ----------------------------
    def plan_levels(self) -> None:
        n, rng = self.size.employees, self.rng
        raw = [n * V.LEVEL_PROFILE[c][0] for c in LEVEL_CODES]
        counts = [int(x) for x in raw]
        for i in sorted(range(8), key=lambda i: raw[i] - counts[i], reverse=True)[:n - sum(counts)]:
            counts[i] += 1
        for i in range(1, 8):  # at least 3 per level, taken from 职工
            if counts[i] < 3:
                counts[0] -= 3 - counts[i]
                counts[i] = 3
        self.plans = {c: _LevelPlan(c, k) for c, k in zip(LEVEL_CODES, counts)}
        self.plans["L1"].leavers = min(max(2, round(0.01 * n)), counts[0] // 10)

        quarters = (self.end.month - 1) // 3 + 1
        total = self.size.sessions
        regular = min(total - 1, max(min(total, 8 * quarters), total - round(total * 0.22)))
        self.n_special = total - regular
        per = {c: 0 for c in LEVEL_CODES}
        if regular >= 8 * quarters:
            per = {c: quarters for c in LEVEL_CODES}
        biggest = sorted(LEVEL_CODES, key=lambda c: -self.plans[c].n)
        i = 0
        while sum(per.values()) < regular and regular < 8 * quarters:
            per[biggest[i % 8]] += 1
            i += 1
        extra = regular - sum(per.values())
        share = {c: extra * self.plans[c].n / n for c in LEVEL_CODES}
        for c in LEVEL_CODES:
            per[c] += int(share[c])
        for c in sorted(LEVEL_CODES, key=lambda c: share[c] - int(share[c]), reverse=True)[
                :regular - sum(per.values())]:
            per[c] += 1

        for c, lp in self.plans.items():
            r = per[c]
            pool = lp.n - (c == "L4")  # one 班组长 gets the planted level typo
            stable = pool - lp.leavers
            if r * 10 <= 0.85 * stable:
                lp.sizes, lp.fresh = [rng.randint(7, 10) for _ in range(r)], r
            elif r >= math.ceil(pool / 10):
                parts = math.ceil(pool / 10)
                lp.sizes = [pool // parts + (k < pool % parts) for k in range(parts)]
                lp.sizes += [rng.randint(min(pool, 6), min(pool, 10)) for _ in range(r - parts)]
                lp.fresh = parts
            else:
                lp.sizes, lp.fresh = [min(10, max(2, int(0.85 * stable) // r))] * r, r
        # S01 target: one session of 11, where it cannot cause repeats
        plans = self.plans
        fits = [(c, 1) for c in LEVEL_CODES if plans[c].fresh == len(plans[c].sizes) > 1
                and sum(plans[c].sizes) - plans[c].sizes[1] + 11 <= 0.85 * (plans[c].n - plans[c].leavers)]
        fits += [(c, len(plans[c].sizes) - 1) for c in LEVEL_CODES
                 if len(plans[c].sizes) > plans[c].fresh and plans[c].n >= 12]
        fits += [(c, 0) for c in LEVEL_CODES if plans[c].sizes and plans[c].n >= 12]
        self.s01 = fits[0]
        self.plans[self.s01[0]].sizes[self.s01[1]] = 11

    # ---- roster -----------------------------------------------------------------
    def make_roster(self) -> None:
        rng, people = self.rng, []
        for c in LEVEL_CODES:
            lp = self.plans[c]
            n = lp.n
            _share, wshare, posts = V.LEVEL_PROFILE[c]
            need = max(1, lp.fresh)
            women = 0 if wshare == 0 else min(max(round(n * wshare), need), n - need)
            genders = ["女"] * women + ["男"] * (n - women)
            rng.shuffle(genders)
            tiers = [""] * n
            if c in TIERED:
                need_t = max(1, sum(1 for s in lp.sizes[:lp.fresh] if s >= 5))
                top, bottom = max(round(0.2 * n), need_t), max(round(0.15 * n), need_t)
                tiers = ["先进"] * top + ["后进"] * bottom + ["一般"] * (n - top - bottom)
                rng.shuffle(tiers)
            dealt = _deal(n, posts)
            rng.shuffle(dealt)
            members = []
            for k in range(n):
                p = _Person(len(people), self.name(genders[k]), genders[k], c)
                p.tier = tiers[k]
                p.post = dealt[k]
                p.unit = self.unit_for(c, p.post)
                if c != "L8" and rng.random() < 0.12:
                    p.area = rng.choice(V.REMOTE)
                people.append(p)
                members.append(p)
            self.flag_people(lp, members)
        # 工号 in a shuffled order, so the roster interleaves levels as a real one does
        order = people[:]
        rng.shuffle(order)
        for i, p in enumerate(order):
            p.id = f"HZ{10001 + i}"
        self.people = sorted(people, key=lambda p: p.id)

    def unit_for(self, level: str, post: str) -> str:
        rng = self.rng
        if post in V.CANTEEN_POSTS:
            return "后勤服务中心"
        if level == "L8" or (level == "L2" and rng.random() < 0.2):
            return rng.choice(V.FUNCTIONAL[1:])
        if level == "L5" and rng.random() < 0.6:
            return "安监处"
        return rng.choice(V.TEAMS)

    def flag_people(self, lp: _LevelPlan, members: list[_Person]) -> None:
        """Typo person, leavers, key persons, 三违, new graduates of one level."""
        rng, c = self.rng, lp.code
        free = members[:]
        rng.shuffle(free)
        if c == "L4":
            typo = next(p for p in free if p.gender == "男" and p.tier == "一般")
            free.remove(typo)
            self.typo = typo
        lp.members = free[:]
        for p in free[:lp.leavers]:
            p.left_on = self.workday_in(date(self.year, 3, 2), min(date(self.year, 10, 30),
                                                                   self.end - timedelta(days=14)))
        rest = free[lp.leavers:]
        fresh_slots = sum(lp.sizes[:lp.fresh]) if lp.fresh == len(lp.sizes) else len(members)
        keys = min(round(0.08 * lp.n), fresh_slots // 2, len(rest))
        reasons = [r for r in V.KEY_REASONS if c in TIERED or r not in ("三违", "新入职")]
        if c != "L1":
            reasons = [r for r in reasons if r != "新入职"]
        for p in rest[:keys]:
            p.key = rng.choice(reasons)
            p.violator = p.key == "三违"
            if p.key == "新入职":
                p.grad, p.post, p.area = True, V.NEW_GRADUATE_POST, "本部"
        if c == "L1":
            for p in rest[keys:]:
                x = rng.random()
                if x < 0.025:
                    p.violator = True
                elif x < 0.05:
                    p.grad, p.post = True, V.NEW_GRADUATE_POST
        leavers = sorted(free[:lp.leavers], key=lambda p: p.left_on)
        keyed = [p for p in rest if p.key]
        others = [p for p in rest if not p.key]
        spread: dict[str, list] = {}
        for p in others:  # every post spread evenly along the order: each group gets a mix
            spread.setdefault(p.post, []).append(p)
        place = {p.idx: (i + rng.random()) / len(ps) for ps in spread.values() for i, p in enumerate(ps)}
        others.sort(key=lambda p: place[p.idx])
        lp.order = keyed + leavers + others
        for p in lp.members:
            for attr in ("gender", "tier"):
                v = getattr(p, attr)
                lp.counts[(attr, v)] = lp.counts.get((attr, v), 0) + 1
        lp.genders = {p.gender for p in lp.members}
        lp.posts = {p.post for p in lp.members}
        lp.tiers = {p.tier for p in lp.members if p.tier}

    def roster_rows(self) -> list[dict]:
        out = []
        for p in self.people:
            out.append(row_of(schema.ROSTER, {
                "工号": p.id, "姓名": p.name, "性别": p.gender, "单位": p.unit, "岗位": p.post,
                "层级": LEVEL_NAME[p.level], "重点对象": p.key or None, "三违": "是" if p.violator else "否",
                "新入职大学生": "是" if p.grad else "否", "表现档次": p.tier or None, "所在矿区": p.area,
                "在职状态": "离职" if p.left_on else "在职", "离职日期": p.left_on}))
        return out

    # ---- sessions -------------------------------------------------------------------
    def make_sessions(self) -> None:
        rng, sessions = self.rng, []
        quarters = (self.end.month - 1) // 3 + 1
        for c in LEVEL_CODES:
            lp = self.plans[c]
            dates = []
            for k in range(len(lp.sizes)):
                if k < quarters:
                    lo = date(self.year, 3 * k + 1, 1)
                    hi = min(self.end, date(self.year + (k == 3), (3 * k + 3) % 12 + 1, 1) - timedelta(days=1))
                    dates.append(self.workday_in(max(lo, self.start), hi))
                else:
                    dates.append(self.workday_in(self.start, self.end))
            dates.sort()
            for d in dates:
                sessions.append(_Session(d, REGULAR, c, topic=f"{LEVEL_NAME[c]}八级慧谈（{d.month}月）"))
        # two recent sessions, so some tickets are still within their deadline
        recent = [self.workdays[-2], self.workdays[-4]]
        for c, d in zip(sorted(LEVEL_CODES, key=lambda c: -self.plans[c].n)[:2], recent):
            last = max((s for s in sessions if s.level == c), key=lambda s: s.date)
            last.date = d
            last.topic = f"{LEVEL_NAME[c]}八级慧谈（{d.month}月）"
        months = sorted({(d.year, d.month) for d in self.workdays})
        cloud = 0
        for k in range(self.n_special):
            theme = THEME_CYCLE[k % len(THEME_CYCLE)]
            kind, level, topic = THEMES[theme]
            area = ""
            if theme == "cloud":
                y, m = months[cloud % len(months)]
                area = V.REMOTE[cloud % 2]
                d = self.workday_in(date(y, m, 1), date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
                cloud += 1
            elif theme == "career":
                lo, hi = [(date(self.year, 2, 2), date(self.year, 2, 13)),
                          (date(self.year, 9, 21), date(self.year, 9, 30)),
                          (date(self.year, 7, 6), date(self.year, 7, 17))][k % 3]
                d = self.workday_in(lo, min(hi, self.end)) if lo <= self.end else self.workday_in(
                    self.start, self.end)
            else:
                d = self.workday_in(self.start, self.end)
            sessions.append(_Session(d, kind, level, theme, topic.format(area=area), area))
        kinds = schema.SESSION_KINDS
        sessions.sort(key=lambda s: (s.date, kinds.index(s.kind), LEVEL_CODES.index(s.level)))
        width = max(3, len(str(len(sessions))))
        for i, s in enumerate(sessions, 1):
            s.id = f"HT{self.year}-{i:0{width}d}"
            s.form = "视频" if s.theme == "cloud" else "现场"
            s.place = ("视频会议室（" + s.area + "）") if s.theme == "cloud" else rng.choice(V.PLACES).format(
                unit=rng.choice(V.TEAMS))
        self.sessions = sessions

    def select_attendees(self) -> None:
        self.attended: set[int] = set()
        themed = {
            "cloud": [p for p in self.people if p.area != "本部"],
            "safety": [p for p in self.people if p.violator],
            "career": [p for p in self.people if p.grad],
            "trade": [p for p in self.people if p.post in V.MECHANICAL_POSTS],
        }
        index = {c: 0 for c in LEVEL_CODES}
        for s in self.sessions:
            if s.kind == REGULAR:
                lp = self.plans[s.level]
                s.group = self.pick_regular(lp, s.date, lp.sizes[index[s.level]])
                if (s.level, index[s.level]) == self.s01:
                    self.s01_session = s
                index[s.level] += 1
            else:
                pool = [p for p in themed[s.theme] if p is not self.typo and p.active_on(s.date)
                        and (not s.area or p.area == s.area)]
                if len(pool) < 2:
                    pool = [p for p in self.plans["L1"].members if p.active_on(s.date)]
                self.rng.shuffle(pool)
                pool.sort(key=lambda p: (p.idx in self.attended, not p.key))
                s.group = pool[:min(len(pool), self.rng.randint(5, 9))]
            self.attended.update(p.idx for p in s.group)

    def pick_regular(self, lp: _LevelPlan, d: date, size: int) -> list[_Person]:
        """Fresh members first (keys first), seeded for gender, tier and post diversity;
        repeats only once every active member of the level has attended."""
        order, taken = lp.order, lp.taken
        while lp.start < len(order) and (order[lp.start].idx in taken or not order[lp.start].active_on(d)):
            lp.start += 1

        def waiting():
            for p in order[lp.start:]:
                if p.idx not in taken and p.active_on(d):
                    yield p

        group: list[_Person] = []
        needs = [("gender", g) for g in ("女", "男") if len(lp.genders) > 1]
        if lp.code in TIERED and size >= 5:
            needs += [("tier", t) for t in TIERS if t in lp.tiers]
        future = max(0, lp.fresh - lp.done - 1)

        def add(p):
            group.append(p)
            for attr in ("gender", "tier"):
                lp.counts[(attr, getattr(p, attr))] -= 1

        def spends_reserve(p) -> bool:
            """p would use up a scarce value this group already has, that later groups need."""
            return any(getattr(p, a) == v and lp.counts[(a, v)] - 1 < future
                       and any(getattr(q, a) == v for q in group) for a, v in needs)

        for attr, v in needs:
            if not any(getattr(p, attr) == v for p in group):
                cands = (p for p in waiting() if getattr(p, attr) == v and p not in group)
                first = next(cands, None)
                p = first if first is None or not spends_reserve(first) else next(
                    (p for p in cands if not spends_reserve(p)), first)
                if p is not None:
                    add(p)
        for strict in (True, False):
            for p in waiting():
                if len(group) >= size:
                    break
                if p in group or (strict and spends_reserve(p)):
                    continue
                add(p)
        if len(lp.posts) > 1 and len(group) >= 2 and len({p.post for p in group}) == 1:
            other = next((p for p in waiting() if p not in group and p.post != group[0].post), None)
            spare = next((j for j in range(len(group) - 1, -1, -1)
                          if _meets(group[:j] + group[j + 1:] + [other], needs)), None)
            if other is not None and spare is not None:  # the one swapped out keeps waiting
                out = group[spare]
                group[spare] = other
                for attr in ("gender", "tier"):
                    lp.counts[(attr, getattr(out, attr))] += 1
                    lp.counts[(attr, getattr(other, attr))] -= 1
        fresh = bool(group)
        if len(group) < size or not _meets(group, needs) or (len(lp.posts) > 1 and len({p.post for p in group}) < 2):
            if next(waiting(), None) is None:  # everyone active has attended: repeats are fine
                self.top_up(lp, d, group, size, needs)
        for p in group:
            taken.add(p.idx)
        lp.done += fresh
        return group

    def top_up(self, lp: _LevelPlan, d: date, group: list, size: int, needs) -> None:
        rng = self.rng
        pick = [p for p in rng.sample(lp.members, min(len(lp.members), 4 * size + 20))
                if p.active_on(d) and p not in group]
        for attr, v in needs:
            if not any(getattr(p, attr) == v for p in group):
                p = next((p for p in pick if getattr(p, attr) == v), None)
                p = p or next((p for p in lp.members if getattr(p, attr) == v and p.active_on(d)
                               and p not in group), None)
                if p is not None:
                    group.append(p)
                    if p in pick:
                        pick.remove(p)
        first = len(group)
        for p in pick:
            if len(group) >= size:
                break
            if p not in group:
                group.append(p)
        if len(lp.posts) > 1 and len({p.post for p in group}) < 2 and group:
            other = next((p for p in lp.members if p.active_on(d) and p.post != group[0].post), None)
            if other is not None:  # a repeat in place of a repeat, or one more attendee
                if len(group) > first and len(group) >= 10:
                    group[-1] = other
                elif len(group) < 10:
                    group.append(other)

    def session_rows(self) -> list[dict]:
        rng, out = self.rng, []
        functional = V.FUNCTIONAL[1:] + V.OTHER_UNITS
        absent_every = max(12, len(self.sessions) // 8)
        for k, s in enumerate(self.sessions):
            d = s.date
            invited = attending = None
            if rng.random() < 0.45 or k % absent_every == 3:
                inv = rng.sample(functional, rng.randint(1, 3))
                att = inv[:-1] if k % absent_every == 3 else inv
                invited, attending = "、".join(inv), "、".join(att) or None
            minutes = min(self.end, self.cal.roll_forward(d + timedelta(days=rng.randint(0, 3))))
            out.append(row_of(schema.SESSIONS, {
                "场次编号": s.id, "日期": d, "类型": s.kind, "层级": LEVEL_NAME[s.level], "主题": s.topic,
                "牵头人": self.leads[s.level], "形式": s.form, "地点": s.place,
                "选人单位": rng.choice(LEVEL_UNITS[s.level]), "名单审核人": self.leads[s.level],
                "审核日期": self.prev_workday(d - timedelta(days=rng.randint(1, 5))), "邀请科室": invited,
                "到会科室": attending,
                "纪要日期": minutes}))
        self.session_row = {s.id: r for s, r in zip(self.sessions, out)}
        return out

    # ---- items (诉求台账) ---------------------------------------------------------------
    def make_items(self) -> None:
        rng, n = self.rng, self.size.items
        held = [s for s in self.sessions if s.group]
        picks = rng.choices(range(len(held)), k=n)
        per = [0] * len(held)
        for i in picks:
            per[i] += 1
        recent = [i for i, s in enumerate(held) if s.date >= self.workdays[-4]]
        for i in recent:  # recent sessions carry tickets still within their deadline
            while per[i] < 3:
                j = max(range(len(per)), key=per.__getitem__)
                per[j] -= 1
                per[i] += 1
        n_rational = min(n - 10, max(self.size.suggestions, round(0.2 * n)))
        rational = set(rng.sample(range(n), n_rational))
        by_cat: dict[str, list] = {}
        for tag, (_depts, lines) in V.TOPICS.items():
            for cat, text in lines:
                by_cat.setdefault(cat == "合理化建议", []).append((tag, cat, text))
        width = max(4, len(str(n)))
        self.items, self.item_meta = [], []
        k = 0
        last_week = set(recent)
        for si, (s, count) in enumerate(zip(held, per)):
            lead = self.leads[s.level]
            for j in range(count):
                p = rng.choice(s.group)
                tag, cat, text = rng.choice(by_cat[k in rational])
                row = {"编号": f"SQ{self.year}-{k + 1:0{width}d}", "场次编号": s.id, "提出人工号": p.id,
                       "提出人": p.name, "类别": cat,
                       "主题标签": tag if k % V.TAG_TYPED_EVERY == 0 else None,  # most clerks leave it blank
                       "内容": text.format(unit=p.unit if p.unit in V.TEAMS else rng.choice(V.TEAMS))}
                spot = rng.random() < (0.15 if cat == "合理化建议" else 0.47) and not (si in last_week and j == 0)
                meta = {"session": s, "person": p, "spot": spot, "deadline": None, "tag": tag}
                if spot:
                    row.update({"现场答复": "是", "答复意见": rng.choice(V.SPOT_REPLIES),
                                "职工满意度": rng.choice(["满意", "满意", "基本满意"])})
                else:
                    self.fill_ticket(row, meta, s, lead, V.TOPICS[tag][0])
                if rng.random() < 0.02:
                    row["风险提示"] = rng.choice(schema.RISKS)
                self.items.append(row)
                self.item_meta.append(meta)
                k += 1
        self.ensure_states()
        for i, risk in enumerate(schema.RISKS):  # at least one of each risk
            if not any(r.get("风险提示") == risk for r in self.items):
                self.items[i * 7 % n]["风险提示"] = risk
        replied = [i for i, m in enumerate(self.item_meta) if not m["spot"] and self.items[i].get("答复日期")]
        for j, problem in enumerate(schema.PROBLEMS * max(1, len(replied) // 50)):
            i = replied[(j * 37 + 11) % len(replied)]
            self.items[i]["办理问题"] = problem
        self.items = [row_of(schema.ITEMS, r) for r in self.items]

    def fill_ticket(self, row: dict, meta: dict, s: _Session, lead: str, depts: list[str]) -> None:
        rng, cal, as_of = self.rng, self.cal, self.end
        dept = rng.choice(depts)
        assigned = s.date
        if rng.random() < 0.4 and cal.add_workdays(s.date, 1) <= as_of:
            assigned = cal.add_workdays(s.date, 1)
        row.update({"现场答复": "否", "承办部门": dept, "承办负责人": self.heads[dept], "督办员": lead,
                    "交办日期": assigned})
        deadline = cal.add_workdays(assigned, 5)
        if rng.random() < 0.25:
            deadline = cal.roll_forward(assigned + timedelta(days=rng.randint(7, 14)))
            row["答复时限"] = deadline
            if rng.random() < 0.25:
                ext = cal.roll_forward(deadline + timedelta(days=rng.randint(7, 20)))
                approved = max(assigned, self.prev_workday(deadline - timedelta(days=rng.randint(0, 3))))
                row.update({"延期至": ext, "延期批准日期": approved})
                deadline = ext
        meta["deadline"] = deadline
        reply = None
        if deadline >= as_of:
            if rng.random() < 0.4:
                reply = cal.roll_forward(assigned + timedelta(days=rng.randint(0, 3)))
        else:
            x = rng.random()
            p_open = 0.25 if (as_of - deadline).days <= 45 else 0.03
            if p_open <= x < p_open + 0.09:
                reply = cal.roll_forward(deadline + timedelta(days=rng.randint(3, 25)))
            elif x >= p_open + 0.09:
                reply = cal.roll_forward(assigned + timedelta(days=rng.randint(0, 3)))
        self.set_reply(row, reply)

    def set_reply(self, row: dict, reply: date | None, resolved: bool | None = None) -> None:
        rng = self.rng
        for h in ("答复日期", "答复意见", "公示日期", "职工满意度", "是否解决", "是否落实"):
            row[h] = None
        if reply is None or reply > self.end:
            return
        published = self.cal.roll_forward(reply + timedelta(days=rng.randint(0, 2)))
        solved = rng.random() < 0.94 if resolved is None else resolved
        done = solved and rng.random() < 0.8
        row.update({"答复日期": reply, "答复意见": rng.choice(V.TICKET_REPLIES),
                    "公示日期": published if published <= self.end else None,
                    "职工满意度": rng.choices(schema.SATISFACTION, (72, 24, 4))[0],
                    "是否解决": "是" if solved else "否", "是否落实": "是" if done else ("否" if solved else None)})

    def state(self, i: int) -> str:
        """Ticket state as of `end` (SPEC §5) from the generator's own deadline."""
        row, meta = self.items[i], self.item_meta[i]
        if meta["spot"]:
            return "现场答复"
        reply, deadline = row.get("答复日期"), meta["deadline"]
        if not isinstance(reply, date):
            return "待答复" if self.end <= deadline else "逾期未答复"
        if row.get("是否解决") == "是" and row.get("是否落实") == "是":
            return "已办结"
        return "按期答复" if reply <= deadline else "逾期答复"

    def ensure_states(self) -> None:
        """Every state of SPEC §5 at least once, and one extension approved too late (T01)."""
        tickets = [i for i, m in enumerate(self.item_meta) if not m["spot"]]
        end = self.end
        old = [i for i in tickets if self.item_meta[i]["deadline"] <= end - timedelta(days=20)
               and not self.items[i].get("延期至")]
        self.late_approval = old[len(old) // 2]
        row, meta = self.items[self.late_approval], self.item_meta[self.late_approval]
        deadline = meta["deadline"]
        row.update({"延期至": self.cal.roll_forward(deadline + timedelta(days=14)),
                    "延期批准日期": self.cal.roll_forward(deadline + timedelta(days=2))})
        self.set_reply(row, self.cal.roll_forward(deadline + timedelta(days=6)))
        have = {self.state(i) for i in tickets}
        if "待答复" not in have:
            i = next(i for i in tickets if self.item_meta[i]["deadline"] >= end)
            self.set_reply(self.items[i], None)
        for i in old:
            if have >= {"逾期未答复", "逾期答复", "已办结", "按期答复"}:
                break
            if i == self.late_approval:
                continue
            row, deadline = self.items[i], self.item_meta[i]["deadline"]
            if "逾期未答复" not in have:
                self.set_reply(row, None)
            elif "逾期答复" not in have:
                self.set_reply(row, self.cal.roll_forward(deadline + timedelta(days=5)))
            else:
                self.set_reply(row, row["交办日期"], resolved=True)
                row["是否落实"] = "是" if "已办结" not in have else "否"
            have = {self.state(i) for i in tickets}

    # ---- suggestions (合理化建议) --------------------------------------------------------
    def make_suggestions(self) -> None:
        rng, out = self.rng, []
        sources = [i for i, r in enumerate(self.items) if r["类别"] == "合理化建议"]
        width = max(3, len(str(self.size.suggestions)))
        active = [p for p in self.people if p.left_on is None and p is not self.typo]
        for k in range(self.size.suggestions):
            i = sources[k] if k < len(sources) else None
            if i is not None:
                item, meta = self.items[i], self.item_meta[i]
                people, since = [meta["person"]], meta["session"].date
                others = [p for p in meta["session"].group if p is not meta["person"]]
                text, tag = item["内容"], meta["tag"]
            else:
                people, since = [rng.choice(active)], self.start
                others, tag = [], rng.choice(list(V.SUGGESTION_FIELD))
                text = "建议优化" + tag + "相关流程"
            if rng.random() < 0.15:
                cands = [p for p in (others or active[:50]) if p not in people]
                people += rng.sample(cands, min(len(cands), rng.randint(1, 2)))
            dept = (item.get("承办部门") if i is not None else None) or V.TOPICS.get(tag, (["经管科"],))[0][0]
            reasonable = rng.random() < 0.85
            row = {"编号": f"JY{self.year}-{k + 1:0{width}d}", "来源编号": item["编号"] if i is not None else None,
                   "提出人工号": "、".join(p.id for p in people), "提出人": "、".join(p.name for p in people),
                   "专业类别": V.SUGGESTION_FIELD.get(tag, "其他"), "建议内容": text,
                   "合理性结论": "合理" if reasonable else "不合理",
                   "论证说明": f"经{dept}论证，建议可行，可在相关单位推广" if reasonable
                   else "经论证，现有条件下不具备实施条件", "转交部门": dept,
                   "是否采纳": "是" if reasonable else "否", "实施情况": "未实施"}
            if reasonable:
                days = (self.end - since).days
                x = rng.random()
                if days >= 20 and x < 0.7:
                    done = since + timedelta(days=rng.randint(15, min(90, days)))
                    benefit = rng.choices([None, rng.randint(10, 99) * 100, rng.randint(10, 99) * 1000,
                                           rng.randint(100, 300) * 1000], (30, 40, 25, 5))[0]
                    row.update({"实施情况": "已实施", "实施日期": done,
                                "应用效果": rng.choices(schema.EFFECTS, (25, 45, 30))[0], "创效金额": benefit,
                                "评审季度": f"{done.year}Q{(done.month - 1) // 3 + 1}" if rng.random() < 0.85
                                else None})
                elif x < 0.9:
                    row["实施情况"] = "实施中"
            out.append(row)
        judged = [r for r in out if r["合理性结论"] == "合理"]
        if judged:  # exactly one reasonable suggestion not adopted (D07)
            r = judged[len(judged) // 3]
            r.update({"是否采纳": "否", "实施情况": "未实施", "实施日期": None, "应用效果": None, "创效金额": None,
                      "评审季度": None})
        done = [r for r in out if r["实施情况"] == "已实施"]
        if done and not any((r.get("创效金额") or 0) >= 100000 for r in done):  # one ≥ 100,000
            done[0]["创效金额"] = 128000
        for r, amount in zip([r for r in done if (r.get("创效金额") or 0) < 10000][:max(0, 3 - sum(
                (r.get("创效金额") or 0) >= 10000 for r in done))], (36000, 15000, 12000)):  # a few ≥ 10,000
            r["创效金额"] = amount
        self.suggestions = [row_of(schema.SUGGESTIONS, r) for r in out]

    # ---- 报告报送, 考核事项 ----------------------------------------------------------------
    def report_rows(self) -> list[dict]:
        rng, cal, out = self.rng, self.cal, []
        months = []
        for m in range(1, 13):
            due = cal.roll_forward(date(self.year + (m == 12), m % 12 + 1, 5))
            if due <= self.end:
                months.append((m, due))
        cells = [(m, due, t) for m, due in months for t in V.TEAMS]
        late = max(0, len(cells) // 3)
        missing = max(0, len(cells) * 2 // 3)
        for k, (m, due, team) in enumerate(cells):
            sent = self.prev_workday(due - timedelta(days=rng.randint(0, 3)))
            if k == late:
                sent = cal.add_workdays(due, 2)
            out.append(row_of(schema.REPORTS, {"月份": f"{self.year}-{m:02d}", "单位": team, "负责人": self.heads[team],
                                               "应报日期": due, "实报日期": None if k == missing else sent}))
        return out

    def manual_rows(self) -> list[dict]:
        out = []
        picks = [("调度室", 4, 1), ("后勤服务中心", 7, None), ("机电科", 9, 2)]
        for (dept, month, points), (reason, basis) in zip(picks, V.REPORT_REASONS):
            d = self.workday_in(date(self.year, month, 10), date(self.year, month, 25))
            if d > self.end:
                continue
            out.append(row_of(schema.MANUAL, {"日期": d, "部门": dept, "负责人": self.heads[dept], "事由": reason,
                                              "依据": basis, "扣分": points,
                                              "备注": "扣分按规则配置默认值" if points is None else None}))
        return out

    # ---- attendance rows and the planted errors -----------------------------------------
    def plant_session_errors(self, roster: list[dict]) -> None:
        plant = self.planted.append
        regular = [s for s in self.sessions if s.kind == REGULAR and s is not self.s01_session]
        specials = [s for s in self.sessions if s.kind != REGULAR and 2 <= len(s.group) <= 9]
        s07 = next(s for s in regular if 2 <= len(s.group) <= 9)
        s04, s05 = [s for s in regular if s is not s07][len(regular) // 3: len(regular) // 3 + 2]
        s03 = specials[len(specials) // 2] if specials else next(
            s for s in self.sessions if s.kind != REGULAR and s.group)
        if len(s03.group) > 9:
            s03.group.pop()
        rows = []
        ghost = f"HZ{10001 + self.size.employees + 500}"
        for s in self.sessions:
            for j, p in enumerate(s.group):
                note = f"重点对象：{p.key}" if p.key else ("视频参会" if s.form == "视频" else None)
                rows.append(row_of(schema.ATTENDANCE, {"场次编号": s.id, "工号": p.id, "姓名": p.name, "备注": note}))
                if s is s07 and j == 1:
                    rows.append(dict(rows[-1]))
            if s is s03:
                rows.append(row_of(schema.ATTENDANCE, {"场次编号": s.id, "工号": ghost, "姓名": self.name("男")}))
        self.attendance_rows = rows
        s01 = self.s01_session
        plant(Planted("S01", schema.SESSIONS, s01.id, "场次编号", f"八级慧谈{len(s01.group)}人参会，超过10人"))
        plant(Planted("S03", schema.ATTENDANCE, f"{s03.id}/{ghost}", "工号", "参会工号不在职工名册"))
        plant(Planted("S07", schema.ATTENDANCE, f"{s07.id}/{s07.group[1].id}", "工号", "同一场次重复列出"))
        wrong = self.leads[LEVEL_CODES[(LEVEL_CODES.index(s04.level) + 1) % 8]]
        self.session_row[s04.id]["牵头人"] = wrong
        plant(Planted("S04", schema.SESSIONS, s04.id, "牵头人", f"牵头人写成「{wrong}」，应为{self.leads[s04.level]}"))
        self.session_row[s05.id]["审核日期"] = s05.date + timedelta(days=2)
        plant(Planted("S05", schema.SESSIONS, s05.id, "审核日期", "名单审核晚于慧谈日期2天"))
        typo = self.typo
        next(r for r in roster if r["工号"] == typo.id)["层级"] = "班祖长"
        plant(Planted("R03", schema.ROSTER, typo.id, "层级", "层级写成「班祖长」（班组长）"))

    def plant_item_errors(self) -> None:
        plant = self.planted.append
        items, meta = self.items, self.item_meta
        sources = {r["来源编号"] for r in self.suggestions if r["来源编号"]}
        usable = [i for i in range(len(items)) if items[i]["编号"] not in sources and i != self.late_approval]
        spot = [i for i in usable if meta[i]["spot"]]
        answered = [i for i in usable if not meta[i]["spot"] and isinstance(items[i]["答复日期"], date)
                    and self.state(i) in ("按期答复", "已办结") and items[i]["交办日期"] > self.start]
        tickets = [i for i in usable if not meta[i]["spot"]]
        spot_set = set(spot)
        pair = next(((i - 1, i) for i in spot[1:] if i - 1 in spot_set), (spot[0], spot[1]))
        used = set(pair)
        r01, r09 = [i for i in answered if i not in used][:2]
        used |= {r01, r09}
        r05, r08 = [i for i in tickets if i not in used][len(tickets) // 2: len(tickets) // 2 + 2]
        used |= {r05, r08}
        formula = next(i for i in spot if i not in used)

        bad = f"{self.year}-13-05"
        items[r01]["答复日期"] = bad
        plant(Planted("R01", schema.ITEMS, items[r01]["编号"], "答复日期", f"答复日期写成「{bad}」"))
        items[r05]["承办部门"] = items[r05]["承办负责人"] = None
        plant(Planted("R05", schema.ITEMS, items[r05]["编号"], "承办部门", "承办单未填承办部门"))
        dup = items[pair[0]]["编号"]
        items[pair[1]]["编号"] = dup
        plant(Planted("R07", schema.ITEMS, dup, "编号", "诉求编号重复"))
        items[r08]["承办部门"] = "劳资社保处"
        items[r08]["承办负责人"] = self.heads["劳资社保科"]
        plant(Planted("R08", schema.ITEMS, items[r08]["编号"], "承办部门", "承办部门写成「劳资社保处」（劳资社保科）"))
        row = items[r09]
        row["答复日期"] = row["交办日期"] - timedelta(days=2)
        row.update({"公示日期": row["交办日期"], "职工满意度": "满意", "是否解决": "是"})
        plant(Planted("R09", schema.ITEMS, row["编号"], "答复日期", "答复日期早于交办日期"))
        items[formula]["内容"] = '=HYPERLINK("http://intranet.example/huitan/files","附件：现场照片")'
        plant(Planted("", schema.ITEMS, items[formula]["编号"], "内容", "formula-like text"))


def _meets(group: list, needs) -> bool:
    """Every (attribute, value) in needs is present in group."""
    return all(any(p is not None and getattr(p, a) == v for p in group) for a, v in needs)


def _deal(n: int, weights: dict[str, int]) -> list[str]:
    """n values in proportion to weights (largest remainder), every value at least once if n allows."""
    total = sum(weights.values())
    raw = {k: n * w / total for k, w in weights.items()}
    count = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - count[k], reverse=True)[:n - sum(count.values())]:
        count[k] += 1
    for k in weights:  # a rare post still appears once
        if count[k] == 0 and n >= len(weights):
            top = max(count, key=count.get)
            count[top] -= 1
            count[k] = 1
    return [k for k in weights for _ in range(count[k])]
