"""The demo's people and sessions: departments, levels, the roster, the sessions and who attends
them (chosen clean by construction: S01–S12, see demo.py's docstring). A mixin of demo._Generator."""
from __future__ import annotations

import math
from datetime import date, timedelta

from . import demo_vocab as V
from . import schema
from .demo_records import (LEVEL_CODES, LEVEL_NAME, LEVEL_ROLE, LEVEL_UNITS, REGULAR, THEME_CYCLE, THEMES,
                           TIERED, TIERS, _LevelPlan, _Person, _Session, row_of)


class PeopleMixin:
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
