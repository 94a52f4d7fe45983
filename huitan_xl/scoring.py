"""Deductions (SPEC §6) and quarterly rewards (SPEC §7): integers of points and yuan.

Pure functions: records + settings (+ ticket statuses, period, as_of) -> results
and findings. No floats, no I/O, no clock.

Who a deduction goes to: the record's own head when it names one (the ticket's
承办负责人, the 报告报送 or 考核事项 row's 负责人 — it records who was
responsible at the time), else the 部门 sheet's 负责人 for the department.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from . import schema
from .findings import WARNING, Finding, finding
from .model import Item, Registers, Src, Suggestion, TicketState
from .periods import Period
from .settings import Settings

# finding codes of this family (findings.FAMILIES): code -> (severity, short Chinese title)
CODES = {
    "P01": (WARNING, "符合奖励条件但未填应用效果"),
    "P02": (WARNING, "扣分找不到部门负责人"),
}

# code -> short Chinese name of the event (the 事项 column of 考核扣分)
DEDUCTION_TITLES: dict[str, str] = {
    "D01": "逾期未办理",
    "D02": "搪塞应付",
    "D03": "推诿扯皮",
    "D04": "不派员参加慧谈",
    "D05": "未按时上报职工思想动态报告",
    "D06": "不服从工作安排",
    "D07": "成效不理想/合理化建议不采纳",
}
_PROBLEM_CODES = {"搪塞应付": "D02", "推诿扯皮": "D03"}


@dataclass(frozen=True)
class Deduction:
    code: str  # D01..D07
    date: date  # the event date (SPEC §6)
    department: str
    head: str  # "" when nobody can be named (a P02 finding says so)
    points: int  # negative, or 0 (D07 by default)
    evidence: str  # 编号 / 场次编号 / 报告 / 依据 the row cites
    reason: str  # Chinese: what happened
    src: Src | None = None


# ---------------------------------------------------------------------------
# deductions


def deductions(regs: Registers, statuses: Iterable, settings: Settings,
               period: Period | None = None, as_of: date | None = None
               ) -> tuple[list[Deduction], list[Finding]]:
    """The deduction ledger: one Deduction per event (SPEC §6), sorted by
    (date, code, evidence, department), with findings for events that cannot be
    dated (R05) or given to a head (P02).

    `period` keeps only events dated inside it. `as_of` keeps only events dated
    on or before it (a report not yet due, a session not yet held, a ticket not yet
    late are not events); None means no cut-off — callers should pass as_of."""
    heads = {d.name.strip(): d.head.strip() for d in regs.departments}
    items = {it.id: it for it in regs.items}
    sessions = {s.id: s for s in regs.sessions}
    events: list[Deduction] = []
    findings: list[Finding] = []

    def pts(code: str) -> int:
        return -settings.points(code)

    def head_for(own: str, department: str) -> str:
        return own.strip() or heads.get(department.strip(), "")

    # D01: late tickets, once per ticket, the day after the deadline
    for st in statuses:
        late = st.state in (TicketState.OVERDUE_OPEN, TicketState.LATE) or (st.state == TicketState.CLOSED and (st.days_overdue or 0) > 0)
        if not late or st.deadline is None:
            continue
        it = items.get(st.item_id)
        own = (it.head if it else "") or st.head
        dept = st.department or (it.department if it else "")
        if st.state == TicketState.OVERDUE_OPEN:
            why = f"诉求{st.item_id}答复时限{st.deadline.isoformat()}，逾期未答复"
        else:
            why = f"诉求{st.item_id}答复时限{st.deadline.isoformat()}，逾期{st.days_overdue}天答复"
        events.append(Deduction("D01", st.deadline + timedelta(days=1), dept, head_for(own, dept),
                                pts("D01"), st.item_id, why, st.src or (it.src if it else None)))

    # D02 / D03: the supervisor's 办理问题 mark; D07: 不满意 after reply
    for it in regs.items:
        marks = []
        if it.problem.strip() in _PROBLEM_CODES:
            marks.append((_PROBLEM_CODES[it.problem.strip()], f"诉求{it.id}办理中{it.problem.strip()}"))
        if it.is_ticket and it.satisfaction.strip() == "不满意":
            marks.append(("D07", f"诉求{it.id}答复后职工不满意，成效不理想"))
        if not marks:
            continue
        when = it.replied or it.assigned
        if when is None:
            findings.append(_undated(it))
            continue
        for code, why in marks:
            events.append(Deduction(code, when, it.department, head_for(it.head, it.department),
                                    pts(code), it.id, why, it.src))

    # D04: invited departments that sent nobody
    for s in regs.sessions:
        if s.date is None:
            continue  # the reader reports the missing session date (R01/R05)
        came = {d.strip() for d in s.attending_departments}
        seen: set[str] = set()
        for d in s.invited_departments:
            d = d.strip()
            if not d or d in came or d in seen:
                continue
            seen.add(d)
            events.append(Deduction("D04", s.date, d, head_for("", d), pts("D04"), s.id,
                                    f"{d}受邀参加慧谈{s.id}，未派员参加", s.src))

    # D05: monthly reports submitted late or not at all, the day after due
    for r in regs.reports:
        if r.due is None:
            findings.append(finding(
                "R05", _sheet(r.src, schema.REPORTS), _row(r.src), "应报日期", "",
                f"{r.unit}{r.month}职工思想动态报告未填应报日期，无法判断是否迟报；请填写应报日期。"))
            continue
        if r.submitted is not None and r.submitted <= r.due:
            continue
        if r.submitted is None:
            why = f"{r.unit}{r.month}职工思想动态报告应于{r.due.isoformat()}报送，未报送"
        else:
            why = (f"{r.unit}{r.month}职工思想动态报告应于{r.due.isoformat()}报送，"
                   f"{r.submitted.isoformat()}迟报")
        events.append(Deduction("D05", r.due + timedelta(days=1), r.unit, head_for(r.head, r.unit),
                                pts("D05"), f"{r.month} {r.unit}", why, r.src))

    # D06: recorded by hand; 扣分 2 or -2 both mean -2, blank takes the setting
    for m in regs.manual_events:
        if m.date is None:
            continue  # 日期 is required: the reader reports it
        p = -abs(m.points) if m.points is not None else pts("D06")
        evidence = m.basis.strip() or f"{_sheet(m.src, schema.MANUAL)}第{_row(m.src)}行"
        why = m.reason.strip() or DEDUCTION_TITLES["D06"]
        events.append(Deduction("D06", m.date, m.department, head_for(m.head, m.department), p,
                                evidence, why, m.src))

    # D07: a suggestion judged 合理 but not adopted
    for s in regs.suggestions:
        if s.reasonable is not True or s.adopted is not False:
            continue
        src_item = items.get(s.source_id)
        when = suggestion_decision_date(s, items, sessions)
        dept = s.forwarded_to.strip() or (src_item.department if src_item else "")
        if when is None:
            findings.append(finding(
                "R05", _sheet(s.src, schema.SUGGESTIONS), _row(s.src), "来源编号", s.source_id,
                f"合理化建议{s.id}判定合理但未采纳，找不到来源诉求的答复或交办日期，无法计入考核；"
                f"请在来源编号中填写诉求台账的编号。"))
            continue
        own = src_item.head if src_item and src_item.department.strip() == dept else ""
        events.append(Deduction("D07", when, dept, head_for(own, dept), pts("D07"), s.id,
                                f"合理化建议{s.id}判定合理但未采纳", s.src))

    if as_of is not None:
        events = [e for e in events if e.date <= as_of]
    if period is not None:
        events = [e for e in events if period.contains(e.date)]
    events.sort(key=lambda e: (e.date, e.code, e.evidence, e.department))
    findings.extend(_headless(events))
    return events, findings


def suggestion_decision_date(s: Suggestion, items: dict[str, Item], sessions: dict) -> date | None:
    """When a suggestion was answered: its source item's reply date, else the item's
    assignment date, else the date of the item's session."""
    it = items.get(s.source_id)
    if it is None:
        return None
    if it.replied or it.assigned:
        return it.replied or it.assigned
    sess = sessions.get(it.session_id)
    return sess.date if sess is not None else None


