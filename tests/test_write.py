"""The writer: cell patching, styles, tool-owned sheets (safe saving and unusable files: test_write_safety.py).

Inputs are tiny packages written here byte by byte, so every expectation is the
exact XML a clerk's Excel would read.
"""
from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from huitan_xl import write as write_mod
from huitan_xl.write import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">' + '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * 4 + '</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def make_package(path: Path, sheet_data: str, *, sheet_head: str = '<dimension ref="A1"/>', sheet_tail: str = "",
                 workbook_extra: str = "", calc_chain: str | None = None, prefix: str = "") -> Path:
    """A one-sheet workbook ('台账') whose worksheet XML is exactly what the test says."""
    p = prefix + ":" if prefix else ""
    ns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<{p}worksheet {ns} xmlns:r="{REL}">'
             f"{sheet_head}<{p}sheetData>{sheet_data}</{p}sheetData>{sheet_tail}</{p}worksheet>")
    overrides = {"/xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                 "/xl/worksheets/sheet1.xml": CT_SHEET,
                 "/xl/styles.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"}
    rels = [("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "styles", "styles.xml")]
    if calc_chain is not None:
        overrides["/xl/calcChain.xml"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"
        rels.append(("rId3", "calcChain", "calcChain.xml"))
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{k}" ContentType="{v}"/>' for k, v in overrides.items()) + "</Types>",
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_extra}'
        '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships">' + "".join(f'<Relationship Id="{i}" Type="{REL}/{t}" Target="{g}"/>' for i, t, g in rels)
        + "</Relationships>",
        "xl/styles.xml": STYLES,
        "xl/worksheets/sheet1.xml": sheet,
    }
    if calc_chain is not None:
        parts["xl/calcChain.xml"] = f'<calcChain xmlns="{MAIN}">{calc_chain}</calcChain>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text.encode("utf-8"))
    return path


def read_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def sheet_data(path: Path, part: str = "xl/worksheets/sheet1.xml") -> str:
    xml = read_parts(path)[part].decode("utf-8")
    return re.search(r"<(?:\w+:)?sheetData>(.*)</(?:\w+:)?sheetData>", xml, re.S).group(1)


def write_cells(path: Path, cells, styles=None, sheet="台账", **save) -> write_mod.SaveResult:
    wb = Workbook.open(path)
    wb.set_cells(sheet, cells, styles)
    return wb.save(**save)


def table_sheet(ws, fmt):
    ws.write_string(0, 0, "逾期督办", fmt.title)
    ws.add_table(1, 0, 3, 1, {"columns": [{"header": "编号"}, {"header": "逾期天数"}],
                              "data": [["T-1", 3], ["T-2", 12]]})


def chart_sheet(ws, fmt):
    ws.write_string(0, 0, "类别")
    ws.write_string(1, 0, "安全")
    ws.write_number(1, 1, 4)
    chart = fmt.workbook.add_chart({"type": "column"})
    chart.add_series({"categories": "='月度分析'!$A$2:$A$2", "values": "='月度分析'!$B$2:$B$2"})
    ws.insert_chart("D2", chart)


def reachable(parts: dict[str, bytes]) -> set[str]:
    """Parts a relationship points to, from the package root."""
    import posixpath
    seen, todo = set(), [""]
    while todo:
        src = todo.pop()
        folder, base = posixpath.split(src)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        for tgt, mode in re.findall(rb'Target="([^"]*)"(?: TargetMode="(\w+)")?', parts.get(rels, b"")):
            if mode == b"External":
                continue
            t = tgt.decode()
            t = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join(folder, t))
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


