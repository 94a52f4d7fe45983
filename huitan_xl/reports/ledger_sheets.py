"""Builders of the tool-owned sheets 考核扣分, 季度奖励 and 年度考核.

Each function returns a SheetBuilder `(ws, fmt) -> None` for write.Workbook.put_sheet.
Points and yuan are written as integers; rates (Fractions) become floats only here,
for display with the percent format.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

from .. import scoring
from ..periods import Period
from .layout import (display_width, line_count, print_setup, signed_title, wrapped_height, write_sign_line,
                     write_table, write_title)
from .assessment import DepartmentAssessment

NOBODY = "（未确定）"
NO_UNIT = "（名册中未找到）"
NO_RATE = "—"

LEDGER_HEADERS = ["日期", "代码", "事项", "部门", "负责人", "扣分", "依据", "说明"]
HEAD_TOTAL_HEADERS = ["负责人", "部门", "扣分合计", "次数"]
DEPT_TOTAL_HEADERS = ["部门", "扣分合计", "次数"]
PAYOUT_HEADERS = ["人员", "工号", "单位", "建议编号", "金额（元）", "计算说明", "签字"]
UNIT_TOTAL_HEADERS = ["单位", "人次", "金额（元）"]
NOT_ADOPTED_HEADERS = ["建议编号", "提出人", "专业类别", "建议内容", "转交部门", "论证说明"]
ASSESSMENT_HEADERS = ["名次", "部门", "负责人", "扣分合计", "扣分次数", "承办件数", "评价件数", "满意件数",
                      "满意率", "已答复件数", "解决件数", "解决率", "落实件数", "落实率", "综合得分"]


def assessment_definitions(settings) -> list[tuple[str, str]]:
    """Each column's definition, with the weights and the idle-department rule in force."""
    from .assessment import IDLE, ranks_idle, weights

    ws, wr, wi = weights(settings)
    idle = ("本年度无承办任务的部门按同一规则参与排名（规则配置“无承办任务部门”= 参与排名）" if ranks_idle(settings)
            else f"本年度无承办任务的部门不参与排名，列于排名之后，名次栏标“{IDLE}”"
                 "（规则配置“无承办任务部门”= 单列；改为“参与排名”则一并排名）")
    return [
        ("名次", "先比扣分（扣分少者在前），再比综合得分（高者在前）；无可计算比率的部门排在有比率的部门之后；"
                 f"扣分与综合得分均相同者名次相同。{idle}"),
        ("部门", "部门表中的部门，以及本年度有承办件或扣分的其他部门（不在部门表者不参与排名）"),
        ("负责人", "部门表中的负责人；部门表未填时取承办单上的承办负责人"),
        ("扣分合计", "本年度考核扣分台账中该部门各条扣分之和（负数）"),
        ("扣分次数", "本年度考核扣分台账中该部门的条数（含 0 分的问责记录）"),
        ("承办件数", "本年度交办（交办日期在本年度；未填时按慧谈日期）给该部门的承办单件数，不含现场答复"),
        ("评价件数", "承办件中已填写职工满意度的件数"),
        ("满意件数", "职工满意度为“满意”或“基本满意”的件数"),
        ("满意率", "满意件数 ÷ 评价件数"),
        ("已答复件数", "承办件中已填写答复日期的件数"),
        ("解决件数", "已答复且“是否解决”为“是”的件数"),
        ("解决率", "解决件数 ÷ 已答复件数"),
        ("落实件数", "已答复且“是否落实”为“是”的件数"),
        ("落实率", "落实件数 ÷ 已答复件数（逾期未答复的承办单已在扣分中计入）"),
        ("综合得分", f"满意率、解决率、落实率按权重 {ws} : {wr} : {wi}（规则配置“满意率权重”“解决率权重”“落实率权重”）"
                     "加权平均，只计有比率的项：Σ(权重 × 比率) ÷ Σ权重"),
    ]


ASSESSMENT_DEFINITIONS = assessment_definitions(None)


