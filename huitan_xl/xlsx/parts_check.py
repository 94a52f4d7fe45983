"""The parts of a workbook package, checked before anything parses them (issue 12).

Called by file_check.check_usable once the file is known to be a zip. Refused, with a
Chinese message naming the file (exit 2), before the reader or the writer sees them:
  * a part that is encrypted inside the zip or compressed other than stored/deflated;
  * a part bigger than MAX_PART_BYTES uncompressed, or a package over MAX_TOTAL_BYTES;
  * a missing or malformed [Content_Types].xml, workbook part, its relationships or
    styles.xml, or a part the workbook's relationships name that is not there;
  * a document type declaration (<!DOCTYPE, entities) in any XML part — Excel never
    writes one; it could make a part read differently by different readers;
  * ISO Strict Open XML (Excel's 另存为 "Strict Open XML 电子表格");
  * a sheet whose cells span more than MAX_SHEET_CELLS from A1 to its last cell (rows ×
    columns; its declared dimension too): the reader would allocate the whole rectangle
    (one stray cell at XFD1048576 asks for 17 billion cells). Every sheet counts: the
    reader looks for registers by their headers in any of them.
Every part is read to its end in blocks (so its CRC is checked), never whole.
"""
from __future__ import annotations

import posixpath
import re
import zipfile

from lxml import etree

from ..a1 import column_index
from ..errors import WorkbookUnusable

MAX_PART_BYTES = 512 << 20  # uncompressed size of one XML part the tool parses
MAX_TOTAL_BYTES = 4 << 30  # uncompressed size of the whole package
MAX_SHEET_CELLS = 10_000_000  # rows × columns of a sheet, from A1 to its last cell
MAX_COLUMN, MAX_ROW = 16384, 1048576
_BLOCK = 4 << 20
_OVERLAP = 64

_DTD_NEEDLES = [n.encode(enc) for n in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")]
_DTD_NEEDLES_ASCII = [b"<!DOCTYPE", b"<!ENTITY"]
_XML_EXT = (".xml", ".rels", ".vml")
# one pass over a sheet's cell references: the columns of cells from column AA on, the rows
# of cells from row 100000 on (narrower, nearer cells cannot exceed the limit)
_CELL_FAR = re.compile(rb' r="([A-Z](?:[A-Z]{1,2}[0-9]{1,7}|[0-9]{6,7}))"')  # one letter matched once
_REF = re.compile(rb"([A-Z]+)([0-9]+)")
_ROW_NUMBER = re.compile(rb'(?:<|:)row\b[^>]*? r="([0-9]{1,7})"')
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref="([^"]*)"')
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def check_parts(z: zipfile.ZipFile, name: str, read_sheets: set[str]) -> None:
    """Raise WorkbookUnusable for the cases in the module doc. `read_sheets`: squashed
    names of the sheets the tool reads (their size is bounded)."""
    infos = [i for i in z.infolist() if not i.is_dir()]
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookUnusable(f"工作簿 {name} 中的部件 {info.filename} 被加密（压缩包密码），程序无法读取。"
                                   "请在 Excel 中打开后另存为新的 .xlsx 工作簿再试。")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WorkbookUnusable(f"工作簿 {name} 中的部件 {info.filename} 使用了 Excel 不使用的压缩方式"
                                   f"（编号 {info.compress_type}），程序无法读取。请在 Excel 中打开后另存为 .xlsx 工作簿再试。")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise WorkbookUnusable(f"工作簿 {name} 解压后共 {total >> 20} MB，超过程序可处理的上限 "
                               f"{MAX_TOTAL_BYTES >> 30} GB。请删除不需要的工作表、图片后另存再试。")
    names = {i.filename for i in infos}
    ct = _small_part(z, "[Content_Types].xml", name, names)
    main = _main_part(z, names)
    if main not in names:
        return  # file_check says what it is instead
    wb_xml = _small_part(z, main, name, names)
    if (etree.QName(wb_xml).namespace or "").startswith("http://purl.oclc.org/ooxml/"):
        raise WorkbookUnusable(
            f"工作簿 {name} 是“Strict Open XML 电子表格”（严格）格式，程序无法处理。请在 Excel 中打开它，"
            f"选择 文件 → 另存为，保存类型选“Excel 工作簿(*.xlsx)”（有宏的选“Excel 启用宏的工作簿(*.xlsm)”）后重试。")
    rels_part = posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main) + ".rels")
    rels = _small_part(z, rels_part, name, names) if rels_part in names else None
    parsed = {"[Content_Types].xml", main, rels_part}
    targets: dict[str, str] = {}
    for rel in (rels if rels is not None else []):
        if rel.get("TargetMode") == "External":
            continue
        target = _resolve(main, rel.get("Target", ""))
        rtype = rel.get("Type", "")
        targets[rel.get("Id", "")] = target
        if target not in names and not rtype.endswith(("/calcChain", "/customXml")):
            raise WorkbookUnusable(f"工作簿 {name} 不完整：缺少部件 {target}（{rtype.rsplit('/', 1)[-1]}）。"
                                   "请用 Excel 打开修复后另存，或从备份恢复。")
        if rtype.endswith("/styles") and target not in parsed:
            _small_part(z, target, name, names)  # the writer parses it whole
            parsed.add(target)
        if rtype.endswith("/sharedStrings") and z.getinfo(target).file_size > MAX_PART_BYTES:
            _too_big(name, target, z.getinfo(target).file_size)  # the reader loads it whole
    del ct
    bounded = _register_sheet_parts(wb_xml, targets, read_sheets)
    for info in infos:
        _scan(z, info, name, bounded.get(info.filename))


