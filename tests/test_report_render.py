"""The report sheets render: build the workbook, convert it with LibreOffice, read the PDF.

Skipped only when soffice (LibreOffice) or pdftotext (poppler-utils) is absent.
"""
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from huitan_xl.reports.monthly import month_span, monthly_report
from huitan_xl.reports.overview import overview
from huitan_xl.reports.report_sheets import monthly_sheet, overview_sheet
from huitan_xl.write import Formats, Workbook
from report_registers import COVERAGE, october_registers

needs_office = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                  reason="LibreOffice (soffice) or pdftotext not installed")


def build_xlsx(path: Path, sheets: dict) -> Path:
    """A plain XlsxWriter workbook holding the given tool-owned sheets."""
    wb = xlsxwriter.Workbook(str(path))
    fmt = Formats(wb)
    for name, build in sheets.items():
        build(wb.add_worksheet(name), fmt)
    wb.close()
    return path


def to_pdf(xlsx: Path, tmp_path: Path) -> Path:
    out = tmp_path / "pdf"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
                   check=True, capture_output=True, timeout=180)
    return out / (xlsx.stem + ".pdf")


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
    # levels (column), category (column), department (bar), 12-month rates (line), coverage (bar)
    assert kinds == [("col", None), ("col", None), ("bar", None), (None, "lineChart"), ("bar", None)]
    assert 'paperSize="9"' in sheet and 'orientation="landscape"' in sheet
    # fit to 1 page wide (fitToWidth defaults to 1, so it is not written), any number tall
    assert '<pageSetUpPr fitToPage="1"/>' in sheet and 'fitToHeight="0"' in sheet
    assert "fitToWidth" not in sheet
    assert "第 &amp;P 页，共 &amp;N 页" in sheet
    assert "_xlnm.Print_Area" in book
    merges = re.findall(r'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"/>', sheet)
    shapes = [(a, b, int(r2) - int(r1) + 1) for a, r1, b, r2 in merges]
    # 口径 header + 4 rate definitions (E:G, one row), 思想分析 + 应对举措 (A:Q, 16 rows each)
    assert shapes == [("E", "G", 1)] * 5 + [("A", "Q", 16)] * 2


@needs_office
def test_monthly_report_renders_to_pdf(tmp_path):
    _, _, rep = october()
    pdf = to_pdf(build_xlsx(tmp_path / "monthly.xlsx", {"月度分析": monthly_sheet(rep)}), tmp_path)
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    assert len(pages) >= 1
    assert "2026年10月职工思想动态分析报告" in text
    assert re.search(r"诉求总数\s+6\b", text)
    assert re.search(r"按期答复率\s+66\.7%\s+2\s+3", text)
    assert re.search(r"P3\s+机电科\s+赵六.*2026-09-28\s+33", text)
    assert "思想分析" in text and "应对举措" in text
    assert f"第 1 页，共 {len(pages)} 页" in pages[0]


@needs_office
def test_empty_month_renders_with_dashes(tmp_path):
    regs, st = october_registers()
    rep = monthly_report(regs, st, month_span(2026, 12), [])
    pdf = to_pdf(build_xlsx(tmp_path / "empty.xlsx", {"月度分析": monthly_sheet(rep)}), tmp_path)
    text = "\n".join(pdf_pages(pdf))
    assert "2026年12月职工思想动态分析报告" in text
    assert re.search(r"诉求总数\s+0\b", text)
    assert re.search(r"职工满意率\s+—\s+0\s+0", text)
    assert "本月无承办单" in text and "无覆盖率数据" in text


@needs_office
def test_overview_renders_to_pdf(tmp_path):
    regs, st = october_registers()
    ov = overview(regs, st, date(2026, 11, 5))
    pdf = to_pdf(build_xlsx(tmp_path / "ov.xlsx", {"成效总览": overview_sheet(ov)}), tmp_path)
    text = "\n".join(pdf_pages(pdf))
    assert "统计期间：2026-09-15 至 2026-11-05" in text
    assert re.search(r"收集诉求\s+9\b", text) and re.search(r"职工满意率\s+80\.0%", text)
    assert re.search(r"奖励金额（元）\s+500\b", text)


@needs_office
def test_monthly_sheet_through_write_workbook(tmp_path):
    """The same sheet, put into a new package by write.Workbook (the tool's only writer)."""
    _, _, rep = october()
    try:
        wb = Workbook.new()
        wb.put_sheet("月度分析", monthly_sheet(rep))
        wb.save(tmp_path / "via_writer.xlsx", backup=False)
    except NotImplementedError:
        pytest.skip("write.Workbook is not implemented yet")
    pages = pdf_pages(to_pdf(tmp_path / "via_writer.xlsx", tmp_path))
    text = "\n".join(pages)
    assert "2026年10月职工思想动态分析报告" in text and re.search(r"诉求总数\s+6\b", text)
    with zipfile.ZipFile(tmp_path / "via_writer.xlsx") as z:
        assert len([n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]) == 5
