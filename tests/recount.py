"""An independent recount of the monthly report (SPEC §5, §8) straight from the
register sheets, for tests/test_report_demo_year.py.

Nothing here imports huitan_xl: the sheets are read with openpyxl, dates parsed
by hand, the working-day calendar taken from the `holidays` package (its China
calendar names each 调休 day off "Day off (substituted from MM/DD/YYYY)", which
gives the make-up working days), and the ticket deadline and state rules of
SPEC §5 coded again in a few lines. The conventions the report prints on its
sheet are followed: an item belongs to its session's month (else its 交办日期's),
rates count each ticket's state as of `as_of`, the overdue list is taken at the
month end (or `as_of` if earlier), coverage is Jan 1 .. month end.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

import holidays
import openpyxl

BLANK = "（未填）"
KINDS = ("八级慧谈", "专题慧谈", "专业慧谈", "节点慧谈")
CATEGORIES = ("问题意见", "合理化建议", "职工诉求")
DEADLINE_WORKDAYS = 5


# ---- reading ------------------------------------------------------------------

def to_date(v) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", v)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


def text(v) -> str:
    return "" if v is None else str(v).strip()


def rows_of(wb, sheet: str, key: str) -> list[dict]:
    """Data rows of `sheet` as {header: value}; the header row is the first row holding `key`."""
    ws = wb[sheet]
    rows = list(ws.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if key in [text(c) for c in r])
    headers = [text(c) for c in rows[h]]
    out = []
    for r in rows[h + 1:]:
        if all(c is None or text(c) == "" for c in r):
            continue
        out.append({hd: c for hd, c in zip(headers, r) if hd})
    return out


def norm_level(name: str) -> str:
    t = text(name).replace("(", "（").replace(")", "）")
    return re.sub(r"（.*?）", "", t).strip()


@dataclass
class Register:
    levels: list[tuple[str, str]]  # (code, name)
    level_of: dict[str, str]  # normalised name or code -> code
    sessions: list[dict]
    attendance: list[dict]
    items: list[dict]
    suggestions: list[dict]
    roster: list[dict]
    reports: list[dict]  # 报告报送
    manual: list[dict]  # 考核事项


def load(path) -> Register:
    wb = openpyxl.load_workbook(path, read_only=True)
    levels = [(text(r["层级代码"]), text(r["层级"])) for r in rows_of(wb, "层级", "层级代码")]
    level_of = {}
    for code, name in levels:
        level_of[code] = code
        level_of[norm_level(name)] = code
    reg = Register(levels, level_of, rows_of(wb, "慧谈场次", "场次编号"), rows_of(wb, "参会人员", "工号"),
                   rows_of(wb, "诉求台账", "编号"), rows_of(wb, "合理化建议", "来源编号"),
                   rows_of(wb, "职工名册", "工号"), rows_of(wb, "报告报送", "应报日期"),
                   rows_of(wb, "考核事项", "事由"))
    wb.close()
    return reg


# ---- the working-day calendar ---------------------------------------------------

class Calendar:
    def __init__(self, years):
        cn = holidays.China(years=sorted(years))
        self.off = set(cn)
        self.makeup = set()
        for name in cn.values():
            for m in re.finditer(r"substituted from (\d\d)/(\d\d)/(\d{4})", name):
                self.makeup.add(date(int(m[3]), int(m[1]), int(m[2])))

    def workday(self, d: date) -> bool:
        if d in self.makeup:
            return True
        return d.weekday() < 5 and d not in self.off

    def roll(self, d: date) -> date:
        while not self.workday(d):
            d += timedelta(days=1)
        return d

    def add(self, d: date, n: int) -> date:
        while n:
            d += timedelta(days=1)
            n -= self.workday(d)
        return d


def deadline(it: dict, cal: Calendar) -> date | None:
    """SPEC §5: written 答复时限, else 交办日期 + 5 working days; on a day off, the next
    working day; an extension approved on or before that deadline moves it."""
    d = to_date(it.get("答复时限"))
    if d is None:
        assigned = to_date(it.get("交办日期"))
        if assigned is None:
            return None
        d = cal.add(assigned, DEADLINE_WORKDAYS)
    d = cal.roll(d)
    ext, approved = to_date(it.get("延期至")), to_date(it.get("延期批准日期"))
    if ext is not None and approved is not None and approved <= d:
        d = cal.roll(ext)
    return d


# ---- the month ------------------------------------------------------------------

def month_end(y: int, m: int) -> date:
    return date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)


def is_ticket(it: dict) -> bool:
    return text(it.get("现场答复")) != "是"


def count_sorted(values) -> list[tuple[str, int]]:
    c = Counter(v or BLANK for v in values)
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


def rate(num: int, den: int) -> tuple[int, int]:
    return (num, den)


def item_month_date(it: dict, session_dates: dict[str, date]) -> date | None:
    return session_dates.get(text(it.get("场次编号"))) or to_date(it.get("交办日期"))


def due(reg: Register, cal: Calendar, lo: date, hi: date, as_of: date) -> list[dict]:
    """应办: tickets of the whole register whose deadline is in lo..hi and before as_of."""
    return [it for it in reg.items if is_ticket(it) and (dl := deadline(it, cal)) is not None
            and lo <= dl <= hi and dl < as_of]


def figures(items: list[dict], cal: Calendar, due_items: list[dict] | None = None) -> dict:
    """Items, tickets and the four rates (numerator, denominator): satisfaction over
    `items`, the other three over `due_items` (应办; default: the replied tickets of `items`)."""
    tickets = [it for it in items if is_ticket(it)]
    base = due_items if due_items is not None else [it for it in tickets if to_date(it.get("答复日期"))]
    replied = [(it, to_date(it.get("答复日期"))) for it in base if to_date(it.get("答复日期"))]
    on_time = sum(1 for it, r in replied if deadline(it, cal) is not None and r <= deadline(it, cal))
    rated = [text(it.get("职工满意度")) for it in items if text(it.get("职工满意度"))]
    return {
        "items": len(items), "tickets": len(tickets),
        "按期答复率": rate(on_time, len(base)),
        "问题解决率": rate(sum(text(it.get("是否解决")) == "是" for it, _ in replied), len(base)),
        "问题落实率": rate(sum(text(it.get("是否落实")) == "是" for it, _ in replied), len(base)),
        "职工满意率": rate(sum(s in ("满意", "基本满意") for s in rated), len(rated)),
    }


def recount_month(reg: Register, y: int, m: int, as_of: date) -> dict:
    start, end = date(y, m, 1), month_end(y, m)
    cutoff = min(end, as_of)
    seen, sessions = set(), []
    for s in reg.sessions:  # first row of each 场次编号
        sid = text(s.get("场次编号"))
        if sid and sid not in seen:
            seen.add(sid)
            sessions.append(s)
    sdate = {text(s["场次编号"]): to_date(s.get("日期")) for s in sessions}
    years = {y - 1, y, y + 1} | {to_date(it.get("交办日期")).year for it in reg.items if to_date(it.get("交办日期"))}
    cal = Calendar(years)

    held = [s for s in sessions if sdate[text(s["场次编号"])] and start <= sdate[text(s["场次编号"])] <= end]
    held_ids = {text(s["场次编号"]) for s in held}
    lv = Counter(reg.level_of.get(norm_level(s.get("层级")), "") for s in held)
    kind = Counter(text(s.get("类型")) for s in held)
    att = [a for a in reg.attendance if text(a.get("场次编号")) in held_ids]

    def in_month(it):
        d = item_month_date(it, sdate)
        return d is not None and start <= d <= end

    items = [it for it in reg.items if in_month(it)]
    tickets = [it for it in items if is_ticket(it)]

    overdue = []
    for it in reg.items:
        if not is_ticket(it):
            continue
        dl, r = deadline(it, cal), to_date(it.get("答复日期"))
        if dl is None or dl >= cutoff or (r is not None and r <= cutoff):
            continue
        overdue.append((text(it["编号"]), text(it.get("承办部门")), dl, (cutoff - dl).days))
    overdue.sort(key=lambda e: (-e[3], e[0]))

    ids = {text(it["编号"]) for it in items}
    collected = [s for s in reg.suggestions if text(s.get("来源编号")) in ids]
    done = [s for s in reg.suggestions if to_date(s.get("实施日期")) and start <= to_date(s["实施日期"]) <= end]

    # coverage: Jan 1 .. month end; active at the span end; attended any session in the span
    lo = date(y, 1, 1)
    span_ids = {text(s["场次编号"]) for s in sessions if sdate[text(s["场次编号"])]
                and lo <= sdate[text(s["场次编号"])] <= end}
    attended = {text(a.get("工号")) for a in reg.attendance if text(a.get("场次编号")) in span_ids}
    people = {}
    for p in reg.roster:
        people.setdefault(text(p.get("工号")), p)

    def active(p):
        left = to_date(p.get("离职日期"))
        return end < left if left else text(p.get("在职状态")) != "离职"

    coverage = []
    for code, name in reg.levels:
        members = [pid for pid, p in people.items() if reg.level_of.get(norm_level(p.get("层级"))) == code and active(p)]
        covered = sum(pid in attended for pid in members)
        regular = sum(1 for s in sessions if text(s["场次编号"]) in span_ids and text(s.get("类型")) == "八级慧谈"
                      and reg.level_of.get(norm_level(s.get("层级"))) == code)
        coverage.append((code, name, len(members), covered, rate(covered, len(members)),
                         len(members) - covered, regular))

    trend = []  # the last 12 months, from the register's first month on
    days = [d for d in sdate.values() if d] + [d for it in reg.items if (d := item_month_date(it, sdate))]
    first = date(min(days).year, min(days).month, 1) if days else date.min
    for k in range(11, -1, -1):
        ty, tm = (y * 12 + m - 1 - k) // 12, (y * 12 + m - 1 - k) % 12 + 1
        lo_t, hi_t = date(ty, tm, 1), month_end(ty, tm)
        if hi_t < first:
            continue
        its = [it for it in reg.items if (d := item_month_date(it, sdate)) and lo_t <= d <= hi_t]
        trend.append((f"{ty}-{tm:02d}", figures(its, cal, due(reg, cal, lo_t, hi_t, as_of))))

    return {
        "title": f"{y}年{m}月职工思想动态分析报告" + (f"（截至 {as_of.isoformat()}，月份未结束）" if as_of <= end else ""),
        "end": end,
        "cutoff": cutoff,
        "sessions": len(held),
        "attendee_rows": len({(text(a.get("场次编号")), text(a.get("工号")) or text(a.get("姓名"))) for a in att}
                             - {(text(a.get("场次编号")), "") for a in att}),
        "distinct": len({text(a.get("工号")) or text(a.get("姓名")) for a in att} - {""}),
        "by_level": [(code, name, lv.get(code, 0)) for code, name in reg.levels],
        "by_kind": {**{k: 0 for k in KINDS}, **kind},
        "items": len(items), "on_the_spot": len(items) - len(tickets), "tickets": len(tickets),
        "by_category": {**{c: 0 for c in CATEGORIES}, **Counter(text(it.get("类别")) or BLANK for it in items)},
        "by_tag": count_sorted(text(it.get("主题标签")) for it in items),
        "by_department": count_sorted(text(it.get("承办部门")) for it in tickets),
        "figures": figures(items, cal, due(reg, cal, start, end, as_of)),
        "trend": trend,
        "overdue": overdue,
        "suggestions": (len(collected), sum(text(s.get("合理性结论")) == "合理" for s in collected),
                        sum(text(s.get("是否采纳")) == "是" for s in collected),
                        sum(text(s.get("实施情况")) == "已实施" for s in collected), len(done)),
        "risks": [text(it["编号"]) for it in items if text(it.get("风险提示"))],
        "coverage": coverage,
    }


def share(r: tuple[int, int]):
    """The value a rate cell shows: a float, or "—" when the denominator is 0."""
    return "—" if r[1] == 0 else float(Fraction(*r))


# ---- 季度评审 and 成效总览 ---------------------------------------------------------

POINTS = {"D01": 2, "D02": 1, "D03": 1, "D04": 1, "D05": 1, "D06": 1, "D07": 0}  # SPEC §6 defaults
BASE = {"显著": 300, "良好": 200, "一般": 100}  # SPEC §7 rubric


def split_names(v) -> list[str]:
    return [p.strip() for p in re.split(r"[、,，;；/]", text(v)) if p.strip()]


def deduction_events(reg: Register, as_of: date) -> list[tuple[str, date, int]]:
    """(code, date, points) of every SPEC §6 event up to as_of."""
    cal = Calendar({2025, 2026, 2027})
    out = []
    by_id = {}
    for it in reg.items:
        by_id.setdefault(text(it["编号"]), it)
        if not is_ticket(it):
            continue
        dl, r = deadline(it, cal), to_date(it.get("答复日期"))
        if dl is not None and ((r is not None and r > dl) or (r is None and as_of > dl)):
            out.append(("D01", dl + timedelta(days=1), -POINTS["D01"]))
        when = r or to_date(it.get("交办日期"))
        problem = {"搪塞应付": "D02", "推诿扯皮": "D03"}.get(text(it.get("办理问题")))
        if problem and when:
            out.append((problem, when, -POINTS[problem]))
        if r is not None and text(it.get("职工满意度")) == "不满意":
            out.append(("D07", r, -POINTS["D07"]))
    for s in reg.sessions:
        d = to_date(s.get("日期"))
        missing = set(split_names(s.get("邀请科室"))) - set(split_names(s.get("到会科室")))
        out += [("D04", d, -POINTS["D04"])] * len(missing) if d else []
    for r in reg.reports:
        due, sent = to_date(r.get("应报日期")), to_date(r.get("实报日期"))
        if due and ((sent and sent > due) or (not sent and as_of > due)):
            out.append(("D05", due + timedelta(days=1), -POINTS["D05"]))
    for m in reg.manual:
        pts = m.get("扣分")
        out.append(("D06", to_date(m.get("日期")), -abs(int(pts)) if pts not in (None, "") else -POINTS["D06"]))
    sdate = {text(s["场次编号"]): to_date(s.get("日期")) for s in reg.sessions if text(s.get("场次编号"))}
    for s in reg.suggestions:
        if text(s.get("合理性结论")) == "合理" and text(s.get("是否采纳")) == "否":
            it = by_id.get(text(s.get("来源编号")))
            if it is not None:
                when = (to_date(it.get("答复日期")) or to_date(it.get("交办日期"))
                        or sdate.get(text(it.get("场次编号"))))
                out.append(("D07", when, -POINTS["D07"]))
    return [e for e in out if e[1] is not None and e[1] <= as_of]


def reward(effect: str, benefit) -> int:
    bonus = 200 if (benefit or 0) >= 100_000 else 100 if (benefit or 0) >= 10_000 else 0
    return max(100, min(500, BASE[effect] + bonus))


def quarter_payouts(reg: Register, y: int, q: int) -> list[tuple[str, str, int]]:
    """(suggestion, unit, yuan) per proposer share of quarter Q's rewards (SPEC §7)."""
    label, lo = f"{y}Q{q}", date(y, 3 * q - 2, 1)
    hi = month_end(y, 3 * q)
    unit = {text(p.get("工号")): text(p.get("单位")) for p in reg.roster}
    out = []
    for s in reg.suggestions:
        if text(s.get("是否采纳")) != "是" or text(s.get("实施情况")) != "已实施":
            continue
        quarter, done = text(s.get("评审季度")), to_date(s.get("实施日期"))
        if not (quarter == label if quarter else (done is not None and lo <= done <= hi)):
            continue
        if text(s.get("奖励季度")) not in ("", label):
            continue
        amount = reward(text(s.get("应用效果")), s.get("创效金额"))
        ids = split_names(s.get("提出人工号"))
        share, rest = divmod(amount, len(ids))
        out += [(text(s["编号"]), unit.get(pid, ""), share + (rest if i == 0 else 0)) for i, pid in enumerate(ids)]
    return out


