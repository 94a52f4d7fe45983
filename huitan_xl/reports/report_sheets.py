"""Sheet builders for the reports people read: 月度分析, 成效总览, 季度评审.

Each public function takes a report record and returns a write.SheetBuilder,
`build(ws, fmt)`, for Workbook.put_sheet. Tables sit in columns A–G, native
charts to their right (from column I), all inside an A4-landscape print area
one page wide. Text is written with write_string; a rate whose denominator is
0 is shown as "—" and left out of the charts (hidden helper columns hold the
numbers the charts plot, blank where there is no rate).

月度分析 is paginated by hand: it prints at a fixed scale (PRINT_SCALE), every
row's height is known (ROW_PT, the sheet default, unless set), every chart covers
a whole number of rows, and a
Pager places manual page breaks between blocks (a section heading with its
table and chart) so that no heading is left at a page foot, no chart crosses a
break, and a table is split (between rows, under a "（续）" heading with its
header row repeated) only when it alone is longer than a page. Excel ignores
manual breaks when a sheet is set to fit to pages, hence the fixed scale.
"""
from __future__ import annotations

from datetime import date
from math import ceil
from fractions import Fraction

from .layout import FOOTER, display_width, write_sign_line, write_table, write_title, write_value
from .monthly import MonthlyReport, Rate
from .overview import Overview
from .quarterly import QuarterlyReview

DASH = "—"
TABLE_WIDTHS = [18, 18, 12, 12, 12, 12, 36]  # A..G: B holds 群监员（青安岗）, G wraps long text
GAP_COL = 7  # H
CHART_COL = 8  # I
LAST_COL = 16  # Q: right edge of the print area
HELPER_COL = 20  # U..: hidden numbers behind the charts
ROW_PT = 15.0  # every report row is this tall unless set otherwise below
ROW_PX = 20  # ROW_PT at 96 dpi: charts are sized in whole rows
TITLE_PT = 24.0  # 14 pt title (32 px: XlsxWriter keeps heights in whole pixels)
SECTION_PT = 18.0  # 12 pt section heading
RATE_PT = 30.0  # a rate row: its definition wraps to two lines
CHART_ROWS = 13  # rows a standard chart covers
CHART_SIZE = {"width": 520, "height": CHART_ROWS * ROW_PX}
MARGINS_IN = {"left": 0.5, "right": 0.5, "top": 0.75, "bottom": 0.75}
# Fixed print scale of 月度分析 (percent): the largest whole percent at which columns A..Q
# fit the A4-landscape page width (297 mm less the 0.5 in side margins: 770 pt) with 2 % of
# it to spare. A..Q (widths above, I..Q at the default 8.43) are 1470 px = 1102 pt on
# Excel's screen grid with Calibri 11; LibreOffice with Carlito (Calibri's metric twin,
# Debian fonts-crosextra-carlito) lays them out 1142 pt wide, the wider of the two:
# 1142 pt * 66 % = 754 pt <= 98 % of 770 pt. (Without Carlito, LibreOffice substitutes a
# wider font, A..Q become 1432 pt and spill past the page width at this scale.)
PAGE_WIDTH_PT = 297 / 25.4 * 72 - (MARGINS_IN["left"] + MARGINS_IN["right"]) * 72
CONTENT_WIDTH_PT = 1142  # A..Q at 100 %, the wider measure (LibreOffice + Carlito)
PRINT_SCALE = int(PAGE_WIDTH_PT * 0.98 * 100 / CONTENT_WIDTH_PT)  # 66
# Sheet points one printed page holds: the A4-landscape body between the top and bottom
# margins (487 pt; Excel prints headers inside the margins) at PRINT_SCALE, less one row
# for renderers' rounding: 723 pt, 48 plain rows.
PAGE_BUDGET_PT = int((210 / 25.4 - MARGINS_IN["top"] - MARGINS_IN["bottom"]) * 72 * 100 / PRINT_SCALE) - ROW_PT
MAX_CHART_ROWS = int(PAGE_BUDGET_PT // ROW_PT) - 2  # a chart fits on one page under a heading


def _fmts(fmt):
    """Report-only formats (added to the scratch workbook of this sheet)."""
    wb = fmt.workbook
    return {
        "section": wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E78",
                                  "bottom": 2, "bottom_color": "#1F4E78"}),
        "box": wb.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
        "def": wb.add_format({"text_wrap": True, "valign": "vcenter", "font_size": 9, "border": 1}),
        "mid": wb.add_format({"border": 1, "valign": "vcenter"}),
        "mid_pct": wb.add_format({"border": 1, "valign": "vcenter", "num_format": "0.0%"}),
        "cell": wb.add_format({"border": 1}),
        "date": wb.add_format({"border": 1, "num_format": "yyyy-mm-dd"}),
        "pct": wb.add_format({"border": 1, "num_format": "0.0%"}),
        "dash": wb.add_format({"border": 1, "align": "right", "valign": "vcenter"}),
        "note": wb.add_format({"italic": True, "font_color": "#555555"}),
        "total": wb.add_format({"bold": True, "border": 1, "top": 2}),
        "wrapcell": wb.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
    }


