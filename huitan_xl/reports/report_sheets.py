"""Sheet builders for 成效总览 and 季度评审 (and, re-exported, 月度分析 from monthly_sheet).

Each public function takes a report record and returns a write.SheetBuilder,
`build(ws, fmt)`, for Workbook.put_sheet; the page kit is report_kit.
"""
from __future__ import annotations

from .layout import write_sign_line, write_title
from .monthly import Rate
from .monthly_sheet import monthly_sheet
from .overview import Overview
from .quarterly import QuarterlyReview
from .report_kit import (CHART_COL, GAP_COL, PRINT_SCALE, _chart, _chart_rows, _fmts, _note,
                         _print_setup, _section, _table, _write_rate, span_name)

__all__ = ["monthly_sheet", "overview_sheet", "quarterly_sheet", "PRINT_SCALE", "span_name"]


# ---- 成效总览 -------------------------------------------------------------------

def overview_sheet(ov: Overview):
    def build(ws, fmt):
        f = _fmts(fmt)
        since = ov.start.isoformat() if ov.start else "（工作簿中暂无慧谈记录）"
        row = write_title(ws, fmt, "八级慧谈成效总览", f"统计期间：{since} 至 {ov.end.isoformat()}") + 1
        rows = [
            ["召开慧谈场次", ov.sessions, "期间内召开的各类慧谈（按场次日期）"],
            ["收集诉求", ov.items, "诉求按所属场次日期（场次不明时按交办日期）计入"],
            ["现场答复", ov.on_the_spot, "现场答复为“是”的诉求"],
            ["承办单已答复", ov.replied, "已填写答复日期的承办单（按期、逾期答复及已办结）"],
            ["解决或答复诉求", ov.resolved_or_answered, "现场答复 + 承办单已答复"],
            ["答复率", ov.answered, "（现场答复 + 承办单已答复）÷ 收集诉求"],
            ["问题已解决", ov.resolved, "已答复承办单中“是否解决”为“是”的件数"],
            ["职工满意率", ov.satisfied, "（满意 + 基本满意）÷ 已评价件数"],
            ["收集合理化建议", ov.suggestions, "合理化建议台账中来源诉求在期间内的建议"],
            ["判定合理", ov.reasonable, "合理性结论为“合理”"],
            ["已采纳", ov.adopted, "是否采纳为“是”"],
            ["已实施", ov.implemented, "实施情况为“已实施”"],
            ["获得奖励（条）", ov.rewarded, "奖励金额大于0的建议"],
            ["奖励金额（元）", ov.rewarded_yuan, "合理化建议表“奖励金额”合计"],
        ]
        for c, h in enumerate(["指标", "数值", "说明"]):
            ws.write_string(row, c, h, fmt.header)
        row += 1
        yuan = fmt.workbook.add_format({"border": 1, "num_format": "#,##0"})
        for label, value, note in rows:
            ws.write_string(row, 0, label, f["cell"])
            if isinstance(value, Rate):
                _write_rate(ws, row, 1, value, f)
            else:
                ws.write_number(row, 1, value, yuan if label.endswith("（元）") else f["cell"])
            ws.write_string(row, 2, note, f["cell"])
            row += 1
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, 12)
        ws.set_column(2, 2, 56)
        _print_setup(ws, row, "八级慧谈成效总览", last_col=2)
    return build


# ---- 季度评审 -------------------------------------------------------------------

def quarterly_sheet(q: QuarterlyReview):
    def build(ws, fmt):
        f = _fmts(fmt)
        sheet = ws.name
        ws.set_column(GAP_COL, GAP_COL, 2)
        title = f"{q.mine}{q.title}"
        cutoff = q.cutoff or q.end
        span = f"统计期间：{q.start.isoformat()} 至 {q.end.isoformat()}" + (
            f"（数字截至 {cutoff.isoformat()}）" if cutoff < q.end else "")
        row = write_title(ws, fmt, title, span) + 1

        row = _section(ws, f, row, "一、各月诉求办理情况")
        headers = ["月份", "诉求", "承办单", "按期答复率", "职工满意率"]
        months = [[m.label, m.items, m.tickets, m.on_time, m.satisfied] for m in q.months]
        row = _table(ws, fmt, f, row, headers, months, rate_cols=(3, 4))
        t = q.total
        ws.write_string(row, 0, "季度合计", f["total"])
        ws.write_number(row, 1, t.items, f["total"])
        ws.write_number(row, 2, t.tickets, f["total"])
        _write_rate(ws, row, 3, t.on_time, f)
        _write_rate(ws, row, 4, t.satisfied, f)
        row += 2

        row = _section(ws, f, row, f"二、考核扣分（共 {q.deduction_events} 项，合计 {q.deduction_points} 分）")
        top = row
        if q.deductions:
            first = row + 1
            row = _table(ws, fmt, f, row, ["承办部门", "负责人", "扣分事项", "扣分"],
                         [[d.department, d.heads, d.events, d.points] for d in q.deductions])
            ws.write_string(row, 0, "合计", f["total"])
            ws.write_blank(row, 1, None, f["total"])
            ws.write_number(row, 2, q.deduction_events, f["total"])
            ws.write_number(row, 3, q.deduction_points, f["total"])
            # the chart plots the table's own 扣分 cells: the same signed points (−4, never +4)
            chart = _chart(fmt, "bar", "本季度各部门扣分（分）", sheet, (first, 0, row - 1),
                           (first, 3, row - 1), "扣分", color="#C00000",
                           low=min(d.points for d in q.deductions))
            ws.insert_chart(top, CHART_COL, chart)
            row = max(row + 1, top + _chart_rows(chart))
        else:
            row = _note(ws, f, row, "本季度无扣分事项。")
        row += 1

        row = _section(ws, f, row, f"三、季度奖励（获奖建议 {q.reward_suggestions} 条，合计 {q.reward_yuan} 元）")
        if q.rewards:
            row = _table(ws, fmt, f, row, ["单位", "获奖人次", "金额（元）"],
                         [[u.unit, u.persons, u.yuan] for u in q.rewards])
            ws.write_string(row, 0, "合计", f["total"])
            ws.write_number(row, 1, sum(u.persons for u in q.rewards), f["total"])
            ws.write_number(row, 2, q.reward_yuan, f["total"])
            row += 1
        else:
            row = _note(ws, f, row, "本季度无奖励。")
        row = write_sign_line(ws, fmt, row + 1)
        _print_setup(ws, row, title)
    return build
