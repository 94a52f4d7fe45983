"""The page kit of the report sheets (月度分析, 季度评审, 成效总览, 八/九 topic sections):
formats, bordered tables, native charts, print setup and the Pager.

Tables sit in columns A–G, native
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

from .layout import FOOTER, line_count, wrapped_height, write_table, write_value
from .monthly import Rate

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
                      widths=TABLE_WIDTHS[:len(headers)], wrap=False)  # the Pager plans the heights
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
           top: int = 0, rows: int | None = None, low: int = 0):
    """cats/vals: (first_row, col, last_row) on `sheet`; `top` is the largest value and
    `low` the smallest (counts: whole-number axis steps; a `low` below 0 — points lost,
    plotted as the table shows them — runs the axis from below it up to 0). The chart is
    `rows` rows of ROW_PX tall (default: CHART_ROWS, a bar chart bar_rows()). Returns an
    xlsxwriter chart."""
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
    elif low < 0:  # negative values (扣分 as in the table): bars grow leftwards from 0
        step = max(1, -(-(-low) // 5))
        value_axis.update({"num_format": "0", "major_unit": step, "min": low - step, "max": 0})
    else:
        value_axis.update({"num_format": "0", "major_unit": max(1, -(-top // 5)), "max": max(1, top + -(-top // 5))})
    if kind == "bar":  # first category at the top, as in the table
        chart.set_x_axis(value_axis)
        # names at the left, clear of bars that end at 0 (the right edge) when the values are negative
        chart.set_y_axis({"reverse": True, "crossing": "max", **({"label_position": "low"} if low < 0 else {})})
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


def _blank_box(ws, f, row, label, rows=16, text: str = ""):
    """A labelled, bordered, merged area for people to write in, holding `text` (what they
    wrote there before this run rebuilt the sheet) as text, never a formula."""
    row = _section(ws, f, row, label)
    ws.merge_range(row, 0, row + rows - 1, LAST_COL, "", f["box"])
    if text:
        ws.write_string(row, 0, text, f["box"])
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


def _wrapped_heights(rows, cols) -> list[float]:
    """Row heights that fit the text of columns `cols` wrapped in their TABLE_WIDTHS (whole lines)."""
    lines = [max(line_count(str(r[c] or ""), TABLE_WIDTHS[c]) for c in cols) for r in rows]
    return [wrapped_height(n) if n > 1 else ROW_PT for n in lines]


def _long_table(ws, fmt, f, pg: Pager, row, heading, cont, headers, rows, rate_cols=(), chart_rows=0,
                min_rows=3, wrap_cols: tuple[int, ...] = ()):
    """`heading` and a table, kept on one page when they fit on one; a table longer
    than a page starts here if its heading, header and `min_rows` rows (and a chart of
    `chart_rows` beside the header) fit, else on the next page, and goes on page after
    page under the `cont` heading with its header row repeated. With `heading` None
    (the table goes on a section begun above) the table has no heading of its own
    unless it starts a page: then it gets `cont`.
    Returns (next free row, 0-based rows of the data, in order)."""
    n = len(rows)
    hs = _wrapped_heights(rows, wrap_cols) if wrap_cols else [ROW_PT] * n
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
        for c in wrap_cols:  # text wider than its column wraps, in the heights planned above
            for i, r in enumerate(rows[done:done + k]):
                if r[c] not in (None, ""):
                    ws.write_string(row + 1 + i, c, str(r[c]), f["wrapcell"])
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
