"""How a report sheet prints, read back from the xlsx with openpyxl: manual page breaks,
row heights, section headings and chart anchors, and the rules a printed report keeps."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl

A4_LANDSCAPE_BODY_PT = (210 / 25.4 - 0.75 - 0.75) * 72  # page height less the 0.75 in top/bottom margins
HEADING = re.compile(r"^[一二三四五六七八九]、")


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

    def page_of(self, row: int) -> int:
        return next(i for i, (a, b) in enumerate(self.pages) if a <= row <= b)


def page_layout(path: Path, sheet: str = "月度分析") -> PageLayout:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    last = int(re.search(r"\$(\d+)$", ws.print_area[0] if isinstance(ws.print_area, list)
                         else ws.print_area).group(1))
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
                      (ws.page_margins.top, ws.page_margins.bottom))


def check_pagination(lay: PageLayout) -> None:
    """The rules of a paginated report sheet; raises AssertionError naming the broken one."""
    assert lay.scale and not lay.fit_to_page, "a fixed print scale (Excel drops manual breaks when fitting)"
    assert lay.margins == (0.75, 0.75)
    for a, b in lay.pages:  # each page's rows fit the printed page, so no renderer adds a break
        printed = sum(lay.heights[r] for r in range(a, b + 1)) * lay.scale / 100
        assert printed <= A4_LANDSCAPE_BODY_PT, (a, b, printed)
    for a, _ in lay.pages[1:]:  # the first page starts with the title
        assert a in lay.headings, f"page starting at row {a} does not start with a section heading"
    for r in lay.headings:
        assert lay.page_of(r) == lay.page_of(r + 1), f"heading at row {r} is the last row of its page"
    for first, last in lay.charts:
        assert lay.page_of(first) == lay.page_of(last), f"chart over rows {first}-{last} crosses a break"
