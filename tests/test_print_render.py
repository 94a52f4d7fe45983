"""Every tool-owned sheet of the demo workbook, printed by LibreOffice: each sheet alone (the
others hidden) to PDF, then read back. Asserts what a reader of the paper would notice: every
short label and header the sheet holds appears whole in the PDF text, page counts within
bounds, page numbers and the 「huitan-xl 生成」 remark on every page; and from the sheet
itself: A4 landscape one page wide, header rows repeated, 校验结果 frozen at its header
row only, and no text wider than its cell unless it wraps or runs into empty cells.

Skipped when soffice or pdftotext is absent."""
import re
import shutil
import subprocess
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from huitan_xl import schema
from huitan_xl.jobs import run_job
from huitan_xl.demo_run import build_demo_workbook

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or poppler-utils (pdftotext) not installed")]

AS_OF = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, 0)
# sheet -> (fewest, most) printed pages of the demo
# (月度分析 last: converted in one LibreOffice run, the documents after it printed its pages too)
PAGES = {
    schema.FINDINGS_SHEET: (1, 40), schema.OVERDUE_SHEET: (1, 20), schema.DEDUCTIONS_SHEET: (1, 12),
    schema.REWARDS_SHEET: (1, 4), schema.QUARTERLY_SHEET: (1, 2),
    schema.ANNUAL_SHEET: (1, 3), schema.COVERAGE_SHEET: (1, 12), schema.OVERVIEW_SHEET: (1, 1),
    schema.RUN_LOG_SHEET: (1, 2), schema.MONTHLY_SHEET: (3, 7),
}
# list sheets whose first table's header row repeats on every page (月度分析 and 季度评审 are
# paginated reports: their long tables repeat their header under a （续） heading instead)
REPEATS = {schema.FINDINGS_SHEET, schema.OVERDUE_SHEET, schema.DEDUCTIONS_SHEET, schema.REWARDS_SHEET,
           schema.ANNUAL_SHEET, schema.COVERAGE_SHEET, schema.RUN_LOG_SHEET}
SIGNED = [schema.MONTHLY_SHEET, schema.QUARTERLY_SHEET, schema.DEDUCTIONS_SHEET, schema.REWARDS_SHEET,
          schema.ANNUAL_SHEET]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def only_sheet(src: Path, dst: Path, keep: str) -> Path:
    """A copy of the workbook in which every sheet but `keep` is hidden (LibreOffice prints
    visible sheets only) and `keep` is the active one."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                names = re.findall(r'<sheet\s[^>]*name="([^"]+)"', text)
                index = names.index(keep)

                def hide(m):
                    tag = re.sub(r'\s+state="\w+"', "", m.group(0))
                    return tag if f'name="{keep}"' in tag else tag.replace("<sheet ", '<sheet state="hidden" ', 1)
                text = re.sub(r"<sheet\s[^>]*>", hide, text)  # <sheet .../> or <sheet ...>
                # LibreOffice prints a hidden sheet that has a print range: drop the others' ranges
                text = re.sub(r'<definedName name="_xlnm\.Print_Area" localSheetId="(\d+)"[^>]*>[^<]*</definedName>',
                              lambda m: m.group(0) if int(m.group(1)) == index else "", text)
                text = re.sub(r'activeTab="\d+"', f'activeTab="{index}"', text)
                text = re.sub(r'firstSheet="\d+"', f'firstSheet="{index}"', text)
                if "activeTab=" not in text:
                    text = text.replace("<workbookView ", f'<workbookView activeTab="{index}" ', 1)
                data = text.encode("utf-8")
            elif info.filename.startswith("xl/worksheets/sheet"):  # a selected tab would print although hidden
                data = data.replace(b' tabSelected="1"', b"")
            zout.writestr(info, data)
    return dst


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    book = build_demo_workbook(folder, AS_OF)
    run_job("validate", book, as_of=AS_OF, now=NOW)
    run_job("overdue", book, as_of=AS_OF, now=NOW)
    run_job("deductions", book, as_of=AS_OF, now=NOW, period="2026")
    run_job("rewards", book, as_of=AS_OF, now=NOW, period="2026Q3")
    run_job("report", book, as_of=AS_OF, now=NOW, period="2026-10")
    run_job("assess", book, as_of=AS_OF, now=NOW, period="2026")
    copies = {name: only_sheet(book, folder / f"s{i}.xlsx", name) for i, name in enumerate(PAGES)}
    out = folder / "pdf"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder / 'lo'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(out), *map(str, copies.values())], check=True, capture_output=True,
                   timeout=900)
    pages = {}
    for name, path in copies.items():
        text = subprocess.run(["pdftotext", "-layout", str(out / (path.stem + ".pdf")), "-"], check=True,
                              capture_output=True, text=True).stdout
        pages[name] = [p for p in text.split("\f") if p.strip()]
    wb = openpyxl.load_workbook(book)
    # LibreOffice may print a hidden sheet too (a sheet with manual page breaks was seen to):
    # keep the run of pages, numbered from 第 1 页, that opens with this sheet's title
    for name, found in pages.items():
        runs: list[list[str]] = []
        for p in found:
            if squash("第1页，共") in squash(p) or not runs:
                runs.append([])
            runs[-1].append(p)
        title = squash(str(wb[name]["A1"].value))
        pages[name] = next((r for r in runs if title in squash(r[0])), found)
    return book, wb, pages


def labels(ws) -> list[str]:
    """The short texts of a sheet (headers, labels, codes, names): those a reader must see whole."""
    out = []
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if isinstance(v, str) and v.strip() and len(v) <= 16 and not v.startswith("="):
                out.append(v.strip())
    return list(dict.fromkeys(out))


def text_px(text: str, bold: bool) -> float:
    """Width in pixels of a line of Calibri 11 (CJK fallback about 14.7 px a character)."""
    w = sum(14.7 if unicodedata.east_asian_width(ch) in "WF" else 7.0 for ch in text)
    return w * (1.08 if bold else 1.0) + 6  # the cell's inner padding


def col_px(ws, col: int) -> float:
    """Column width in Excel's pixels (a <col> element may cover several columns)."""
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.min <= col <= (dim.max or dim.min):
            if dim.hidden:
                return 0
            if dim.width:
                return int((256 * dim.width + 18) / 256 * 7)
    return 64