def _widths(tables: Iterable[tuple[Sequence[str], Iterable[Sequence[object]]]],
            max_width: int = 60) -> list[int]:
    """One set of column widths that fits every table on the sheet (write_table
    would otherwise let the last table's widths win)."""
    fit: list[int] = []
    for headers, rows in tables:
        for line in [headers, *rows]:
            for c, v in enumerate(line):
                while len(fit) <= c:
                    fit.append(6)
                fit[c] = max(fit[c], min(max_width, display_width(v) + 2))
    return fit


def _printable(ws) -> None:
    """Landscape, all columns on one page wide, header row repeated, page numbers:
    these sheets are printed and signed (called once the tables are written)."""
    print_setup(ws)


def _section(ws, fmt, row: int, text: str) -> int:
    ws.write_string(row, 0, text, fmt.bold)
    return row + 1


def _period_text(period: Period | None) -> str:
    if period is None:
        return "全部期间"
    return f"{period.title}（{period.start.isoformat()} 至 {period.end.isoformat()}）"


def deductions_builder(ledger: Sequence[scoring.Deduction], period: Period | None, unfinished: str = "",
                       mine: str = ""):
    """考核扣分: the ledger, then totals per head and per department."""
    rows = [(e.date, e.code, scoring.DEDUCTION_TITLES.get(e.code, ""), e.department, e.head or NOBODY,
             e.points, e.evidence, e.reason) for e in ledger]
    by_head = [(h or NOBODY, d, p, n) for h, d, p, n in scoring.totals(ledger, "head")]
    by_dept = [(d, p, n) for d, _, p, n in scoring.totals(ledger, "department")]
    total = sum(e.points for e in ledger)

    def build(ws, fmt) -> None:
        widths = _widths([(LEDGER_HEADERS, rows), (HEAD_TOTAL_HEADERS, by_head),
                          (DEPT_TOTAL_HEADERS, by_dept)])
        widths[0] = max(widths[0], 12)  # a date never touches the code beside it
        r = write_title(ws, fmt, signed_title(mine, "考核扣分", unfinished),
                        f"{_period_text(period)}：共 {len(rows)} 条，合计 {total} 分")
        if not rows:
            ws.write_string(r, 0, "本期无扣分事项。")
            ws.set_column(0, 0, 16)
            write_sign_line(ws, fmt, r + 2)
            _printable(ws)
            return
        r = write_table(ws, fmt, r + 1, LEDGER_HEADERS, rows, {0: fmt.date, 5: fmt.int}, widths=widths,
                        autofilter=True)
        r = _section(ws, fmt, r + 1, "按负责人汇总")
        r = write_table(ws, fmt, r, HEAD_TOTAL_HEADERS, by_head, {2: fmt.int, 3: fmt.int}, widths=widths)
        r = _section(ws, fmt, r + 1, "按部门汇总")
        r = write_table(ws, fmt, r, DEPT_TOTAL_HEADERS, by_dept, {1: fmt.int, 2: fmt.int}, widths=widths)
        write_sign_line(ws, fmt, r + 1)
        ws.freeze_panes(4, 0)
        _printable(ws)

    return build


