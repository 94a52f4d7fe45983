"""Row blocks are written column by column (xlsx/rows.py): each kind of column (text, text
with something to escape, a StrEnum, whole numbers, dates, mixed) gives the cells the
cell-by-cell writer gives; links become <hyperlink> elements after the rows. Expected XML
written out by hand."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import pytest

from huitan_xl.xlsx import rows as xlsx_rows
from huitan_xl.xlsx.rows import Link, RowBlock, Styled, hyperlinks_xml
from huitan_xl.xlsx.transplant import _with_hyperlinks


class Fmt:
    """A stand-in for an XlsxWriter Format: style_of numbers it."""

    def __init__(self, n):
        self.n = n


COL, DATE, OWN = Fmt(3), Fmt(7), Fmt(9)


def style_of(f):
    return f.n


class Kind(StrEnum):
    LATE = "逾期未答复"


def xml(block, links=None):
    return b"".join(block.xml(style_of, False, links)).decode()


def test_each_kind_of_column_gives_its_cells():
    rows = [["甲", 5, date(2026, 3, 5), Kind.LATE, " 前后 ", "A&B", 1.5],
            ["", None, None, None, "乙", None, True]]
    got = xml(RowBlock(2, rows, [None, COL, None, None, COL, None, None], DATE, heights=[None, 33.0]))
    assert got == (
        '<row r="3">'
        '<c r="A3" t="inlineStr"><is><t>甲</t></is></c>'
        '<c r="B3" s="3"><v>5</v></c>'
        '<c r="C3" s="7"><v>46086</v></c>'  # the date format when the column has none
        '<c r="D3" t="inlineStr"><is><t>逾期未答复</t></is></c>'  # a StrEnum as its str()
        '<c r="E3" s="3" t="inlineStr"><is><t xml:space="preserve"> 前后 </t></is></c>'
        '<c r="F3" t="inlineStr"><is><t>A&amp;B</t></is></c>'
        '<c r="G3"><v>1.5</v></c>'
        '</row>'
        '<row r="4" ht="33" customHeight="1">'
        '<c r="B4" s="3"/>'  # a blank keeps its column's format; without one, no cell
        '<c r="E4" s="3" t="inlineStr"><is><t>乙</t></is></c>'
        '<c r="G4" t="inlineStr"><is><t>是</t></is></c>'
        '</row>')


def test_big_whole_numbers_short_rows_and_empty_rows():
    rows = [[10 ** 17, "x"], [7], [None, None], [3, ""]]
    got = xml(RowBlock(0, rows, [None, COL], None))
    assert got == ('<row r="1"><c r="A1"><v>1E+17</v></c><c r="B1" s="3" t="inlineStr"><is><t>x</t></is></c></row>'
                   '<row r="2"><c r="A2"><v>7</v></c></row>'  # a short row: no cell past its end
                   '<row r="3"><c r="B3" s="3"/></row>'
                   '<row r="4"><c r="A4"><v>3</v></c><c r="B4" s="3"/></row>')
    assert xml(RowBlock(0, [[None], [""]], [None], None)) == ""  # no cells, no height: no rows


def test_the_rows_come_in_blocks_and_say_the_same_as_row_by_row(monkeypatch):
    monkeypatch.setattr(xlsx_rows, "ROWS_PER_BLOCK", 2)
    rows = [[f"第{i}行", i, Styled("错", OWN), datetime(2026, 1, 1, 12), "_x0041_" if i == 3 else "a b"]
            for i in range(5)]
    block = RowBlock(9, rows, [None, None, COL, None, COL], DATE)
    parts = list(block.xml(style_of, False))
    assert len(parts) == 3  # 2 + 2 + 1 rows
    by_row = "".join(tag + "".join(x for _, x in cells) + "</row>" for _, tag, cells in block.cells(style_of, False))
    assert b"".join(parts).decode() == by_row
    assert '<c r="C10" s="9" t="inlineStr"><is><t>错</t></is></c>' in by_row
    assert '<c r="D10" s="7"><v>46023.5</v></c>' in by_row
    assert '<c r="E13" s="3" t="inlineStr"><is><t>_x005F_x0041_</t></is></c>' in by_row


def test_links_are_text_cells_and_hyperlink_elements():
    rows = [["a", Link("跳转", OWN, "internal:'诉求台账'!C12")], ["b", ""], ["c", Link("跳转", OWN, "internal:'A&B'!A1")]]
    links = []
    got = xml(RowBlock(4, rows, [None, None], None), links)
    assert '<c r="B5" s="9" t="inlineStr"><is><t>跳转</t></is></c>' in got and '<c r="B6"' not in got
    assert [(r, c) for r, c, _ in links] == [(5, 1), (7, 1)]
    assert hyperlinks_xml(links) == ('<hyperlink ref="B5" location="\'诉求台账\'!C12" display="跳转"/>'
                                     '<hyperlink ref="B7" location="\'A&amp;B\'!A1" display="跳转"/>')
    with pytest.raises(ValueError):
        hyperlinks_xml([(1, 0, Link("x", None, "https://example.com"))])


def test_hyperlinks_go_before_the_page_margins_or_join_xlsxwriters():
    links = [(7, 1, Link("跳转", OWN, "internal:'表'!A7")), (5, 1, Link("跳转", OWN, "internal:'表'!A5"))]
    tail = b'</sheetData><autoFilter ref="A4:B7"/><pageMargins left="0.7"/></worksheet>'
    assert _with_hyperlinks(tail, links) == (
        b'</sheetData><autoFilter ref="A4:B7"/><hyperlinks>'
        b'<hyperlink ref="B5" location="\'\xe8\xa1\xa8\'!A5" display="\xe8\xb7\xb3\xe8\xbd\xac"/>'
        b'<hyperlink ref="B7" location="\'\xe8\xa1\xa8\'!A7" display="\xe8\xb7\xb3\xe8\xbd\xac"/>'
        b'</hyperlinks><pageMargins left="0.7"/></worksheet>')
    own = (b'</sheetData><hyperlinks><hyperlink ref="A1" r:id="rId1"/><hyperlink ref="B7" location="X!A1" '
           b'display="x"/></hyperlinks><pageMargins/></worksheet>')
    assert _with_hyperlinks(own, links) == (  # in row order; B7 stays XlsxWriter's
        b'</sheetData><hyperlinks><hyperlink ref="A1" r:id="rId1"/>'
        b'<hyperlink ref="B5" location="\'\xe8\xa1\xa8\'!A5" display="\xe8\xb7\xb3\xe8\xbd\xac"/>'
        b'<hyperlink ref="B7" location="X!A1" display="x"/></hyperlinks><pageMargins/></worksheet>')
    assert _with_hyperlinks(tail, []) == tail


class Other(StrEnum):
    LATE = "逾期未答复"  # the same name and text as Kind.LATE


def test_a_column_of_two_str_enums_alike_gives_each_its_text():
    got = xml(RowBlock(0, [[Kind.LATE], [Other.LATE], ["逾期未答复"]], [None], None))
    assert got.count("<t>逾期未答复</t>") == 3
