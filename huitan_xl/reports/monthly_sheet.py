"""The 月度分析 sheet: sections 一 to 七 here, 八/九 from topics_sheet, the two write-in
boxes and the sign line; paginated by hand with report_kit's Pager (see report_kit)."""
from __future__ import annotations

from datetime import date

from .layout import write_sign_line, write_title
from .monthly import MonthlyReport
from .report_kit import (CHART_COL, CHART_ROWS, CHART_SIZE, DASH, GAP_COL, HELPER_COL, PRINT_SCALE, RATE_PT,
                         ROW_PT, SECTION_PT, TITLE_PT, Pager, _blank_box, _block, _chart, _chart_source, _fmts,
                         _long_table, _note, _print_setup, _section, _table, bar_rows, span_name)


def monthly_sheet(rep: MonthlyReport, texts: dict[str, str] | None = None):
    """`texts`: {"思想分析": …, "应对举措": …}, what staff wrote in the write-in boxes of the
    sheet this one replaces (documents.readback), written back into the same boxes."""
    texts = texts or {}

    def build(ws, fmt):
        f = _fmts(fmt)
        sheet = ws.name
        pg = Pager()

        def tail(row, heights, cont):
            """The rest of a section, `heights` tall from `row`: here when it fits on this
            page, else at the top of the next under the section's '（续）' heading."""
            if pg.fits(row, heights):
                return row
            pg.new_page(row)
            pg.plan(row, [SECTION_PT] + list(heights))
            return _section(ws, f, row, cont)

        ws.set_column(GAP_COL, GAP_COL, 2)
        ws.set_column(HELPER_COL, HELPER_COL + 4, None, None, {"hidden": True})
        pg.plan(0, [TITLE_PT])
        title = f"{rep.mine}{rep.title}"
        row = write_title(ws, fmt, title,
                          f"统计期间：{rep.start.isoformat()} 至 {rep.end.isoformat()}；"
                          f"诉求按所属慧谈场次日期归月（场次不明时按交办日期）；"
                          f"逾期清单截至 {rep.cutoff.isoformat()}")
        if rep.undated_items:
            row = _note(ws, f, row, f"另有 {rep.undated_items} 条诉求既无场次日期也无交办日期，未计入任何月份，请在诉求台账补填。")
        row += 1

        # 一、慧谈开展情况: three tables, the chart beside them
        body = 4 + 1 + 1 + len(rep.sessions_by_level) + 1 + 1 + len(rep.sessions_by_kind)
        row = pg.keep(row, _block(max(body, CHART_ROWS)))
        row = _section(ws, f, row, "一、慧谈开展情况")
        top = row
        row = _table(ws, fmt, f, row, ["指标", "数量"],
                     [["召开慧谈场次", rep.sessions], ["参会人次", rep.attendee_rows],
                      ["参会人数（去重）", rep.distinct_attendees]]) + 1
        lv_first = row + 1
        row = _table(ws, fmt, f, row, ["层级代码", "层级", "场次"], [list(t) for t in rep.sessions_by_level])
        ws.insert_chart(top, CHART_COL, _chart(fmt, "column", "本月各层级慧谈场次", sheet,
                                               (lv_first, 1, row - 1), (lv_first, 2, row - 1), "场次",
                                               top=max(n for _, _, n in rep.sessions_by_level)))
        row += 1
        row = _table(ws, fmt, f, row, ["慧谈类型", "场次"], [list(t) for t in rep.sessions_by_kind])
        row = max(row, top + CHART_ROWS) + 1

        # 二、诉求收集情况: totals and categories with a chart ...
        row = pg.keep(row, _block(max(4 + 1 + 1 + len(rep.by_category), CHART_ROWS)))
        row = _section(ws, f, row, "二、诉求收集情况")
        top = row
        row = _table(ws, fmt, f, row, ["指标", "件数"],
                     [["诉求总数", rep.items], ["现场答复", rep.on_the_spot], ["转承办单", rep.tickets]]) + 1
        cat_first = row + 1
        row = _table(ws, fmt, f, row, ["诉求类别", "件数"], [list(t) for t in rep.by_category])
        ws.insert_chart(top, CHART_COL, _chart(fmt, "column", "本月诉求按类别", sheet,
                                               (cat_first, 0, row - 1), (cat_first, 1, row - 1), "件数",
                                               color="#4472C4", top=max(n for _, n in rep.by_category)))
        row = max(row, top + CHART_ROWS) + 1
        # ... then tags and departments, the department chart beside them: one block when it
        # fits on a page, else the tag table (split if need be) and the department block
        tags, deps = [list(t) for t in rep.by_topic], [list(t) for t in rep.by_department]
        dep_rows = bar_rows(len(deps)) if deps else 0
        tag_len, dep_len = (1 + len(tags) if tags else 1), (1 + len(deps) if deps else 1)
        cont = "二、诉求收集情况（续）"
        if ROW_PT * max(tag_len + 1 + dep_len, dep_rows) <= pg.budget:
            row = chart_top = tail(row, _block(max(tag_len + 1 + dep_len, dep_rows), False), cont)
        else:
            chart_top = None
        top = row
        if tags:
            row = _long_table(ws, fmt, f, pg, row, None, cont, ["诉求主题", "件数"], tags)[0] + 1
        else:
            row = pg.keep(row, _block(1, False))
            row = _note(ws, f, row, "本月无诉求。") + 1
        if deps:
            if chart_top is None:  # the chart stands beside the department table
                row, dep_data = _long_table(ws, fmt, f, pg, row, None, cont, ["承办部门", "承办单件数"], deps,
                                            chart_rows=dep_rows)
                top = dep_data[0] - 1
            else:
                dep_data = list(range(row + 1, row + 1 + len(deps)))
                row = _table(ws, fmt, f, row, ["承办部门", "承办单件数"], deps)
            src = _chart_source(ws, dep_data, [n for _, n in deps], HELPER_COL)
            names = _chart_source(ws, dep_data, [d for d, _ in deps], HELPER_COL + 1)
            first, last = dep_data[0], dep_data[-1]
            chart = _chart(fmt, "bar", "本月承办单按承办部门", sheet,
                           names or (first, 0, last), src or (first, 1, last), "件数",
                           color="#ED7D31", top=max(n for _, n in deps), rows=dep_rows)
            ws.insert_chart(top, CHART_COL, chart)
            row = max(row, top + dep_rows)
        else:
            row = pg.keep(row, _block(1, False))
            row = _note(ws, f, row, "本月无承办单。")
        row += 1

        # 三、办理成效: the four rates, then the 12-month trend with its line chart
        row = pg.keep(row, [SECTION_PT, ROW_PT] + [RATE_PT] * len(rep.rates))
        row = _section(ws, f, row, "三、办理成效（比率按各诉求当前办理状态计算；分母为0时显示“—”）")
        for c, h in enumerate(["指标", "比率", "分子", "分母"]):
            ws.write_string(row, c, h, fmt.header)
        ws.merge_range(row, 4, row, 6, "口径", fmt.header)
        row += 1
        for rate in rep.rates:
            ws.write_string(row, 0, rate.name, f["mid"])
            if rate.value is None:
                ws.write_string(row, 1, DASH, f["dash"])
            else:
                ws.write_number(row, 1, float(rate.value), f["mid_pct"])
            ws.write_number(row, 2, rate.numerator, f["mid"])
            ws.write_number(row, 3, rate.denominator, f["mid"])
            ws.merge_range(row, 4, row, 6, rate.definition, f["def"])
            row += 1
        row = tail(row + 1, _block(max(1 + len(rep.trend), CHART_ROWS), False), "三、办理成效（续）")
        top = row
        trend_first = row + 1
        row = _table(ws, fmt, f, row, ["月份", "诉求", "承办单", "按期答复率", "问题解决率", "问题落实率", "职工满意率"],
                     [[m.label, m.items, m.tickets, *m.rates] for m in rep.trend], rate_cols=(3, 4, 5, 6))
        # helper numbers for the line chart: blank where the rate is "—"
        for i, m in enumerate(rep.trend):
            for k, rate in enumerate(m.rates):
                v = rate.value
                if v is not None:
                    ws.write_number(trend_first + i, HELPER_COL + k, float(v))
        chart = fmt.workbook.add_chart({"type": "line"})
        colors = ["#4472C4", "#ED7D31", "#A5A5A5", "#70AD47"]
        for k, rate in enumerate(rep.rates):
            chart.add_series({"name": rate.name,
                              "categories": [sheet, trend_first, 0, row - 1, 0],
                              "values": [sheet, trend_first, HELPER_COL + k, row - 1, HELPER_COL + k],
                              "marker": {"type": "circle", "size": 5},
                              "line": {"color": colors[k], "width": 2},
                              "marker_fill": {"color": colors[k]}})
        chart.set_title({"name": "近12个月办理成效", "name_font": {"size": 11}})
        chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%",
                          "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        chart.set_legend({"position": "bottom"})
        chart.show_blanks_as("gap")
        chart.show_hidden_data()
        chart.set_size(CHART_SIZE)
        ws.insert_chart(top, CHART_COL, chart)
        row = max(row, top + CHART_ROWS) + 1

        # 四、逾期未答复承办单
        heading = f"四、逾期未答复承办单（截至 {rep.cutoff.isoformat()}，共 {len(rep.overdue)} 件）"
        if rep.overdue:
            row = _long_table(ws, fmt, f, pg, row, heading, "四、逾期未答复承办单（续）",
                              ["编号", "承办部门", "承办负责人", "督办员", "应答复日期", "逾期天数", "诉求内容"],
                              [[e.item_id, e.department, e.head, e.supervisor, e.deadline, e.days_overdue,
                                e.content] for e in rep.overdue], wrap_cols=(1, 2, 3, 6))[0]
        else:
            row = pg.keep(row, _block(1))
            row = _note(ws, f, _section(ws, f, row, heading), "无逾期未答复的承办单。")
        row += 1

        # 五、合理化建议
        s = rep.suggestions
        row = pg.keep(row, _block(6))
        row = _section(ws, f, row, "五、合理化建议（本月诉求中提出的建议；“本月新实施”按实施日期计）")
        row = _table(ws, fmt, f, row, ["环节", "条数"],
                     [["本月收集", s.collected], ["判定合理", s.reasonable], ["已采纳", s.adopted],
                      ["已实施", s.implemented], ["本月新实施", s.implemented_in_month]]) + 1

        # 六、风险提示
        heading = f"六、风险提示（共 {len(rep.risks)} 件）"
        if rep.risks:
            row = _long_table(ws, fmt, f, pg, row, heading, "六、风险提示（续）",
                              ["编号", "场次编号", "类别", "风险提示", "承办部门", "状态", "诉求内容"],
                              [[e.item_id, e.session_id, e.category, e.risk, e.department, e.state, e.content]
                               for e in rep.risks], wrap_cols=(2, 3, 4, 6))[0]
        else:
            row = pg.keep(row, _block(1))
            row = _note(ws, f, _section(ws, f, row, heading), "本月无风险提示诉求。")
        row += 1

        # 七、覆盖情况
        lo, hi = rep.coverage_span or (date(rep.start.year, 1, 1), rep.end)
        since = "有记录以来" if lo == date.min else lo.isoformat()
        heading = f"七、层级覆盖情况（{since} 至 {hi.isoformat()}）"
        if rep.coverage:
            cov_rows = bar_rows(len(rep.coverage))
            row, cov_data = _long_table(ws, fmt, f, pg, row, heading, "七、层级覆盖情况（续）",
                                        ["层级代码", "层级", "在职人数", "已覆盖", "覆盖率", "未覆盖", "参会场次"],
                                        [[c.code, c.name, c.active, c.covered, c.share, c.uncovered, c.sessions]
                                         for c in rep.coverage], rate_cols=(4,), chart_rows=cov_rows)
            first = cov_data[0]
            for i, c in enumerate(rep.coverage):
                if c.share.value is not None:
                    ws.write_number(first + i, HELPER_COL + 4, float(c.share.value))
            names = _chart_source(ws, cov_data, [c.name for c in rep.coverage], HELPER_COL + 3)
            ws.insert_chart(first - 1, CHART_COL,
                            _chart(fmt, "bar", f"{span_name(lo, hi)}各层级覆盖率", sheet,
                                   names or (first, 1, cov_data[-1]),
                                   (first, HELPER_COL + 4, first + len(rep.coverage) - 1),
                                   "覆盖率", percent=True, color="#70AD47", rows=cov_rows))
            row = max(row, first - 1 + cov_rows)
        else:
            row = pg.keep(row, _block(1))
            row = _note(ws, f, _section(ws, f, row, heading), "无覆盖率数据。")
        row += 1

        from .topics_sheet import topic_sections  # 八、热点 and 九、反复反映 (issue 16)
        row = topic_sections(ws, fmt, f, pg, row, rep)

        pg.new_page(row)  # the two write-in boxes and the signatures start a printed page
        for key, label in (("思想分析", "十、思想分析（由党群办填写）"), ("应对举措", "十一、应对举措（由党群办填写）")):
            pg.plan(row, [SECTION_PT])
            row = _blank_box(ws, f, row, label, text=texts.get(key, ""))
        row = write_sign_line(ws, fmt, row)
        pg.apply(ws, row - 1)
        _print_setup(ws, row - 1, title, scale=PRINT_SCALE)
    return build
