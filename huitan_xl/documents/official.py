"""The page and type of a Chinese official document (GB/T 9704-2012), in python-docx.

A4; margins 37 / 28 / 35 / 26 mm (top / left / bottom / right: the standard's 156 x 225 mm
text block); title 2号 (22 pt) 小标宋; body 3号 (16 pt) 仿宋 at a fixed 28 pt line pitch;
first-level headings 「一、」 in 黑体, second-level 「（一）」 in 楷体; page numbers 「— 1 —」
centred in the footer (a PAGE field); the date at the end, right-aligned.

Fonts: each role has a chain of Chinese font names, best first. The first one installed
on this machine (matplotlib's font list, by its Chinese or English family name) is written;
when none is, the last — the one every Chinese Windows has (宋体, 仿宋, 黑体, 楷体) — is
written, so a document drafted on a server still opens in standard fonts on the office PC.
Word takes East Asian text's font from w:rFonts/@w:eastAsia, so that is set on every run
and style; Latin text and digits use Times New Roman.
"""
from __future__ import annotations

import copy
import functools
import io
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

# role -> Chinese font names, best first; (Chinese name, English family names matplotlib may list)
FONT_CHAINS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "title": [("方正小标宋简体", ("FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05")),
              ("华文中宋", ("STZhongsong",)), ("宋体", ("SimSun",))],
    "body": [("仿宋_GB2312", ("FangSong_GB2312",)), ("仿宋", ("FangSong",))],
    "h1": [("黑体", ("SimHei",))],
    "h2": [("楷体_GB2312", ("KaiTi_GB2312",)), ("楷体", ("KaiTi",))],
    "table": [("仿宋_GB2312", ("FangSong_GB2312",)), ("仿宋", ("FangSong",))],
    "page": [("宋体", ("SimSun",))],
}
LATIN_FONT = "Times New Roman"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_S4 = Pt(12)  # 小四
SIZE_5 = Pt(10.5)  # 五号
LINE_PITCH = Pt(28)  # fixed line spacing of the body (22 lines on the 225 mm block)

MARGINS_MM = {"top": 37, "left": 28, "bottom": 35, "right": 26}
PLACEHOLDER = "（待填写：{}）"


@functools.lru_cache(maxsize=1)
def installed_font_names() -> frozenset[str]:
    """Family names of the fonts installed here, as matplotlib's font manager lists them (by
    the chart worker when one is running: this process then need not import matplotlib);
    without matplotlib none are known and the standard names are used."""
    from . import chart_worker, charts

    names = chart_worker.font_names()
    return names if names is not None else charts.installed_fonts()


@functools.lru_cache(maxsize=None)
def font_for(role: str) -> str:
    chain = FONT_CHAINS[role]
    have = installed_font_names()
    for chinese, english in chain:
        if chinese in have or any(e in have for e in english):
            return chinese
    return chain[-1][0]


