"""Conditional-format marks on a clerk's sheet: added once, updated in place, nothing else touched."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import CORPUS, PROBE, needs_corpus
from huitan_xl.write import Workbook
from huitan_xl.xlsx.sheet_parts import put_conditional_formats

SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
         b'<conditionalFormatting sqref="B1"><cfRule type="expression" dxfId="0" priority="3">'
         b'<formula>B1&gt;1</formula></cfRule></conditionalFormatting>'
         b'<dataValidations count="1"><dataValidation sqref="C1"/></dataValidations>'
         b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
         b'</worksheet>')


def test_rule_goes_after_existing_rules_and_before_validation_with_a_fresh_priority():
    out = put_conditional_formats(SHEET, [("A2:D9", 'ISNUMBER(SEARCH("「"&A$1&"」",$E2))', 7)])
    assert out == SHEET.replace(
        b"<dataValidations",
        ('<conditionalFormatting sqref="A2:D9"><cfRule type="expression" dxfId="7" priority="4">'
         '<formula>ISNUMBER(SEARCH("「"&amp;A$1&amp;"」",$E2))</formula></cfRule></conditionalFormatting>'
         '<dataValidations').encode())



def test_a_patched_sheet_gets_its_rules_as_one_more_edit_after_the_cells():
    """On a patched sheet (cells edited, not yet joined) only the tail after </sheetData> is
    rewritten: the same bytes as marking the joined sheet, the cells' edits kept as they were."""
    from huitan_xl.xlsx.sheet_patch import patch_cells
    from huitan_xl.xlsx.sheet_xml import CellWrite

    patched = patch_cells(SHEET, {(1, 2): CellWrite("str", "逾期"), (2, 1): CellWrite("num", "5")}).xml
    rules = [("A2:D9", "$E2<>\"\"", 7), ("B1", "B1>1", 9)]
    out = put_conditional_formats(patched, rules)
    assert out.edits[:-1] == patched.edits and out.base is SHEET
    assert bytes(out) == put_conditional_formats(bytes(patched), rules)
    assert bytes(out).count(b'priority="4"') == 1 and b'dxfId="9" priority="3"' in bytes(out)
    assert '<c r="B1" t="inlineStr"><is><t xml:space="preserve">逾期</t></is></c>'.encode() in bytes(out)

def test_same_formula_again_updates_in_place():
    once = put_conditional_formats(SHEET, [("A2:D9", "$E2<>\"\"", 7)])
    twice = put_conditional_formats(once, [("A2:D20", "$E2<>\"\"", 8)])
    assert twice.count(b"<conditionalFormatting") == 2
    assert b'sqref="A2:D20"><cfRule type="expression" dxfId="8" priority="4">' in twice
    assert put_conditional_formats(twice, [("A2:D20", "$E2<>\"\"", 8)]) == twice


@pytest.mark.parametrize("name", ["tealeg_v3.xlsx", "poi_NewStyleConditionalFormattings.xlsx"])
@needs_corpus
def test_marks_on_excel_made_sheets_lose_nothing(tmp_path, name):
    src = tmp_path / ("src_" + name)
    shutil.copy(CORPUS / name, src)
    path = tmp_path / name
    shutil.copy(src, path)
    wb = Workbook.open(path)
    sheet = wb.sheet_names[0]
    wb.mark_cells(sheet, "A2:C50", '$Z2<>""', "error")
    wb.save(backup=False)
    probe = subprocess.run([sys.executable, str(PROBE), str(src), str(path)], capture_output=True)
    assert probe.returncode == 0, probe.stdout.decode()
    first = path.read_bytes()
    wb = Workbook.open(path)
    wb.mark_cells(sheet, "A2:C50", '$Z2<>""', "error")
    wb.save(backup=False)
    assert path.read_bytes() == first  # a rerun changes nothing
    with zipfile.ZipFile(path) as z:
        styles = z.read("xl/styles.xml").decode()
        sheet_xml = z.read("xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(src) as z:
        before = z.read("xl/worksheets/sheet1.xml")
    assert re.search(r'<dxfs count="\d+">', styles)
    from lxml import etree

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    top = [el.tag for el in etree.fromstring(sheet_xml)]
    top_before = [el.tag for el in etree.fromstring(before)]
    cf = ns + "conditionalFormatting"
    assert top.count(cf) == top_before.count(cf) + 1  # one more rule, as a direct child
    assert [t for t in top if t != cf] == [t for t in top_before if t != cf]  # order of the rest kept