def _undated(it: Item) -> Finding:
    return finding("R05", _sheet(it.src, schema.ITEMS), _row(it.src), "交办日期", "",
                   f"诉求{it.id}应计入考核（{it.problem.strip() or '不满意'}），但答复日期和交办日期都为空；"
                   f"请填写交办日期。")


def _headless(events: list[Deduction]) -> list[Finding]:
    """P02 once per department whose deductions cannot be given to anybody."""
    out, done = [], set()
    for e in events:
        if e.head or e.department in done:
            continue
        done.add(e.department)
        sheet = e.src.sheet if e.src else schema.DEPARTMENTS
        name = e.department or "（未填承办部门）"
        out.append(finding("P02", sheet, e.src.row if e.src else None, "负责人", e.department,
                           f"{name}的扣分（{e.evidence}）找不到负责人；请在部门表中填写“{name}”的负责人。"))
    return out


def totals(ledger: Iterable[Deduction], by: str = "head") -> list[tuple[str, str, int, int]]:
    """(name, department, points, count) per head (a head in each department is one
    line) or per department (name == department); most points deducted first,
    then by name and department."""
    if by not in ("head", "department"):
        raise ValueError("by must be 'head' or 'department'")
    acc: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for e in ledger:
        key = (e.head if by == "head" else e.department, e.department)
        acc[key][0] += e.points
        acc[key][1] += 1
    return sorted(((n, d, p, c) for (n, d), (p, c) in acc.items()), key=lambda t: (t[2], t[0], t[1]))