def recount_quarter(reg: Register, y: int, q: int, as_of: date) -> dict:
    lo, hi = date(y, 3 * q - 2, 1), month_end(y, 3 * q)
    sdate = {text(s["场次编号"]): to_date(s.get("日期")) for s in reg.sessions if text(s.get("场次编号"))}
    cal = Calendar({y - 1, y, y + 1})

    def fig(a, b):
        return figures([it for it in reg.items if (d := item_month_date(it, sdate)) and a <= d <= b], cal,
                       due(reg, cal, a, b, as_of))

    months = [(f"{y}-{m:02d}", fig(date(y, m, 1), month_end(y, m))) for m in range(3 * q - 2, 3 * q + 1)
              if date(y, m, 1) <= as_of]
    events = [e for e in deduction_events(reg, as_of) if lo <= e[1] <= hi]
    payouts = quarter_payouts(reg, y, q)
    per_unit = Counter()
    for _, u, yuan in payouts:
        per_unit[u or BLANK] += yuan
    return {
        "months": months, "total": fig(lo, hi),
        "events": len(events), "points": sum(p for _, _, p in events),
        "by_code": dict(Counter(c for c, _, _ in events)),
        "reward_suggestions": len({sid for sid, _, _ in payouts}), "reward_yuan": sum(y for _, _, y in payouts),
        "persons": len(payouts), "per_unit": dict(per_unit),
    }


