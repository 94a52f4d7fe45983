"""Merge cell formats from a scratch XlsxWriter styles.xml into a target styles.xml.

Existing entries of the target are never renumbered or removed: fonts, fills,
borders, number formats, cellXfs and dxfs are appended (or an identical entry
already there is reused, so running twice does not grow the file).
"""
from __future__ import annotations

import copy

from lxml import etree

from .package import NS_MAIN, parse_xml, to_xml

_M = "{%s}" % NS_MAIN


def _key(el: etree._Element) -> tuple:
    """Order-insensitive identity of an element (namespace prefixes ignored)."""
    return (etree.QName(el).localname, tuple(sorted((etree.QName(k).localname, v) for k, v in el.attrib.items())),
            (el.text or "").strip(), tuple(_key(c) for c in el if isinstance(c.tag, str)))


def _child(root: etree._Element, name: str, before: tuple[str, ...]) -> etree._Element:
    """The <name> collection of styleSheet, created in schema order when missing."""
    el = root.find(_M + name)
    if el is not None:
        return el
    el = etree.Element(_M + name, count="0")
    for sib in root:
        if isinstance(sib.tag, str) and etree.QName(sib).localname in before:
            sib.addprevious(el)
            return el
    root.append(el)
    return el


_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
          "tableStyles", "colors", "extLst")


def _after(name: str) -> tuple[str, ...]:
    return _ORDER[_ORDER.index(name) + 1:]


class StyleMerger:
    def __init__(self, target_styles: bytes):
        self.root = parse_xml(target_styles)
        self.changed = False
        self._xf_cache: dict[int, int] = {}
        self._dxf_cache: dict[int, int] = {}
        self._src: etree._Element | None = None

    def use_source(self, scratch_styles: bytes) -> None:
        """Set the scratch styles.xml whose xf / dxf indexes `xf` and `dxf` map."""
        self._src = parse_xml(scratch_styles)
        self._xf_cache, self._dxf_cache = {}, {}

    def _src_list(self, name: str, item: str) -> list[etree._Element]:
        coll = self._src.find(_M + name)
        return [] if coll is None else coll.findall(_M + item)

    def _append(self, name: str, item: etree._Element) -> int:
        """Index of an identical entry in the target collection, appending it if new."""
        coll = _child(self.root, name, _after(name))
        items = coll.findall(_M + etree.QName(item).localname)
        key = _key(item)
        for i, el in enumerate(items):
            if _key(el) == key:
                return i
        coll.append(copy.deepcopy(item))
        coll.set("count", str(len(items) + 1))
        self.changed = True
        return len(items)

    def _num_fmt(self, fmt_id: int) -> int:
        if fmt_id < 164:
            return fmt_id
        src = {int(e.get("numFmtId")): e.get("formatCode") for e in self._src_list("numFmts", "numFmt")}
        code = src.get(fmt_id)
        if code is None:
            return 0
        coll = _child(self.root, "numFmts", _after("numFmts"))
        existing = {e.get("formatCode"): int(e.get("numFmtId")) for e in coll.findall(_M + "numFmt")}
        if code in existing:
            return existing[code]
        new_id = max([163, *existing.values()]) + 1
        etree.SubElement(coll, _M + "numFmt", numFmtId=str(new_id), formatCode=code)
        coll.set("count", str(len(coll.findall(_M + "numFmt"))))
        self.changed = True
        return new_id

    def _ref(self, name: str, item: str, index: int, defaults: int) -> int:
        """Map a scratch font/fill/border index; the first `defaults` are the mandatory defaults."""
        if index < defaults:
            return index
        items = self._src_list(name, item)
        return self._append(name, items[index]) if index < len(items) else 0

    def xf(self, index: int) -> int:
        """Target cellXfs index for scratch cellXfs `index` (0 = default stays 0)."""
        if index == 0:
            return 0
        if index in self._xf_cache:
            return self._xf_cache[index]
        xfs = self._src_list("cellXfs", "xf")
        if index >= len(xfs):
            return 0
        xf = copy.deepcopy(xfs[index])
        xf.set("numFmtId", str(self._num_fmt(int(xf.get("numFmtId", "0")))))
        xf.set("fontId", str(self._ref("fonts", "font", int(xf.get("fontId", "0")), 1)))
        xf.set("fillId", str(self._ref("fills", "fill", int(xf.get("fillId", "0")), 2)))
        xf.set("borderId", str(self._ref("borders", "border", int(xf.get("borderId", "0")), 1)))
        xf.set("xfId", "0")
        result = self._append("cellXfs", xf)
        self._xf_cache[index] = result
        return result

    def dxf(self, index: int) -> int:
        if index in self._dxf_cache:
            return self._dxf_cache[index]
        dxfs = self._src_list("dxfs", "dxf")
        result = self._append("dxfs", dxfs[index]) if index < len(dxfs) else 0
        self._dxf_cache[index] = result
        return result

    def to_bytes(self) -> bytes:
        return to_xml(self.root)