# ---------------------------------------------------------------------------
# rewards


@dataclass(frozen=True)
class Payout:
    suggestion_id: str
    person: str
    person_id: str
    unit: str
    amount: int  # this person's share, whole yuan
    base: int  # by applied effect
    bonus: int  # by benefit created
    capped: bool  # base + bonus exceeded the cap
    share_of: int  # number of proposers
    explanation: str  # Chinese
    reward: int = 0  # the whole suggestion's reward (sum of the shares)
    src: Src | None = None


def reward_amount(effect: str, benefit: int | None, settings: Settings) -> tuple[int, int, int, str]:
    """(base, bonus, reward, explanation) for one suggestion; base 0 for an unknown effect."""
    base = {"显著": settings.reward_effect_significant, "良好": settings.reward_effect_good,
            "一般": settings.reward_effect_fair}.get(effect.strip(), 0)
    bonus, tier = 0, 0
    if benefit is not None and benefit >= settings.benefit_tier2:
        bonus, tier = settings.benefit_bonus2, settings.benefit_tier2
    elif benefit is not None and benefit >= settings.benefit_tier1:
        bonus, tier = settings.benefit_bonus1, settings.benefit_tier1
    raw = base + bonus
    reward = max(settings.reward_floor, min(settings.reward_cap, raw))
    text = f"应用效果{effect.strip()} {base}"
    if bonus:
        text += f" + 创效≥{_yuan_words(tier)} {bonus} = {raw}"
    text += " 元"
    if raw > reward:
        text += f"，超过上限按 {reward} 元"
    elif raw < reward:
        text += f"，低于下限按 {reward} 元"
    return base, bonus, reward, text


