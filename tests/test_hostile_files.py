"""Issue 12, items 8-10: hostile and odd files, built here from a register made by
`huitan init`. Each is either handled correctly or refused with exit 2 and a Chinese
message naming the file — never a traceback, an abort, or a workbook written wrong."""
from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, huitan, type_rows
from huitan_xl import schema
from huitan_xl.template import init_workbook

TICKETS = [{"编号": f"T-{i:03d}", "类别": "职工诉求", "现场答复": "否", "承办部门": "机电科", "督办员": "王督办",
            "交办日期": date(2026, 9, 1), "内容": f"诉求 {i}"} for i in range(1, 4)]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("base") / "台账.xlsx"
    init_workbook(path)
    type_rows(path, schema.ITEMS, TICKETS)
    return path


def sheet_part(path: Path, sheet: str) -> str:
    wb = openpyxl.load_workbook(path, read_only=True)
    index = wb.sheetnames.index(sheet)
    with zipfile.ZipFile(path) as z:
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        wbx = z.read("xl/workbook.xml").decode()
    import re

    rid = re.findall(r'<sheet [^>]*?r:id="([^"]+)"', wbx)[index]
    target = re.search(r'Id="%s"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="%s"' % (rid, rid), rels)
    t = target.group(1) or target.group(2)
    return t.lstrip("/") if t.startswith("/") else "xl/" + t


def rewrite(src: Path, dst: Path, change, compress=zipfile.ZIP_DEFLATED) -> Path:
    """A copy of `src` with each part passed through change(name, data) -> bytes | None (dropped)."""
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", compress) as zo:
        for info in zi.infolist():
            data = change(info.filename, zi.read(info))
            if data is not None:
                zo.writestr(info.filename, data)
    return dst


def replace_in(part: str, old: bytes, new: bytes):
    def change(name, data):
        if name == part:
            assert old in data, (part, old)
            return data.replace(old, new, 1)
        return data
    return change


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def refused(path: Path, *expected: str, job=("overdue",)) -> str:
    before = sha(path)
    proc = huitan(*job[:1], path, *job[1:], "--as-of", "2026-11-24")
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, (proc.returncode, err)
    assert "Traceback" not in err and err.startswith("错误：") and path.name in err, err
    for text in expected:
        assert text in err, err
    assert sha(path) == before
    assert not path.with_name(path.stem + ".bak" + path.suffix).exists()
    return err


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml"])
def test_a_doctype_with_entities_is_refused(base: Path, tmp_path: Path, part: str):
    path = rewrite(base, tmp_path / "台账.xlsx", replace_in(
        part, b"?>", b'?><!DOCTYPE x [<!ENTITY xxe "hello">]>'))
    refused(path, part, "文档类型声明")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])  # with a BOM, and without
def test_a_doctype_in_a_utf16_part_is_refused(base: Path, tmp_path: Path, encoding: str):
    """A UTF-8 part is searched for the ASCII needles only; a part whose first bytes say UTF-16
    (a BOM, or NULs) for the UTF-16 ones too."""
    items = sheet_part(base, schema.ITEMS)  # a part read in blocks (the small parts are parsed whole)

    def change(name, data):
        if name != items:
            return data
        text = data.decode("utf-8").replace("?>", '?><!DOCTYPE x [<!ENTITY xxe "hello">]>', 1)
        return text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode(encoding)
    refused(rewrite(base, tmp_path / "台账.xlsx", change), items, "文档类型声明")


def test_a_cdata_cell_keeps_its_text_and_gets_no_cells_inside(base: Path, tmp_path: Path):
    items = sheet_part(base, schema.ITEMS)
    with zipfile.ZipFile(base) as z:
        xml = z.read(items)
    # T-002's 内容 typed as a CDATA section with markup-like text
    assert b"\xe8\xaf\x89\xe6\xb1\x82 2" in xml  # "诉求 2"
    path = rewrite(base, tmp_path / "台账.xlsx", replace_in(
        items, '<t xml:space="preserve">诉求 2</t>'.encode(),
        '<t xml:space="preserve"><![CDATA[诉求 2 <b>&amp; 食堂</b>]]></t>'.encode()))
    proc = huitan("overdue", path, "--as-of", "2026-11-24")
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8")
    ws = openpyxl.load_workbook(path)[schema.ITEMS]
    head = [c.value for c in ws[1]]
    row = {h: c.value for h, c in zip(head, ws[3])}
    assert row["内容"] == "诉求 2 <b>&amp; 食堂</b>" and row["编号"] == "T-002"
    assert row["状态"] == "逾期未答复"
    proc = huitan("validate", path, "--as-of", "2026-11-24")
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr.decode("utf-8")


