"""Tool-owned sheets: built with XlsxWriter in a scratch workbook, then moved
into the target package (sheet XML, its drawings/charts/comments/tables,
styles merged, defined names remapped)."""
from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import xlsxwriter
from lxml import etree

from ..a1 import column_index, column_letters
from .rows import BULK_ATTR, RowBlock, hyperlinks_xml
from .package import (NS_MAIN, REL_WORKSHEET, ContentTypes, Package, Relationships,
                      drop_unreachable, numbered_pattern, parse_xml, rels_name, relative, to_xml)
from .styles import StyleMerger
from .workbook_xml import WorkbookXml

_M = "{%s}" % NS_MAIN
SCRATCH_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                   "in_memory": True}
FIXED_CREATED = datetime(2000, 1, 1)  # document date of scratch / new workbooks: no "now" anywhere
STYLE_CARRIER = "huitan-styles"  # scratch-only sheet whose cells carry the named set_cells styles


@dataclass(frozen=True)
class SheetSpec:
    name: str
    build: Callable  # (xlsxwriter Worksheet, Formats) -> None


class ScratchBytes(bytes):
    """A scratch package, and the table rows its sheets hand over as values
    (`row_blocks`: sheet name -> RowBlocks), written as XML when transplanted."""

    row_blocks: dict[str, list[RowBlock]]


