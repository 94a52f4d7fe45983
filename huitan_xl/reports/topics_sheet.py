"""月度分析 sections 八 (职工关注热点, by topic, month on month) and 九 (反复反映, 老大难).

Called from monthly_sheet.monthly_sheet with its Pager and formats, so the sections
paginate like the others (a table longer than a page continues under a （续） heading).
"""
from __future__ import annotations

from .topics_report import TopicFigures

HOT_HEADING = "八、职工关注热点（按主题，与上月比较）"
RECURRING_HEADING = "九、反复反映的诉求（老大难）"


def hot_line(t: TopicFigures) -> str:
    """热点 in one sentence: the topics that rose and fell most."""
    def names(rows, sign):
        rows = sorted(rows, key=lambda r: (-abs(r.change), r.topic))[:4]
        return "、".join(f"{r.topic}（{sign}{abs(r.change)}）" for r in rows) or "无"
    return f"上升：{names(t.rising, '+')}；下降：{names(t.falling, '−')}。"


def _tail(ws, f, pg, row: int, lines: int, cont: str) -> int:
    """Room for `lines` note rows under a table: here, or atop the next page under `cont`."""
    from .report_kit import ROW_PT, SECTION_PT, _section

    if pg.fits(row, [ROW_PT] * lines):
        return row
    pg.new_page(row)
    pg.plan(row, [SECTION_PT] + [ROW_PT] * lines)
    return _section(ws, f, row, cont)


def topic_sections(ws, fmt, f, pg, row: int, rep) -> int:
    """Write sections 八 and 九 from `row`; returns the next free row."""
    from .report_kit import (CHART_COL, _block, _chart, _chart_source, _long_table, _note, _section,
                                bar_rows, HELPER_COL)

    t = rep.topics
    if t is None:
        return row
    sheet = ws.name
    heading = f"{HOT_HEADING[:-1]}，{t.label} 对比 {t.previous_label}）"
    notes = ["主题取诉求台账的“主题标签”；未填的按「主题词表」关键词自动归类（见“主题（自动）”“主题依据”列）。",
             f"本月自动归类 {t.auto_tagged} 件，自填主题标签 {t.own_tags} 件，未分类 {t.unclassified} 件。"]
    if not t.workbook_table:
        notes.append("工作簿中没有「主题词表」，本次按默认词表归类；运行 huitan init 可补上该表后自行修改。")
    rows = [[r.topic, r.this_month, r.last_month, r.change, r.trend] for r in t.rows]
    if rows:
        chart_rows = bar_rows(len(rows))
        row, data = _long_table(ws, fmt, f, pg, row, heading, HOT_HEADING[:-1] + "，续）",
                                ["主题", "本月件数", "上月件数", "增减", "变化"], rows, chart_rows=chart_rows)
        first = data[0]
        names = _chart_source(ws, data, [r[0] for r in rows], HELPER_COL + 2)
        counts = _chart_source(ws, data, [r[1] for r in rows], HELPER_COL + 3)
        ws.insert_chart(first - 1, CHART_COL,
                        _chart(fmt, "bar", "本月诉求按主题", sheet, names or (first, 0, data[-1]),
                               counts or (first, 1, data[-1]), "件数", color="#5B9BD5",
                               top=max(r[1] for r in rows), rows=chart_rows))
        row = max(row, first - 1 + chart_rows)
        row = _tail(ws, f, pg, row, 1 + len(notes), HOT_HEADING[:-1] + "，续）")
        for line in ["热点" + hot_line(t)] + notes:
            row = _note(ws, f, row, line)
    else:
        row = pg.keep(row, _block(1 + len(notes)))
        row = _note(ws, f, _section(ws, f, row, heading), "本月和上月均无诉求。")
        for line in notes:
            row = _note(ws, f, row, line)
    row += 1

    heading = (f"{RECURRING_HEADING}：同一诉求反映 {t.recurring_times} 次及以上，共 {len(t.recurring)} 项，"
               f"按首次反映先后排列")
    if t.recurring:
        row = _long_table(ws, fmt, f, pg, row, heading, RECURRING_HEADING + "（续）",
                          ["首次编号", "首次日期", "反映次数", "最近编号", "承办部门", "当前状态", "诉求内容（首次）"],
                          [[e.first_id, e.first_date, e.times, e.latest_id, e.department, e.state, e.content]
                           for e in t.recurring], wrap_cols=(4, 5, 6))[0]  # 部门, 状态, 内容 wrap
        row = _tail(ws, f, pg, row, 1, RECURRING_HEADING + "（续）")
        row = _note(ws, f, row, "各次反映的编号见诉求台账“重复反映”列；当前状态取最近一次反映的办理状态。")
    else:
        row = pg.keep(row, _block(1))
        row = _note(ws, f, _section(ws, f, row, heading), "没有反映达到次数的诉求。")
    return row + 1
