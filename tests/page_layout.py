"""How a report sheet prints, read back from the xlsx with openpyxl: manual page breaks,
row heights, section headings and chart anchors, and the rules a printed report keeps."""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

A4_LANDSCAPE_BODY_PT = (210 / 25.4 - 0.75 - 0.75) * 72  # page height less the 0.75 in top/bottom margins
A4_LANDSCAPE_WIDTH_PT = 297 / 25.4 * 72 - 2 * 0.5 * 72  # page width less the 0.5 in side margins: 769.9 pt


def carlito_installed() -> bool:
    """Carlito (Calibri's metric twin) is known to fontconfig, so LibreOffice lays the
    Calibri sheets out as wide as Excel does."""
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return "carlito" in out.lower()


# LibreOffice's page count equals the sheet's manual breaks only when it measures the
# columns as Excel does: without Carlito it substitutes a wider font, columns A..Q spill
# past the page width at the sheet's print scale and every page gains a right-hand part.
needs_carlito = pytest.mark.skipif(
    not carlito_installed(),
    reason="font Carlito not installed (apt-get install fonts-crosextra-carlito): LibreOffice lays "
           "Calibri out wider without it, so its page count cannot be compared to the sheet's breaks")
HEADING = re.compile(r"^(十[一二]?|[一二三四五六七八九])、")


@dataclass(frozen=True)
class PageLayout:
    scale: int | None  # print scale, percent
    fit_to_page: bool
    pages: list[tuple[int, int]]  # (first, last) 1-based rows of each printed page
    headings: dict[int, str]  # 1-based row -> section heading text
    charts: list[tuple[int, int]]  # 1-based (first, last) rows each chart covers, top down
    chart_titles: list[str]  # in the same order
    heights: dict[int, float]  # 1-based row -> height in points
    margins: tuple[float, float]  # top, bottom (inches)
    side_margins: tuple[float, float]  # left, right (inches)
    width_px: int  # the print area's columns in Excel's pixels (Calibri 11: 7 px a digit)

    def page_of(self, row: int) -> int:
        return next(i for i, (a, b) in enumerate(self.pages) if a <= row <= b)


def page_layout(path: Path, sheet: str = "月度分析") -> PageLayout:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    last = int(re.search(r"\$(\d+)$", area).group(1))
    last_col = column_index_from_string(re.search(r":\$([A-Z]+)\$", area).group(1))
    ends = sorted(b.id for b in ws.row_breaks.brk) + [last]  # brk id: last row before the break
    pages = [(a + 1, b) for a, b in zip([0] + ends[:-1], ends)]
    headings = {r: ws.cell(r, 1).value for r in range(1, last + 1)
                if isinstance(ws.cell(r, 1).value, str) and HEADING.match(ws.cell(r, 1).value)}
    charts = []
    for ch in ws._charts:
        a = ch.anchor
        charts.append((a._from.row + 1, a.to.row + (1 if a.to.rowOff else 0),
                       "".join(r.t for p in ch.title.tx.rich.p for r in p.r or ())))
    charts.sort()
    default = ws.sheet_format.defaultRowHeight  # rows of the default height carry none of their own
    heights = {r: (ws.row_dimensions[r].height if ws.row_dimensions[r].customHeight else default)
               for r in range(1, last + 1)}
    return PageLayout(ws.page_setup.scale, bool(ws.sheet_properties.pageSetUpPr and
                                                ws.sheet_properties.pageSetUpPr.fitToPage),
                      pages, headings, [c[:2] for c in charts], [c[2] for c in charts], heights,
                      (ws.page_margins.top, ws.page_margins.bottom),
                      (ws.page_margins.left, ws.page_margins.right), width_px(ws, last_col))


