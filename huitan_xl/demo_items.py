"""The demo's items (诉求台账), suggestions, reports, manual events and the planted errors.
A mixin of demo._Generator."""
from __future__ import annotations

from datetime import date, timedelta

from . import demo_vocab as V
from . import schema
from .demo_records import LEVEL_CODES, REGULAR, Planted, _Session, row_of
from .model import TicketState

S = TicketState


class ItemsMixin:
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

    def state(self, i: int) -> TicketState:
        """Ticket state as of `end` (SPEC §5) from the generator's own deadline."""
        row, meta = self.items[i], self.item_meta[i]
        if meta["spot"]:
            return S.ON_THE_SPOT
        reply, deadline = row.get("答复日期"), meta["deadline"]
        if not isinstance(reply, date):
            return S.PENDING if self.end <= deadline else S.OVERDUE_OPEN
        if row.get("是否解决") == "是" and row.get("是否落实") == "是":
            return S.CLOSED
        return S.ON_TIME if reply <= deadline else S.LATE

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
        if S.PENDING not in have:
            i = next(i for i in tickets if self.item_meta[i]["deadline"] >= end)
            self.set_reply(self.items[i], None)
        for i in old:
            if have >= {S.OVERDUE_OPEN, S.LATE, S.CLOSED, S.ON_TIME}:
                break
            if i == self.late_approval:
                continue
            row, deadline = self.items[i], self.item_meta[i]["deadline"]
            if S.OVERDUE_OPEN not in have:
                self.set_reply(row, None)
            elif S.LATE not in have:
                self.set_reply(row, self.cal.roll_forward(deadline + timedelta(days=5)))
            else:
                self.set_reply(row, row["交办日期"], resolved=True)
                row["是否落实"] = "是" if S.CLOSED not in have else "否"
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
                    and self.state(i) in (S.ON_TIME, S.CLOSED) and items[i]["交办日期"] > self.start]
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
