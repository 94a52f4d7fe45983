"""The report sheets render: build the workbook, convert it with LibreOffice, read the PDF.

Skipped only when soffice (LibreOffice) or pdftotext (poppler-utils) is absent; the
comparisons of LibreOffice's pages with the sheet's page breaks and page width also need
the font Carlito (page_layout.needs_carlito).
"""
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

import openpyxl

from huitan_xl.reports.monthly import OverdueEntry, RiskEntry, month_span, monthly_report
from huitan_xl.reports.overview import overview
from huitan_xl.reports.monthly_sheet import monthly_sheet
from huitan_xl.reports.report_kit import PRINT_SCALE, span_name
from huitan_xl.reports.report_sheets import overview_sheet
from huitan_xl.write import Formats, Workbook
from page_layout import A4_LANDSCAPE_WIDTH_PT, box_width_pt, check_pagination, needs_carlito, page_layout
from report_registers import COVERAGE, october_registers

def build_xlsx(path: Path, sheets: dict) -> Path:
    """A plain XlsxWriter workbook holding the given tool-owned sheets."""
    wb = xlsxwriter.Workbook(str(path))
    fmt = Formats(wb)
    for name, build in sheets.items():
        build(wb.add_worksheet(name), fmt)
    wb.close()
    return path


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def october():
    regs, st = october_registers()
    return regs, st, monthly_report(regs, st, month_span(2026, 10), COVERAGE)


def test_monthly_sheet_has_native_charts_and_print_setup(tmp_path):
    _, _, rep = october()
    xlsx = build_xlsx(tmp_path / "m.xlsx", {"月度分析": monthly_sheet(rep)})
    with zipfile.ZipFile(xlsx) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        kinds = [re.search(r"<c:(barChart|lineChart)>.*?<c:barDir val=\"(\w+)\"|<c:(lineChart)>",
                           z.read(n).decode(), re.S).group(2, 3) for n in charts]
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        book = z.read("xl/workbook.xml").decode()
    # levels (column), category (column), department (bar), 12-month rates (line), coverage (bar), topics (bar)
    assert kinds == [("col", None), ("col", None), ("bar", None), (None, "lineChart"), ("bar", None), ("bar", None)]
    assert 'paperSize="9"' in sheet and 'orientation="landscape"' in sheet
    # a fixed 66 % scale, not fit to pages (Excel ignores manual page breaks when fitting)
    assert 'scale="66"' in sheet and "fitToPage" not in sheet and "fitToHeight" not in sheet
    assert "第 &amp;P 页，共 &amp;N 页" in sheet
    assert "_xlnm.Print_Area" in book
    merges = re.findall(r'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"/>', sheet)
    shapes = [(a, b, int(r2) - int(r1) + 1) for a, r1, b, r2 in merges]
    # 口径 header + 4 rate definitions (E:G, one row), 思想分析 + 应对举措 (A:Q, 16 rows each)
    assert shapes == [("E", "G", 1)] * 5 + [("A", "Q", 16)] * 2


def overdue_entries(n):
    return tuple(OverdueEntry(f"Q{i:03d}", "H1", "后勤科", "张三", "督办员", date(2026, 9, 1), 60, "内容")
                 for i in range(1, n + 1))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict:
    """The sheets below built and converted by one LibreOffice run: name -> PDF pages."""
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("LibreOffice (soffice) or pdftotext not installed")
    tmp = tmp_path_factory.mktemp("render")
    regs, st, rep = october()
    paths = {
        "monthly": build_xlsx(tmp / "monthly.xlsx", {"月度分析": monthly_sheet(rep)}),
        "empty": build_xlsx(tmp / "empty.xlsx", {"月度分析": monthly_sheet(
            monthly_report(regs, st, month_span(2026, 12), []))}),
        "ov": build_xlsx(tmp / "ov.xlsx", {"成效总览": overview_sheet(overview(regs, st, date(2026, 11, 5)))}),
        "long": build_xlsx(tmp / "long.xlsx", {"月度分析": monthly_sheet(replace(rep, overdue=overdue_entries(100)))}),
    }
    try:
        wb = Workbook.new()
        wb.put_sheet("月度分析", monthly_sheet(rep))
        wb.save(tmp / "via_writer.xlsx", backup=False)
        paths["via_writer"] = tmp / "via_writer.xlsx"
    except NotImplementedError:
        pass
    out = tmp / "pdf"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, paths.values())],
                   check=True, capture_output=True, timeout=300)
    pages = {name: pdf_pages(out / (path.stem + ".pdf")) for name, path in paths.items()}
    pages["paths"] = paths
    pages["pdfs"] = {name: out / (path.stem + ".pdf") for name, path in paths.items()}
    return pages