def _main_part(z: zipfile.ZipFile, names: set[str]) -> str:
    if "_rels/.rels" in names:
        try:
            root = etree.fromstring(_read_limited(z, z.getinfo("_rels/.rels")), _PARSER)
        except etree.XMLSyntaxError:
            return "xl/workbook.xml"
        for rel in root:
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _read_limited(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_PART_BYTES:
        raise WorkbookUnusable(f"部件 {info.filename} 解压后 {info.file_size >> 20} MB，超过上限")
    return z.read(info)


def _small_part(z: zipfile.ZipFile, part: str, name: str, names: set[str]) -> etree._Element:
    """A structural part, parsed (well-formed, no DTD, nesting within libxml2's 256 levels)."""
    if part not in names:
        raise WorkbookUnusable(f"工作簿 {name} 不完整：缺少部件 {part}。请用 Excel 打开修复后另存，或从备份恢复。")
    info = z.getinfo(part)
    if info.file_size > MAX_PART_BYTES:
        _too_big(name, part, info.file_size)
    data = z.read(info)
    _refuse_dtd(data, name, part)
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise WorkbookUnusable(f"工作簿 {name} 的部件 {part} 不是有效的 XML（{exc}），文件可能已损坏。"
                               "请用 Excel 打开修复后另存，或从备份恢复。") from exc


def _register_sheet_parts(wb_xml: etree._Element, targets: dict[str, str], read_sheets: set[str]) -> dict[str, str]:
    """Worksheet part -> sheet name, for every sheet: the reader looks for registers by
    their headers in any sheet, and loading one sheet allocates its whole rectangle."""
    out = {}
    for el in wb_xml.iter("{*}sheet"):
        rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
        if rid in targets:
            out[targets[rid]] = el.get("name", "")
    return out


def _refuse_dtd(block: bytes, name: str, part: str, wide: bool = True) -> None:
    """`wide`: the part may be UTF-16 (its first bytes say so); a UTF-8 part is searched for the
    ASCII needles only (a NUL byte, which UTF-16 markup is full of, cannot stand in UTF-8 XML)."""
    if b"!" not in block:  # in every needle; rare in markup, and a single byte is found fast
        return
    if b"<!" not in block and (not wide or b"<\x00!" not in block):  # no declaration, comment or CDATA
        return
    for needle in (_DTD_NEEDLES if wide else _DTD_NEEDLES_ASCII):
        if needle in block:
            raise WorkbookUnusable(
                f"工作簿 {name} 的部件 {part} 含有文档类型声明（<!DOCTYPE> / 实体），这不是 Excel 或 WPS 保存的格式，"
                "文件可能被其他程序改写或篡改。为安全起见程序不处理它：请在 Excel 中打开并另存为新的 .xlsx 工作簿后重试。")


def _too_big(name: str, part: str, size: int) -> None:
    raise WorkbookUnusable(f"工作簿 {name} 的部件 {part} 解压后 {size / 2**20:.1f} MB，超过程序可处理的上限 "
                           f"{MAX_PART_BYTES / 2**20:.1f} MB。请删除多余的行、列后另存再试。")


def _scan(z: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, sheet: str | None) -> None:
    """Read a part to its end (CRC), refusing a DTD in XML parts and, for a register
    sheet, a cell rectangle beyond MAX_SHEET_CELLS."""
    is_xml = info.filename.lower().endswith(_XML_EXT) or info.filename == "[Content_Types].xml"
    if sheet is not None and info.file_size > MAX_PART_BYTES:
        _too_big(name, info.filename, info.file_size)
    max_row = max_col = row_tags = 0
    declared = None
    tail = b""
    wide = None  # UTF-16 (a BOM or a NUL among the first bytes): decided on the first block
    with z.open(info) as fh:
        while True:
            block = fh.read(_BLOCK)
            if not block:
                break
            if wide is None:
                wide = block[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in block[:4]
            window = tail + block
            if is_xml:
                _refuse_dtd(window, name, info.filename, wide)
            if sheet is not None:
                if declared is None and (m := _DIMENSION.search(window)):
                    declared = m.group(1).decode("ascii", "replace")
                last = window.rfind(b"<row")  # rows come in order
                last = max(last, window.rfind(b":row ", max(last, 0)))  # a prefixed <x:row after it
                m = _ROW_NUMBER.match(window, last) if last >= 0 else None
                if m:
                    max_row = max(max_row, int(m.group(1)))
                for ref in set(_CELL_FAR.findall(window)):
                    letters, digits = _REF.fullmatch(ref).groups()
                    if len(digits) >= 6:
                        max_row = max(max_row, int(digits))
                    if len(letters) >= 2:
                        max_col = max(max_col, _col(letters))
                row_tags += block.count(b"<row")  # rows without r= count on
            tail = window[-_OVERLAP:]
    if sheet is None:
        return
    max_row = max(max_row, row_tags)
    max_col = max(max_col, 26 if max_row else 0)  # without a cell beyond Z: at most 26 columns
    rows, cols = _dimension_extent(declared)
    for r, c in ((max_row, max_col), (rows, cols)):
        if r * c > MAX_SHEET_CELLS:
            raise WorkbookUnusable(
                f"工作簿 {name} 的工作表「{sheet}」的内容范围太大：从 A1 到最后一个单元格共 {r} 行 × {c} 列，"
                f"超过程序可读的上限 {MAX_SHEET_CELLS // 10000} 万个单元格。通常是远处有个误填的单元格或格式："
                "在该表按 Ctrl+End 找到最后一个单元格，删除多余的行和列（选中后右键“删除”）并保存后重试。")


_col = column_index


def _dimension_extent(ref: str | None) -> tuple[int, int]:
    """(last row, last column) of a declared <dimension ref="A1:XFD1048576">."""
    if not ref:
        return 0, 0
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?", ref.strip())
    if not m:
        return 0, 0
    col, row = m.group(3) or m.group(1), m.group(4) or m.group(2)
    return min(int(row), MAX_ROW), min(_col(col.upper().encode()), MAX_COLUMN)