def _rate_value(rate: Rate | Fraction | None):
    v = rate.value if isinstance(rate, Rate) else rate
    return DASH if v is None else float(v)


def _write_rate(ws, row, col, rate, f):
    v = _rate_value(rate)
    if v == DASH:
        ws.write_string(row, col, DASH, f["dash"])
    else:
        ws.write_number(row, col, v, f["pct"])


def _section(ws, f, row, text):
    ws.write_string(row, 0, text, f["section"])
    return row + 1


def _note(ws, f, row, text):
    ws.write_string(row, 0, text, f["note"])
    return row + 1


def _table(ws, fmt, f, row, headers, rows, rate_cols=()):
    """A bordered table; columns in `rate_cols` hold Rate/Fraction/None values."""
    end = write_table(ws, fmt, row, headers, [[("" if c in rate_cols else v) for c, v in enumerate(r)]
                                                for r in rows],
                      widths=TABLE_WIDTHS[:len(headers)])
    for i, r in enumerate(rows):
        for c, v in enumerate(r):
            if c in rate_cols:
                _write_rate(ws, row + 1 + i, c, v, f)
            elif v is None or v == "":
                ws.write_blank(row + 1 + i, c, None, f["cell"])
            else:
                write_value(ws, row + 1 + i, c, v, fmt, f["date"] if isinstance(v, date) else f["cell"])
    return end


def bar_rows(bars: int) -> int:
    """Rows a bar chart of `bars` categories covers: room for every label, one page at most."""
    return min(MAX_CHART_ROWS, max(CHART_ROWS, ceil((60 + 25 * bars) / ROW_PX)))


