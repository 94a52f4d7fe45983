"""The parts of a worksheet's XML around its cells that the tool changes: the
<dimension> widened to the written cells, custom column widths (<cols>), and the
tool's conditional-format marks (added or updated in place, every other rule kept)."""
from __future__ import annotations

import re

from .sheet_xml import CellWrite, Edit, PatchedXml, _Sheet, _xml_escape, get_column_letter, range_boundaries


def _dimension(ref: bytes, rows: dict[int, dict[int, CellWrite]]) -> bytes:
    """<dimension ref> widened to the written cells."""
    cols: set[int] = set()
    for ops in rows.values():
        cols.update(ops)
    try:
        c1, r1, c2, r2 = range_boundaries(ref.decode())
    except (ValueError, TypeError):
        return ref
    c2, r2 = c2 or c1, r2 or r1
    c1, r1, c2, r2 = min(c1, min(cols)), min(r1, min(rows)), max(c2, max(cols)), max(r2, max(rows))
    new = "%s%d" % (get_column_letter(c1), r1)
    if (c1, r1) != (c2, r2):
        new += ":%s%d" % (get_column_letter(c2), r2)
    return new.encode()


# -- column widths ------------------------------------------------------
_COL = re.compile(rb"<([\w.-]+:)?col\b([^>]*?)/>")
_MIN = re.compile(rb'\bmin="(\d+)"')
_MAX = re.compile(rb'\bmax="(\d+)"')


def _cols_edit(xml: bytes, rx: _Sheet, head_end: int, widths: dict[int, float]) -> Edit:
    """Set custom widths of 1-based columns, splitting <col> ranges as needed."""
    p = rx.prefix
    m = rx.cols.search(xml, 0, head_end)
    spans: list[tuple[int, int, bytes]] = []  # (min, max, other attributes)
    if m:
        for cm in _COL.finditer(m.group(1)):
            attrs = cm.group(2)
            lo, hi = int(_MIN.search(attrs).group(1)), int(_MAX.search(attrs).group(1))
            rest = _MAX.sub(b"", _MIN.sub(b"", attrs))
            spans.append((lo, hi, b" ".join(rest.split())))
    for col, width in sorted(widths.items()):
        new, keep = [], b""
        for lo, hi, rest in spans:
            if lo <= col <= hi:
                if lo < col:
                    new.append((lo, col - 1, rest))
                if col < hi:
                    new.append((col + 1, hi, rest))
                keep = b" ".join(re.sub(rb'\b(width|customWidth|bestFit)="[^"]*"', b"", rest).split())
            else:
                new.append((lo, hi, rest))
        attrs = b'width="%s" customWidth="1"' % repr(float(width)).encode()
        new.append((col, col, (keep + b" " + attrs).strip()))
        spans = sorted(new)
    body = b"".join(b"<" + p + b'col min="%d" max="%d" %s/>' % (lo, hi, rest) for lo, hi, rest in spans)
    block = b"<" + p + b"cols>" + body + b"</" + p + b"cols>"
    if m:
        return (m.start(), m.end(), block)
    return (head_end, head_end, block)  # <cols> goes right before <sheetData>


# ---- conditional-format marks ------------------------------------------------
# Children of <worksheet> that come after <conditionalFormatting> (ECMA-376 order).
_AFTER_CF = (b"dataValidations", b"hyperlinks", b"printOptions", b"pageMargins", b"pageSetup",
             b"headerFooter", b"rowBreaks", b"colBreaks", b"customProperties", b"cellWatches",
             b"ignoredErrors", b"smartTags", b"drawing", b"legacyDrawing", b"legacyDrawingHF",
             b"picture", b"oleObjects", b"controls", b"webPublishItems", b"tableParts", b"extLst")
_CF_BLOCK = re.compile(rb"<(?:(\w+):)?conditionalFormatting\b[^>]*>.*?</(?:\w+:)?conditionalFormatting>", re.S)
_PRIORITY = re.compile(rb'\bpriority="(\d+)"')


def put_conditional_formats(xml: bytes | PatchedXml, rules: list[tuple[str, str, int]]) -> bytes | PatchedXml:
    """Add (or update in place) expression rules (sqref, formula, dxfId) to a worksheet.
    A rule whose formula text is already in the sheet is the tool's own from an earlier
    run: its block is replaced, so reruns do not pile rules up. Every other rule and
    every other byte of the sheet stay as they were. Rules live after <sheetData>: of a
    patched sheet (PatchedXml) only that tail is rewritten, one more edit, the cells are
    never joined into one copy."""
    if isinstance(xml, PatchedXml):
        tail = conditional_formats_edit(xml.base, rules)
        if tail is not None and all(end <= tail[0] for _, end, _ in xml.edits):
            return PatchedXml(xml.base, [*xml.edits, tail])
        xml = bytes(xml)
    return _put_rules(xml, rules, _sheet_prefix(xml))


def conditional_formats_edit(base: bytes, rules: list[tuple[str, str, int]]) -> tuple[int, int, bytes] | None:
    """put_conditional_formats as one edit of the sheet's bytes, from </sheetData> to the end
    (None for a sheet without it): the cells' edits all come before it."""
    prefix = _sheet_prefix(base)
    close = base.rfind(b"</" + prefix + b"sheetData>")
    return (close, len(base), _put_rules(base[close:], rules, prefix)) if close >= 0 else None


def _put_rules(xml: bytes, rules: list[tuple[str, str, int]], prefix: bytes) -> bytes:
    """put_conditional_formats on a sheet's bytes, or on its tail from </sheetData>.
    `prefix`: '' or e.g. b'x:' (a valid sheet whose elements carry a prefix)."""
    tail_at = xml.rfind(b"</" + prefix + b"sheetData>")
    if tail_at < 0:
        tail_at = xml.find(b"<" + prefix + b"sheetData/>")
    if tail_at < 0:
        raise ValueError("worksheet without sheetData")
    for sqref, formula, dxf in rules:
        f_xml = _xml_escape(formula)
        found = None
        for m in _CF_BLOCK.finditer(xml, tail_at):
            if b"<" + prefix + b"formula>" + f_xml + b"</" + prefix + b"formula>" in m.group(0):
                found = m
                break
        priorities = [int(p) for p in _PRIORITY.findall(xml, tail_at)]  # rules come after the cells
        priority = int(_PRIORITY.search(found.group(0)).group(1)) if found else max(priorities, default=0) + 1
        block = (b"<" + prefix + b'conditionalFormatting sqref="' + _xml_escape(sqref) + b'"><' + prefix
                 + b'cfRule type="expression" dxfId="' + str(dxf).encode() + b'" priority="'
                 + str(priority).encode() + b'"><' + prefix + b"formula>" + f_xml + b"</" + prefix
                 + b"formula></" + prefix + b"cfRule></" + prefix + b"conditionalFormatting>")
        if found:
            xml = xml[:found.start()] + block + xml[found.end():]
            continue
        at = len(xml) - len(b"</" + prefix + b"worksheet>")
        start = tail_at  # top-level children only: skip the rules already there (they nest extLst)
        for m in _CF_BLOCK.finditer(xml, tail_at):
            start = m.end()
        for name in _AFTER_CF:
            m = re.compile(rb"<" + re.escape(prefix) + name + rb"[\s/>]").search(xml, start)
            if m:
                at = min(at, m.start())
        xml = xml[:at] + block + xml[at:]  # after any existing blocks, before what must follow them
    return xml


def _sheet_prefix(xml: bytes) -> bytes:
    m = re.search(rb"<(?:(\w+):)?worksheet\b", xml)
    return (m.group(1) + b":") if m and m.group(1) else b""
