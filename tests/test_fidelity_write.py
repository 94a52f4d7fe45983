"""Writing into the ten Excel-made and the WPS-saved corpus workbooks loses nothing the tool does not own.

For each file: fill a tool-owned column on the first sheet, add a sheet with a
table and one with a native chart, save; then
  * the black-box fidelity probe finds no loss,
  * every part we had no reason to change is byte-identical,
  * openpyxl and python-calamine read back the exact values (text that looks
    like a formula is text),
  * the same writes on a second copy give a byte-identical file.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from conftest import CORPUS, PROBE, corpus_files, needs_corpus
from huitan_xl.write import Workbook

COL = 40  # column AN: empty in the first sheet of every corpus file (checked below)
VALUES = {1: "状态", 2: "=1+1", 3: "+86 138", 4: "-", 5: "@x", 6: 42, 7: date(2026, 3, 5), 8: None, 9: 3.25,
          10: "逾期 3 天"}
# the parts a write may change; every other part must come back byte for byte
CHANGEABLE = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml",
              "xl/calcChain.xml", "docProps/app.xml"}


def findings_sheet(ws, fmt):
    ws.write_string(0, 0, "校验结果", fmt.title)
    ws.add_table(2, 0, 4, 2, {"columns": [{"header": "代码"}, {"header": "行"}, {"header": "说明"}],
                              "data": [["E101", 5, "=不是公式"], ["W201", 9, "日期格式不对"]]})
    ws.write_comment("E1", "每次运行重建")


def chart_sheet(ws, fmt):
    ws.write_string(0, 0, "类别", fmt.header)
    ws.write_string(0, 1, "件数", fmt.header)
    for i, (name, n) in enumerate([("安全", 4), ("生活", 7), ("薪酬", 2)], start=1):
        ws.write_string(i, 0, name)
        ws.write_number(i, 1, n)
    chart = fmt.workbook.add_chart({"type": "column"})
    chart.add_series({"name": "件数", "categories": "='月度分析'!$A$2:$A$4", "values": "='月度分析'!$B$2:$B$4"})
    ws.insert_chart("D2", chart)


def first_sheet(path: Path) -> str:
    return CalamineWorkbook.from_path(path).sheet_names[0]


def apply_writes(path: Path) -> str:
    wb = Workbook.open(path)
    sheet = wb.sheet_names[0]
    wb.set_cells(sheet, {(r, COL): v for r, v in VALUES.items()}, {(1, COL): "owned_header"})
    wb.put_sheet("校验结果", findings_sheet)
    wb.put_sheet("月度分析", chart_sheet)
    wb.save()
    return sheet


def sheet_part(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as z:
        wbxml = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    import re
    rid = re.search(r'<sheet [^>]*name="%s"[^>]*r:id="([^"]+)"' % re.escape(sheet), wbxml).group(1)
    target = re.search(r'Id="%s"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="%s"' % (rid, rid), rels)
    target = target.group(1) or target.group(2)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture(params=corpus_files() + corpus_files("wps"),
                ids=lambda p: f"{p.parent.name}/{p.name}" if p is not None else "none")
def corpus_copy(request, tmp_path):
    path = tmp_path / request.param.name
    shutil.copy(request.param, path)
    return request.param, path


def test_corpus_write_keeps_everything(corpus_copy, tmp_path):
    original, path = corpus_copy
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before_ws = openpyxl.load_workbook(original)[first_sheet(original)]
        assert all(before_ws.cell(r, COL).value is None for r in VALUES)
    sheet = apply_writes(path)

    probe = subprocess.run([sys.executable, str(PROBE), str(original), str(path)], capture_output=True, text=True)
    assert probe.returncode == 0, probe.stdout

    old, new = parts(original), parts(path)
    patched = sheet_part(original, sheet)
    # WPS writes empty folder entries (_rels/, xl/worksheets/ ...): no data, not parts; the writer
    # leaves them out (the probe agrees nothing is lost)
    folders = {n for n in old if n.endswith("/") and old[n] == b""}
    untouched = sorted(n for n in old if n not in CHANGEABLE and n != patched and n not in folders)
    assert [n for n in untouched if new.get(n) != old[n]] == []
    assert set(old) - set(new) <= {"xl/calcChain.xml"} | folders

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path)
    ws = book[sheet]
    got = {r: (ws.cell(r, COL).value, ws.cell(r, COL).data_type) for r in VALUES}
    assert got == {1: ("状态", "s"), 2: ("=1+1", "s"), 3: ("+86 138", "s"), 4: ("-", "s"), 5: ("@x", "s"),
                   6: (42, "n"), 7: (datetime(2026, 3, 5), "d"), 8: (None, "n"), 9: (3.25, "n"),
                   10: ("逾期 3 天", "s")}
    assert ws.cell(1, COL).fill.fgColor.rgb == "FFFCE4D6"
    assert book.sheetnames[-2:] == ["校验结果", "月度分析"]
    assert [[c.value for c in row] for row in book["校验结果"].iter_rows(min_row=3, max_row=5, max_col=3)] == [
        ["代码", "行", "说明"], ["E101", 5, "=不是公式"], ["W201", 9, "日期格式不对"]]
    assert book["校验结果"]["C4"].data_type == "s"

    cal = CalamineWorkbook.from_path(path)
    rows = cal.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    assert [rows[r - 1][COL - 1] for r in VALUES] == ["状态", "=1+1", "+86 138", "-", "@x", 42.0,
                                                      date(2026, 3, 5), "", 3.25, "逾期 3 天"]
    assert cal.get_sheet_by_name("月度分析").to_python() == [["类别", "件数"], ["安全", 4.0], ["生活", 7.0],
                                                         ["薪酬", 2.0]]

    # the same writes on another copy of the same input: the same bytes
    again = tmp_path / "again" / original.name
    again.parent.mkdir()
    shutil.copy(original, again)
    apply_writes(again)
    assert again.read_bytes() == path.read_bytes()


def _soffice_ok(path: Path, outdir: Path) -> bool:
    proc = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(path)],
                          capture_output=True, timeout=180)
    pdf = outdir / (path.stem + ".pdf")
    return proc.returncode == 0 and pdf.exists() and pdf.stat().st_size > 1000


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@needs_corpus
def test_libreoffice_opens_a_written_corpus_file_and_a_new_workbook(tmp_path):
    path = tmp_path / "tealeg_v3.xlsx"
    shutil.copy(CORPUS / "tealeg_v3.xlsx", path)
    apply_writes(path)
    new = Workbook.new()
    new.put_sheet("校验结果", findings_sheet)
    new.put_sheet("月度分析", chart_sheet)
    new.save(tmp_path / "新台账.xlsx")
    out = tmp_path / "pdf"
    assert _soffice_ok(path, out)
    assert _soffice_ok(tmp_path / "新台账.xlsx", out)
    # LibreOffice re-saving as xlsx sees the new sheets and the written cells
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                    str(tmp_path / "lo"), str(path)], capture_output=True, timeout=180, check=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(tmp_path / "lo" / "tealeg_v3.xlsx")
    assert book.sheetnames[-2:] == ["校验结果", "月度分析"]
    assert book[book.sheetnames[0]].cell(2, COL).value == "=1+1"
