"""The package writer copies unchanged parts as they are stored and deflates big changed
parts in the background: same zip entries, same contents, valid CRCs."""
from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from huitan_xl.xlsx.package import BIG_PART, BIG_PART_LEVEL, Package


def stored(data: bytes, name: str) -> bytes:
    z = zipfile.ZipFile(io.BytesIO(data))
    info = z.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    return data[start:start + info.compress_size]


def source() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("a.xml", (2020, 5, 6, 7, 8, 10)), b"<a/>" * 1000, zipfile.ZIP_DEFLATED, 9)
        z.writestr(zipfile.ZipInfo("b.bin", (2020, 5, 6, 7, 8, 10)), b"\x00\x01" * 100, zipfile.ZIP_STORED)
        z.writestr(zipfile.ZipInfo("c.xml", (2020, 5, 6, 7, 8, 10)), b"<c/>", zipfile.ZIP_DEFLATED)
    return buf.getvalue()


class Pieces:
    """A changed part given as pieces, as a patched sheet is."""

    def __init__(self, pieces):
        self.pieces = pieces

    def chunks(self):
        return iter(self.pieces)

    def __len__(self):
        return sum(map(len, self.pieces))


def test_unchanged_parts_keep_their_stored_bytes_and_changed_ones_are_deflated():
    src = source()
    pkg = Package.from_bytes(src)
    big = [b"<row>%d</row>" % i for i in range(200_000)]
    pkg.write("c.xml", Pieces(big))  # big: deflated in a background thread
    pkg.write("d.xml", b"<d/>")
    out = pkg.to_bytes()
    z = zipfile.ZipFile(io.BytesIO(out))
    assert z.testzip() is None
    assert [i.filename for i in z.infolist()] == ["a.xml", "b.bin", "c.xml", "d.xml"]
    assert stored(out, "a.xml") == stored(src, "a.xml")  # level 9 as it was, not recompressed
    assert z.getinfo("b.bin").compress_type == zipfile.ZIP_STORED and z.read("b.bin") == b"\x00\x01" * 100
    assert z.read("c.xml") == b"".join(big) and len(b"".join(big)) > BIG_PART
    assert BIG_PART_LEVEL == 5
    fast = zlib.compressobj(5, zlib.DEFLATED, -15)
    assert stored(out, "c.xml") == fast.compress(b"".join(big)) + fast.flush()
    assert z.getinfo("a.xml").date_time == (2020, 5, 6, 7, 8, 10)
    assert z.read("d.xml") == b"<d/>"


def test_a_big_part_written_with_a_level_is_deflated_at_that_level():
    """Big changed parts go in at BIG_PART_LEVEL (5) unless a level is given: the stored
    bytes are zlib's at that level, byte for byte."""
    pkg = Package.from_bytes(source())
    big = b"".join(b"<row r=\"%d\"><c><v>%d</v></c></row>" % (i, i * 7 % 1000) for i in range(100_000))
    assert len(big) > BIG_PART
    pkg.write("e.xml", big, level=1)
    pkg.write("c.xml", big)
    out = pkg.to_bytes()
    z = zipfile.ZipFile(io.BytesIO(out))
    assert z.testzip() is None and z.read("e.xml") == big and z.read("c.xml") == big
    one, five = zlib.compressobj(1, zlib.DEFLATED, -15), zlib.compressobj(5, zlib.DEFLATED, -15)
    assert stored(out, "e.xml") == one.compress(big) + one.flush()
    assert stored(out, "c.xml") == five.compress(big) + five.flush()
    assert len(stored(out, "c.xml")) < len(stored(out, "e.xml"))


def test_a_big_part_is_held_compressed_and_reads_back_whole():
    """A big changed part is kept only while it is deflated (its uncompressed bytes are let
    go); reading it back, or writing it into a part the source stored uncompressed, gives
    the same bytes."""
    pkg = Package.from_bytes(source())
    big = b"".join(b"<row r=\"%d\"><c><v>%d</v></c></row>" % (i, i % 97) for i in range(100_000))
    pkg.write("c.xml", Pieces([big[:1000], big[1000:]]))
    pkg.write("b.bin", big)  # stored (not deflated) in the source
    assert pkg.read("c.xml") == big and pkg.read("b.bin") == big
    z = zipfile.ZipFile(io.BytesIO(pkg.copy().to_bytes()))
    assert z.read("c.xml") == big and z.read("b.bin") == big
    assert z.getinfo("b.bin").compress_type == zipfile.ZIP_STORED


def big_source(body: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("xl/worksheets/sheet1.xml", (2020, 5, 6, 7, 8, 10)), body,
                   zipfile.ZIP_DEFLATED, 6)
    return buf.getvalue()


def test_a_big_part_reads_back_whole_in_one_inflate():
    body = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i * 7) for i in range(1, 60000))
    assert len(body) > BIG_PART
    assert Package.from_bytes(big_source(body)).read("xl/worksheets/sheet1.xml") == body


def test_a_big_part_whose_bytes_do_not_match_its_crc_is_refused():
    body = bytes(range(256)) * (BIG_PART // 256 + 10)  # barely compressible: a flipped byte stays in the data
    data = bytearray(big_source(body))
    start = 30 + len("xl/worksheets/sheet1.xml")
    data[start + len(data) // 3] ^= 0x01
    with pytest.raises(zipfile.BadZipFile, match="CRC"):
        Package.from_bytes(bytes(data)).read("xl/worksheets/sheet1.xml")
def test_a_part_written_as_a_stream_is_deflated_block_by_block():
    """write_stream: a big part made block by block is deflated as its blocks come (the
    stored bytes are zlib's at the level, as a whole part gives); a small one stays bytes."""
    pkg = Package.from_bytes(source())
    blocks = [b"<row r=\"%d\"><c><v>%d</v></c></row>" % (i, i * 7 % 1000) for i in range(100_000)]
    big = b"".join(blocks)
    assert len(big) > BIG_PART
    pkg.write_stream("c.xml", iter(blocks))
    pkg.write_stream("s.xml", iter([b"<s>", b"</s>"]))
    assert pkg.read("s.xml") == b"<s></s>" and pkg.read("c.xml") == big
    out = pkg.to_bytes()
    z = zipfile.ZipFile(io.BytesIO(out))
    assert z.testzip() is None and z.read("c.xml") == big and z.read("s.xml") == b"<s></s>"
    five = zlib.compressobj(5, zlib.DEFLATED, -15)
    assert stored(out, "c.xml") == five.compress(big) + five.flush()


def test_a_stream_that_fails_raises_and_leaves_no_thread_waiting():
    import threading

    pkg = Package.from_bytes(source())
    before = set(threading.enumerate())

    def failing():
        yield b"x" * (BIG_PART + 1)
        raise RuntimeError("made badly")

    try:
        pkg.write_stream("c.xml", failing())
    except RuntimeError as exc:
        assert str(exc) == "made badly"
    else:
        raise AssertionError("the error must reach the caller")
    assert pkg.read("c.xml") == b"<c/>"  # the part as it was
    for thread in set(threading.enumerate()) - before:  # the deflater was told the stream ended
        thread.join(10)
        assert not thread.is_alive()
