"""The 公示 list: the month's replies, for the notice board, with no personal names.

Which replies (decided here): every ticket whose 公示日期 falls in the month, and every
ticket replied in the month (答复日期) that has no 公示日期 yet — the list is printed to be
posted, and 公示日期 is filled in after posting. Ordered by 答复日期, then 编号.

No personal names: the proposer is shown as his or her unit (``proposer="unit"``, the
default) or not at all (``proposer="none"``); names of people known to the register
(roster, proposers, heads, supervisors, lead persons) that staff wrote inside 诉求内容 or
答复意见 are replaced by 「××」. `unit_label` maps a unit to what may be posted: the notice job
passes privacy.public_names — a unit with fewer roster members than 规则配置 最小公示人数
(default 5) is posted as 「其他」 (issue 16).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from ..errors import BadParameter
from .official import SIZE_5, OfficialDocument

MASK = "××"
PROPOSER_MODES = ("unit", "none")


@dataclass(frozen=True)
class NoticeRow:
    id: str
    category: str
    unit: str  # the proposer's unit (never a name)
    content: str
    department: str
    reply: str
    replied: date | None
    state: str


class NameMask:
    """Replaces every known person's name (2 characters or more) in a text with ××."""

    def __init__(self, names: Iterable[str]):
        names = sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def __call__(self, text: str) -> str:
        if not text or self.pattern is None:
            return text or ""
        return self.pattern.sub(MASK, text)


def notice_document(rows: list[NoticeRow], *, mine: str, month_label: str, issuer: str, day: date,
                    proposer: str = "unit", mask: Callable[[str], str] = lambda s: s,
                    unit_label: Callable[[str], str] = lambda u: u) -> OfficialDocument:
    """One landscape document: a short heading and the table of replies."""
    if proposer not in PROPOSER_MODES:
        raise BadParameter(f"提出人显示方式应为 unit（只显示单位）或 none（不显示），收到“{proposer}”")
    year, month = month_label.split("-")
    doc = OfficialDocument(landscape=True)
    doc.title(f"{mine}“八级慧谈”诉求答复公示" if mine else "“八级慧谈”诉求答复公示")
    doc.para(f"现将{int(year)}年{int(month)}月“八级慧谈”职工诉求的答复意见予以公示，共{len(rows)}件。"
             f"如对答复有异议，请向矿党群办反映。")
    headers = ["序号", "编号", "类别"] + (["提出人单位"] if proposer == "unit" else []) + \
        ["诉求内容", "承办部门", "答复意见", "答复日期", "办理状态"]
    # the 225 mm of a landscape A4 line: 诉求内容 and 答复意见 take what the unit column leaves
    widths = [12, 31, 20] + ([22] if proposer == "unit" else []) + [0, 22, 0, 27, 20]
    spare = 225 - sum(widths)
    widths[headers.index("诉求内容")] = spare * 2 // 5
    widths[headers.index("答复意见")] = spare - spare * 2 // 5
    body = []
    for i, r in enumerate(rows, 1):
        line = [i, r.id, r.category] + ([unit_label(r.unit) or "—"] if proposer == "unit" else [])
        line += [mask(r.content), r.department, mask(r.reply) or "（答复意见未填写）", r.replied, r.state]
        body.append(line)
    if body:
        doc.table(headers, body, widths_mm=widths, size=SIZE_5, numeric_cols=(0,))
    else:
        doc.para("本月无需公示的答复。")
    doc.signature(issuer, day)
    return doc

