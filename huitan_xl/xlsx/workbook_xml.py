"""Editable xl/workbook.xml: the sheet list, defined names, protection flags."""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .package import NS_MAIN, NS_R, Package, parse_xml, to_xml

_M = "{%s}" % NS_MAIN
_RID = "{%s}id" % NS_R
_TRUE = ("1", "true")


@dataclass(frozen=True)
class SheetEntry:
    name: str
    rid: str
    sheet_id: int
    position: int


class WorkbookXml:
    def __init__(self, pkg: Package, part: str):
        self.part = part
        self.root = parse_xml(pkg.read(part))
        self.changed = False

    # -- facts ---------------------------------------------------------
    def _sheets_el(self) -> etree._Element:
        return self.root.find(_M + "sheets")

    def sheets(self) -> list[SheetEntry]:
        return [SheetEntry(el.get("name"), el.get(_RID), int(el.get("sheetId", "0")), i)
                for i, el in enumerate(self._sheets_el().findall(_M + "sheet"))]

    def find(self, name: str) -> SheetEntry | None:
        """Excel compares sheet names case-insensitively."""
        for s in self.sheets():
            if s.name.casefold() == name.casefold():
                return s
        return None

    @property
    def structure_protected(self) -> bool:
        el = self.root.find(_M + "workbookProtection")
        return el is not None and el.get("lockStructure", "0").lower() in _TRUE

    @property
    def date1904(self) -> bool:
        el = self.root.find(_M + "workbookPr")
        return el is not None and el.get("date1904", "0").lower() in _TRUE

    @property
    def active_tab(self) -> int:
        view = self.root.find(_M + "bookViews/" + _M + "workbookView")
        return int(view.get("activeTab", "0")) if view is not None else 0

    # -- edits ---------------------------------------------------------
    def add_sheet(self, name: str, rid: str, position: int) -> SheetEntry:
        """Insert a <sheet> at `position`; sheet-scoped names and views after it shift."""
        sheets = self._sheets_el()
        sheet_id = max([0, *(s.sheet_id for s in self.sheets())]) + 1
        el = etree.Element(_M + "sheet", name=name, sheetId=str(sheet_id))
        el.set(_RID, rid)
        sheets.insert(position, el)
        for dn in self._names():
            lsid = dn.get("localSheetId")
            if lsid is not None and lsid.isdigit() and int(lsid) >= position:
                dn.set("localSheetId", str(int(lsid) + 1))
        for view in self.root.iter(_M + "workbookView"):
            for attr in ("activeTab", "firstSheet"):
                if view.get(attr) is not None and int(view.get(attr)) >= position and position < len(sheets) - 1:
                    view.set(attr, str(int(view.get(attr)) + 1))
        self.changed = True
        return SheetEntry(name, rid, sheet_id, position)

    def _names(self) -> list[etree._Element]:
        el = self.root.find(_M + "definedNames")
        return [] if el is None else el.findall(_M + "definedName")

    def remove_builtin_names(self, position: int) -> None:
        """Drop print area / titles / filter names scoped to the sheet at `position`."""
        for dn in self._names():
            if dn.get("localSheetId") == str(position) and (dn.get("name") or "").startswith("_xlnm."):
                dn.getparent().remove(dn)
                self.changed = True
        holder = self.root.find(_M + "definedNames")
        if holder is not None and len(holder) == 0:
            self.root.remove(holder)

    def add_name(self, name: str, text: str, position: int | None, hidden: bool) -> None:
        holder = self.root.find(_M + "definedNames")
        if holder is None:
            holder = etree.Element(_M + "definedNames")
            anchor = self.root.find(_M + "sheets")
            for tag in ("functionGroups", "externalReferences"):
                found = self.root.find(_M + tag)
                if found is not None:
                    anchor = found
            anchor.addnext(holder)
        for dn in self._names():
            if dn.get("name") == name and dn.get("localSheetId") == (None if position is None else str(position)):
                holder.remove(dn)
        el = etree.SubElement(holder, _M + "definedName", name=name)
        if position is not None:
            el.set("localSheetId", str(position))
        if hidden:
            el.set("hidden", "1")
        el.text = text
        self.changed = True

    def full_calc_on_load(self) -> None:
        calc = self.root.find(_M + "calcPr")
        if calc is None:
            calc = etree.Element(_M + "calcPr")
            anchor = self.root.find(_M + "definedNames")
            (anchor if anchor is not None else self.root.find(_M + "sheets")).addnext(calc)
        if calc.get("fullCalcOnLoad") != "1":
            calc.set("fullCalcOnLoad", "1")
            self.changed = True

    def save(self, pkg: Package) -> None:
        if self.changed:
            pkg.write(self.part, to_xml(self.root))