def build_scratch(specs: list[SheetSpec], formats_cls, *, date1904: bool = False,
                  style_names: tuple[str, ...] = (), mark_styles: tuple[str, ...] = (),
                  row_blocks: bool = False) -> bytes:
    """The XlsxWriter package for `specs` (plus a style-carrier sheet when style_names or
    mark_styles: its row 1 cells carry the cell styles, its row 2 conditional formats the
    differential (dxf) styles of conditional-format marks). With `row_blocks` (a scratch
    to be transplanted) the sheets' table rows are not written by XlsxWriter but kept as
    values on the result (ScratchBytes.row_blocks) for the Transplanter."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, dict(SCRATCH_OPTIONS, date_1904=date1904))
    wb.set_properties({"created": FIXED_CREATED})
    fmt = formats_cls(wb)
    blocks: dict[str, list[RowBlock]] = {}
    for spec in specs:
        ws = wb.add_worksheet(spec.name)
        if row_blocks:
            setattr(ws, BULK_ATTR, blocks.setdefault(spec.name, []))
        spec.build(ws, fmt)
    for block in (b for found in blocks.values() for b in found):
        # XlsxWriter numbers only the formats its cells use: the blocks' too
        for f in (*block.formats, block.date_format, *block.own_formats()):
            if f is not None:
                f._get_xf_index()
    if style_names or mark_styles:
        carrier = wb.add_worksheet(STYLE_CARRIER)
        for i, name in enumerate(style_names):
            carrier.write_blank(0, i, None, fmt[name])
        for i, name in enumerate(mark_styles):
            carrier.conditional_format(1, i, 1, i, {"type": "formula", "criteria": "=FALSE",
                                                    "format": fmt[name]})
    wb.close()
    data = buf.getvalue()
    # XlsxWriter's objects refer to each other: while the cyclic GC is paused (big jobs
    # pause it) they would keep every cell of the scratch in memory until the job ends
    for obj in (*wb.worksheets(), *wb.charts, wb):
        obj.__dict__.clear()
    if not row_blocks:
        return data
    out = ScratchBytes(data)
    out.row_blocks = {name: found for name, found in blocks.items() if found}
    return out


class Scratch:
    """A parsed scratch package."""

    def __init__(self, data: bytes):
        self.pkg = Package.from_bytes(data)
        self.row_blocks: dict[str, list[RowBlock]] = getattr(data, "row_blocks", {})
        self.wb_part = self.pkg.workbook_part()
        self.wb = WorkbookXml(self.pkg, self.wb_part)
        self.rels = {r.id: r.target for r in self.pkg.rels(self.wb_part)}
        self.ct = ContentTypes(self.pkg)
        self.sst: list[etree._Element] = []
        for rel in self.pkg.rels(self.wb_part):
            if rel.type.endswith("/sharedStrings"):
                self.sst = parse_xml(self.pkg.read(rel.target)).findall(_M + "si")
            if rel.type.endswith("/styles"):
                self.styles = self.pkg.read(rel.target)

    def sheet_part(self, name: str) -> str:
        return self.rels[self.wb.find(name).rid]

    def carrier_styles(self, style_names: tuple[str, ...]) -> dict[str, int]:
        """Scratch xf index of each named style (from the carrier sheet's cells)."""
        if not style_names:
            return {}
        root = parse_xml(self.pkg.read(self.sheet_part(STYLE_CARRIER)))
        out = {}
        for c in root.iter(_M + "c"):
            col = _col_index(c.get("r"))
            out[style_names[col]] = int(c.get("s", "0"))
        return out

    def carrier_dxfs(self, mark_styles: tuple[str, ...]) -> dict[str, int]:
        """Scratch dxf index of each conditional-format mark style (carrier row 2)."""
        if not mark_styles:
            return {}
        root = parse_xml(self.pkg.read(self.sheet_part(STYLE_CARRIER)))
        out = {}
        for cf in root.iter(_M + "conditionalFormatting"):
            rule = cf.find(_M + "cfRule")
            out[mark_styles[_col_index(cf.get("sqref"))]] = int(rule.get("dxfId"))
        return out

    def defined_names(self, position: int) -> list[etree._Element]:
        return [dn for dn in self.wb._names() if dn.get("localSheetId") == str(position)]


def _col_index(ref: str) -> int:
    """The 0-based column of a reference: "C7" -> 2."""
    return column_index(re.match(r"[A-Z]+", ref).group(0)) - 1


class Transplanter:
    """Moves scratch sheets into one target package. One instance per save."""

    def __init__(self, target: Package, wb: WorkbookXml, wb_rels: Relationships, ct: ContentTypes,
                 styles: StyleMerger, scratch: Scratch):
        self.t, self.wb, self.wb_rels, self.ct, self.styles, self.s = target, wb, wb_rels, ct, styles, scratch
        self.copied: dict[str, str] = {}  # scratch part -> target part
        self._si_bytes: list[bytes] | None = None
        self.taken: set[str] = set()
        self.has_formulas = False

    def _max_vml_block(self) -> int:
        top = 0
        for name in self.t.names:
            if name.endswith(".vml"):
                for m in re.finditer(rb'<o:idmap[^>]*data="([\d,\s]+)"', self.t.read(name)):
                    top = max([top, *(int(x) for x in re.findall(rb"\d+", m.group(1)))])
        return top

    def _tables(self) -> tuple[set[int], set[str]]:
        ids, names = set(), set()
        for name in self.t.names:
            if self.ct.get(name).endswith("spreadsheetml.table+xml"):
                root = parse_xml(self.t.read(name))
                ids.add(int(root.get("id", "0")))
                names.add((root.get("name") or "").casefold())
                names.add((root.get("displayName") or "").casefold())
        return ids, names

    # -- parts ---------------------------------------------------------
    def _copy_part(self, part: str) -> str:
        """Copy a scratch part (and what it points to) into the target; its new name."""
        if part in self.copied:
            return self.copied[part]
        new = self.t.free_name(numbered_pattern(part), self.taken)
        self.taken.add(new)
        self.copied[part] = new
        data = self.s.pkg.read(part)
        ctype = self.s.ct.get(part)
        if ctype.endswith("spreadsheetml.table+xml"):
            data = self._fix_table(data)
        elif part.endswith(".vml"):
            data = self._fix_vml(data)
        self._copy_rels(part, new)
        self.t.write(new, data)
        self.ct.ensure(new, ctype)
        return new

    def _copy_rels(self, part: str, new: str) -> None:
        rels = self.s.pkg.rels(part)
        if not rels:
            return
        out = Relationships(Package(), new)
        out.changed = True
        for rel in rels:
            el = etree.SubElement(out.root, "{http://schemas.openxmlformats.org/package/2006/relationships}"
                                  "Relationship", Id=rel.id, Type=rel.type)
            if rel.external:
                el.set("Target", rel.target)
                el.set("TargetMode", "External")
            else:
                el.set("Target", relative(new, self._copy_part(rel.target)))
        out.save(self.t)

    def _fix_table(self, data: bytes) -> bytes:
        root = parse_xml(data)
        new_id = max([0, *self._table_ids]) + 1
        self._table_ids.add(new_id)
        root.set("id", str(new_id))
        name = root.get("displayName") or root.get("name") or "Table"
        if name.casefold() in self._table_names:
            base = re.sub(r"\d+$", "", name) or "Table"
            n = 1
            while (base + str(n)).casefold() in self._table_names:
                n += 1
            name = base + str(n)
        root.set("name", name)
        root.set("displayName", name)
        self._table_names.add(name.casefold())
        self._remap_dxf(root)
        return to_xml(root)

    def _fix_vml(self, data: bytes) -> bytes:
        """Give the VML drawing its own shape-id block (o:idmap), as Excel expects."""
        m = re.search(rb'<o:idmap[^>]*data="(\d+)"', data)
        if not m:
            return data
        old = int(m.group(1))
        self._vml_block += 1
        new = self._vml_block
        data = data[: m.start(1)] + str(new).encode() + data[m.end(1):]
        return re.sub(rb"_x0000_s(\d+)",
                      lambda s: b"_x0000_s%d" % (int(s.group(1)) - old * 1024 + new * 1024), data)

    def _remap_dxf(self, root: etree._Element) -> None:
        for el in root.iter():
            for attr, val in el.attrib.items():
                if (attr == "dxfId" or attr.endswith("DxfId")) and val.isdigit():
                    el.set(attr, str(self.styles.dxf(int(val))))

    # -- sheets --------------------------------------------------------
    def _write_sheet(self, new_part: str, part: str, keep_from: bytes | None, selected: bool,
                     blocks: list[RowBlock] = ()) -> None:
        """Write the moved sheet; with row blocks, streamed into the target block by block."""
        xml = self._sheet_xml_written(part, keep_from, selected)
        if not blocks:
            self.t.write(new_part, xml)
            return
        self.t.write_stream(new_part, _splice_rows(xml, blocks, lambda f: self.styles.xf(f._get_xf_index()),
                                                   self.s.wb.date1904))

    def _sheet_xml_written(self, part: str, keep_from: bytes | None, selected: bool) -> bytes:
        """The sheet as XlsxWriter wrote it, moved: styles remapped, strings inline."""
        xml = self.s.pkg.read(part)
        fast = _split_sheet_data(xml)
        if fast is None:
            return self._sheet_xml_tree(parse_xml(xml), keep_from, selected)
        head, body, tail = fast
        # the rows (XlsxWriter's: <row>, <c>, <v> only, numbers as text) by their two tokens,
        # the rest of the sheet through lxml: the same bytes as the whole tree would give, and
        # styles merged in the same order (rows first, then columns)
        rows = self._sheet_rows(body)
        skeleton = self._sheet_xml_tree(parse_xml(head + b"<sheetData/>" + tail), keep_from, selected)
        at = skeleton.index(b"<sheetData/>")
        return skeleton[:at] + b"<sheetData>" + rows + b"</sheetData>" + skeleton[at + len(b"<sheetData/>"):]

    def _sheet_rows(self, body: bytes) -> bytes:
        """<sheetData> content: shared strings made inline, cell and row styles remapped."""
        xf, inline = {}, {}

        def token(m: re.Match) -> bytes:
            if m.group(1) is not None:  # s="N"
                new = xf.get(m.group(1))
                if new is None:
                    new = xf[m.group(1)] = b' s="%d"' % self.styles.xf(int(m.group(1)))
                return new
            new = inline.get(m.group(2))  # t="s"><v>N</v>
            if new is None:
                new = inline[m.group(2)] = b' t="inlineStr"><is>' + self._si_inner(int(m.group(2))) + b"</is>"
            return new

        return _ROW_TOKENS.sub(token, body)

    def _si_inner(self, index: int) -> bytes:
        """The children of shared string `index` as lxml writes them inside a sheet."""
        if self._si_bytes is None:
            self._si_bytes = []
            if self.s.sst:
                sst = self.s.sst[0].getparent()
                self._si_bytes = [m.group(1) or b"" for m in _SI.finditer(etree.tostring(sst, encoding="UTF-8"))]
        return self._si_bytes[index]

    def _sheet_xml_tree(self, root: etree._Element, keep_from: bytes | None, selected: bool) -> bytes:
        for c in root.iter(_M + "c"):
            if c.get("t") == "s":
                v = c.find(_M + "v")
                si = self.s.sst[int(v.text)]
                c.remove(v)
                c.set("t", "inlineStr")
                is_ = etree.SubElement(c, _M + "is")
                for child in si:
                    is_.append(copy.deepcopy(child))
            if c.find(_M + "f") is not None:
                self.has_formulas = True
        for el in root.iter(_M + "c", _M + "row"):
            if el.get("s") is not None:
                el.set("s", str(self.styles.xf(int(el.get("s")))))
        for el in root.iter(_M + "col"):
            if el.get("style") is not None:
                el.set("style", str(self.styles.xf(int(el.get("style")))))
        self._remap_dxf(root)
        for view in root.iter(_M + "sheetView"):
            view.attrib.pop("tabSelected", None)
            if selected:
                view.set("tabSelected", "1")
        if keep_from is not None:
            _keep_user_settings(root, parse_xml(keep_from))
        return to_xml(root)

    def put(self, name: str, *, replace_part: str | None, position: int) -> None:
        """Move scratch sheet `name` to the target: over `replace_part` (same name, same
        place) or as a new sheet at `position`."""
        scratch_part = self.s.sheet_part(name)
        scratch_pos = self.s.wb.find(name).position
        if replace_part is not None:
            new_part = replace_part
            keep = self.t.read(replace_part)
            old_parts = self.t.closure(replace_part) - {replace_part}
            self.t.remove(rels_name(replace_part))
            drop_unreachable(self.t, self.ct, old_parts)  # before numbering the new parts
            self.wb.remove_builtin_names(position)
        else:
            new_part = self.t.free_name("xl/worksheets/sheet{}.xml", self.taken)
            keep = None
        self._vml_block = self._max_vml_block()
        self._table_ids, self._table_names = self._tables()
        self.taken.add(new_part)
        self.copied[scratch_part] = new_part
        # the sheet part first, then what it points to: the same order whether it is new
        # or replaced, so a second run writes the same file as the first
        self.t.remove(new_part)
        self.ct.remove(new_part)
        self.t.write(new_part, b"")
        self.ct.ensure(new_part, self.s.ct.get(scratch_part))
        self._copy_rels(scratch_part, new_part)
        # (the sheet's table rows are let go once written: a sheet is moved once)
        self._write_sheet(new_part, scratch_part, keep, position == self.wb.active_tab and replace_part is not None,
                          self.s.row_blocks.pop(name, ()))
        if replace_part is None:
            rid = self.wb_rels.add(REL_WORKSHEET, new_part)
            self.wb.add_sheet(name, rid, position)
        for dn in self.s.defined_names(scratch_pos):
            self.wb.add_name(dn.get("name"), dn.text or "", position, dn.get("hidden") in ("1", "true"))


_SHEET_DATA = re.compile(rb"<sheetData>(.*)</sheetData>", re.S)
_ROW_TOKENS = re.compile(rb' s="(\d+)"| t="s"><v>(\d+)</v>')
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)


