"""Patch cells of one worksheet's XML in place, working on bytes row by row.

Only the rows that get a new value are touched; every other byte of the sheet
is copied as it was. Strings go in as inline strings (never formulas), numbers
as numbers; a cell that gets None keeps its style but loses its value.
"""
from __future__ import annotations

import re
from itertools import chain

from .sheet_parts import _cols_edit, _dimension
from .sheet_xml import (_ATTR_PH, _ATTR_R, _ATTR_REF, _ATTR_S, _ATTR_SI, _ATTR_SPANS, _COLUMNS, _WS, CellWrite,
                        Edit, PatchedXml, PatchResult, _col_of, _letters_col, _Sheet, _unescape, _xml_escape,
                        escape_text, get_column_letter)


class _Patcher:
    """Computes the edits for one sheet; offsets are into the original bytes."""

    def __init__(self, xml: bytes, rows: dict[int, dict[int, CellWrite]]):
        self.xml = xml
        self.rx = _Sheet(xml)
        self.rows = rows
        self.removed_formulas = False
        self.shared_masters: dict[bytes, tuple[str, str]] = {}  # si -> (formula, master ref)
        self._letters: dict[int, bytes] = {}
        p = self.rx.prefix
        # a cell is self._c_r + its ref + a body from one of these templates
        self._c_r = b"<" + p + b'c r="'
        self._b_str = (b'"%s t="inlineStr"><' + p + b'is><' + p + b't xml:space="preserve">%s</'
                       + p + b't></' + p + b'is></' + p + b'c>')
        self._b_val = b'"%s><' + p + b'v>%s</' + p + b'v></' + p + b'c>'
        self._b_empty = b'"%s/>'
        self._bodies: dict[tuple[CellWrite, bytes], bytes] = {}  # (write, old attributes but r=) -> body
        self._c_open = b"<" + p + b"c"
        self._c_close = b"</" + p + b"c>"
        self._heads: dict[int, bytes] = {}  # column -> <c r="LETTERS
        self._fresh: dict[int, tuple[CellWrite, bytes]] = {}  # id(write) -> (write, body of a new cell)
        self._f_open = b"<" + p + b"f"
        self._cell_r = re.compile(b"<" + re.escape(p) + rb'c r="([A-Za-z]{1,3})\d+"')

    def _ref(self, col: int, rnum: int) -> bytes:
        letters = self._letters.get(col)
        if letters is None:
            letters = self._letters[col] = get_column_letter(col).encode()
        return letters + b"%d" % rnum

    # -- one cell ------------------------------------------------------
    def _cell(self, ref: bytes, op: CellWrite, old_attrs: bytes = b"", old_inner: bytes | None = None) -> bytes:
        """The new XML of one cell (old_attrs / old_inner: the cell as it was, if any)."""
        if old_inner:
            self._note_formula(ref, old_inner)
        if op.kind == "style":  # keep the content, change the style
            attrs = _ATTR_S.sub(b"", old_attrs).rstrip()
            if op.style:
                attrs += b' s="%d"' % op.style
            if old_inner is None:
                return self._c_open + attrs + b"/>"
            return self._c_open + attrs + b">" + old_inner + b"</" + self.rx.prefix + b"c>"
        return self._c_r + ref + self._body(op, old_attrs)

    def _body(self, op: CellWrite, old_attrs: bytes) -> bytes:
        """What follows r="REF in a written cell (not for 'style' writes): the style
        (the write's, else the old cell's), the old phonetic flag, the value."""
        kind, style = op.kind, op.style
        if style is None and old_attrs:
            m = _ATTR_S.search(old_attrs)
            style = int(m.group(1)) if m else None
        extra = b' s="%d"' % style if style else b""
        if old_attrs:
            ph = _ATTR_PH.search(old_attrs)
            if ph:
                extra += b" " + ph.group(0)
        if kind == "str":
            return self._b_str % (extra, escape_text(op.text))
        if kind == "num":
            return self._b_val % (extra, op.text.encode())
        if kind == "bool":
            return self._b_val % (extra + b' t="b"', op.text.encode())
        return self._b_empty % extra  # none: value removed, style kept

    def _memo_body(self, op: CellWrite, old_attrs: bytes) -> bytes:
        key = (op, old_attrs)
        body = self._bodies.get(key)
        if body is None:
            body = self._bodies[key] = self._body(op, old_attrs)
        return body

    def _cell_new(self, rnum: int, col: int, op: CellWrite) -> bytes:
        if op.kind in ("none", "style"):
            if not op.style:
                return b""  # nothing to remove or restyle in a cell that does not exist
            return self._c_r + self._ref(col, rnum) + self._b_empty % (b' s="%d"' % op.style)
        return self._c_r + self._ref(col, rnum) + self._memo_body(op, b"")

    def _note_formula(self, ref: bytes, inner: bytes) -> None:
        fm = self.rx.formula.search(inner)
        if not fm:
            return
        self.removed_formulas = True
        fattrs = fm.group(1)
        if b'"shared"' in fattrs and _ATTR_REF.search(fattrs) and fm.group(2):
            si = _ATTR_SI.search(fattrs)
            if si:
                self.shared_masters[si.group(1)] = (_unescape(fm.group(2)), ref.decode())

    # -- one row -------------------------------------------------------
    def _new_row(self, rnum: int, ops: dict[int, CellWrite]) -> bytes:
        cells = b"".join(self._cell_new(rnum, c, ops[c]) for c in sorted(ops))
        if not cells:
            return b""
        p = self.rx.prefix
        return b"<" + p + b'row r="%d">' % rnum + cells + b"</" + p + b"row>"

    def _patch_row(self, edits: list[Edit], start: int, tag_end: int, cstart: int, cend: int,
                   rnum: int, ops: dict[int, CellWrite]) -> None:
        """Edits for an existing row: its start tag (spans dropped, self-closing
        opened) and its cells. [cstart, cend) is the row's content."""
        xml = self.xml
        pending = sorted(ops)
        cells = self._trailing(cstart, cend, rnum, pending, ops)
        if cells is None:
            cells = self._tail(cstart, cend, rnum, pending, ops)
        if cells is None:
            cells = _merged(self._full_scan(cstart, cend, rnum, pending, ops))
        if not cells:
            return  # nothing changes in this row: it stays byte for byte (spans included)
        tag = xml[start:tag_end + 1]
        self_closing = tag.endswith(b"/>")
        if self_closing or b"spans=" in tag:
            new_tag = _ATTR_SPANS.sub(b"", tag[:-2].rstrip() + b">" if self_closing else tag)
            if new_tag != tag:
                edits.append((start, tag_end + 1, new_tag))
        if self_closing:
            new = b"".join(c[2] for c in cells) + b"</" + self.rx.prefix + b"row>"
            edits.append((tag_end + 1, tag_end + 1, new))
        else:
            edits.extend(cells)

    def _trailing(self, cstart: int, cend: int, rnum: int, pending: list[int], ops: dict[int, CellWrite]):
        """Fastest path, for a block of adjacent columns near the row's end (the owned
        columns of a register; another job's owned column may follow them): the block's
        cells that exist have no formula, and no cell is left of the block's first column
        once one right of it has been passed. One edit, from the block's first cell (or where
        it goes) to the first cell right of it (or the row's end), or none when that is what
        stands there already. None otherwise (_tail decides)."""
        xml, first, last = self.xml, pending[0], pending[-1]
        if last - first + 1 != len(pending) or not (xml.endswith(self._c_close, cstart, cend)
                                                    or xml.endswith(b"/>", cstart, cend)):
            return None
        found = self._cells_from(cstart, cend, first)
        if found is None:
            return None
        olds: dict[int, bytes] = {}  # column -> the old cell's attributes after r="REF
        at = pos = end = cend
        f_open = self._f_open
        right = -1  # the column of the cell right of the block seen last (walking leftwards)
        for s, col, r_end in found:
            if col > last:
                if olds or (right >= 0 and col >= right):
                    return None  # cells out of order: the general path
                right, at, pos, end = col, s, s, s
                continue
            if col in olds:
                return None
            attrs_end = xml.find(b">", r_end, pos)
            if attrs_end < 0 or f_open in xml[attrs_end:pos]:
                return None  # a formula in an owned cell: the general path notes it
            olds[col] = xml[r_end:attrs_end - 1] if xml[attrs_end - 1] == 47 else xml[r_end:attrs_end]
            at = pos = s
        rn = b"%d" % rnum
        heads, fresh, body_of = self._heads, self._fresh, self._memo_body
        new = []
        for c in pending:
            op = ops[c]
            old = olds.get(c)
            if old is not None:
                if op.kind == "style":
                    return None
                new.append((heads.get(c) or self._head(c)) + rn + body_of(op, old))
                continue
            hit = fresh.get(id(op))  # the writes repeat a few objects (write._cell_writes memoises)
            if hit is None or hit[0] is not op:
                hit = fresh[id(op)] = (op, self._fresh_body(op))
            if hit[1]:
                new.append((heads.get(c) or self._head(c)) + rn + hit[1])
        cells = b"".join(new)
        if at == end:
            return [(at, at, cells)] if cells else []
        return [] if xml[at:end] == cells else [(at, end, cells)]

    def _head(self, col: int) -> bytes:
        """<c r="LETTERS of a column (the row number follows)."""
        head = self._heads[col] = self._c_r + get_column_letter(col).encode()
        return head

    def _fresh_body(self, op: CellWrite) -> bytes:
        """What follows r="REF in a new cell (b"": no cell), as _cell_new writes it."""
        if op.kind in ("none", "style"):
            return self._b_empty % (b' s="%d"' % op.style) if op.style else b""
        return self._memo_body(op, b"")

    def _cells_from(self, cstart: int, cend: int, first: int) -> list[tuple[int, int, int]] | None:
        """(start, column, end of its r="...") of the row's cells at or right of column `first`,
        walking back from the row's end; None when a cell on the way does not start <c r=."""
        xml, opening, cell_r = self.xml, self._c_open, self._cell_r
        found = []
        pos = cend
        while True:
            s = xml.rfind(opening, cstart, pos)
            if s < 0:
                return found
            m = cell_r.match(xml, s)
            if m is None:
                return None
            letters = m.group(1)
            col = _COLUMNS.get(letters) or _letters_col(letters)
            if col < first:
                return found
            found.append((s, col, m.end()))
            pos = s

    def _tail(self, cstart: int, cend: int, rnum: int, pending: list[int], ops: dict[int, CellWrite]):
        """Fast path, the same edits as the full scan (touching ones merged, empty ones
        dropped): walk back from the row's end over the cells at or right of the first
        target column (each must start <c r="...">); the cells left of them are never
        looked at. None when a cell on the way does not start with its r= (the full scan
        then counts the columns)."""
        xml, first = self.xml, pending[0]
        found = self._cells_from(cstart, cend, first)
        if found is None:
            return None
        s = found[-1][0] if found else xml.rfind(self._c_open, cstart, cend)  # the last cell left of them
        edits: list[Edit] = []
        i, n = 0, len(pending)
        cell_match, f_open, c_r, new_cell = self.rx.cell.match, self._f_open, self._c_r, self._cell_new
        end = None  # end of the last cell looked at
        at, parts = -1, []  # the edit being built: [at, end) -> parts, while edits touch
        for start, col, r_end in reversed(found):
            while i < n and pending[i] < col:  # a new cell before this one
                new = new_cell(rnum, pending[i], ops[pending[i]])
                i += 1
                if new:
                    if at < 0:
                        at = start
                    elif start != end:
                        edits.append((at, end, b"".join(parts)))
                        at, parts = start, []
                    parts.append(new)
                    end = start
            if i == n:
                break
            cm = cell_match(xml, start, cend)
            if cm is None:
                return None
            if pending[i] == col:
                op, inner = ops[col], cm.group(2)
                ref = self._ref(col, rnum)
                if op.kind != "style" and (not inner or f_open not in inner):
                    new = c_r + ref + self._memo_body(op, xml[r_end:cm.end(1)])
                else:
                    new = self._cell(ref, op, cm.group(1), inner)
                if at < 0:
                    at = start
                elif start != end:
                    edits.append((at, end, b"".join(parts)))
                    at, parts = start, []
                parts.append(new)
                i += 1
            elif at >= 0:
                edits.append((at, end, b"".join(parts)))
                at, parts = -1, []
            end = cm.end()
        if i < n:  # new cells after the last one (before any <extLst>)
            if end is None:  # no cell at or right of the first target: after the row's last cell
                last = cell_match(xml, s, cend) if s >= 0 else None
                if s >= 0 and last is None:
                    return None
                end = last.end() if last is not None else cstart
            new = b"".join([new_cell(rnum, c, ops[c]) for c in pending[i:]])
            if new:
                if at < 0:
                    at = end
                parts.append(new)
        if at >= 0:
            edits.append((at, end, b"".join(parts)))
        return edits

    def _full_scan(self, cstart: int, cend: int, rnum: int, pending: list[int], ops: dict[int, CellWrite]):
        return self._scan(cstart, cend, rnum, pending, ops)

    def _scan(self, cstart: int, cend: int, rnum: int, pending: list[int], ops: dict[int, CellWrite]):
        """Every cell of the row, in order (cells without r= count on from the previous)."""
        edits, col, i, last_end = [], 0, 0, cstart
        for m in self.rx.cell.finditer(self.xml, cstart, cend):
            attrs = m.group(1)
            r = _ATTR_R.search(attrs)
            col = _col_of(r.group(1)) if r else col + 1
            while i < len(pending) and pending[i] < col:
                edits.append((m.start(), m.start(), self._cell_new(rnum, pending[i], ops[pending[i]])))
                i += 1
            if i < len(pending) and pending[i] == col:
                ref = self._ref(col, rnum)
                if not r:
                    attrs = b' r="' + ref + b'"' + attrs
                edits.append((m.start(), m.end(), self._cell(ref, ops[col], attrs, m.group(2))))
                i += 1
            last_end = m.end()
        # cells after the last existing one go right after it (before any <extLst>)
        if i < len(pending):
            edits.append((last_end, last_end, b"".join(self._cell_new(rnum, c, ops[c]) for c in pending[i:])))
        return edits

    def _rows(self, begin: int, end: int):
        """(start, tag_end, content start, content end, stop) of each <row>; bytes.find
        rather than a regex, so a 100,000-row sheet is scanned in C."""
        xml, p = self.xml, self.rx.prefix
        opening, closing = b"<" + p + b"row", b"</" + p + b"row>"
        pos = begin
        while True:
            start = xml.find(opening, pos, end)
            if start < 0:
                return
            tag_end = xml.find(b">", start)
            if xml[start + len(opening): start + len(opening) + 1] not in _WS:
                pos = start + 1  # some other element whose name starts with "row"
                continue
            if xml[tag_end - 1: tag_end] == b"/":
                yield start, tag_end, tag_end + 1, tag_end + 1, tag_end + 1
                pos = tag_end + 1
            else:
                close = xml.find(closing, tag_end)
                yield start, tag_end, tag_end + 1, close, close + len(closing)
                pos = close + len(closing)

    # -- the sheet -----------------------------------------------------
    def run(self, widths: dict[int, float]) -> list[Edit]:
        return [edit for batch in self.batches(widths) for edit in batch]

    def batches(self, widths: dict[int, float], size: int = 4096):
        """The edits in the order of the bytes they replace, in lists of about `size`."""
        xml, rx, rows = self.xml, self.rx, self.rows
        m = rx.sheetdata_open.search(xml)
        if m is None:
            raise ValueError("worksheet without <sheetData>")
        edits: list[Edit] = []
        head_end = m.start()
        dim = rx.dimension.search(xml, 0, head_end)
        if dim is not None and rows:
            edits.append((dim.start(1), dim.end(1), _dimension(dim.group(1), rows)))
        if widths:
            edits.append(_cols_edit(xml, rx, head_end, widths))
        targets = sorted(rows)
        if not targets:
            yield edits
            return
        if m.group(1):  # <sheetData/>
            body = b"".join(self._new_row(r, rows[r]) for r in targets)
            opened = m.group(0)[:-2].rstrip() + b">"
            edits.append((m.start(), m.end(), opened + body + rx.sheetdata_close))
            yield edits
            return
        begin = m.end()
        end = xml.index(rx.sheetdata_close, begin)
        ti, rnum, n = 0, 0, len(targets)
        attr_r = _ATTR_R.search
        p = rx.prefix
        opening, closing, find = b"<" + p + b"row", b"</" + p + b"row>", xml.find
        row_r, row_r_len = b"<" + p + b'row r="', len(b"<" + p + b'row r="')
        pos = begin
        while True:  # each <row> (bytes.find, so a 100,000-row sheet is scanned in C)
            start = find(opening, pos, end)
            if start < 0:
                break
            tag_end = find(b">", start)
            if xml.startswith(row_r, start):  # <row r="N" ...>: the usual form
                q = find(b'"', start + row_r_len, tag_end)
                rnum = int(xml[start + row_r_len:q])
            elif xml[start + len(opening): start + len(opening) + 1] not in _WS:
                pos = start + 1  # some other element whose name starts with "row"
                continue
            else:
                r = attr_r(xml, start, tag_end)
                rnum = int(r.group(1)) if r else rnum + 1
            if xml[tag_end - 1] == 47:  # b"/": an empty row
                cstart = cend = pos = tag_end + 1
            else:
                cstart = tag_end + 1
                cend = find(closing, tag_end)
                pos = cend + len(closing)
            target = targets[ti]
            if target > rnum:
                continue
            while target < rnum:  # rows that do not exist yet go before this one
                edits.append((start, start, self._new_row(target, rows[target])))
                ti += 1
                if ti == n:
                    break
                target = targets[ti]
            if ti < n and target == rnum:
                self._patch_row(edits, start, tag_end, cstart, cend, rnum, rows[rnum])
                ti += 1
                if len(edits) >= size:
                    yield edits
                    edits = []
            if ti == n:
                break
        if ti < n:
            edits.append((end, end, b"".join(self._new_row(r, rows[r]) for r in targets[ti:])))
        yield edits


