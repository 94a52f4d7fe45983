"""parts_check._scan on small sheet parts: what it refuses (a cell rectangle beyond
MAX_SHEET_CELLS, a DTD) is decided the same across block borders and for x:-prefixed rows."""
from __future__ import annotations

import io
import zipfile

import pytest

from huitan_xl.errors import WorkbookUnusable
from huitan_xl.xlsx import parts_check

HEAD = b'<?xml version="1.0"?><worksheet xmlns="x"><sheetData>'


def scan(body: bytes, block: int, monkeypatch, prefix: bytes = b"") -> None:
    monkeypatch.setattr(parts_check, "_BLOCK", block)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", HEAD.replace(b"<sheetData", b"<" + prefix + b"sheetData")
                   + body + b"</" + prefix + b"sheetData></worksheet>")
    with zipfile.ZipFile(buf) as z:
        parts_check._scan(z, z.getinfo("xl/worksheets/sheet1.xml"), "t.xlsx", "诉求台账")


def rows(n: int, prefix: bytes = b"") -> bytes:
    return b"".join(b'<%srow r="%d"><%sc r="A%d"><%sv>1</%sv></%sc></%srow>'
                    % (prefix, r, prefix, r, prefix, prefix, prefix, prefix) for r in range(1, n + 1))


@pytest.mark.parametrize("block", [64, 1 << 20])
@pytest.mark.parametrize("last_row, refused", [(384615, False), (384616, True)])  # × 26 columns: 10,000,000
def test_an_x_prefixed_last_row_counts(monkeypatch, block, last_row, refused):
    body = rows(40, b"x:") + b'<x:row r="%d"><x:c r="B%d"><x:v>1</x:v></x:c></x:row>' % (last_row, last_row)
    if refused:
        with pytest.raises(WorkbookUnusable, match="384616 行 × 26 列"):
            scan(body, block, monkeypatch, b"x:")
    else:
        scan(body, block, monkeypatch, b"x:")


@pytest.mark.parametrize("block", [64, 1 << 20])
@pytest.mark.parametrize("cell, refused", [("AB20", False), ("ZZ14245", False), ("ZZ14246", True)])
def test_a_far_column_counts_with_the_last_row(monkeypatch, block, cell, refused):
    # 702 columns (ZZ) × 14245 rows = 9,999,990; × 14246 rows = 10,000,692 > 10,000,000
    row = int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    body = rows(30) + b'<row r="%d"><c r="%s"><v>1</v></c></row>' % (row, cell.encode())
    if refused:
        with pytest.raises(WorkbookUnusable, match="14246 行 × 702 列"):
            scan(body, block, monkeypatch)
    else:
        scan(body, block, monkeypatch)


@pytest.mark.parametrize("block", [64, 1 << 20])
def test_a_doctype_is_refused_and_a_formula_bang_is_not(monkeypatch, block):
    scan(rows(30) + b"<row r=\"31\"><c r=\"A31\"><f>Sheet2!A1</f><v>1</v></c></row>", block, monkeypatch)
    with pytest.raises(WorkbookUnusable, match="文档类型声明"):
        scan(rows(30) + b'<!DOCTYPE x [<!ENTITY e "y">]>', block, monkeypatch)