_XL_ROW = re.compile(rb'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)
_ROW_TAG = re.compile(rb"<row\b[^>]*?(/?)>")
_XL_CELL = re.compile(rb'<c r="([A-Z]+)\d+"[^>]*?(?:/>|>.*?</c>)', re.S)
_DIMENSION = re.compile(rb'<dimension ref="([^"]*)"/>')


def _splice_rows(xml: bytes, blocks: list[RowBlock], style_of, date1904: bool):
    """The sheet with the row blocks' rows put in among the rows XlsxWriter wrote, in row
    order, as UTF-8 blocks made one at a time; where XlsxWriter wrote cells into a block's
    row (a later write to the same cells, or cells beside the table) the two are merged and
    XlsxWriter's cell wins. The blocks' hyperlinks join XlsxWriter's in <hyperlinks>."""
    m = re.search(rb"<sheetData\s*/>|<sheetData>", xml)
    if xml[m.start():m.end()].endswith(b"/>"):
        head, body, tail = xml[:m.start()] + b"<sheetData>", b"", b"</sheetData>" + xml[m.end():]
    else:
        end = xml.rindex(b"</sheetData>")
        head, body, tail = xml[:m.end()], xml[m.end():end], xml[end:]
    yield _cover_dimension(head, blocks)
    written = [(int(r.group(1)), r.group(0)) for r in _XL_ROW.finditer(body)]
    del body
    i = 0
    links: list = []
    for block in sorted(blocks, key=lambda b: b.first):
        lo, hi = block.first + 1, block.last + 1
        while i < len(written) and written[i][0] < lo:
            yield written[i][1]
            i += 1
        inside = {}
        while i < len(written) and written[i][0] <= hi:
            inside[written[i][0]] = written[i][1]
            i += 1
        yield from (block.xml(style_of, date1904, links) if not inside
                    else _merged_rows(block, inside, style_of, date1904, links))
    for _, row in written[i:]:
        yield row
    yield _with_hyperlinks(tail, links)


_HYPERLINKS = re.compile(rb"<hyperlinks>(.*?)</hyperlinks>", re.S)
_HYPERLINK = re.compile(rb'<hyperlink ref="([A-Z]+)(\d+)"[^>]*/>')
# what follows <hyperlinks> in a worksheet (CT_Worksheet's sequence)
_AFTER_HYPERLINKS = re.compile(rb"<(?:printOptions|pageMargins|pageSetup|headerFooter|rowBreaks|colBreaks|"
                               rb"customProperties|cellWatches|ignoredErrors|smartTags|drawing|legacyDrawing|"
                               rb"legacyDrawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)"
                               rb"[\s/>]|</worksheet>")


def _with_hyperlinks(tail: bytes, links: list) -> bytes:
    """The sheet's tail with the blocks' hyperlinks (rows.hyperlinks_xml) in its <hyperlinks>,
    in row and column order; a cell XlsxWriter linked itself keeps XlsxWriter's link."""
    if not links:
        return tail
    m = _HYPERLINKS.search(tail)
    if m is None:
        at = _AFTER_HYPERLINKS.search(tail).start()
        return tail[:at] + b"<hyperlinks>" + hyperlinks_xml(links).encode("utf-8") + b"</hyperlinks>" + tail[at:]
    own = {(int(h.group(2)), _col_index(h.group(1).decode())): h.group(0) for h in _HYPERLINK.finditer(m.group(1))}
    mine = {(rnum, c): hyperlinks_xml([(rnum, c, link)]).encode("utf-8") for rnum, c, link in links
            if (rnum, c) not in own}
    merged = b"".join(x for _, x in sorted({**own, **mine}.items()))
    return tail[:m.start(1)] + merged + tail[m.end(1):]


def _merged_rows(block: RowBlock, inside: dict[int, bytes], style_of, date1904: bool, links: list):
    pending: list[bytes] = []
    size = 0
    for rnum, opening, cells in block.cells(style_of, date1904, links):
        row = inside.get(rnum)
        if row is None:  # (a row of the block alone: as RowBlock.xml writes it)
            if not cells and "ht=" not in opening:
                continue
            new = (opening + "".join(x for _, x in cells) + "</row>").encode("utf-8")
        else:  # XlsxWriter's row attributes (a set_row height) win
            tag = _ROW_TAG.match(row)
            merged = {c: x.encode("utf-8") for c, x in cells}
            for cell in _XL_CELL.finditer(row, tag.end()):
                merged[_col_index(cell.group(1).decode())] = cell.group(0)
            opening_xl = re.sub(rb'\s+spans="[^"]*"', b"", row[:tag.end()])
            if tag.group(1):
                opening_xl = opening_xl[:-2].rstrip() + b">"
            if b" ht=" not in opening_xl and " ht=" in opening:  # the block's height, if XlsxWriter set none
                at = opening.index(" ht=")
                opening_xl = opening_xl[:-1] + opening[at:-1].encode() + b">"
            opening = opening_xl
            new = opening + b"".join(merged[c] for c in sorted(merged)) + b"</row>"
        pending.append(new)
        size += len(new)
        if size > 300_000:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)