def _east_asian_font(rpr, role: str):
    """The <w:rFonts> of a run's or style's properties, its eastAsia font set for `role`
    (python-docx's font.name sets only the Latin one)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), font_for(role))
    return rfonts


def set_run_font(run, role: str, size=None, bold: bool | None = None) -> None:
    run.font.name = LATIN_FONT
    rfonts = _east_asian_font(run._element.get_or_add_rPr(), role)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold


def _style_font(style, role: str, size) -> None:
    style.font.name = LATIN_FONT
    style.font.size = size
    _east_asian_font(style.element.get_or_add_rPr(), role)


class OfficialDocument:
    """A python-docx Document laid out as GB/T 9704 asks, with the few blocks our
    documents are made of. `doc` is the python-docx Document."""

    def __init__(self, landscape: bool = False, page_numbers: bool = True):
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        # landscape pages keep the standard's margins, turned with the page
        m = MARGINS_MM
        if landscape:
            section.top_margin, section.bottom_margin = Mm(28), Mm(26)
            section.left_margin, section.right_margin = Mm(37), Mm(35)
        else:
            section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
            section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
        section.footer_distance = Mm(20)
        normal = self.doc.styles["Normal"]
        _style_font(normal, "body", SIZE_3)
        pf = normal.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = LINE_PITCH
        pf.space_before = pf.space_after = Pt(0)
        if page_numbers:
            self._page_numbers(section)

    # ---- page furniture --------------------------------------------------------
    def _page_numbers(self, section) -> None:
        """「— 1 —」: a PAGE field between two em dashes, 4号 宋体, centred."""
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_run_font(p.add_run("— "), "page", SIZE_4)
        run = p.add_run()
        set_run_font(run, "page", SIZE_4)
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            if kind is not None:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            elif text == "1":
                el = OxmlElement("w:t")
                el.text = text
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._element.append(el)
        set_run_font(p.add_run(" —"), "page", SIZE_4)

    # ---- blocks ------------------------------------------------------------------
    def title(self, *lines: str) -> None:
        """The title, 2号 小标宋, centred; one paragraph per line given, a blank line after."""
        for text in lines:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.line_spacing = Pt(35)
            set_run_font(p.add_run(text), "title", SIZE_2)
        self.doc.add_paragraph()

    def subtitle(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_run_font(p.add_run(text), "h2", SIZE_3)

    def heading1(self, text: str) -> None:
        """「一、……」 in 黑体, indented two characters like the body."""
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.paragraph_format.keep_with_next = True
        set_run_font(p.add_run(text), "h1", SIZE_3)

    def heading2(self, text: str) -> None:
        """「（一）……」 in 楷体."""
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.paragraph_format.keep_with_next = True
        set_run_font(p.add_run(text), "h2", SIZE_3)

    def para(self, text: str, indent: bool = True, align=None, size=None, role: str = "body"):
        """A body paragraph in 仿宋, first line indented two characters. Text is written as
        text: a leading 「=」 stays a character (Word has no formulas in runs)."""
        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(32) if size is None else size * 2
        if align is not None:
            p.alignment = align
        set_run_font(p.add_run(text), role, size or SIZE_3)
        return p

    def labelled(self, label: str, text: str):
        """「label」 in 黑体 followed by the text in 仿宋, one paragraph."""
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        set_run_font(p.add_run(label), "h1", SIZE_3)
        set_run_font(p.add_run(text), "body", SIZE_3)
        return p

    def table(self, headers: list[str], rows: list[list], widths_mm: list[float] | None = None,
              size=SIZE_S4, numeric_cols: tuple[int, ...] = ()):
        """A bordered table: header row in 黑体, cells in 仿宋 at `size`, single spacing;
        numbers right-aligned. Every value is written as text."""
        t = self.doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        _repeat_header(t.rows[0])
        for i, h in enumerate(headers):
            _cell_text(t.rows[0].cells[i], h, "h1", size, WD_ALIGN_PARAGRAPH.CENTER)
        proto = t.add_row() if rows else None  # one styled, empty data row: every data row is a copy
        if proto is not None:
            for i, cell in enumerate(proto.cells):
                _cell_text(cell, "", "table", size, WD_ALIGN_PARAGRAPH.RIGHT if i in numeric_cols else None)
        if widths_mm:
            set_widths(t, widths_mm)
        if proto is not None:
            _copy_rows(t._tbl, proto._tr, rows)
        self.doc.add_paragraph()  # a line of air below each table
        return t

    def picture(self, png: bytes, width_mm: float = 150, caption: str = "") -> None:
        self.picture_later(width_mm)(png)
        if caption:
            self.para(caption, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=SIZE_S4)

    def picture_later(self, width_mm: float = 150):
        """A centred paragraph here for a picture drawn later: the function returned puts the
        PNG in, or removes the paragraph when given None (no picture)."""
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

        def put(png: bytes | None) -> None:
            if png is None:
                p._p.getparent().remove(p._p)
            else:
                p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))

        return put

    def signature(self, issuer: str, day: date) -> None:
        """The issuing office and the date, right-aligned, with a blank line above."""
        self.doc.add_paragraph()
        for text in (issuer, chinese_date(day)):
            if text:
                p = self.para(text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
                p.paragraph_format.right_indent = Pt(64)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def chinese_date(day: date) -> str:
    """GB/T 9704-2012 writes the date in Arabic numerals, no leading zeros: 2026年11月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _cell_text(cell, text: str, role: str, size, align=None) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if align is not None:
        p.alignment = align
    lines = str(text).split("\n")
    for i, line in enumerate(lines):
        run = p.add_run(line)
        set_run_font(run, role, size)
        if i < len(lines) - 1:
            run.add_break()


def _copy_rows(tbl, proto, rows: list[list]) -> None:
    """The data rows as copies of `proto` (a row whose every cell holds one styled, empty run),
    its place taken by them: the same XML styling each cell one by one makes, at a small part
    of the cost (python-docx's property setters search the schema order on every call)."""
    tbl.remove(proto)
    for values in rows:
        tr = copy.deepcopy(proto)
        tcs = tr.tc_lst
        for tc, v in zip(tcs, values):
            _fill_run(tc.p_lst[0].r_lst[0], cell_text(v))
        for tc in tcs[len(values):]:  # a short row leaves its last cells bare
            del tc.p_lst[0][:]
        tbl.append(tr)


def _fill_run(r, text: str) -> None:
    """`text` into the empty run `r`, a run per line with a line break after all but the last
    (as _cell_text writes it)."""
    lines = text.split("\n")
    blank = copy.deepcopy(r) if len(lines) > 1 else None
    for i, line in enumerate(lines):
        if i:
            nxt = copy.deepcopy(blank)
            r.addnext(nxt)
            r = nxt
        if line:
            r.text = line
        if i < len(lines) - 1:
            r.add_br()


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def set_widths(table, widths_mm: list[float], cells: bool = True) -> None:
    """Column widths in the table grid (LibreOffice and WPS read these) and on every cell
    (Word reads those); a fixed layout, so long text wraps instead of widening a column."""
    table.autofit = False
    for col, w in zip(table.columns, widths_mm):
        col.width = Mm(w)
    for row in table.rows if cells else ():  # a table with merged cells sets its cells itself
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)
    tblpr = table._tbl.tblPr
    layout = tblpr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tblpr.append(layout)
    layout.set(qn("w:type"), "fixed")
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(round(sum(widths_mm) / 25.4 * 1440))))


def placeholder(what: str) -> str:
    return PLACEHOLDER.format(what)