def _merged(cells: list[Edit]) -> list[Edit]:
    """A row's edits with empty ones dropped (clearing a cell that is not there) and
    touching ones (insert, replace, append) made one."""
    out: list[Edit] = []
    for s1, e1, new in cells:
        if not new and s1 == e1:
            continue
        if out and out[-1][1] == s1:
            s0, _, prev = out[-1]
            out[-1] = (s0, e1, prev + new)
        else:
            out.append((s1, e1, new))
    return out


def _fix_orphaned_shared_formulas(xml: bytes, rx: _Sheet, masters: dict[bytes, tuple[str, str]]) -> bytes:
    """Cells that shared a formula with an overwritten master get it as their own formula."""
    from openpyxl.formula.translate import Translator  # rare: imported only when needed

    p = rx.prefix

    def cell(m: re.Match) -> bytes:
        inner = m.group(2)
        if not inner or b'"shared"' not in inner:
            return m.group(0)
        fm = rx.formula.search(inner)
        si = _ATTR_SI.search(fm.group(1)) if fm else None
        if not si or si.group(1) not in masters:
            return m.group(0)
        formula, origin = masters[si.group(1)]
        ref = _ATTR_R.search(m.group(1)).group(1).decode()
        text = Translator("=" + formula, origin=origin).translate_formula(ref)[1:]
        new_f = b"<" + p + b"f>" + _xml_escape(text) + b"</" + p + b"f>"
        return m.group(0).replace(fm.group(0), new_f, 1)

    return rx.cell.sub(cell, xml)


