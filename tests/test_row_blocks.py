"""Table rows of a tool-owned sheet are written straight as XML when the sheet is moved
into a workbook (xlsx/rows.py): the cells a user sees — values, types, number formats,
fonts and fills — must be those XlsxWriter writes for the same builder."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import openpyxl

from huitan_xl.reports.layout import write_table, write_title
from huitan_xl.write import Workbook
from huitan_xl.xlsx import rows as xlsx_rows

HEADERS = ["编号", "部门", "天数", "日期", "说明", "是否"]
ROWS = [
    ["SQ-1", "机电科", 3, date(2026, 3, 5), "A & B <c> \"引号\"", True],
    ["SQ-2", None, 0, datetime(2026, 3, 6, 12, 0), "  前后空格  ", False],
    ["SQ-3", "", -2.5, None, "换行\n第二行", None],
    ["SQ-4", "通风科", 10 ** 12, date(1999, 12, 31), "控制符\x01", "否"],
]


def builder(ws, fmt):
    row = write_title(ws, fmt, "逾期督办清单", "副标题")
    end = write_table(ws, fmt, row + 1, HEADERS, ROWS, col_formats={2: fmt.int, 4: fmt.wrap},
                      widths=[10, 10, 6, 11, 30, 6], row_heights=[None, 45, None, None])
    ws.write_string(row + 2, 0, "SQ-1（改写）", fmt.error)  # a later write into a table row wins
    ws.write_number(row + 3, 7, 99)  # a cell beside the table, in a table row
    ws.set_row(row + 4, 30)  # a row height on a table row
    write_table(ws, fmt, end + 1, ["合计"], [[len(ROWS)]])
    ws.write_string(end + 4, 0, "表后文字")


def cells(data: bytes, sheet: str) -> dict:
    ws = openpyxl.load_workbook(io.BytesIO(data))[sheet]
    out = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None or c.has_style:
                out[c.coordinate] = (c.value, c.data_type, c.number_format, c.font.b, c.font.color and c.font.color.rgb,
                                     c.fill.fgColor.rgb, c.alignment.wrap_text)
    return out, {r: d.height for r, d in ws.row_dimensions.items() if d.height}, ws.dimensions


def test_row_blocks_give_the_cells_xlsxwriter_gives(tmp_path):
    plain = Workbook.new()  # written as XlsxWriter makes it: no row blocks
    plain.put_sheet("逾期督办", builder)
    path = tmp_path / "a.xlsx"
    plain.save(path, backup=False)
    moved = Workbook.open(path)  # rebuilt and transplanted: row blocks
    moved.put_sheet("逾期督办", builder)
    data = moved.render()[0]
    assert cells(data, "逾期督办") == cells(path.read_bytes(), "逾期督办")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    rows = [int(r) for r in re.findall(rb'<row r="(\d+)"', xml)]
    assert rows == sorted(set(rows))  # every row once, in order
    assert b'<dimension ref="A1:H13"/>' in xml
    got, heights, _ = cells(data, "逾期督办")
    assert got["A5"][0] == "SQ-1（改写）" and got["H6"][0] == 99 and heights == {6: 45, 7: 30}
    assert got["E5"][0] == 'A & B <c> "引号"' and got["E5"][6] is True  # the column's wrap format
    assert got["E6"][0] == "  前后空格  " and got["E7"][0] == "换行\n第二行"
    assert got["D5"][0] == datetime(2026, 3, 5) and got["D5"][2] == "yyyy-mm-dd"
    assert got["D6"][0] == datetime(2026, 3, 6, 12, 0) and got["C8"][:3] == (10 ** 12, "n", "0")
    assert got["F5"][0] == "是" and got["F6"][0] == "否" and got["A11"][0] == 4
    assert got["E8"][0] == "控制符_x0001_"  # (openpyxl shows the escape as written)


def test_text_that_looks_like_an_escape_stays_text():
    assert xlsx_rows.escape("a_x0041_b & <c>\x02") == "a_x005F_x0041_b &amp; &lt;c&gt;_x0002_"


def test_a_new_workbook_is_written_by_xlsxwriter_alone(tmp_path):
    taken = []

    class Sheet:  # a worksheet without row blocks: add_rows declines
        pass

    assert xlsx_rows.add_rows(Sheet(), 3, [[1]], [], None) is None
    ws = Sheet()
    setattr(ws, xlsx_rows.BULK_ATTR, taken)
    assert xlsx_rows.add_rows(ws, 3, [[1], [2]], [], None) == 5
    assert [(b.first, b.last, b.width) for b in taken] == [(3, 4, 1)]


def styled_builder(ws, fmt):
    rows = [[xlsx_rows.Styled("错误", fmt.error), "R01", xlsx_rows.Link("跳转", fmt.link, "internal:'诉求台账'!C12")],
            [xlsx_rows.Styled("警告", fmt.warning), "T02", ""],
            [xlsx_rows.Styled("提示", None), "X09", xlsx_rows.Link("跳转", fmt.link, "internal:'参会人员'!A1")]]
    write_table(ws, fmt, 0, ["严重程度", "代码", "定位"], rows, col_formats={0: fmt.int, 1: fmt.wrap})


def test_styled_values_and_links_give_what_xlsxwriter_gives(tmp_path):
    """A Styled value takes its own format, not its column's (None: no format at all), and a
    Link value is its text with its format and a hyperlink — through XlsxWriter and as XML."""
    plain = Workbook.new()
    plain.put_sheet("校验结果", styled_builder)
    path = tmp_path / "a.xlsx"
    plain.save(path, backup=False)
    moved = Workbook.open(path)
    moved.put_sheet("校验结果", styled_builder)
    data = moved.render()[0]
    assert cells(data, "校验结果") == cells(path.read_bytes(), "校验结果")
    for book in (data, path.read_bytes()):
        ws = openpyxl.load_workbook(io.BytesIO(book))["校验结果"]
        assert [ws.cell(r, 1).font.color.rgb for r in (2, 3)] == ["FF9C0006", "FF9C5700"]
        assert not ws.cell(4, 1).has_style  # Styled(…, None): not the column's integer format
        assert [(ws.cell(r, 3).value, ws.cell(r, 3).hyperlink.location if ws.cell(r, 3).hyperlink else None)
                for r in (2, 3, 4)] == [("跳转", "'诉求台账'!C12"), (None, None), ("跳转", "'参会人员'!A1")]
