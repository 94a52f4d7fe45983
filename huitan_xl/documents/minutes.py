"""慧谈纪要: the minutes of one session, drafted from 慧谈场次, 参会人员 and 诉求台账.

时间, 地点, 形式, 层级, 类型, 主题, 主持（牵头人）, 参会人员 (names and units), 邀请 / 到会科室;
then one row per item raised with its category and content, and either the on-the-spot
answer or the 承办单 it became (编号, 承办部门, 答复时限); a line for the 记录人 to sign.
The minutes are internal (filed by the office), so they carry names.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .official import SIZE_5, SIZE_S4, OfficialDocument


@dataclass(frozen=True)
class MinutesItem:
    id: str
    proposer: str
    unit: str
    category: str
    content: str
    on_the_spot: bool
    reply: str  # the on-the-spot answer (答复意见)
    department: str
    deadline: date | None  # effective deadline from the statuses


@dataclass(frozen=True)
class MinutesSession:
    id: str
    date: date | None
    place: str
    form: str
    level: str  # level name
    kind: str
    topic: str
    lead: str
    attendees: tuple[tuple[str, str], ...]  # (name, unit)
    invited: tuple[str, ...]
    attended: tuple[str, ...]
    items: tuple[MinutesItem, ...]


def _answer(it: MinutesItem) -> str:
    if it.on_the_spot:
        return "现场答复：" + (it.reply or "（答复内容未填写）")
    parts = [f"转承办单 {it.id}"]
    if it.department:
        parts.append(f"承办部门：{it.department}")
    if it.deadline:
        parts.append(f"答复时限：{it.deadline.isoformat()}")
    return "；".join(parts)


def minutes_document(s: MinutesSession, *, mine: str, issuer: str, day: date) -> OfficialDocument:
    doc = OfficialDocument()
    doc.title(f"{mine}“八级慧谈”纪要" if mine else "“八级慧谈”纪要")
    doc.subtitle(f"（{s.id}）")
    doc.heading1("一、基本情况")
    when = f"{s.date.year}年{s.date.month}月{s.date.day}日" if s.date else "（日期未填写）"
    for label, value in (("时　　间：", when), ("地　　点：", s.place or "—"), ("形　　式：", s.form or "—"),
                         ("层　　级：", s.level or "—"), ("类　　型：", s.kind or "—"),
                         ("主　　题：", s.topic or "—"), ("主持（牵头人）：", s.lead or "—"),
                         ("邀请科室：", "、".join(s.invited) or "无"),
                         ("到会科室：", "、".join(s.attended) or "无")):
        doc.labelled(label, value)
    missing = [d for d in s.invited if d not in s.attended]
    if missing:
        doc.labelled("未到会科室：", "、".join(missing))
    doc.labelled("参会人员：", f"共{len(s.attendees)}人")
    if s.attendees:
        doc.table(["序号", "姓名", "单位"], [[i, n, u] for i, (n, u) in enumerate(s.attendees, 1)],
                  widths_mm=[16, 50, 90], size=SIZE_S4, numeric_cols=(0,))

    doc.heading1("二、诉求及答复情况")
    spot = sum(it.on_the_spot for it in s.items)
    doc.para(f"本场慧谈共提出问题意见、合理化建议和职工诉求{len(s.items)}件，其中现场答复{spot}件，"
             f"填写诉求承办单{len(s.items) - spot}件。")
    if s.items:
        doc.table(["序号", "提出人", "类别", "内容", "答复或承办情况"],
                  [[i, f"{it.proposer}（{it.unit}）" if it.unit else it.proposer, it.category, it.content,
                    _answer(it)] for i, it in enumerate(s.items, 1)],
                  widths_mm=[10, 26, 20, 50, 50], size=SIZE_5, numeric_cols=(0,))
    doc.para("")
    doc.para("记录人：＿＿＿＿＿＿＿＿　　　　审核（牵头人）：＿＿＿＿＿＿＿＿", indent=False)
    doc.signature(issuer, day)
    return doc


