"""Word tables (documents/official.py): the data rows, copies of one styled empty row, are the
XML that styling each cell one by one gives (header in 黑体 centred, cells in 仿宋, numbers
right-aligned, widths on every cell, several lines of a cell as runs with line breaks)."""
from __future__ import annotations

from datetime import date

import pytest

pytest.importorskip("docx")


def cell_by_cell(doc, headers, rows, widths_mm, size, numeric_cols):
    """The table with its data rows made the plain python-docx way: a row added and each cell
    styled in turn (the header row as table() makes it, with no data rows)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from huitan_xl.documents.official import _cell_text, cell_text, set_widths

    t = doc.table(headers, [], size=size)
    for r in rows:
        cells = t.add_row().cells
        for i, v in enumerate(r):
            _cell_text(cells[i], cell_text(v), "table", size, WD_ALIGN_PARAGRAPH.RIGHT if i in numeric_cols else None)
    if widths_mm:
        set_widths(t, widths_mm)


ROWS = [["第一行\n第二行\n\n第四行", 3, None, date(2026, 10, 31)],
        ["", "尾随换行\n", " 前导空格", 0],
        ["只有一格"],
        ["制表\t符", "=1+1", "＜&＞", -2]]


@pytest.mark.parametrize("widths, size_name, numeric", [([20, 30, 40, 24], "SIZE_5", (1, 3)),
                                                        (None, "SIZE_S4", ()), ([20, 30, 40, 24], "SIZE_S4", (0,))])
def test_copied_rows_are_the_cell_by_cell_xml(widths, size_name, numeric):
    from lxml import etree

    from huitan_xl.documents import official

    size = getattr(official, size_name)
    fast, plain = official.OfficialDocument(), official.OfficialDocument()
    fast.table(["甲", "乙", "丙", "丁"], ROWS, widths_mm=widths, size=size, numeric_cols=numeric)
    cell_by_cell(plain, ["甲", "乙", "丙", "丁"], ROWS, widths, size, numeric)
    assert etree.tostring(fast.doc.element.body) == etree.tostring(plain.doc.element.body)
    texts = [[c.text for c in row.cells] for row in fast.doc.tables[0].rows]
    assert texts[1] == ["第一行\n第二行\n\n第四行", "3", "", "2026-10-31"]
    assert texts[3] == ["只有一格", "", "", ""]


def test_a_table_without_rows_is_its_header():
    from huitan_xl.documents.official import OfficialDocument

    doc = OfficialDocument()
    doc.table(["编号", "件数"], [], widths_mm=[30, 20])
    assert [[c.text for c in row.cells] for row in doc.doc.tables[0].rows] == [["编号", "件数"]]