def width_px(ws, last_col: int) -> int:
    """Columns 1..last_col in Excel's pixels: a stored width w is trunc((256 w + 18) / 256 * 7) px
    (ECMA-376 §18.3.1.13 with Calibri 11's 7-px digit); a column without one is 64 px (8.43)."""
    widths = {}
    for dim in ws.column_dimensions.values():
        if dim.customWidth and dim.width is not None:
            for c in range(dim.min, dim.max + 1):
                widths[c] = 0 if dim.hidden else int((256 * dim.width + 18) / 256 * 7)
    return sum(widths.get(c, 64) for c in range(1, last_col + 1))


def check_pagination(lay: PageLayout) -> None:
    """The rules of a paginated report sheet; raises AssertionError naming the broken one."""
    assert lay.scale and not lay.fit_to_page, "a fixed print scale (Excel drops manual breaks when fitting)"
    assert lay.margins == (0.75, 0.75) and lay.side_margins == (0.5, 0.5)
    # one page wide: the columns (px at 96 dpi -> pt) at the print scale within the page width
    assert lay.width_px * 0.75 * lay.scale / 100 <= A4_LANDSCAPE_WIDTH_PT, (lay.width_px, lay.scale)
    for a, b in lay.pages:  # each page's rows fit the printed page, so no renderer adds a break
        printed = sum(lay.heights[r] for r in range(a, b + 1)) * lay.scale / 100
        assert printed <= A4_LANDSCAPE_BODY_PT, (a, b, printed)
    for a, _ in lay.pages[1:]:  # the first page starts with the title
        assert a in lay.headings, f"page starting at row {a} does not start with a section heading"
    for r in lay.headings:
        assert lay.page_of(r) == lay.page_of(r + 1), f"heading at row {r} is the last row of its page"
    for first, last in lay.charts:
        assert lay.page_of(first) == lay.page_of(last), f"chart over rows {first}-{last} crosses a break"


def box_width_pt(pdf: Path, page: int) -> int:
    """Width in points of the widest bordered box on a PDF page (1-based): the page drawn
    at 72 dpi, grey, by pdftoppm; the box's left and right borders are the outermost pixel
    columns dark for 100 px or more."""
    out = subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", str(page), "-l", str(page), str(pdf)],
                         capture_output=True, check=True).stdout
    magic, w, h, _maxval, pixels = out.split(maxsplit=4)
    assert magic == b"P5"
    w, h = int(w), int(h)
    tall = [x for x in range(w) if sum(pixels[y * w + x] < 160 for y in range(h)) >= 100]
    return tall[-1] - tall[0] + 1 if tall else 0


def _range_values(wb, ref: str) -> list:
    """The cell values of a chart reference like 'Sheet'!$D$5:$D$7 (one row or column)."""
    from openpyxl.utils.cell import range_boundaries

    sheet, cells = ref.rsplit("!", 1)
    ws = wb[sheet.strip("'").replace("''", "'")]
    c1, r1, c2, r2 = range_boundaries(cells.replace("$", ""))
    return [ws.cell(r, c).value for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


@dataclass(frozen=True)
class ChartSeries:
    chart: str  # the chart's title
    name: str  # the series' name
    categories: list  # the category cells' values, top down
    values: list  # the value cells' values, as the chart plots them
    value_ref: str  # where they are: 'Sheet'!$D$5:$D$7
    axis: tuple  # (min, max) of the value axis, None where automatic


def chart_series(path: Path, sheet: str) -> list[ChartSeries]:
    """Every series of every chart on `sheet`, read from the chart XML with the cells its
    ranges point at, so a test can compare what a chart draws with the table beside it."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ch in wb[sheet]._charts:
        title = "".join(r.t for p in ch.title.tx.rich.p for r in p.r or ())
        axis = ch.y_axis  # openpyxl: the value axis (<c:valAx>) also of a horizontal bar chart
        for s in ch.series:
            cat = s.cat.strRef or s.cat.numRef
            name = s.tx.v if s.tx is not None and s.tx.v is not None else (s.tx.strRef.f if s.tx else "")
            out.append(ChartSeries(title, name, _range_values(wb, cat.f), _range_values(wb, s.val.numRef.f),
                                   s.val.numRef.f, (axis.scaling.min, axis.scaling.max)))
    return out