def test_strict_open_xml_is_refused_with_how_to_save_it(base: Path, tmp_path: Path):
    path = rewrite(base, tmp_path / "台账.xlsx", replace_in(
        "xl/workbook.xml", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        b"http://purl.oclc.org/ooxml/spreadsheetml/main"))
    refused(path, "Strict", "另存为", "Excel 工作簿(*.xlsx)")


@pytest.mark.parametrize("case, expected", [
    ("no content types", "缺少部件 [Content_Types].xml"),
    ("broken content types", "[Content_Types].xml 不是有效的 XML"),
    ("no styles", "缺少部件 xl/styles.xml"),
    ("broken styles", "xl/styles.xml 不是有效的 XML"),
    ("deep styles", "xl/styles.xml 不是有效的 XML"),
])
def test_missing_or_malformed_structural_parts_are_refused(base: Path, tmp_path: Path, case, expected):
    def change(name, data):
        if case == "no content types" and name == "[Content_Types].xml":
            return None
        if case == "broken content types" and name == "[Content_Types].xml":
            return data[: len(data) // 2]
        if case == "no styles" and name == "xl/styles.xml":
            return None
        if case == "broken styles" and name == "xl/styles.xml":
            return data[: len(data) // 2]
        if case == "deep styles" and name == "xl/styles.xml":
            return data.replace(b"</styleSheet>", b"<extLst><ext uri='x'>" + b"<a>" * 5000 + b"</a>" * 5000
                                + b"</ext></extLst></styleSheet>")
        return data
    refused(rewrite(base, tmp_path / "台账.xlsx", change), expected)


def test_deep_nesting_in_a_sheet_is_read_and_written(base: Path, tmp_path: Path):
    items = sheet_part(base, schema.ITEMS)
    path = rewrite(base, tmp_path / "台账.xlsx", replace_in(
        items, b"</worksheet>", b"<extLst><ext uri='x'>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</ext></extLst></worksheet>"))
    proc = huitan("overdue", path, "--as-of", "2026-11-24")
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8")


def test_an_unsupported_compression_method_is_refused(base: Path, tmp_path: Path):
    path = rewrite(base, tmp_path / "台账.xlsx", lambda n, d: d, compress=zipfile.ZIP_LZMA)
    refused(path, "压缩方式")


def test_an_encrypted_flag_on_a_zip_member_is_refused(base: Path, tmp_path: Path):
    data = bytearray(base.read_bytes())
    with zipfile.ZipFile(base) as z:
        info = z.getinfo("docProps/app.xml")
    # general-purpose flag bit 0 in the local header and in the central directory record
    data[info.header_offset + 6] |= 1
    cd = data.rfind(b"PK\x01\x02" + b"", 0)
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        if at < 0:
            break
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46: at + 46 + name_len]) == b"docProps/app.xml":
            data[at + 8] |= 1
        at += 4
    del cd
    path = tmp_path / "台账.xlsx"
    path.write_bytes(bytes(data))
    refused(path, "docProps/app.xml", "加密")


def test_an_x_prefixed_worksheet_is_read_and_written(base: Path, tmp_path: Path):
    from lxml import etree

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    items = sheet_part(base, schema.ITEMS)

    def prefixed(name, data):
        if name != items:
            return data
        root = etree.fromstring(data)
        nsmap = {k: v for k, v in root.nsmap.items() if k is not None}
        nsmap["x"] = main
        new = etree.Element("{%s}worksheet" % main, nsmap=nsmap)
        for child in root:
            new.append(child)
        return etree.tostring(new, xml_declaration=True, encoding="UTF-8", standalone=True)

    path = rewrite(base, tmp_path / "台账.xlsx", prefixed)
    assert b"<x:sheetData" in zipfile.ZipFile(path).read(items)
    for job in ("overdue", "validate"):
        proc = huitan(job, path, "--as-of", "2026-11-24")
        err = proc.stderr.decode("utf-8")
        assert proc.returncode in (0, 1) and "Traceback" not in err and "sheetData" not in err, err
    ws = openpyxl.load_workbook(path)[schema.ITEMS]
    head = [c.value for c in ws[1]]
    assert [r[head.index("状态")] for r in ws.iter_rows(min_row=2, values_only=True)] == ["逾期未答复"] * 3


