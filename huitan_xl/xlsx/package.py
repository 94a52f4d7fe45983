"""An OOXML package (.xlsx/.xlsm) as an ordered set of parts, for the writer.

Parts we do not touch are written back with their original bytes, their
original ZipInfo (name, timestamp, compression, attributes) and in their
original order; new parts get a fixed 1980-01-01 timestamp so the same inputs
always give the same file.
"""
from __future__ import annotations

import io
import posixpath
import queue
import re
import struct
import threading
import zipfile
import zlib
from dataclasses import dataclass
from typing import Iterable

from lxml import etree

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
BIG_PART = 1 << 20
# deflate level of big changed parts (patched register sheets, the tool's own big sheets), in
# a background thread. Measured on the hard 100k register (CPU s, MB): the patched 71 MB
# 诉求台账 level 3 0.41 s 9.9 MB, level 5 0.53 s 8.7 MB (Excel's own about 8.3 MB); the
# 46 MB 逾期督办 level 5 0.26 s 4.4 MB, level 6 0.55 s 4.2 MB
BIG_PART_LEVEL = 5
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
    changed part is bytes or a PatchedXml-like object with chunks(). Unchanged parts
    are copied as they are stored (compressed bytes and CRC), never recompressed; a big
    changed part starts compressing in a background thread as soon as it is written
    (zlib works without the GIL while the caller builds the other parts)."""

    def __init__(self) -> None:
        self._order: list[str] = []
        self._data: dict[str, object] = {}  # None = unchanged, read from the source zip
        self._info: dict[str, zipfile.ZipInfo] = {}
        self._src: zipfile.ZipFile | None = None
        self._src_bytes: bytes | None = None

    @classmethod
    def from_bytes(cls, data: bytes) -> "Package":
        pkg = cls()
        pkg._src = zipfile.ZipFile(io.BytesIO(data))
        pkg._src_bytes = data
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
        other._src_bytes = self._src_bytes
        return other

    @property
    def names(self) -> list[str]:
        return list(self._order)

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def read(self, name: str) -> bytes:
        data = self._data[name]
        if data is None:
            info = self._info[name]
            big = info.file_size > BIG_PART and info.compress_type == zipfile.ZIP_DEFLATED
            stored = self._stored(info) if big else None
            if stored is None:
                return self._src.read(info)
            # a big part inflated in one allocation of its known size (zipfile's read holds
            # twice a 60 MB sheet while it joins), its CRC checked as zipfile does
            out = zlib.decompress(stored, -15, info.file_size)
            if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
                raise zipfile.BadZipFile(f"Bad CRC-32 for file {name!r}")
            return out
        if isinstance(data, _Deflating):  # (rare: a big part read back after it was written)
            return data.inflated()
        return data if isinstance(data, bytes) else bytes(data)

    def write(self, name: str, data, level: int = BIG_PART_LEVEL) -> None:
        """Replace a part (keeping its place and ZipInfo) or add a new part at the end.
        `data`: bytes, or an object with chunks() and len() (a patched sheet); a big part
        is deflated at `level` in a background thread."""
        if name not in self._data:
            self._order.append(name)
        # a big part is kept only as it is being deflated: once compressed, its uncompressed
        # bytes (a patched 70 MB register sheet and the original it points into) are let go
        self._data[name] = _Deflating(data, level) if len(data) > BIG_PART else data

    def write_stream(self, name: str, blocks: Iterable[bytes], level: int = BIG_PART_LEVEL) -> None:
        """Write a part made block by block (bytes): a big one is deflated in a background
        thread as its blocks come, each let go once compressed, so the whole part never
        exists uncompressed; a small one is kept as bytes, as write keeps it."""
        blocks = iter(blocks)
        start: list[bytes] = []
        size = 0
        for block in blocks:
            start.append(block)
            size += len(block)
            if size > BIG_PART:
                break
        else:
            self.write(name, b"".join(start), level)
            return
        deflating = _Deflating(None, level, fed=True)
        try:
            for block in start:
                deflating.feed(block)
            del start
            for block in blocks:
                deflating.feed(block)
        finally:
            deflating.feed(None)  # the end (also when making a block failed: the thread ends)
        if name not in self._data:
            self._order.append(name)
        self._data[name] = deflating

    def remove(self, name: str) -> None:
        if name in self._data:
            del self._data[name]
            self._order.remove(name)
            self._info.pop(name, None)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.write_to(buf)
        return buf.getvalue()

    def write_to(self, fh) -> None:
        """The package as a zip file, written to the binary file object `fh`."""
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as z:
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
                    stored = self._stored(old)
                    if stored is not None:  # as it is in the source: not even decompressed
                        _write_compressed(z, info, stored, old.CRC, old.file_size)
                        continue
                    data = self._src.read(old)
                if isinstance(data, _Deflating):
                    if info.compress_type == zipfile.ZIP_DEFLATED:
                        _write_compressed(z, info, *data.result())
                        continue
                    data = data.inflated()  # a part stored uncompressed in the source stays so
                # big parts: a fast deflate level, a little larger than Excel's, several times quicker
                _set_compress_level(info, BIG_PART_LEVEL if len(data) > BIG_PART else None)
                if isinstance(data, bytes):
                    z.writestr(info, data)
                else:
                    with z.open(info, "w", force_zip64=len(data) > 0x7FFFFFFF) as out:
                        for block in _blocks(data):
                            out.write(block)

    def _stored(self, info: zipfile.ZipInfo) -> memoryview | None:
        """A source part's stored (compressed) bytes, when they can be copied as they are."""
        data = self._src_bytes
        if (data is None or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
                or info.flag_bits & 0x1):  # encrypted
            return None
        at = info.header_offset
        if data[at:at + 4] != b"PK\x03\x04":
            return None
        name_len, extra_len = struct.unpack_from("<HH", data, at + 26)
        start = at + 30 + name_len + extra_len
        if start + info.compress_size > len(data):
            return None
        return memoryview(data)[start:start + info.compress_size]

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


