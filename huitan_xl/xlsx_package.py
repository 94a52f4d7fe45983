"""An OOXML package (.xlsx/.xlsm) as an ordered set of parts, for the writer.

Parts we do not touch are written back with their original bytes, their
original ZipInfo (name, timestamp, compression, attributes) and in their
original order; new parts get a fixed 1980-01-01 timestamp so the same inputs
always give the same file.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
BIG_PART = 1 << 20
XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'

_PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False, huge_tree=True)


def parse_xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def to_xml(root: etree._Element) -> bytes:
    return XML_DECL + etree.tostring(root, encoding="UTF-8")


def rels_name(part: str) -> str:
    """The relationships part of `part` ('' is the package root)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source: str, target: str) -> str:
    """Part name a relationship Target of `source` points to."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relative(source: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


@dataclass(frozen=True)
class Rel:
    id: str
    type: str
    target: str  # resolved part name, or the URL when external
    external: bool


def _set_compress_level(info: zipfile.ZipInfo, level: int | None) -> None:
    """Per-entry deflate level (public `compress_level` from Python 3.13 on)."""
    if hasattr(info, "compress_level"):
        info.compress_level = level
    else:
        info._compresslevel = level


class Package:
    """Ordered parts of a zip package. Parts are decompressed only when read; a
    changed part is bytes or a PatchedXml-like object with chunks()."""

    def __init__(self) -> None:
        self._order: list[str] = []
        self._data: dict[str, object] = {}  # None = unchanged, read from the source zip
        self._info: dict[str, zipfile.ZipInfo] = {}
        self._src: zipfile.ZipFile | None = None

    @classmethod
    def from_bytes(cls, data: bytes) -> "Package":
        pkg = cls()
        pkg._src = zipfile.ZipFile(io.BytesIO(data))
        for info in pkg._src.infolist():
            if info.is_dir():
                continue
            pkg._order.append(info.filename)
            pkg._data[info.filename] = None
            pkg._info[info.filename] = info
        return pkg

    def copy(self) -> "Package":
        other = Package()
        other._order = list(self._order)
        other._data = dict(self._data)
        other._info = dict(self._info)
        other._src = self._src
        return other

    @property
    def names(self) -> list[str]:
        return list(self._order)

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def read(self, name: str) -> bytes:
        data = self._data[name]
        if data is None:
            return self._src.read(self._info[name])
        return data if isinstance(data, bytes) else bytes(data)

    def write(self, name: str, data) -> None:
        """Replace a part (keeping its place and ZipInfo) or add a new part at the end.
        `data`: bytes, or an object with chunks() and len() (a patched sheet)."""
        if name not in self._data:
            self._order.append(name)
        self._data[name] = data

    def remove(self, name: str) -> None:
        if name in self._data:
            del self._data[name]
            self._order.remove(name)
            self._info.pop(name, None)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name in self._order:
                old = self._info.get(name)
                info = zipfile.ZipInfo(name, old.date_time if old else FIXED_TIME)
                if old is not None:
                    info.compress_type = old.compress_type
                    info.external_attr = old.external_attr
                    info.create_system = old.create_system
                    info.comment = old.comment
                else:
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o600 << 16
                    info.create_system = 0
                data = self._data[name]
                if data is None:
                    data = self._src.read(old)
                # big parts: fast deflate (as Excel does), a few % larger, several times quicker
                _set_compress_level(info, 1 if len(data) > BIG_PART else None)
                if isinstance(data, bytes):
                    z.writestr(info, data)
                else:
                    with z.open(info, "w", force_zip64=len(data) > 0x7FFFFFFF) as out:
                        buffer = bytearray()
                        for chunk in data.chunks():  # many small pieces: write in 1 MB blocks
                            buffer += chunk
                            if len(buffer) >= BIG_PART:
                                out.write(bytes(buffer))
                                buffer.clear()
                        out.write(bytes(buffer))
        return buf.getvalue()

    # -- relationships -------------------------------------------------
    def rels(self, part: str) -> list[Rel]:
        name = rels_name(part)
        if name not in self._data:
            return []
        out = []
        for el in parse_xml(self.read(name)):
            ext = el.get("TargetMode") == "External"
            tgt = el.get("Target", "")
            out.append(Rel(el.get("Id"), el.get("Type", ""), tgt if ext else resolve(part, tgt), ext))
        return out

    def closure(self, part: str) -> set[str]:
        """`part` and every part reachable from it through relationships."""
        seen, todo = {part}, [part]
        while todo:
            for rel in self.rels(todo.pop()):
                if not rel.external and rel.target not in seen and rel.target in self._data:
                    seen.add(rel.target)
                    todo.append(rel.target)
        return seen

    def reachable(self) -> set[str]:
        return self.closure("") - {""}

    def workbook_part(self) -> str:
        for rel in self.rels(""):
            if rel.type.endswith("/officeDocument"):
                return rel.target
        return "xl/workbook.xml"

    def free_name(self, pattern: str, taken: set[str] = frozenset()) -> str:
        """Smallest unused 'xl/charts/chart{}.xml'-style name."""
        n = 1
        while True:
            name = pattern.format(n)
            if name not in self._data and name not in taken:
                return name
            n += 1


def numbered_pattern(name: str) -> str:
    """'xl/drawings/drawing3.xml' -> 'xl/drawings/drawing{}.xml'."""
    folder, base = posixpath.split(name)
    m = re.match(r"^(.*?)(\d+)(\.[^.]+)$", base)
    if m:
        base = m.group(1).replace("{", "{{").replace("}", "}}") + "{}" + m.group(3)
    else:
        stem, dot, ext = base.rpartition(".")
        base = (stem or ext) + "{}" + (dot + ext if stem else "")
    return posixpath.join(folder, base)


class Relationships:
    """Editable relationships part (lxml) of one source part."""

    def __init__(self, pkg: Package, part: str):
        self.part = part
        self.name = rels_name(part)
        self.changed = False
        if self.name in pkg:
            self.root = parse_xml(pkg.read(self.name))
        else:
            self.root = etree.Element("{%s}Relationships" % NS_PKG_REL, nsmap={None: NS_PKG_REL})

    def ids(self) -> set[str]:
        return {el.get("Id") for el in self.root}

    def new_id(self) -> str:
        nums = [int(m.group(1)) for i in self.ids() if (m := re.fullmatch(r"rId(\d+)", i or ""))]
        return "rId%d" % (max(nums, default=0) + 1)

    def add(self, rel_type: str, target_part: str, rid: str | None = None) -> str:
        rid = rid or self.new_id()
        etree.SubElement(self.root, "{%s}Relationship" % NS_PKG_REL,
                         Id=rid, Type=rel_type, Target=relative(self.part, target_part))
        self.changed = True
        return rid

    def remove(self, rid: str) -> None:
        for el in list(self.root):
            if el.get("Id") == rid:
                self.root.remove(el)
                self.changed = True

    def remove_target(self, target_part: str) -> None:
        for el in list(self.root):
            if el.get("TargetMode") != "External" and resolve(self.part, el.get("Target", "")) == target_part:
                self.root.remove(el)
                self.changed = True

    def target(self, rid: str) -> str | None:
        for el in self.root:
            if el.get("Id") == rid:
                return resolve(self.part, el.get("Target", ""))
        return None

    def save(self, pkg: Package) -> None:
        if self.changed:
            pkg.write(self.name, to_xml(self.root))


class ContentTypes:
    """Editable [Content_Types].xml."""

    NAME = "[Content_Types].xml"

    def __init__(self, pkg: Package):
        self.root = parse_xml(pkg.read(self.NAME))
        self.changed = False

    def _defaults(self) -> dict[str, etree._Element]:
        return {el.get("Extension", "").lower(): el for el in self.root
                if etree.QName(el).localname == "Default"}

    def _overrides(self) -> dict[str, etree._Element]:
        return {el.get("PartName", "").lstrip("/"): el for el in self.root
                if etree.QName(el).localname == "Override"}

    def get(self, part: str) -> str:
        over = self._overrides().get(part)
        if over is not None:
            return over.get("ContentType", "")
        ext = part.rsplit(".", 1)[-1].lower() if "." in part else ""
        default = self._defaults().get(ext)
        return default.get("ContentType", "") if default is not None else ""

    def ensure(self, part: str, content_type: str) -> None:
        if self.get(part) == content_type:
            return
        ext = part.rsplit(".", 1)[-1].lower() if "." in posixpath.basename(part) else ""
        if ext and ext not in self._defaults() and ext != "xml":
            el = etree.Element("{%s}Default" % NS_CT, Extension=ext, ContentType=content_type)
            defaults = [e for e in self.root if etree.QName(e).localname == "Default"]
            if defaults:
                defaults[-1].addnext(el)
            else:
                self.root.insert(0, el)
        else:
            self.remove(part)
            etree.SubElement(self.root, "{%s}Override" % NS_CT, PartName="/" + part, ContentType=content_type)
        self.changed = True

    def remove(self, part: str) -> None:
        el = self._overrides().get(part)
        if el is not None:
            self.root.remove(el)
            self.changed = True

    def save(self, pkg: Package) -> None:
        if self.changed:
            pkg.write(self.NAME, to_xml(self.root))


def drop_unreachable(pkg: Package, ct: ContentTypes, candidates: set[str]) -> list[str]:
    """Remove those of `candidates` no relationship reaches any more (with their rels
    and content-type overrides); other parts are left alone. Returns the removed names."""
    reach = pkg.reachable()
    gone = sorted(p for p in candidates if p and p not in reach and p in pkg)
    for part in gone:
        pkg.remove(part)
        pkg.remove(rels_name(part))
        ct.remove(part)
    return gone