def _cover_dimension(head: bytes, blocks: list[RowBlock]) -> bytes:
    """<dimension> covering XlsxWriter's cells and the blocks' rows."""
    m = _DIMENSION.search(head)
    if m is None:
        return head
    corners = [re.fullmatch(r"([A-Z]+)(\d+)", p) for p in m.group(1).decode().split(":")]
    top = min([int(corners[0].group(2)), *(b.first + 1 for b in blocks)])
    left = min([_col_index(corners[0].group(1)), 0])
    bottom = max([int(corners[-1].group(2)), *(b.last + 1 for b in blocks)])
    right = max([_col_index(corners[-1].group(1)), *(b.width - 1 for b in blocks)])
    new = f"{column_letters(left + 1)}{top}:{column_letters(right + 1)}{bottom}"
    return head[:m.start(1)] + new.encode() + head[m.end(1):]


def _split_sheet_data(xml: bytes) -> tuple[bytes, bytes, bytes] | None:
    """(before, <sheetData> content, after) of an XlsxWriter sheet whose rows hold only
    values (no formula, no inline text: nothing but numbers between tags), else None."""
    m = _SHEET_DATA.search(xml)
    if m is None or xml.count(b"<sheetData") != 1:
        return None
    body = m.group(1)
    if b"<f" in body or b"<is>" in body or b"&" in body or b"<!" in body or b"<?" in body:
        return None
    return xml[:m.start()], body, xml[m.end():]


def _keep_user_settings(new: etree._Element, old: etree._Element) -> None:
    """A rebuilt sheet keeps its VBA code name and its protection."""
    old_pr = old.find(_M + "sheetPr")
    if old_pr is not None and old_pr.get("codeName"):
        pr = new.find(_M + "sheetPr")
        if pr is None:
            pr = etree.Element(_M + "sheetPr")
            new.insert(0, pr)
        pr.set("codeName", old_pr.get("codeName"))
    old_prot = old.find(_M + "sheetProtection")
    if old_prot is not None and new.find(_M + "sheetProtection") is None:
        anchor = new.find(_M + "sheetCalcPr")
        if anchor is None:
            anchor = new.find(_M + "sheetData")
        anchor.addnext(copy.deepcopy(old_prot))