def rewards_builder(payouts: Sequence[scoring.Payout], not_adopted: Sequence, quarter: Period,
                    unfinished: str = "", mine: str = ""):
    """季度奖励: one line per person and suggestion with a signature column, the
    quarter's total, totals per unit, then the suggestions judged 合理 but not adopted."""
    rows = [(p.person, p.person_id, p.unit or NO_UNIT, p.suggestion_id, p.amount, p.explanation, None)
            for p in payouts]
    units: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in payouts:
        units[p.unit or NO_UNIT][0] += 1
        units[p.unit or NO_UNIT][1] += p.amount
    by_unit = sorted(((u, n, a) for u, (n, a) in units.items()), key=lambda t: (-t[2], t[0]))
    total = sum(p.amount for p in payouts)
    suggestions = len({p.suggestion_id for p in payouts})
    rejected = [(s.id, "、".join(s.proposers), s.field, s.content, s.forwarded_to, s.argument)
                for s in not_adopted]

    def build(ws, fmt) -> None:
        widths = _widths([(PAYOUT_HEADERS, rows), (UNIT_TOTAL_HEADERS, by_unit),
                          (NOT_ADOPTED_HEADERS, rejected)], max_width=40)
        widths[6] = max(widths[6], 14)  # room to sign
        sign = fmt.workbook.add_format({"border": 1})
        r = write_title(ws, fmt, signed_title(mine, "季度奖励", unfinished),
                        f"{_period_text(quarter)} 金点子、好建议奖励：{suggestions} 条建议，"
                        f"{len(rows)} 人次，合计 {total} 元")
        r = write_table(ws, fmt, r + 1, PAYOUT_HEADERS, rows, {4: fmt.yuan, 6: sign}, widths=widths)
        ws.write_string(r, 0, "本季度合计", fmt.bold)
        ws.write_number(r, 4, total, fmt.workbook.add_format({"bold": True, "num_format": "#,##0"}))
        r = _section(ws, fmt, r + 2, "按单位汇总")
        r = write_table(ws, fmt, r, UNIT_TOTAL_HEADERS, by_unit, {1: fmt.int, 2: fmt.yuan}, widths=widths)
        r = _section(ws, fmt, r + 1, "判定合理但未采纳的建议（供成效问责 D07 评审）")
        if rejected:
            r = write_table(ws, fmt, r, NOT_ADOPTED_HEADERS, rejected, widths=widths)
        else:
            ws.write_string(r, 0, "无。")
            r += 1
        write_sign_line(ws, fmt, r + 1)
        _printable(ws)

    return build


def _rate(f) -> object:
    return NO_RATE if f is None else float(f)


def assessment_builder(rows: Sequence[DepartmentAssessment], year: Period, settings=None,
                       unfinished: str = "", mine: str = ""):
    """年度考核: the ranking table, then each column's definition."""
    from .assessment import IDLE

    definitions = assessment_definitions(settings)
    table = [(a.rank or (IDLE if a.idle else "不在部门表"), a.department, a.head or NOBODY, a.points, a.events, a.tickets, a.rated, a.satisfied,
              _rate(a.satisfaction_rate), a.replied, a.resolved, _rate(a.resolution_rate), a.implemented,
              _rate(a.implementation_rate), _rate(a.score)) for a in rows]

    def build(ws, fmt) -> None:
        shown = [["100.0%" if isinstance(v, float) else v for v in t] for t in table]
        widths = _widths([(ASSESSMENT_HEADERS, shown)], max_width=40)
        widths[1] = max(widths[1], 12)
        r = write_title(ws, fmt, signed_title(mine, "年度考核", unfinished),
                        f"{_period_text(year)} 各部门考核：扣分、职工是否满意、诉求是否解决、问题是否落实")
        ints = {c: fmt.int for c in (0, 3, 4, 5, 6, 7, 9, 10, 12)}
        ints.update({c: fmt.percent for c in (8, 11, 13, 14)})
        r = write_table(ws, fmt, r + 1, ASSESSMENT_HEADERS, table, ints, widths=widths)
        r = _section(ws, fmt, r + 1, "指标说明")
        last = len(ASSESSMENT_HEADERS) - 1  # a definition wraps within the table's width, so the
        room = sum(max(6, min(60, w)) for w in widths[1:last + 1])  # page is not scaled down to its longest line
        label = fmt.workbook.add_format({"bold": True, "valign": "top"})  # level with its wrapped text
        for name, text in definitions:
            ws.write_string(r, 0, name, label)
            ws.merge_range(r, 1, r, last, "", fmt.wrap)
            ws.write_string(r, 1, text, fmt.wrap)
            lines = line_count(text, room)
            if lines > 1:
                ws.set_row(r, wrapped_height(lines))
            r += 1
        write_sign_line(ws, fmt, r + 1)
        ws.freeze_panes(4, 2)
        _printable(ws)

    return build