def patch_cells(xml: bytes, cells: dict[tuple[int, int], CellWrite],
                widths: dict[int, float] | None = None) -> PatchResult:
    """Apply `cells` ((row, col) 1-based -> CellWrite) and column `widths` to a worksheet's XML."""
    rows: dict[int, dict[int, CellWrite]] = {}
    for (r, c), op in cells.items():
        if r < 1 or c < 1 or r > 1048576 or c > 16384:
            raise ValueError("cell (%d, %d) is outside the sheet" % (r, c))
        rows.setdefault(r, {})[c] = op
    return patch_rows(xml, rows, widths)


def patch_rows(xml: bytes, rows: dict[int, dict[int, CellWrite]],
               widths: dict[int, float] | None = None) -> PatchResult:
    """patch_cells with the writes already grouped by row (Excel row -> column -> CellWrite)."""
    patcher = _Patcher(xml, rows)
    edits = patcher.run(widths or {})
    edits.sort(key=lambda e: (e[0], e[1]))
    result = PatchedXml(xml, edits)
    if patcher.shared_masters:
        result = PatchedXml(_fix_orphaned_shared_formulas(bytes(result), patcher.rx, patcher.shared_masters), [])
    return PatchResult(result, patcher.removed_formulas)


def streamable(xml: bytes) -> bool:
    """Whether patch_blocks can patch the sheet as it goes: no shared formula anywhere (one
    that loses its master cell is rewritten in the cells that share it, a second pass)."""
    return b'"shared"' not in xml


def patch_blocks(xml: bytes, rows: dict[int, dict[int, CellWrite]], widths: dict[int, float] | None = None,
                 tail: Edit | None = None, block: int = 1 << 20):
    """patch_rows as it goes, for a big sheet (streamable): (the patcher, whose
    removed_formulas holds once the blocks are all taken; the patched sheet's bytes in blocks
    of about `block`). `tail`: one more edit after the cells' (put_conditional_formats')."""
    patcher = _Patcher(xml, rows)

    def blocks():
        view, pos, pieces, n = memoryview(xml), 0, [], 0
        batches = patcher.batches(widths or {})
        for batch in chain(batches, [[tail]]) if tail is not None else batches:
            for start, end, new in batch:
                if start < pos:
                    raise RuntimeError("row patch: edits out of order")  # never: the patch goes forwards
                pieces.append(view[pos:start])
                pieces.append(new)
                n += start - pos + len(new)
                pos = end
            if n >= block:
                yield b"".join(pieces)
                pieces, n = [], 0
        pieces.append(view[pos:])
        yield b"".join(pieces)

    return patcher, blocks()
