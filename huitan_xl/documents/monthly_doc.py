"""《月度职工思想动态分析报告》 as a Word document, from reports.monthly.MonthlyReport.

Every figure is read from the MonthlyReport object the 月度分析 sheet is built from — this
module counts nothing itself, so the document and the sheet agree. The lists it adds (成效不理想
tickets) come from the same ticket statuses the report was made with. The overdue tickets are
listed one by one up to OVERDUE_LISTED; above that the document gives their count per department
and the OVERDUE_LISTED longest overdue, and names the 月度分析 sheet's section 四 for the whole list. Sections follow
有情况、有分析、有结论、有建议: 一、基本情况 二、主要思想动态 三、存在问题和风险 四、原因分析
五、对策建议; 四 and 五 carry what staff wrote in the sheet's 思想分析 / 应对举措 boxes, or a
marked placeholder 「（待填写：……）」.

Topics (issue 16): `topic_rows()` reads the report's `topics` (reports/topics_report.py:
this month, last month, 反复反映); a report object without them falls back to the 主题标签
counts of this month's and last month's report objects.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..reports.monthly import BLANK, MonthlyReport, Rate
from . import chart_worker
from .official import SIZE_5, OfficialDocument, placeholder

DASH = "—"
OVERDUE_LISTED = 20  # overdue tickets listed one by one; above that, counts per department and these


@dataclass(frozen=True)
class TopicRow:
    topic: str
    count: int
    previous: int | None  # last month's count; None when last month is unknown

    @property
    def change(self) -> str:
        if self.previous is None:
            return DASH
        d = self.count - self.previous
        return f"+{d}" if d > 0 else str(d)


@dataclass(frozen=True)
class WeakTicket:
    """A replied ticket whose effect is judged poor (成效不理想): 不满意 or 是否解决 = 否."""

    item_id: str
    department: str
    satisfaction: str
    resolved: bool | None
    content: str


def percent(rate: Rate | Fraction | None) -> str:
    """A rate as the 月度分析 sheet shows it (Excel's 0.0%: one decimal, halves away from 0)."""
    v = rate.value if isinstance(rate, Rate) else rate
    if v is None:
        return DASH
    q = (Decimal(v.numerator) * 100 / Decimal(v.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{q}%"


def topic_rows(rep: MonthlyReport, previous: MonthlyReport | None) -> list[TopicRow]:
    topics = getattr(rep, "topics", None)
    if topics is not None:  # issue 16: topics with last month's counts (reports/topics_report.py)
        return [TopicRow(t.topic, t.this_month, t.last_month) for t in topics.rows if t.this_month or t.last_month]
    before = dict(previous.by_tag) if previous is not None else None
    return [TopicRow(tag, n, None if before is None else before.get(tag, 0)) for tag, n in rep.by_tag]


def _month_name(rep: MonthlyReport) -> str:
    return f"{rep.start.month}月份"


def _kind_text(rep: MonthlyReport) -> str:
    parts = [f"{kind}{n}场" for kind, n in rep.sessions_by_kind if n]
    return "，其中" + "、".join(parts) if parts else ""


def monthly_document(rep: MonthlyReport, *, mine: str, issuer: str, day: date,
                     texts: dict[str, str] | None = None, previous: MonthlyReport | None = None,
                     weak: list[WeakTicket] = (), with_charts: bool = True,
                     drawn: dict | None = None) -> OfficialDocument:
    """The report as an OfficialDocument (call .to_bytes() for the .docx). `drawn`: the charts
    request_charts() asked for earlier (default: asked for now)."""
    texts = texts or {}
    rows = topic_rows(rep, previous)
    if not with_charts:
        drawn = {}
    elif drawn is None:
        drawn = request_charts(rep, rows)
    slots = []  # (where, chart): each chart put in its place at the end, in document order

    def chart(name: str, width_mm: float) -> None:
        if name in drawn:
            slots.append((doc.picture_later(width_mm), drawn[name]))

    doc = OfficialDocument()
    doc.title(mine, rep.title) if mine else doc.title(rep.title)
    doc.subtitle(f"（{rep.start.year}年{rep.start.month}月{rep.start.day}日—{rep.end.month}月{rep.end.day}日）")

    # 一、基本情况 ---------------------------------------------------------------
    doc.heading1("一、基本情况")
    doc.heading2("（一）慧谈开展情况")
    doc.para(f"{_month_name(rep)}共开展慧谈{rep.sessions}场{_kind_text(rep)}；参会{rep.attendee_rows}人次，"
             f"涉及职工{rep.distinct_attendees}人。")
    doc.table(["层级代码", "层级", "场次"], [[c, n, k] for c, n, k in rep.sessions_by_level],
              widths_mm=[30, 70, 30], numeric_cols=(2,))
    doc.table(["慧谈类型", "场次"], [[k, n] for k, n in rep.sessions_by_kind], widths_mm=[70, 30],
              numeric_cols=(1,))

    doc.heading2("（二）诉求收集情况")
    doc.para(f"共收集问题意见、合理化建议和职工诉求{rep.items}件，其中现场答复{rep.on_the_spot}件，"
             f"填写《“八级慧谈”诉求承办单》转承办部门办理{rep.tickets}件。")
    doc.table(["诉求类别", "件数"], [[k, n] for k, n in rep.by_category], widths_mm=[70, 30], numeric_cols=(1,))
    if rep.by_department:
        doc.table(["承办部门", "承办单件数"], [[k, n] for k, n in rep.by_department], widths_mm=[70, 30],
                  numeric_cols=(1,))
        chart("department", 140)
    if rep.undated_items:
        doc.para(f"另有{rep.undated_items}条诉求既无场次日期也无交办日期，未计入任何月份，请在诉求台账补填。")

    doc.heading2("（三）办理成效")
    doc.para(f"本月承办单的按期答复率{percent(rep.figures.on_time)}、问题解决率{percent(rep.figures.resolved)}、"
             f"问题落实率{percent(rep.figures.implemented)}，职工满意率{percent(rep.figures.satisfied)}。")
    doc.table(["指标", "分子", "分母", "比率", "口径"],
              [[r.name, r.numerator, r.denominator, percent(r), r.definition] for r in rep.rates],
              widths_mm=[26, 14, 14, 18, 84], numeric_cols=(1, 2, 3), size=SIZE_5)
    s = rep.suggestions
    doc.para(f"合理化建议：本月收集{s.collected}条，经论证合理{s.reasonable}条，采纳{s.adopted}条，"
             f"已实施{s.implemented}条；本月实施（按实施日期）{s.implemented_in_month}条。")
    chart("trend", 150)

    if rep.coverage:
        doc.heading2("（四）覆盖情况")
        lo, hi = rep.coverage_span or (rep.start, rep.end)
        doc.para(f"统计期间{lo.isoformat()}至{hi.isoformat()}，各层级参会覆盖情况如下。")
        doc.table(["层级", "在职人数", "已覆盖", "覆盖率", "未覆盖"],
                  [[c.name, c.active, c.covered, percent(c.share), c.uncovered] for c in rep.coverage],
                  widths_mm=[50, 24, 24, 24, 24], numeric_cols=(1, 2, 3, 4))

    # 二、主要思想动态 -------------------------------------------------------------
    doc.heading1("二、主要思想动态")
    if rows:
        top = "、".join(f"{r.topic}（{r.count}件）" for r in rows[:5] if r.count and r.topic != "未分类")
        doc.para(f"本月职工反映的问题主要集中在{top}等方面。")
        doc.table(["主题", "本月件数", "上月件数", "增减"],
                  [[r.topic, r.count, DASH if r.previous is None else r.previous, r.change] for r in rows],
                  widths_mm=[60, 28, 28, 24], numeric_cols=(1, 2, 3))
        chart("topics", 140)
    else:
        doc.para("本月未收集到诉求。")

    # 三、存在问题和风险 -----------------------------------------------------------
    doc.heading1("三、存在问题和风险")
    doc.heading2("（一）逾期未答复的承办单")
    _overdue(doc, rep)
    doc.heading2("（二）办理成效不理想的承办单")
    _listed(doc, f"本月诉求中，答复后职工不满意或问题未解决的承办单{len(weak)}件，仍在督办。",
            "本月诉求中无办理成效不理想的承办单。",
            ["编号", "承办部门", "职工满意度", "是否解决", "诉求内容"],
            [[w.item_id, w.department, w.satisfaction or "（未评价）",
              {True: "是", False: "否", None: "（未填）"}[w.resolved], w.content] for w in weak],
            widths_mm=[24, 24, 22, 18, 68])
    doc.heading2("（三）风险提示")
    _listed(doc, f"本月诉求中标注风险提示{len(rep.risks)}件，需预判预控。",
            "本月诉求中无标注信访风险或管理风险的事项。",
            ["编号", "风险类型", "类别", "承办部门", "办理状态", "诉求内容"],
            [[r.item_id, r.risk, r.category, r.department, r.state, r.content] for r in rep.risks],
            widths_mm=[22, 20, 20, 20, 20, 54])
    topics = getattr(rep, "topics", None)
    if topics is not None:
        doc.heading2("（四）反复反映的诉求")
        if topics.recurring:
            doc.para(f"同一诉求反映{topics.recurring_times}次及以上的{len(topics.recurring)}件，按首次反映先后排列。")
            doc.table(["首次编号", "首次反映", "反映次数", "最近编号", "承办部门", "办理状态", "诉求内容"],
                      [[e.first_id, e.first_date, e.times, e.latest_id, e.department, e.state, e.content]
                       for e in topics.recurring],
                      widths_mm=[24, 22, 12, 24, 20, 18, 36], numeric_cols=(2,), size=SIZE_5)
        else:
            doc.para(f"本月无反映{topics.recurring_times}次及以上的诉求。")

    # 四、五: the judgement staff wrote ---------------------------------------------
    doc.heading1("四、原因分析")
    _paragraphs(doc, texts.get("思想分析", ""), "结合本月职工思想动态，分析问题产生的原因（可在月度分析表“思想分析”栏填写）")
    doc.heading1("五、对策建议")
    _paragraphs(doc, texts.get("应对举措", ""), "针对上述问题提出应对举措和建议（可在月度分析表“应对举措”栏填写）")

    doc.signature(issuer, day)
    for put, png in slots:
        put(png() or None)
    return doc


def overdue_by_department(overdue) -> list[list]:
    """[承办部门, 逾期件数, 最长逾期天数] per department, the most overdue tickets first (then the
    longest overdue, then the name), and a 合计 row."""
    count: Counter = Counter()
    longest: dict[str, int] = {}
    for e in overdue:
        dept = e.department or BLANK
        count[dept] += 1
        longest[dept] = max(longest.get(dept, 0), e.days_overdue)
    rows = sorted(([d, n, longest[d]] for d, n in count.items()), key=lambda r: (-r[1], -r[2], r[0]))
    return [*rows, ["合计", len(overdue), max(longest.values())]]


def _overdue(doc: OfficialDocument, rep: MonthlyReport) -> None:
    """The overdue tickets at the cut-off: all of them when there are OVERDUE_LISTED or fewer;
    otherwise the count per department and the OVERDUE_LISTED longest overdue (the whole list is
    the 月度分析 sheet's section 四, taken at the same day)."""
    at, n = rep.cutoff.isoformat(), len(rep.overdue)
    if not n:
        doc.para(f"截至{at}，无逾期未答复的承办单。")
        return
    intro = f"截至{at}，逾期未答复的承办单{n}件（含以前月份交办的）。"
    if n > OVERDUE_LISTED:
        doc.para(f"{intro}按承办部门统计如下。")
        doc.table(["承办部门", "逾期件数", "最长逾期天数"], overdue_by_department(rep.overdue),
                  widths_mm=[70, 30, 30], numeric_cols=(1, 2), size=SIZE_5)
        intro = (f"逾期天数最长的{OVERDUE_LISTED}件如下；全部{n}件的清单见台账「月度分析」表“四、逾期未答复承办单”，"
                 f"每周的督办情况见「逾期督办」表。")
    doc.para(intro)
    doc.table(["编号", "承办部门", "负责人", "应答复日期", "逾期天数", "诉求内容"],
              [[e.item_id, e.department, e.head, e.deadline, e.days_overdue, e.content]
               for e in rep.overdue[:OVERDUE_LISTED]],  # the report object lists the longest overdue first
              widths_mm=[26, 24, 18, 26, 14, 48], numeric_cols=(4,), size=SIZE_5)


def request_charts(rep: MonthlyReport, rows: list[TopicRow] | None = None) -> dict:
    """The report's charts by name, asked for at once (chart_worker may draw them while the
    rest of the report is made); `rows`: topic_rows() (default: without last month's report)."""
    rows = topic_rows(rep, None) if rows is None else rows
    drawn = {}
    if rep.by_department:
        drawn["department"] = chart_worker.request("bar", "本月承办单按承办部门", [k for k, _ in rep.by_department],
                                                   [n for _, n in rep.by_department])
    if any(m.items for m in rep.trend):
        drawn["trend"] = chart_worker.request("line", "近12个月诉求件数", [m.label for m in rep.trend],
                                              [m.items for m in rep.trend])
    if rows:
        drawn["topics"] = chart_worker.request("bar", "本月诉求按主题", [r.topic for r in rows[:12]],
                                               [r.count for r in rows[:12]])
    return drawn


def _paragraphs(doc: OfficialDocument, text: str, what: str) -> None:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        doc.para(placeholder(what))
    for line in lines:
        doc.para(line)


def _listed(doc, intro: str, none: str, headers: list[str], rows: list[list], *, widths_mm, numeric_cols=()) -> None:
    """A sentence and the table of the records it counts, or the sentence that there are none."""
    if not rows:
        doc.para(none)
        return
    doc.para(intro)
    doc.table(headers, rows, widths_mm=widths_mm, numeric_cols=numeric_cols, size=SIZE_5)
