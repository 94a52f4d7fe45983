"""Which cells of a sheet carry a date number format (issue 18 §5).

python-calamine gives values, not formats. A text typed into a cell she formatted as a
date (`1.10` in a 交办时间 column) is one Excel itself did not take as a date: what the
clerk meant cannot be known from the text alone, so read.py reports it instead of
completing it. Only the few cells asked about are looked up: the sheet's XML is searched
for their references in one forward pass (cells are stored in row, then column order),
and styles.xml gives each style's number format.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from . import a1
from .xlsx.package import rels_name, resolve

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
# built-in number formats that show a date: 14–17, 22 (all locales), 27–36 and 50–58 (the
# CJK locales' 年月日 forms, e.g. 31 = yyyy"年"m"月"d"日")
BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 22, *range(27, 37), *range(50, 59)})
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_SCIENTIFIC = re.compile(r"e[+-]")
_STYLE = re.compile(rb'\ss="(\d+)"')


def is_date_format(code: str) -> bool:
    """A custom number format code that shows a date: y / d / e (年) outside quoted text,
    [locale] / [DBNum] brackets and escapes; General, @ and 0.00E+00 are not."""
    s = _QUOTED.sub("", code).lower()
    if "general" in s:
        return False
    s = _SCIENTIFIC.sub("", s)
    return bool(re.search(r"[yde]", s))




def _workbook_parts(z: zipfile.ZipFile, sheet: str) -> tuple[str | None, str | None]:
    """(the sheet's part, styles.xml's part) by workbook.xml and its relationships."""
    from .ownership import _workbook_part

    wb_part = _workbook_part(z)
    root = etree.fromstring(z.read(wb_part), _PARSER)
    rels = etree.fromstring(z.read(rels_name(wb_part)), _PARSER)
    targets = {r.get("Id"): (r.get("Type") or "", resolve(wb_part, r.get("Target") or "")) for r in rels}
    rid = next((el.get(_REL) for el in root.iter(_MAIN + "sheet") if el.get("name") == sheet), None)
    sheet_part = targets.get(rid, ("", None))[1] if rid else None
    styles = next((t for typ, t in targets.values() if typ.endswith("/styles")), None)
    return sheet_part, styles


def _date_styles(styles_xml: bytes) -> set[int]:
    root = etree.fromstring(styles_xml, _PARSER)
    custom = {}
    for nf in root.iter(_MAIN + "numFmt"):
        try:
            custom[int(nf.get("numFmtId"))] = nf.get("formatCode") or ""
        except (TypeError, ValueError):
            continue
    xfs = root.find(_MAIN + "cellXfs")
    out = set()
    for i, xf in enumerate(xfs if xfs is not None else ()):
        try:
            fid = int(xf.get("numFmtId") or 0)
        except ValueError:
            continue
        if fid in custom:
            if is_date_format(custom[fid]):
                out.add(i)
        elif fid in BUILTIN_DATE_FORMATS:
            out.add(i)
    return out


def date_formatted(source: Path | str | bytes, sheet: str, cells: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (Excel row, Excel column) pairs among `cells` whose number format is a date.
    Empty when the package cannot be read this way (the values were read already)."""
    if not cells:
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
            sheet_part, styles_part = _workbook_parts(z, sheet)
            if sheet_part is None or styles_part is None:
                return set()
            dated = _date_styles(z.read(styles_part))
            if not dated:
                return set()
            data = z.read(sheet_part)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError):
        return set()
    out = set()
    pos = 0
    for row, col in sorted(cells):
        ref = f' r="{a1.cell(row, col)}"'.encode()
        hit = data.find(ref, pos)
        if hit < 0:
            hit = data.find(ref)  # out of order in a hand-made file: search from the start
            if hit < 0:
                continue
        else:
            pos = hit
        start, end = data.rfind(b"<", 0, hit), data.find(b">", hit)
        m = _STYLE.search(data, start, end)
        if m and int(m.group(1)) in dated:
            out.add((row, col))
    return out