# -- cell values ---------------------------------------------------------------------------------------------
def test_values_by_type_strings_never_formulas(tmp_path):
    path = make_package(tmp_path / "台账.xlsx",
                        '<row r="1" spans="1:3"><c r="A1" s="3" t="s"><v>0</v></c><c r="B1"><f>1+1</f><v>2</v></c>'
                        '</row>')
    write_cells(path, {(1, 1): None, (1, 2): "=SUM(A1)", (1, 3): 7, (2, 1): "+86 138", (2, 2): date(2026, 3, 5),
                       (2, 3): 2.5, (3, 1): "-", (3, 2): "@x", (3, 3): "a<b & _x0041_ \x01", (4, 1): True,
                       (4, 2): datetime(2026, 3, 5, 12, 0), (4, 3): float("nan")})
    assert sheet_data(path) == (
        '<row r="1"><c r="A1" s="3"/><c r="B1" t="inlineStr"><is><t xml:space="preserve">=SUM(A1)</t></is></c>'
        '<c r="C1"><v>7</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve">+86 138</t></is></c>'
        '<c r="B2" s="4"><v>46086</v></c><c r="C2"><v>2.5</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t xml:space="preserve">-</t></is></c>'
        '<c r="B3" t="inlineStr"><is><t xml:space="preserve">@x</t></is></c>'
        '<c r="C3" t="inlineStr"><is><t xml:space="preserve">a&lt;b &amp; _x005F_x0041_ _x0001_</t></is></c></row>'
        '<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" s="4"><v>46086.5</v></c></row>')
    ws = openpyxl.load_workbook(path)["台账"]
    assert [(c.value, c.data_type) for c in ws[1]] == [(None, "n"), ("=SUM(A1)", "s"), (7, "n")]
    assert (ws["A2"].value, ws["B2"].value, ws["B2"].number_format) == ("+86 138", datetime(2026, 3, 5), "yyyy-mm-dd")
    assert ws["A4"].value is True
    # openpyxl does not undo OOXML _xHHHH_ escapes in inline strings; calamine (and Excel) do
    from python_calamine import CalamineWorkbook
    assert CalamineWorkbook.from_path(path).get_sheet_by_name("台账").to_python()[2][2] == "a<b & _x0041_ \x01"
    dim = re.search(rb'<dimension ref="([^"]*)"/>', read_parts(path)["xl/worksheets/sheet1.xml"]).group(1)
    assert dim == b"A1:C4"


def test_date_style_is_appended_to_styles_without_renumbering(tmp_path):
    path = make_package(tmp_path / "台账.xlsx", "")
    before = read_parts(path)["xl/styles.xml"].decode()
    write_cells(path, {(1, 1): date(2026, 1, 1)})
    after = read_parts(path)["xl/styles.xml"].decode()
    assert '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>' in after
    xfs = re.search(r"<cellXfs[^>]*>(.*)</cellXfs>", after).group(1)
    old_xfs = re.search(r"<cellXfs[^>]*>(.*)</cellXfs>", before).group(1)
    assert xfs.startswith(old_xfs)  # the four existing entries keep their places
    assert xfs[len(old_xfs):] == '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    assert sheet_data(path) == '<row r="1"><c r="A1" s="4"><v>46023</v></c></row>'
    # a second run reuses the appended entry: styles.xml does not grow
    write_cells(path, {(2, 1): date(2026, 1, 2)})
    assert read_parts(path)["xl/styles.xml"].decode() == after
    assert sheet_data(path).endswith('<row r="2"><c r="A2" s="4"><v>46024</v></c></row>')


def test_named_styles_and_style_only_cells(tmp_path):
    path = make_package(tmp_path / "台账.xlsx", '<row r="1"><c r="A1" s="2"><v>5</v></c></row>')
    write_cells(path, {(1, 2): "状态"}, styles={(1, 1): "owned_header", (1, 2): "owned_header", (2, 3): "error"})
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    assert (ws["A1"].value, ws["A1"].fill.fgColor.rgb, ws["A1"].font.b) == (5, "FFFCE4D6", True)
    assert (ws["B1"].value, ws["B1"].font.color.rgb) == ("状态", "FF833C0B")
    assert (ws["C2"].value, ws["C2"].fill.fgColor.rgb) == (None, "FFFFC7CE")
    # named styles are merged in name order: 'error' -> xf 4, 'owned_header' -> xf 5
    assert sheet_data(path) == ('<row r="1"><c r="A1" s="5"><v>5</v></c><c r="B1" s="5" t="inlineStr"><is>'
                                '<t xml:space="preserve">状态</t></is></c></row><row r="2"><c r="C2" s="4"/></row>')