def test_monthly_report_renders_to_pdf(rendered):
    pages = rendered["monthly"]
    text = "\n".join(pages)
    assert len(pages) >= 1
    assert "2026年10月职工思想动态分析报告" in text
    assert re.search(r"诉求总数\s+6\b", text)
    assert re.search(r"按期答复率\s+50\.0%\s+2\s+4", text)  # 应办 Q2 Q3 Q4 Q5: Q2 and Q4 on time
    assert re.search(r"P3\s+机电科\s+赵六.*2026-09-28\s+33", text)
    assert "思想分析" in text and "应对举措" in text
    assert f"第 1 页，共 {len(pages)} 页" in pages[0]


@needs_carlito
def test_monthly_report_pages_are_the_sheets_pages(rendered):
    """LibreOffice breaks where the sheet says (test_october_pages_break_between_sections):
    一 二 | 二（续） 三 四 | 五 六 七 八 | 九 | the write-in boxes; through write.Workbook too."""
    for name in ("monthly", "via_writer"):
        if name not in rendered:
            continue
        pages = rendered[name]
        assert len(pages) == 5, name
        firsts = [[line.strip() for line in p.splitlines() if line.strip()][1] for p in pages]
        assert firsts == ["2026年10月职工思想动态分析报告", "二、诉求收集情况（续）", "五、合理化建议（本月诉求中提出的建议；“本月新实施”按实施日期计）",
                          "九、反复反映的诉求（老大难）：同一诉求反映 3 次及以上，共 1 项，按首次反映先后排列",
                          "十、思想分析（由党群办填写）"], name
        assert "四、逾期未答复承办单" in pages[1] and "七、层级覆盖情况" in pages[2], name
        assert "八、职工关注热点" in pages[2], name


@needs_carlito
def test_monthly_report_is_one_page_wide(rendered):
    """The write-in boxes span A..Q: LibreOffice (with Carlito) draws them 1142 pt * 66 % =
    754 pt wide, within the 770 pt between the side margins, so no column spills to a page
    of its own (the page counts above would show it too)."""
    assert PRINT_SCALE == 66
    width = box_width_pt(rendered["pdfs"]["monthly"], 5)
    assert abs(width - 1142 * 0.66) <= 2 and width <= A4_LANDSCAPE_WIDTH_PT, width


def test_a_split_table_renders_every_row_once(rendered):
    ids = re.findall(r"\bQ\d{3}\b", "\n".join(rendered["long"]))
    assert ids == [f"Q{i:03d}" for i in range(1, 101)]


@needs_carlito
def test_a_split_table_renders_under_its_continued_heading(rendered):
    """The 100 overdue tickets of the test below: 5 on page 2, 46 on pages 3 and 4, 3 on page 5
    (then 五 to 八, 九, and the write-in boxes: 7 pages)."""
    pages = rendered["long"]
    assert len(pages) == 7
    for page, first, last in [(pages[1], "Q001", "Q005"), (pages[2], "Q006", "Q051"), (pages[3], "Q052", "Q097"),
                              (pages[4], "Q098", "Q100")]:
        ids = re.findall(r"\bQ\d{3}\b", page)
        assert (ids[0], ids[-1], len(ids)) == (first, last, int(last[1:]) - int(first[1:]) + 1)
    for page in pages[2:5]:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[1] == "四、逾期未答复承办单（续）" and lines[2].split()[:3] == ["编号", "承办部门", "承办负责人"]


def test_empty_month_renders_with_dashes(rendered):
    text = "\n".join(rendered["empty"])
    assert "2026年12月职工思想动态分析报告" in text
    assert re.search(r"诉求总数\s+0\b", text)
    assert re.search(r"职工满意率\s+—\s+0\s+0", text)
    assert "本月无承办单" in text and "无覆盖率数据" in text


def test_overview_renders_to_pdf(rendered):
    text = "\n".join(rendered["ov"])
    assert "统计期间：2026-09-15 至 2026-11-05" in text
    assert re.search(r"收集诉求\s+9\b", text) and re.search(r"职工满意率\s+80\.0%", text)
    assert re.search(r"奖励金额（元）\s+500\b", text)