def _blocks(data):
    """A part's bytes in blocks of about BIG_PART (a patched part streams as many small pieces)."""
    if isinstance(data, bytes):
        view = memoryview(data)
        for at in range(0, len(data), BIG_PART):
            yield view[at:at + BIG_PART]
        return
    buffer = bytearray()
    for chunk in data.chunks():
        buffer += chunk
        if len(buffer) >= BIG_PART:
            yield bytes(buffer)
            buffer.clear()
    yield bytes(buffer)


class _Deflating:
    """A big changed part being deflated in a background thread: its data given whole, or
    `fed` block by block (feed(None) ends it) through a short queue."""

    def __init__(self, data, level: int = BIG_PART_LEVEL, *, fed: bool = False):
        self._out: tuple[list[bytes], int, int] | None = None
        self._error: BaseException | None = None
        self._queue: queue.Queue | None = queue.Queue(maxsize=4) if fed else None
        source = iter(self._queue.get, None) if fed else _blocks(data)
        self._thread = threading.Thread(target=self._run, args=(source, level), daemon=True)
        self._thread.start()

    def feed(self, block: bytes | None) -> None:
        """The next block of a fed part (None: there is no more)."""
        self._queue.put(block)

    def _run(self, source, level: int) -> None:
        try:  # (source: Thread drops its args when this returns)
            comp = zlib.compressobj(level, zlib.DEFLATED, -15)  # what zipfile does at that level
            out, crc, size = [], 0, 0
            for block in source:
                crc = zlib.crc32(block, crc)
                size += len(block)
                out.append(comp.compress(block))
            out.append(comp.flush())
            self._out = (out, crc, size)
        except BaseException as exc:  # re-raised in the saving thread
            self._error = exc
            if self._queue is not None:  # a fed part: take the rest, so the feeder never waits
                for _ in source:
                    pass

    def inflated(self) -> bytes:
        """The part's bytes again, from its compressed blocks."""
        blocks, _, _ = self.result()
        return zlib.decompress(b"".join(blocks), -15)

    def result(self) -> tuple[list[bytes], int, int]:
        """(compressed blocks, CRC-32, uncompressed size)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._out


def _write_compressed(z: zipfile.ZipFile, info: zipfile.ZipInfo, blocks, crc: int, size: int) -> None:
    """Add an entry whose data is already compressed (info.compress_type says how): the
    same local header, data and central-directory record as ZipFile.writestr would give
    for that data. zipfile has no public call for this; it uses the attributes its own
    writer uses (fp, start_dir, filelist, NameToInfo)."""
    if isinstance(blocks, (bytes, memoryview)):
        blocks = [blocks]
    info.file_size = size
    info.compress_size = sum(len(b) for b in blocks)
    info.CRC = crc
    info.flag_bits = 0
    zip64 = size * 1.05 > zipfile.ZIP64_LIMIT
    z.fp.seek(z.start_dir)
    info.header_offset = z.fp.tell()
    z.fp.write(info.FileHeader(zip64))
    for b in blocks:
        z.fp.write(b)
    z.start_dir = z.fp.tell()
    z.filelist.append(info)
    z.NameToInfo[info.filename] = info
    z._didModify = True


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
        # built once: a workbook of 3,000 sheets looks a part up thousands of times
        self._def = {el.get("Extension", "").lower(): el for el in self.root
                     if etree.QName(el).localname == "Default"}
        self._over = {el.get("PartName", "").lstrip("/"): el for el in self.root
                      if etree.QName(el).localname == "Override"}

    def _defaults(self) -> dict[str, etree._Element]:
        return self._def

    def _overrides(self) -> dict[str, etree._Element]:
        return self._over

    def get(self, part: str) -> str:
        over = self._over.get(part)
        if over is not None:
            return over.get("ContentType", "")
        ext = part.rsplit(".", 1)[-1].lower() if "." in part else ""
        default = self._def.get(ext)
        return default.get("ContentType", "") if default is not None else ""

    def ensure(self, part: str, content_type: str) -> None:
        if self.get(part) == content_type:
            return
        ext = part.rsplit(".", 1)[-1].lower() if "." in posixpath.basename(part) else ""
        if ext and ext not in self._def and ext != "xml":
            el = etree.Element("{%s}Default" % NS_CT, Extension=ext, ContentType=content_type)
            defaults = list(self._def.values())
            if defaults:
                defaults[-1].addnext(el)
            else:
                self.root.insert(0, el)
            self._def[ext] = el
        else:
            self.remove(part)
            self._over[part] = etree.SubElement(self.root, "{%s}Override" % NS_CT, PartName="/" + part,
                                                ContentType=content_type)
        self.changed = True

    def remove(self, part: str) -> None:
        el = self._over.pop(part, None)
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