def test_rows_inserted_in_order_and_self_closing_rows(tmp_path):
    path = make_package(tmp_path / "台账.xlsx",
                        '<row r="1"><c r="A1"><v>1</v></c><c r="D1"><v>4</v></c></row><row r="5" ht="20"/>'
                        '<row r="6"><c r="B6"><v>6</v></c></row>')
    write_cells(path, {(1, 2): 2, (3, 1): "三", (5, 2): "五", (6, 1): "六", (9, 1): 9, (7, 1): None})
    assert sheet_data(path) == (
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="D1"><v>4</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t xml:space="preserve">三</t></is></c></row>'
        '<row r="5" ht="20"><c r="B5" t="inlineStr"><is><t xml:space="preserve">五</t></is></c></row>'
        '<row r="6"><c r="A6" t="inlineStr"><is><t xml:space="preserve">六</t></is></c><c r="B6"><v>6</v></c></row>'
        '<row r="9"><c r="A9"><v>9</v></c></row>')


def test_rows_and_cells_without_r_and_prefixed_namespace(tmp_path):
    path = make_package(tmp_path / "台账.xlsx", '<x:row><x:c><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row>'
                        '<x:row><x:c><x:v>3</x:v></x:c></x:row>', sheet_head='<x:dimension ref="A1:B2"/>',
                        prefix="x")
    write_cells(path, {(1, 2): "乙", (2, 3): 30})
    assert sheet_data(path) == (
        '<x:row><x:c><x:v>1</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t xml:space="preserve">乙</x:t></x:is>'
        '</x:c></x:row><x:row><x:c><x:v>3</x:v></x:c><x:c r="C2"><x:v>30</x:v></x:c></x:row>')
    ws = openpyxl.load_workbook(path)["台账"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [[1, "乙", None], [3, None, 30]]


def test_overwritten_formula_drops_calc_chain(tmp_path):
    path = make_package(tmp_path / "台账.xlsx", '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>',
                        calc_chain='<c r="A1" i="1"/>')
    write_cells(path, {(1, 1): "完成"})
    parts = read_parts(path)
    assert "xl/calcChain.xml" not in parts
    assert b"calcChain" not in parts["[Content_Types].xml"] + parts["xl/_rels/workbook.xml.rels"]


def test_calc_chain_kept_when_no_formula_is_touched(tmp_path):
    path = make_package(tmp_path / "台账.xlsx", '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>',
                        calc_chain='<c r="A1" i="1"/>')
    before = read_parts(path)
    write_cells(path, {(1, 2): "完成"})
    after = read_parts(path)
    assert after["xl/calcChain.xml"] == before["xl/calcChain.xml"]
    assert after["[Content_Types].xml"] == before["[Content_Types].xml"]


def test_overwritten_shared_formula_master_keeps_the_others(tmp_path):
    path = make_package(tmp_path / "台账.xlsx",
                        '<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v></c></row>'
                        '<row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c></row>'
                        '<row r="3"><c r="A3"><f t="shared" si="0"/><v>6</v></c></row>')
    write_cells(path, {(1, 1): "人工"})
    assert sheet_data(path) == (
        '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">人工</t></is></c></row>'
        '<row r="2"><c r="A2"><f>B2*2</f><v>4</v></c></row><row r="3"><c r="A3"><f>B3*2</f><v>6</v></c></row>')


def test_string_that_looks_like_a_cell_reference_is_not_taken_for_the_cell(tmp_path):
    path = make_package(tmp_path / "台账.xlsx",
                        '<row r="1"><c r="A1" t="inlineStr"><is><t> r="B1"</t></is></c><c r="C1"><v>3</v></c></row>')
    write_cells(path, {(1, 2): 2})
    assert sheet_data(path) == ('<row r="1"><c r="A1" t="inlineStr"><is><t> r="B1"</t></is></c>'
                                '<c r="B1"><v>2</v></c><c r="C1"><v>3</v></c></row>')


def test_column_width_splits_a_range(tmp_path):
    path = make_package(tmp_path / "台账.xlsx", "",
                        sheet_head='<dimension ref="A1"/><cols><col min="1" max="4" width="9" customWidth="1" '
                                   'style="2"/></cols>')
    wb = Workbook.open(path)
    wb.set_column_width("台账", 3, 20)
    wb.set_column_width("台账", 6, 12.5)
    wb.save()
    xml = read_parts(path)["xl/worksheets/sheet1.xml"].decode()
    assert re.search(r"<cols>.*</cols>", xml).group(0) == (
        '<cols><col min="1" max="2" width="9" customWidth="1" style="2"/>'
        '<col min="3" max="3" style="2" width="20.0" customWidth="1"/>'
        '<col min="4" max="4" width="9" customWidth="1" style="2"/>'
        '<col min="6" max="6" width="12.5" customWidth="1"/></cols>')


def test_unknown_sheet_or_format_is_a_programming_error(tmp_path):
    wb = Workbook.open(make_package(tmp_path / "台账.xlsx", ""))
    with pytest.raises(ValueError):
        wb.set_cells("没有", {(1, 1): 1})
    with pytest.raises(ValueError):
        wb.set_cells("台账", {(1, 1): 1}, {(1, 1): "rainbow"})
    with pytest.raises(TypeError):
        wb.set_cells("台账", {(1, 1): object()})


# -- tool-owned sheets -------------------------------------------------------------------------------------------
def test_new_workbook_has_exactly_the_put_sheets(tmp_path):
    wb = Workbook.new()
    wb.put_sheet("月度分析", chart_sheet)
    wb.put_sheet("逾期督办", table_sheet, after=None)
    wb.put_sheet("说明", lambda ws, fmt: ws.write_string(0, 0, "=不是公式"), after="月度分析")
    assert wb.sheet_names == ["月度分析", "说明", "逾期督办"]
    result = wb.save(tmp_path / "新.xlsx")
    assert (result.backup, result.companion) == (None, None)
    book = openpyxl.load_workbook(tmp_path / "新.xlsx")
    assert book.sheetnames == ["月度分析", "说明", "逾期督办"]
    assert (book["说明"]["A1"].value, book["说明"]["A1"].data_type) == ("=不是公式", "s")
    assert [[c.value for c in r] for r in book["逾期督办"].iter_rows(min_row=2)] == [
        ["编号", "逾期天数"], ["T-1", 3], ["T-2", 12]]
    again = Workbook.new()
    again.put_sheet("月度分析", chart_sheet)
    again.put_sheet("逾期督办", table_sheet)
    again.put_sheet("说明", lambda ws, fmt: ws.write_string(0, 0, "=不是公式"), after="月度分析")
    again.save(tmp_path / "新2.xlsx")
    assert (tmp_path / "新.xlsx").read_bytes() == (tmp_path / "新2.xlsx").read_bytes()


def test_put_sheet_adds_then_replaces_in_place_without_orphans(tmp_path):
    path = make_package(tmp_path / "台账.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    wb = Workbook.open(path)
    wb.put_sheet("逾期督办", table_sheet)
    wb.put_sheet("月度分析", chart_sheet)
    wb.save()
    first = read_parts(path)
    assert openpyxl.load_workbook(path).sheetnames == ["台账", "逾期督办", "月度分析"]
    assert sorted(first) == sorted([
        "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
        "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/_rels/sheet2.xml.rels",
        "xl/tables/table1.xml", "xl/worksheets/sheet3.xml", "xl/worksheets/_rels/sheet3.xml.rels",
        "xl/drawings/drawing1.xml", "xl/drawings/_rels/drawing1.xml.rels", "xl/charts/chart1.xml"])
    wb = Workbook.open(path)
    wb.put_sheet("逾期督办", lambda ws, fmt: ws.write_string(0, 0, "没有逾期"))  # now without a table
    wb.put_sheet("月度分析", chart_sheet)
    wb.save()
    second = read_parts(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["台账", "逾期督办", "月度分析"]
    assert book["逾期督办"]["A1"].value == "没有逾期"
    assert "xl/tables/table1.xml" not in second and b"table" not in second["[Content_Types].xml"]
    assert set(second) - {"[Content_Types].xml"} - {n for n in second if n.endswith(".rels")} == reachable(second)
    workbook_xml = second["xl/workbook.xml"].decode()
    assert re.findall(r'<sheet name="([^"]*)" sheetId="(\d+)"', workbook_xml) == [
        ("台账", "1"), ("逾期督办", "2"), ("月度分析", "3")]


def test_rerun_gives_the_same_bytes(tmp_path):
    path = make_package(tmp_path / "台账.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')

    def run():
        wb = Workbook.open(path)
        wb.set_cells("台账", {(1, 3): "逾期", (2, 3): date(2026, 3, 1)}, {(1, 3): "warning"})
        wb.put_sheet("逾期督办", table_sheet)
        wb.put_sheet("月度分析", chart_sheet)
        wb.save(backup=False)
        return path.read_bytes()

    assert run() == run()


def test_same_writes_from_the_same_input_are_byte_identical(tmp_path):
    src = make_package(tmp_path / "源.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>').read_bytes()
    outputs = []
    for name in ("甲.xlsx", "乙.xlsx"):
        (tmp_path / name).write_bytes(src)
        wb = Workbook.open(tmp_path / name)
        wb.set_cells("台账", {(1, 2): "完成", (1, 3): datetime(2026, 5, 1, 8, 30)})
        wb.put_sheet("月度分析", chart_sheet)
        wb.save()
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_replaced_sheet_keeps_protection_and_code_name(tmp_path):
    path = make_package(tmp_path / "台账.xlsx", "")
    wb = Workbook.open(path)
    wb.put_sheet("校验结果", lambda ws, fmt: ws.write_string(0, 0, "旧"))
    wb.save()
    parts = read_parts(path)
    old = parts["xl/worksheets/sheet2.xml"].decode()
    old = old.replace("<worksheet ", "<worksheet ", 1).replace(
        "<dimension", '<sheetPr codeName="Sheet2"/><dimension', 1).replace(
        "</sheetData>", '</sheetData><sheetProtection sheet="1" objects="1" scenarios="1"/>', 1)
    parts["xl/worksheets/sheet2.xml"] = old.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    wb = Workbook.open(path)
    wb.put_sheet("校验结果", lambda ws, fmt: ws.write_string(0, 0, "新"))
    wb.save()
    new = read_parts(path)["xl/worksheets/sheet2.xml"].decode()
    assert '<sheetPr codeName="Sheet2"/>' in new
    assert re.search(r'</sheetData><sheetProtection sheet="1" objects="1" scenarios="1"/>', new)
    assert openpyxl.load_workbook(path)["校验结果"].protection.sheet is True


def test_structure_protected_workbook_gets_a_companion(tmp_path):
    path = make_package(tmp_path / "台账.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>',
                        sheet_tail='<sheetProtection sheet="1" objects="1"/>',
                        workbook_extra='<workbookProtection lockStructure="1"/>')
    wb = Workbook.open(path)
    assert wb.structure_protected
    wb.set_cells("台账", {(1, 2): "已办结"})
    wb.put_sheet("逾期督办", table_sheet)
    wb.put_sheet("月度分析", chart_sheet)
    result = wb.save()
    assert result.companion == tmp_path / "台账.huitan.xlsx"
    assert openpyxl.load_workbook(path).sheetnames == ["台账"]
    main = read_parts(path)
    assert b'<workbookProtection lockStructure="1"/>' in main["xl/workbook.xml"]
    assert main["xl/worksheets/sheet1.xml"].decode().endswith(
        '</sheetData><sheetProtection sheet="1" objects="1"/></worksheet>')
    assert openpyxl.load_workbook(path)["台账"]["B1"].value == "已办结"
    companion = openpyxl.load_workbook(result.companion)
    assert companion.sheetnames == ["逾期督办", "月度分析"]
    assert companion["逾期督办"]["A3"].value == "T-1"