def test_monthly_sheet_through_write_workbook(rendered):
    """The same sheet, put into a new package by write.Workbook (the tool's only writer)."""
    if "via_writer" not in rendered:
        pytest.skip("write.Workbook is not implemented yet")
    pages = rendered["via_writer"]
    text = "\n".join(pages)
    assert "2026年10月职工思想动态分析报告" in text and re.search(r"诉求总数\s+6\b", text)
    with zipfile.ZipFile(rendered["paths"]["via_writer"]) as z:
        assert len([n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]) == 6
    # the writer keeps the print scale, row heights and page breaks of the sheet
    lay = page_layout(rendered["paths"]["via_writer"])
    check_pagination(lay)
    assert lay.scale == 66 and lay.pages == [(1, 41), (42, 82), (83, 129), (130, 134), (135, 171)]


# ---- pagination: fixed scale, manual breaks between sections ------------------------------

def test_october_pages_break_between_sections(tmp_path):
    """Rows by hand (1-based; at 66 % a page holds 487 * 100 / 66 = 738 pt of sheet, less one
    row for rounding: 723 pt, 48 plain 15-pt rows): title 24 pt, subtitle, undated note,
    blank; 一 at 5 (tables 6-25, chart 6-18); 二 at 27 (tables 28-36, chart 28-40), blank 41:
    24 + 2*18 + 39*15 = 645 pt. Tags (header + 4) and departments (header + 2) with their
    13-row chart would end at 645 + 195 = 840 pt, so page 2 starts at 42 under
    二（续）: tags 43-47, departments 49-51, chart 43-55; 三 at 57 (rates 59-62 of 30 pt),
    trend and its chart 64-76; 四 at 78 (header + 2 tickets, 79-81), blank 82: 3*18 +
    4*30 + 34*15 = 684 pt for rows 42-82. 五 (heading + header + 5 rows = 108 pt) would
    end at 792 pt: page 3 starts at 五 (83); 六 91 (2 risks), 七 96 (table 97-105, chart
    97-109); 八 at 111 (5 topics 113-117 beside their 13-row chart 112-124, then 4 note rows
    125-128, blank 129): 4*18 + 43*15 = 717 pt for rows 83-129. 九 (heading, header, one
    request, its note: 63 pt) would end at 780 pt: page 4 starts at 九 (130). The write-in
    boxes start page 5 at 135, the 制表 / 审核 / 日期 line ends it at 171."""
    _, _, rep = october()
    lay = page_layout(build_xlsx(tmp_path / "m.xlsx", {"月度分析": monthly_sheet(rep)}))
    check_pagination(lay)
    assert lay.scale == 66
    assert lay.width_px == 131 + 103 + 4 * 89 + 285 + 19 + 9 * 64  # A..Q: 1470 px = 1102.5 pt
    assert lay.pages == [(1, 41), (42, 82), (83, 129), (130, 134), (135, 171)]
    assert [r for r in lay.headings] == [5, 27, 42, 57, 78, 83, 91, 96, 111, 130, 135, 153]
    assert lay.headings[42] == "二、诉求收集情况（续）"
    assert lay.charts == [(6, 18), (28, 40), (43, 55), (64, 76), (97, 109), (112, 124)]
    assert {r: h for r, h in lay.heights.items() if h != 15} == {
        1: 24, 5: 18, 27: 18, 42: 18, 57: 18, 59: 30, 60: 30, 61: 30, 62: 30, 78: 18, 83: 18, 91: 18, 96: 18,
        111: 18, 130: 18, 135: 18, 153: 18}


def test_a_table_longer_than_a_page_splits_under_a_continued_heading(tmp_path):
    """100 overdue tickets: 四 starts on page 2 at row 78 (606 pt used by rows 42-77); its
    heading and header take 33 pt, leaving 84 pt = 5 rows (80-84). Page 3: 四（续） at 85,
    the header again at 86, (723 - 33) / 15 = 46 rows (87-132); page 4: 四（续） at 133,
    header 134, 46 rows (135-180); page 5: 四（续） at 181, header 182, the last 3 rows 183-185."""
    _, _, rep = october()
    rep = replace(rep, overdue=overdue_entries(100))
    path = build_xlsx(tmp_path / "m.xlsx", {"月度分析": monthly_sheet(rep)})
    lay = page_layout(path)
    check_pagination(lay)
    assert lay.pages[:5] == [(1, 41), (42, 84), (85, 132), (133, 180), (181, lay.pages[4][1])]
    assert {r: t for r, t in lay.headings.items() if t.startswith("四")} == {
        78: "四、逾期未答复承办单（截至 2026-10-31，共 100 件）", 85: "四、逾期未答复承办单（续）",
        133: "四、逾期未答复承办单（续）", 181: "四、逾期未答复承办单（续）"}
    ws = openpyxl.load_workbook(path)["月度分析"]
    header = ("编号", "承办部门", "承办负责人", "督办员", "应答复日期", "逾期天数", "诉求内容")
    assert [r for r in range(1, 250) if tuple(c.value for c in ws[r][:7]) == header] == [79, 86, 134, 182]
    ids = [ws.cell(r, 1).value for r in [*range(80, 85), *range(87, 133), *range(135, 181), *range(183, 186)]]
    assert ids == [f"Q{i:03d}" for i in range(1, 101)]
    assert ws.cell(186, 1).value is None and ws.cell(187, 1).value.startswith("五、")
    deadline = ws.cell(80, 5)  # 答复时限: a date, bordered like the rest of the table
    assert (deadline.number_format, deadline.border.left.style) == ("yyyy-mm-dd", "thin")


