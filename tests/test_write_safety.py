"""The writer's safe saving: backups, lock files, a failed replace, unusable files, a big sheet.

Inputs are tiny packages written byte by byte (test_write.make_package).
"""
from __future__ import annotations

import os
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from huitan_xl import write as write_mod
from huitan_xl.errors import WorkbookUnusable
from huitan_xl.xlsx.file_check import check_usable
from huitan_xl.write import Workbook
from test_write import make_package, write_cells


# -- saving safely -------------------------------------------------------------------------------------------------
def test_backup_is_the_previous_version(tmp_path):
    path = make_package(tmp_path / "台账.xlsm", "")
    first = path.read_bytes()
    result = write_cells(path, {(1, 1): 1})
    assert result.backup == tmp_path / "台账.bak.xlsm"
    assert result.backup.read_bytes() == first
    second = path.read_bytes()
    write_cells(path, {(1, 1): 2})
    assert result.backup.read_bytes() == second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.bak.xlsm", "台账.xlsm"]


def test_lock_file_means_nothing_is_touched(tmp_path):
    path = make_package(tmp_path / "台账.xlsx", "")
    before = path.read_bytes()
    wb = Workbook.open(path)
    wb.set_cells("台账", {(1, 1): 1})
    (tmp_path / "~$台账.xlsx").write_bytes(b"\0" * 162)
    with pytest.raises(WorkbookUnusable) as err:
        wb.save()
    assert "台账.xlsx" in err.value.message and "Excel" in err.value.message
    with pytest.raises(WorkbookUnusable):
        Workbook.open(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["~$台账.xlsx", "台账.xlsx"]


def test_failed_replace_leaves_the_original_and_no_temp_file(tmp_path, monkeypatch):
    path = make_package(tmp_path / "台账.xlsx", "")
    before = path.read_bytes()
    wb = Workbook.open(path)
    wb.set_cells("台账", {(1, 1): 1})

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(write_mod.os, "replace", refuse)
    with pytest.raises(WorkbookUnusable) as err:
        wb.save(backup=False)
    assert "台账.xlsx" in err.value.message
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]


# -- files that cannot be used -------------------------------------------------------------------------------------
def _encrypted(tmp_path: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile
    plain = make_package(tmp_path / "明文.xlsx", "")
    enc = tmp_path / "加密.xlsx"
    with open(plain, "rb") as f, open(enc, "wb") as out:
        OOXMLFile(f).encrypt("secret", out)
    return enc


@pytest.mark.parametrize("case, expected", [
    ("missing", "找不到工作簿"), ("folder", "文件夹"), ("empty", "空文件"), ("csv", "CSV"),
    ("truncated", "已损坏"), ("not_excel_zip", "不是 Excel 工作簿"), ("encrypted", "工作簿已加密，请用 --password 提供打开密码"),
])
def test_unusable_files_are_named_in_the_message(tmp_path, case, expected):
    path = tmp_path / "名单.xlsx"
    if case == "folder":
        path.mkdir()
    elif case == "empty":
        path.write_bytes(b"")
    elif case == "csv":
        path.write_text("工号,姓名\n1,张三\n", encoding="utf-8")
    elif case == "truncated":
        data = make_package(tmp_path / "完整.xlsx", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>").read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif case == "not_excel_zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("word/document.xml", "<w/>")
    elif case == "encrypted":
        path = _encrypted(tmp_path)
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(WorkbookUnusable) as err:
        Workbook.open(path)
    assert expected in err.value.message
    assert path.name in err.value.message
    if before is not None:
        assert path.read_bytes() == before


def test_corrupt_member_is_unusable(tmp_path):
    path = make_package(tmp_path / "台账.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/styles.xml")
    data[info.header_offset + 30 + len(info.filename) + 5] ^= 0xFF  # flip a byte inside the compressed data
    path.write_bytes(bytes(data))
    with pytest.raises(WorkbookUnusable) as err:
        check_usable(path)
    assert "台账.xlsx" in err.value.message and "损坏" in err.value.message


# -- a big register ----------------------------------------------------------------------------------------------
@pytest.fixture
def big_register(request, tmp_path) -> Path:
    """A 100,000-row, 16-column 诉求台账 made with XlsxWriter (constant_memory); generated
    once and kept in the pytest cache, copied for each test."""
    import shutil

    import xlsxwriter
    cached = Path(request.config.cache.mkdir("huitan-write-100k-v1")) / "大台账.xlsx"
    if not cached.exists():
        book = xlsxwriter.Workbook(str(cached) + ".part", {"constant_memory": True})
        ws = book.add_worksheet("诉求台账")
        ws.write_row(0, 0, [f"列{c}" for c in range(16)])
        for r in range(1, 100001):
            ws.write_string(r, 0, f"T-{r}")
            ws.write_number(r, 1, r)
            ws.write_row(r, 2, [f"内容{r % 97}"] * 14)
        book.close()
        os.replace(str(cached) + ".part", cached)
    path = tmp_path / "大台账.xlsx"
    shutil.copy(cached, path)
    return path


@pytest.mark.slow
def test_100k_rows_three_columns(big_register):
    path = big_register
    cells = {}
    for r in range(2, 100002):
        cells[(r, 17)] = "逾期" if r % 3 == 0 else "正常"
        cells[(r, 18)] = r % 30
        cells[(r, 19)] = date(2026, 3, 1 + r % 28)
    started = time.perf_counter()
    wb = Workbook.open(path)
    wb.set_cells("诉求台账", cells)
    wb.save(backup=False)
    print(f"\n100k rows x 3 columns: open+set+save {time.perf_counter() - started:.2f} s")
    from python_calamine import CalamineWorkbook
    rows = CalamineWorkbook.from_path(path).get_sheet_by_name("诉求台账").to_python()
    assert rows[1][:2] + rows[1][16:19] == ["T-1", 1.0, "正常", 2.0, date(2026, 3, 3)]
    assert rows[99998][16:19] == ["逾期", 9.0, date(2026, 3, 12)]  # Excel row 99999
    assert rows[99999][16:19] == ["正常", 10.0, date(2026, 3, 13)]
    assert rows[100000][0] == "T-100000" and rows[100000][16:19] == ["正常", 11.0, date(2026, 3, 14)]
    assert len(rows) == 100001


def test_clearing_cells_that_are_not_there_leaves_the_row_untouched():
    """A rerun that clears a tool-owned column nobody filled must not touch the rows."""
    from huitan_xl.xlsx.sheet_patch import CellWrite, patch_cells

    xml = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           b'<row r="1" spans="1:2"><c r="A1"><v>1</v></c></row>'
           b'<row r="2" spans="1:2"><c r="A2"><v>2</v></c><c r="C2"><v>3</v></c></row>'
           b'</sheetData></worksheet>')
    none = CellWrite("none", "", None)
    out = bytes(patch_cells(xml, {(1, 2): none, (2, 2): none}).xml)
    assert out == xml
    out = bytes(patch_cells(xml, {(1, 2): none, (2, 3): none}).xml)
    assert out == xml.replace(b'<row r="2" spans="1:2"><c r="A2"><v>2</v></c><c r="C2"><v>3</v></c>',
                              b'<row r="2"><c r="A2"><v>2</v></c><c r="C2"/>')
