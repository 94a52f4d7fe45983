"""Row patching fast paths (xlsx_cells): the exact XML, and that the slow full-row scan
is not needed for the rows a register has (cells carrying r=, tool columns at the right)."""
from __future__ import annotations

import pytest

from huitan_xl.xlsx import sheet_patch as xlsx_cells
from huitan_xl.xlsx.sheet_patch import CellWrite, patch_cells

HEAD = b'<worksheet xmlns="m"><dimension ref="A1:D2"/><sheetData>'
TAIL = b"</sheetData></worksheet>"


def patched(rows: bytes, cells: dict) -> bytes:
    return bytes(patch_cells(HEAD + rows + TAIL, cells).xml)[len(HEAD):-len(TAIL)]


@pytest.fixture
def no_scan(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("full row scan used")
    monkeypatch.setattr(xlsx_cells._Patcher, "_full_scan", fail)


def test_new_cells_between_and_after_existing_ones_without_a_full_scan(no_scan):
    # the register's case: a styled empty cell in the middle of the tool columns
    rows = b'<row r="2" spans="1:4"><c r="A2" t="s"><v>0</v></c><c r="C2" s="10"/></row>'
    out = patched(rows, {(2, 2): CellWrite("str", "逾期"), (2, 3): CellWrite("num", "45"),
                         (2, 4): CellWrite("str", "通报")})
    assert out == (b'<row r="2"><c r="A2" t="s"><v>0</v></c>'
                   b'<c r="B2" t="inlineStr"><is><t xml:space="preserve">\xe9\x80\xbe\xe6\x9c\x9f</t></is></c>'
                   b'<c r="C2" s="10"><v>45</v></c>'
                   b'<c r="D2" t="inlineStr"><is><t xml:space="preserve">\xe9\x80\x9a\xe6\x8a\xa5</t></is></c></row>')


def test_none_between_cells_creates_nothing(no_scan):
    rows = b'<row r="2"><c r="A2"><v>1</v></c><c r="D2"><v>4</v></c></row>'
    assert patched(rows, {(2, 2): CellWrite("none")}) == rows


def test_a_string_holding_the_next_cells_ref_is_not_taken_for_that_cell():
    rows = (b'<row r="2"><c r="A2" t="inlineStr"><is><t> r="C2"</t></is></c>'
            b'<c r="C2"><v>3</v></c></row>')
    assert patched(rows, {(2, 2): CellWrite("num", "2")}) == (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t> r="C2"</t></is></c>'
        b'<c r="B2"><v>2</v></c><c r="C2"><v>3</v></c></row>')


def test_a_cell_without_r_falls_back_to_the_scan():
    # <c> without r= is column B: the new value goes into it, not before C2
    rows = b'<row r="2"><c r="A2"><v>1</v></c><c><v>2</v></c><c r="C2"><v>3</v></c></row>'
    assert patched(rows, {(2, 2): CellWrite("num", "20")}) == (
        b'<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>20</v></c><c r="C2"><v>3</v></c></row>')


# ---- the owned block at the row's end (_trailing): one edit per row -------------------
@pytest.fixture
def trailing_only(monkeypatch, no_scan):
    def fail(*args, **kwargs):
        raise AssertionError("_tail used")
    monkeypatch.setattr(xlsx_cells._Patcher, "_tail", fail)


STATE = CellWrite("str", "逾期未答复")
DAYS = CellWrite("num", "26")
CLEAR = CellWrite("none")
T_STATE = b'<is><t xml:space="preserve">\xe9\x80\xbe\xe6\x9c\x9f\xe6\x9c\xaa\xe7\xad\x94\xe5\xa4\x8d</t></is></c>'


def test_owned_block_appended_after_her_last_cell(trailing_only):
    rows = b'<row r="2" spans="1:2"><c r="A2" t="s"><v>0</v></c><c r="B2" s="4"/></row>'
    out = patched(rows, {(2, 3): STATE, (2, 4): DAYS, (2, 5): CLEAR})
    assert out == (b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" s="4"/>'
                   b'<c r="C2" t="inlineStr">' + T_STATE + b'<c r="D2"><v>26</v></c></row>')


def test_owned_block_rewritten_where_some_cells_are_missing(trailing_only):
    # a second run: 状态 was written, 逾期天数 was empty (no cell), 督办提示 kept a style
    rows = (b'<row r="2"><c r="A2"><v>1</v></c><c r="C2" t="inlineStr"><is><t>old</t></is></c>'
            b'<c r="E2" s="7"><v>3</v></c></row>')
    out = patched(rows, {(2, 3): STATE, (2, 4): DAYS, (2, 5): CLEAR})
    assert out == (b'<row r="2"><c r="A2"><v>1</v></c><c r="C2" t="inlineStr">' + T_STATE
                   + b'<c r="D2"><v>26</v></c><c r="E2" s="7"/></row>')


def test_owned_block_already_as_written_leaves_the_row_byte_for_byte(trailing_only):
    rows = (b'<row r="2" spans="1:4"><c r="A2"><v>1</v></c><c r="C2" t="inlineStr">' + T_STATE
            + b'<c r="D2"><v>26</v></c></row>')
    assert patched(rows, {(2, 3): STATE, (2, 4): DAYS, (2, 5): CLEAR}) == rows


def test_a_formula_in_an_owned_cell_goes_the_general_way():
    xml = HEAD + b'<row r="2"><c r="A2"><v>1</v></c><c r="C2"><f>A2*2</f><v>2</v></c></row>' + TAIL
    result = patch_cells(xml, {(2, 3): STATE, (2, 4): DAYS})
    assert result.removed_formulas
    assert bytes(result.xml)[len(HEAD):-len(TAIL)] == (
        b'<row r="2"><c r="A2"><v>1</v></c><c r="C2" t="inlineStr">' + T_STATE + b'<c r="D2"><v>26</v></c></row>')


def test_columns_not_adjacent_go_the_general_way():
    rows = b'<row r="2"><c r="A2"><v>1</v></c></row>'
    assert patched(rows, {(2, 3): DAYS, (2, 5): DAYS}) == (
        b'<row r="2"><c r="A2"><v>1</v></c><c r="C2"><v>26</v></c><c r="E2"><v>26</v></c></row>')


def test_owned_block_before_another_jobs_column_is_rewritten_in_place(trailing_only):
    # overdue's block C:E, then validate's 校验提示 in F: overdue's rerun leaves F as it is
    note = b'<c r="F2" t="inlineStr"><is><t>R01</t></is></c>'
    rows = (b'<row r="2"><c r="A2"><v>1</v></c><c r="C2" t="inlineStr"><is><t>old</t></is></c>'
            b'<c r="D2"><v>3</v></c>' + note + b'</row>')
    assert patched(rows, {(2, 3): STATE, (2, 4): DAYS, (2, 5): CLEAR}) == (
        b'<row r="2"><c r="A2"><v>1</v></c><c r="C2" t="inlineStr">' + T_STATE
        + b'<c r="D2"><v>26</v></c>' + note + b'</row>')


def test_owned_block_goes_before_a_cell_right_of_it(trailing_only):
    rows = b'<row r="2"><c r="A2"><v>1</v></c><c r="F2"><v>6</v></c><c r="G2"><v>7</v></c></row>'
    assert patched(rows, {(2, 3): STATE, (2, 4): DAYS}) == (
        b'<row r="2"><c r="A2"><v>1</v></c><c r="C2" t="inlineStr">' + T_STATE
        + b'<c r="D2"><v>26</v></c><c r="F2"><v>6</v></c><c r="G2"><v>7</v></c></row>')


def test_cells_out_of_order_go_the_general_way():
    rows = b'<row r="2"><c r="A2"><v>1</v></c><c r="G2"><v>7</v></c><c r="F2"><v>6</v></c></row>'
    out = patched(rows, {(2, 3): DAYS})
    assert out.count(b'<c r="C2"><v>26</v></c>') == 1 and out.count(b"<c ") == 4


# ---- a big sheet patched as it goes (patch_blocks) --------------------------------------
def big_sheet(rows: int) -> bytes:
    body = b"".join(b'<row r="%d" spans="1:2"><c r="A%d" t="s"><v>%d</v></c><c r="B%d"><f>A%d*2</f><v>%d</v></c>'
                    b'</row>' % (r, r, r, r, r, 2 * r) if r % 997 == 0 else
                    b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (r, r, r) for r in range(1, rows + 1))
    return (b'<worksheet xmlns="m"><dimension ref="A1:B%d"/><sheetData>' % rows + body
            + b'</sheetData><pageMargins left="0.7"/></worksheet>')


def test_a_big_sheet_patched_as_it_goes_is_the_sheet_patched_whole():
    from huitan_xl.xlsx.sheet_parts import conditional_formats_edit
    from huitan_xl.xlsx.sheet_patch import patch_blocks, patch_rows, streamable

    xml = big_sheet(30000)
    assert len(xml) > 1 << 20 and streamable(xml)
    rows = {r: {2: DAYS, 3: STATE} for r in range(2, 30003, 3)}  # every third row, and two rows past the end
    rules = [("A2:C30002", 'AND($C2<>"")', 0)]
    whole = patch_rows(xml, rows, {3: 12.5})
    patcher, blocks = patch_blocks(xml, rows, {3: 12.5}, conditional_formats_edit(xml, rules), block=4096)
    parts = list(blocks)
    from huitan_xl.xlsx.sheet_parts import put_conditional_formats
    assert b"".join(parts) == bytes(put_conditional_formats(whole.xml, rules))
    assert len(parts) >= 3  # streamed (the patch hands its edits over 4096 at a time), not one piece
    assert patcher.removed_formulas and whole.removed_formulas  # B997's formula was overwritten
    joined = b"".join(parts)
    assert joined.endswith(b'</row><row r="30002"><c r="B30002"><v>26</v></c><c r="C30002" t="inlineStr">'
                           + T_STATE + b'</row></sheetData><conditionalFormatting sqref="A2:C30002"><cfRule '
                           b'type="expression" dxfId="0" priority="1"><formula>AND($C2&lt;&gt;"")</formula>'
                           b'</cfRule></conditionalFormatting><pageMargins left="0.7"/></worksheet>')