def test_a_cell_at_xfd1048576_is_refused_without_allocating(base: Path, tmp_path: Path):
    items = sheet_part(base, schema.ITEMS)
    path = rewrite(base, tmp_path / "台账.xlsx", replace_in(
        items, b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData>"))
    refused(path, "诉求台账", "1048576 行 × 16384 列", "Ctrl+End")


def test_a_stray_value_in_a1048576_is_refused_before_reading(base: Path, tmp_path: Path):
    items = sheet_part(base, schema.ITEMS)
    path = rewrite(base, tmp_path / "台账.xlsx", replace_in(
        items, b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData>"))
    refused(path, "诉求台账", "1048576 行")


def test_a_declared_dimension_of_the_whole_sheet_is_refused(base: Path, tmp_path: Path):
    items = sheet_part(base, schema.ITEMS)
    with zipfile.ZipFile(base) as z:
        xml = z.read(items)
    import re

    new = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    if new == xml:
        new = xml.replace(b"<sheetData", b'<dimension ref="A1:XFD1048576"/><sheetData', 1)
    path = rewrite(base, tmp_path / "台账.xlsx", lambda n, d: new if n == items else d)
    refused(path, "诉求台账")


def test_a_far_cell_in_any_sheet_is_refused(base: Path, tmp_path: Path):
    """Registers are looked for by their headers in every sheet: her own sheet counts too."""
    readme = sheet_part(base, schema.README)
    path = rewrite(base, tmp_path / "台账.xlsx", replace_in(
        readme, b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData>"))
    refused(path, schema.README, "1048576 行 × 16384 列")


def test_a_sheet_using_the_last_column_is_a_chinese_message(base: Path, tmp_path: Path):
    """Owned columns that would go past XFD: the message names file and sheet (was an
    English 「cell (1, 16387) is outside the sheet」)."""
    from huitan_xl.errors import WorkbookUnusable
    from huitan_xl.write import Workbook

    path = tmp_path / "台账.xlsx"
    path.write_bytes(base.read_bytes())
    wb = Workbook.open(path)
    wb.set_cells(schema.ITEMS, {(1, 16385): "状态", (1, 16386): "逾期天数", (1, 16387): "督办提示"})
    with pytest.raises(WorkbookUnusable) as err:
        wb.save()
    assert "台账.xlsx" in err.value.message and "诉求台账" in err.value.message and "最后一列" in err.value.message
    assert sha(path) == sha(base)


@pytest.mark.skipif(sys.platform == "win32" or sys.platform == "darwin", reason="file names as raw bytes")
def test_a_gbk_bytes_file_name_and_a_c_locale(base: Path, tmp_path: Path):
    name = "台账".encode("gbk") + b".xlsx"  # not valid UTF-8
    path = os.path.join(os.fsencode(tmp_path), name)
    with open(path, "wb") as fh:
        fh.write(base.read_bytes())
    env = dict(os.environ, PYTHONUTF8="0", LC_ALL="C", PYTHONIOENCODING="")
    for args in (["--json"], [], ["--json", "--dry-run"]):
        proc = subprocess.run([sys.executable, "-m", "huitan_xl", "overdue", path, "--as-of", "2026-11-24", *args],
                              capture_output=True, env=env, cwd=ROOT)
        assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
        assert b"Traceback" not in proc.stderr
    import json

    out = json.loads(proc.stdout.decode("utf-8"))
    assert out["command"] == "overdue" and len(out["tickets"]) == 3


@pytest.mark.parametrize("job", [["overdue"], ["validate"], ["deductions", "--period", "2026Q3"],
                                 ["rewards", "--quarter", "2026Q3"], ["report", "--month", "2026-10"],
                                 ["assess", "--year", "2026"], ["forms"], ["notice", "--month", "2026-10"]])
def test_json_in_a_c_locale_without_utf8_mode(base: Path, tmp_path: Path, job):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(base.read_bytes())
    env = dict(os.environ, PYTHONUTF8="0", LC_ALL="C", PYTHONIOENCODING="")
    env.pop("LANG", None)
    proc = subprocess.run([sys.executable, "-m", "huitan_xl", job[0], str(path), *job[1:], "--as-of", "2026-11-24",
                           "--json"], capture_output=True, env=env, cwd=ROOT)
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    import json

    assert json.loads(proc.stdout.decode("utf-8"))["command"] == job[0]


def test_a_part_over_the_size_limit_is_refused_before_it_is_read(base: Path, tmp_path: Path, monkeypatch):
    """The limit checked on the zip's declared sizes (a 1 GiB sheet is refused the same way
    at MAX_PART_BYTES = 512 MiB); here the limit is lowered so the file stays small."""
    from huitan_xl.errors import WorkbookUnusable
    from huitan_xl.read import read_workbook
    from huitan_xl.xlsx import file_check, parts_check

    path = tmp_path / "台账.xlsx"
    path.write_bytes(base.read_bytes())
    items = sheet_part(base, schema.ITEMS)
    biggest = max(zipfile.ZipFile(path).infolist(), key=lambda i: i.file_size)
    assert biggest.filename in (items, "xl/sharedStrings.xml")
    monkeypatch.setattr(parts_check, "MAX_PART_BYTES", biggest.file_size - 1)
    file_check._USABLE.clear()
    with pytest.raises(WorkbookUnusable) as err:
        read_workbook(path)
    assert f"的部件 {biggest.filename} 解压后 {biggest.file_size / 2**20:.1f} MB" in err.value.message
    assert "超过程序可处理的上限" in err.value.message