def rewards(regs: Registers, settings: Settings, quarter: Period
            ) -> tuple[list[Payout], list[Finding], list[Suggestion]]:
    """Payouts of quarter Q (SPEC §7), findings (P01: eligible but no 应用效果;
    R05: adopted and implemented but no way to tell the quarter), and the
    suggestions judged 合理 but not adopted in Q (for the D07 review).

    Eligible: 是否采纳 = 是, 实施情况 = 已实施, 评审季度 = Q (blank: 实施日期 in Q),
    and not paid in another quarter. A suggestion whose 奖励季度 is Q stays in Q's payout
    even if its 评审季度 was edited later, so a rerun never frees it to be paid twice."""
    roster_by_id = {p.id: p for p in regs.persons}
    by_name: dict[str, list] = defaultdict(list)
    for p in regs.persons:
        by_name[p.name].append(p)
    items = {it.id: it for it in regs.items}
    sessions = {s.id: s for s in regs.sessions}
    payouts: list[Payout] = []
    findings: list[Finding] = []
    not_adopted: list[Suggestion] = []

    for s in regs.suggestions:
        if s.reasonable is True and s.adopted is False:
            when = suggestion_decision_date(s, items, sessions)
            if (s.review_quarter == quarter.label
                    or (not s.review_quarter and quarter.contains(when))):
                not_adopted.append(s)
        if s.adopted is not True or s.implementation.strip() != "已实施":
            continue
        if not s.review_quarter and s.implemented_on is None:
            findings.append(finding(
                "R05", _sheet(s.src, schema.SUGGESTIONS), _row(s.src), "评审季度", "",
                f"合理化建议{s.id}已采纳并已实施，但评审季度和实施日期都为空，无法确定奖励季度；"
                f"请填写评审季度（如 {quarter.label}）或实施日期。"))
            continue
        if s.paid_quarter:  # a payment once recorded stays in its quarter, whatever was edited since
            in_q = s.paid_quarter == quarter.label
        else:
            in_q = s.review_quarter == quarter.label if s.review_quarter else quarter.contains(s.implemented_on)
        if not in_q:
            continue
        if s.effect.strip() not in schema.EFFECTS:
            findings.append(finding(
                "P01", _sheet(s.src, schema.SUGGESTIONS), _row(s.src), "应用效果", s.effect,
                f"合理化建议{s.id}符合{quarter.title}奖励条件，但应用效果未填写；"
                f"请填写 显著 / 良好 / 一般 后重新计算奖励。"))
            continue
        payouts.extend(_split(s, settings, roster_by_id, by_name))

    payouts.sort(key=lambda p: (_row(p.src) or 0, p.suggestion_id))  # stable: proposers keep their order
    return payouts, findings, not_adopted


def _split(s: Suggestion, settings: Settings, roster_by_id: dict, by_name: dict) -> list[Payout]:
    base, bonus, reward, text = reward_amount(s.effect, s.benefit, settings)
    names = list(s.proposers)
    ids = list(s.proposer_ids)
    if not names:  # only ids written: take the names from the roster
        names = [roster_by_id[i].name if i in roster_by_id else i for i in ids]
    n = max(1, len(names))
    share, rest = divmod(reward, n)
    out = []
    for i, name in enumerate(names or [""]):
        pid = ids[i] if len(ids) == len(names) else ""
        person = roster_by_id.get(pid)
        if person is None and len(by_name.get(name, ())) == 1:
            person = by_name[name][0]
        if not pid and person is not None:
            pid = person.id
        amount = share + (rest if i == 0 else 0)
        why = text
        if n > 1:
            why += f"，{n}人平分：本人 {amount} 元"
            if i == 0 and rest:
                why += f"（含尾差 {rest} 元）"
        out.append(Payout(s.id, name, pid, person.unit if person else "", amount, base, bonus,
                          base + bonus > settings.reward_cap, n, why, reward, s.src))
    return out


def _yuan_words(v: int) -> str:
    """10000 -> 1万, 100000 -> 10万, 15000 -> 1.5万, 8000 -> 8000元."""
    if v >= 10000 and v % 1000 == 0:
        w, r = divmod(v, 10000)
        return f"{w}万" if r == 0 else f"{w}.{r // 1000}万"
    return f"{v:,}元"


def _sheet(src: Src | None, default: str) -> str:
    return src.sheet if src else default


def _row(src: Src | None) -> int | None:
    return src.row if src else None