def overflowing(ws) -> list[str]:
    """Cells whose text is wider than the room it has: its cell (merged range), or for an
    unbordered, unwrapped cell also the empty cells to its right. Wrapped text needs rows."""
    merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    bad = []
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if not isinstance(v, str) or not v or v.startswith("="):
                continue
            rng = merged.get((c.row, c.column))
            last = rng.max_col if rng else c.column
            room = sum(col_px(ws, k) for k in range(c.column, last + 1))
            size = (c.font.sz or 11) / 11 if c.font is not None else 1
            need = max(text_px(line, bool(c.font and c.font.b)) for line in v.split("\n")) * size
            if need <= room:
                continue
            if c.alignment is not None and c.alignment.wrap_text:
                height = ws.row_dimensions[c.row].height
                if height is None:  # Excel and LibreOffice fit the row to the wrapped text
                    continue
                lines = -(-need // max(room, 1))
                if height * 96 / 72 >= lines * 18:
                    continue
                bad.append(f"{c.coordinate} wraps into {lines} lines in a {height} pt row: {v}")
                continue
            bordered = c.border is not None and c.border.left is not None and c.border.left.style
            k = last + 1
            while not bordered and room < need and k <= ws.max_column + 20 and ws.cell(c.row, k).value in (None, ""):
                room += col_px(ws, k)
                k += 1
            if need > room:
                bad.append(f"{c.coordinate} {v}")
    return bad


@pytest.mark.parametrize("sheet", list(PAGES))
def test_every_label_prints_whole_within_page_bounds_with_page_numbers(printed, sheet):
    _book, wb, pages = printed
    fewest, most = PAGES[sheet]
    assert fewest <= len(pages[sheet]) <= most, (sheet, len(pages[sheet]))
    n = len(pages[sheet])
    for i, page in enumerate(pages[sheet], 1):
        assert squash(f"第{i}页，共{n}页") in squash(page), (sheet, i)
        assert "huitan-xl生成" in squash(page), (sheet, i)
    text = squash("".join(pages[sheet]))
    missing = [s for s in labels(wb[sheet]) if squash(s) not in text]
    assert missing == [], (sheet, missing[:10])


@pytest.mark.parametrize("sheet", list(PAGES))
def test_print_setup_of_every_sheet(printed, sheet):
    _book, wb, _pages = printed
    ws = wb[sheet]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape", sheet
    if sheet != schema.MONTHLY_SHEET:  # 月度分析 prints at a fixed scale that fits the width
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1), sheet
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, sheet
    if sheet in REPEATS:
        assert ws.print_title_rows, sheet
    bad = overflowing(ws)
    assert bad == [], sheet


def test_findings_freeze_their_header_row_only(printed):
    _book, wb, _pages = printed
    ws = wb[schema.FINDINGS_SHEET]
    header = next(r for r in range(1, 80) if ws.cell(r, 1).value == "严重程度")
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.print_title_rows == f"${header}:${header}"


@pytest.mark.parametrize("sheet", SIGNED)
def test_signed_sheets_have_the_sign_line(printed, sheet):
    _book, _wb, pages = printed
    last = squash(pages[sheet][-1])
    assert squash("制表：") in last and squash("审核：") in last and squash("日期：") in last, sheet