def recount_overview(reg: Register, as_of: date) -> dict:
    """成效总览: from the first session date to as_of (no 成效总览起始日期 in the demo)."""
    sdate = {text(s["场次编号"]): to_date(s.get("日期")) for s in reg.sessions if text(s.get("场次编号"))}
    start = min(d for d in sdate.values() if d)
    cal = Calendar({start.year, as_of.year})
    items = [it for it in reg.items if (d := item_month_date(it, sdate)) and start <= d <= as_of]
    spot = [it for it in items if not is_ticket(it)]
    replied = [it for it in items if is_ticket(it) and to_date(it.get("答复日期"))]
    f = figures(items, cal)
    by_id = {}
    for it in reg.items:
        by_id.setdefault(text(it["编号"]), it)
    sugs = []
    for s in reg.suggestions:
        src = by_id.get(text(s.get("来源编号")))
        d = (item_month_date(src, sdate) if src else None) or to_date(s.get("实施日期"))
        if d is None or start <= d <= as_of:
            sugs.append(s)
    paid = [int(s["奖励金额"]) for s in sugs if s.get("奖励金额")]
    return {
        "start": start, "sessions": sum(1 for d in sdate.values() if d and start <= d <= as_of),
        "items": len(items), "on_the_spot": len(spot), "replied": len(replied),
        "answered": (len(spot) + len(replied), len(items)),
        "resolved": sum(text(it.get("是否解决")) == "是" for it in replied),
        "satisfied": f["职工满意率"],
        "suggestions": len(sugs), "reasonable": sum(text(s.get("合理性结论")) == "合理" for s in sugs),
        "adopted": sum(text(s.get("是否采纳")) == "是" for s in sugs),
        "implemented": sum(text(s.get("实施情况")) == "已实施" for s in sugs),
        "rewarded": len(paid), "rewarded_yuan": sum(paid),
    }