def _chart(fmt, kind, title, sheet, cats, vals, name, percent=False, subtype=None, color=None,
           top: int = 0, rows: int | None = None):
    """cats/vals: (first_row, col, last_row) on `sheet`; `top` is the largest value
    (counts: whole-number axis steps). The chart is `rows` rows of ROW_PX tall
    (default: CHART_ROWS, a bar chart bar_rows()). Returns an xlsxwriter chart."""
    opts = {"type": kind}
    if subtype:
        opts["subtype"] = subtype
    chart = fmt.workbook.add_chart(opts)
    series = {"name": name,
              "categories": [sheet, cats[0], cats[1], cats[2], cats[1]],
              "values": [sheet, vals[0], vals[1], vals[2], vals[1]]}
    if kind in ("column", "bar"):
        series["data_labels"] = {"value": True, **({"num_format": "0%"} if percent else {})}
        if color:
            series["fill"] = {"color": color}
    chart.add_series(series)
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_legend({"none": True})
    value_axis = {"min": 0, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    if percent:
        value_axis.update({"max": 1, "num_format": "0%"})
    else:
        value_axis.update({"num_format": "0", "major_unit": max(1, -(-top // 5)), "max": max(1, top + -(-top // 5))})
    if kind == "bar":  # first category at the top, as in the table
        chart.set_x_axis(value_axis)
        chart.set_y_axis({"reverse": True, "crossing": "max"})
    else:
        chart.set_y_axis(value_axis)
    if rows is None:
        rows = bar_rows(cats[2] - cats[0] + 1) if kind == "bar" else CHART_ROWS
    chart.set_size({"width": CHART_SIZE["width"], "height": rows * ROW_PX})
    chart.show_hidden_data()
    return chart


def _chart_rows(chart) -> int:
    """Sheet rows (20 px each) the chart covers."""
    return -(-chart.height // ROW_PX)


def _print_setup(ws, last_row, title, last_col=LAST_COL, landscape=True, scale: int | None = None):
    """A4; one page wide (fit to width), or at a fixed `scale` percent, which Excel
    needs to honour manual page breaks."""
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    if scale is None:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(scale)
    ws.print_area(0, 0, last_row, last_col)
    ws.set_header("&C" + title.replace("&", "&&"))
    ws.set_footer(FOOTER)
    ws.set_margins(**MARGINS_IN)


def _blank_box(ws, f, row, label, rows=16):
    """A labelled, bordered, merged blank area for people to write in."""
    row = _section(ws, f, row, label)
    ws.merge_range(row, 0, row + rows - 1, LAST_COL, "", f["box"])
    return row + rows + 1


class Pager:
    """Manual horizontal page breaks for a sheet printed at a fixed scale.

    Rows are ROW_PT tall unless planned otherwise; `keep` starts a new page before
    a block of rows that does not fit on the rest of the current one. `breaks` are
    0-based rows that start a page (as XlsxWriter's set_h_pagebreaks takes them)."""

    def __init__(self, budget: float = PAGE_BUDGET_PT):
        self.budget = budget
        self.heights: dict[int, float] = {}
        self.breaks: list[int] = []
        self.top = 0  # first row of the current page

    def plan(self, row: int, heights) -> None:
        for i, h in enumerate(heights):
            self.heights[row + i] = h

    def height(self, first: int, stop: int) -> float:
        return sum(self.heights.get(r, ROW_PT) for r in range(first, stop))

    def fits(self, row: int, heights) -> bool:
        """Rows from `row` with these heights end on the current page."""
        self.plan(row, heights)
        return self.height(self.top, row + len(heights)) <= self.budget

    def new_page(self, row: int) -> None:
        if row > self.top:
            self.breaks.append(row)
            self.top = row

    def keep(self, row: int, heights) -> int:
        """Rows from `row` with these heights stay on one page; returns `row`."""
        if not self.fits(row, heights):
            self.new_page(row)
        return row

    def apply(self, ws, last_row: int) -> None:
        for r in range(last_row + 1):
            ws.set_row(r, self.heights.get(r, ROW_PT))
        ws.set_h_pagebreaks(self.breaks)


def _block(n: int, heading: bool = True) -> list[float]:
    """Row heights of a section heading followed by n plain rows."""
    return ([SECTION_PT] if heading else []) + [ROW_PT] * n


def _wrapped_heights(rows, col: int) -> list[float]:
    """Row heights that fit column `col`'s text wrapped in TABLE_WIDTHS[col] (whole lines)."""
    room = TABLE_WIDTHS[col] - 2
    return [ROW_PT * max(1, ceil(display_width(r[col]) / room)) for r in rows]


def _long_table(ws, fmt, f, pg: Pager, row, heading, cont, headers, rows, rate_cols=(), chart_rows=0,
                min_rows=3, wrap_col: int | None = None):
    """`heading` and a table, kept on one page when they fit on one; a table longer
    than a page starts here if its heading, header and `min_rows` rows (and a chart of
    `chart_rows` beside the header) fit, else on the next page, and goes on page after
    page under the `cont` heading with its header row repeated. With `heading` None
    (the table goes on a section begun above) the table has no heading of its own
    unless it starts a page: then it gets `cont`.
    Returns (next free row, 0-based rows of the data, in order)."""
    n = len(rows)
    hs = _wrapped_heights(rows, wrap_col) if wrap_col is not None else [ROW_PT] * n
    title = heading
    whole = _block(max(1 + n, chart_rows), heading is not None)
    first = _block(max(1 + min(n, min_rows), chart_rows), heading is not None)
    if sum(_block(max(1 + n, chart_rows))) <= pg.budget:
        first = whole
    if not pg.fits(row, first):
        pg.new_page(row)
        title = title or cont
    data_rows = []
    done = 0
    while True:
        lead = _block(1, title is not None)  # heading (if any) and the header row
        k = 0
        while done + k < n and pg.fits(row, lead + hs[done:done + k + 1]):
            k += 1
        k = max(k, 1)
        pg.fits(row, lead + hs[done:done + k])  # plan the rows written
        if title:
            row = _section(ws, f, row, title)
        end = _table(ws, fmt, f, row, headers, rows[done:done + k], rate_cols)
        if wrap_col is not None:
            for i, r in enumerate(rows[done:done + k]):
                ws.write_string(row + 1 + i, wrap_col, str(r[wrap_col] or ""), f["wrapcell"])
        data_rows += range(row + 1, end)
        row, done = end, done + k
        if done >= n:
            return row, data_rows
        pg.new_page(row)
        title = cont


def _chart_source(ws, data_rows, values, col):
    """(first_row, col, last_row) for a chart: the table's own cells when its data
    rows are contiguous, else a copy of `values` in hidden column `col` from the
    first data row on."""
    first = data_rows[0]
    if data_rows == list(range(first, first + len(data_rows))):
        return None
    for i, v in enumerate(values):
        write_value(ws, first + i, col, v, None)
    return first, col, first + len(values) - 1


def span_name(lo: date, hi: date) -> str:
    """The coverage span in words: 2026年 (a whole year) / 2026年1—10月 / 2026年10月
    (whole months of one year) / 截至2026-10-31累计 (全部) / 2026-02-15至2026-10-31."""
    if lo == date.min:
        return f"截至{hi.isoformat()}累计"
    next_month = date(hi.year + hi.month // 12, hi.month % 12 + 1, 1)
    whole_months = lo.day == 1 and (next_month - hi).days == 1 and lo.year == hi.year
    if whole_months:
        if lo.month == 1 and hi.month == 12:
            return f"{lo.year}年"
        return f"{lo.year}年{lo.month}月" if lo.month == hi.month else f"{lo.year}年{lo.month}—{hi.month}月"
    return f"{lo.isoformat()}至{hi.isoformat()}"


# ---- 月度分析 -------------------------------------------------------------------

def monthly_sheet(rep: MonthlyReport):
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
        tags, deps = [list(t) for t in rep.by_tag], [list(t) for t in rep.by_department]
        dep_rows = bar_rows(len(deps)) if deps else 0
        tag_len, dep_len = (1 + len(tags) if tags else 1), (1 + len(deps) if deps else 1)
        cont = "二、诉求收集情况（续）"
        if ROW_PT * max(tag_len + 1 + dep_len, dep_rows) <= pg.budget:
            row = chart_top = tail(row, _block(max(tag_len + 1 + dep_len, dep_rows), False), cont)
        else:
            chart_top = None
        top = row
        if tags:
            row = _long_table(ws, fmt, f, pg, row, None, cont, ["主题标签", "件数"], tags)[0] + 1
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
                              ["编号", "承办部门", "承办负责人", "督办员", "答复时限", "逾期天数", "诉求内容"],
                              [[e.item_id, e.department, e.head, e.supervisor, e.deadline, e.days_overdue,
                                e.content] for e in rep.overdue])[0]
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
                               for e in rep.risks])[0]
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
        for label in ("十、思想分析（由党群办填写）", "十一、应对举措（由党群办填写）"):
            pg.plan(row, [SECTION_PT])
            row = _blank_box(ws, f, row, label)
        row = write_sign_line(ws, fmt, row)
        pg.apply(ws, row - 1)
        _print_setup(ws, row - 1, title, scale=PRINT_SCALE)
    return build


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
        ws.set_column(HELPER_COL, HELPER_COL, None, None, {"hidden": True})
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
            for i, d in enumerate(q.deductions):  # the chart shows points lost as positive bars
                ws.write_number(first + i, HELPER_COL, -d.points)
            chart = _chart(fmt, "bar", "本季度各部门扣分", sheet, (first, 0, row - 1),
                           (first, HELPER_COL, row - 1), "扣分", color="#C00000",
                           top=-min(d.points for d in q.deductions))
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