def test_a_table_that_fits_a_page_moves_whole_to_the_next(tmp_path):
    """40 overdue tickets (heading + header + 40 rows = 633 pt) do not fit under the 606 pt
    used on page 2 but fit a page (723 pt): no split, 四 starts page 3 at row 78, and 五
    (108 pt more) page 4 at 121."""
    _, _, rep = october()
    lay = page_layout(build_xlsx(tmp_path / "m.xlsx",
                                 {"月度分析": monthly_sheet(replace(rep, overdue=overdue_entries(40)))}))
    check_pagination(lay)
    assert lay.pages[:4] == [(1, 41), (42, 77), (78, 120), (121, lay.pages[3][1])]
    assert [t for t in lay.headings.values() if "续" in t] == ["二、诉求收集情况（续）"]  # none for 四


def test_long_lists_everywhere_still_paginate(tmp_path):
    """70 topics, 70 departments (the bar chart capped at a page), 100 overdue, 80 risks:
    every rule holds, and a split department table feeds its chart from hidden helper cells."""
    _, _, rep = october()
    rep = replace(rep, by_topic=tuple((f"主题{i}", 1) for i in range(70)),
                  by_department=tuple((f"部门{i}", 70 - i) for i in range(70)),
                  overdue=overdue_entries(100),
                  risks=tuple(RiskEntry(f"R{i}", "H1", "职工诉求", "高", "后勤科", "办理中", "内容")
                              for i in range(80)))
    path = build_xlsx(tmp_path / "m.xlsx", {"月度分析": monthly_sheet(rep)})
    lay = page_layout(path)
    check_pagination(lay)
    conts = [t for t in lay.headings.values() if "续" in t]
    assert conts.count("二、诉求收集情况（续）") >= 2 and "六、风险提示（续）" in conts
    ws = openpyxl.load_workbook(path)["月度分析"]
    dep_rows = [r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("部门")]
    assert len(dep_rows) == 70 and dep_rows != list(range(dep_rows[0], dep_rows[0] + 70))  # split
    # the helper copy: 70 names in V and counts in U, contiguous from the first department row
    assert [ws.cell(dep_rows[0] + i, 22).value for i in range(70)] == [f"部门{i}" for i in range(70)]
    assert [ws.cell(dep_rows[0] + i, 21).value for i in range(70)] == [70 - i for i in range(70)]


def chart_titles(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [re.search(r"<a:t>(.*?)</a:t>", z.read(n).decode()).group(1)
                for n in sorted(z.namelist(), key=lambda n: int(re.sub(r"\D", "", n) or 0))
                if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]


@pytest.mark.parametrize("span, title", [
    (None, "2026年1—10月各层级覆盖率"),  # the default: Jan 1 to the month end
    ((date(2026, 10, 1), date(2026, 10, 31)), "2026年10月各层级覆盖率"),  # 季度, cut at the month end
    ((date(2026, 7, 1), date(2026, 9, 30)), "2026年7—9月各层级覆盖率"),
    ((date(2025, 1, 1), date(2025, 12, 31)), "2025年各层级覆盖率"),
    ((date.min, date(2026, 10, 31)), "截至2026-10-31累计各层级覆盖率"),  # 全部
    ((date(2026, 2, 15), date(2026, 10, 31)), "2026-02-15至2026-10-31各层级覆盖率"),
])
def test_coverage_chart_is_titled_from_its_span(span, title, tmp_path):
    regs, st = october_registers()
    rep = monthly_report(regs, st, month_span(2026, 10), COVERAGE, coverage_span=span)
    assert chart_titles(build_xlsx(tmp_path / "m.xlsx", {"月度分析": monthly_sheet(rep)}))[4] == title  # then 本月诉求按主题
    assert span_name(*(span or (date(2026, 1, 1), date(2026, 10, 31)))) + "各层级覆盖率" == title
