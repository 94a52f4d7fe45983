"""The only module that changes a workbook; it owns the fidelity guarantee.

Design: a workbook is an OOXML zip package. We change only the parts we must,
at the XML level, and copy every other part byte for byte:
  * tool-owned cells in existing sheets (set_cells): the sheet's XML is patched
    row by row (streaming), inline strings, never formulas;
  * tool-owned sheets (put_sheet): built with XlsxWriter in a scratch workbook,
    then transplanted (sheet XML + its drawings/charts/comments, styles merged by
    appending to styles.xml, defined names remapped);
  * workbook.xml / rels / [Content_Types].xml get only the entries for new sheets.
Saving is atomic (temp file in the same folder, then os.replace) and keeps the
previous version as a backup. A workbook open in Excel (~$ lock file, or the
file cannot be replaced) is not touched.
"""
from __future__ import annotations

import gc
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Union

from lxml import etree

from .errors import WorkbookUnusable
from .memory import BIG_WORKBOOK, release_freed_memory
from .xlsx import encryption
from .xlsx.file_check import check_not_locked, check_usable
from .xlsx.lock import is_held, workbook_lock
from .xlsx.save import Fingerprint, StaleWorkbook, atomic_save, read_with_fingerprint, real_target, stale_message
from .xlsx.sheet_parts import conditional_formats_edit, put_conditional_formats
from .xlsx.sheet_patch import patch_blocks, patch_rows, streamable
from .xlsx.sheet_xml import MAC_EPOCH, WINDOWS_EPOCH, CellWrite, cell_write
from .xlsx.package import BIG_PART, ContentTypes, Package, Relationships, drop_unreachable
from .xlsx.styles import StyleMerger
from .xlsx.transplant import Scratch, SheetSpec, Transplanter, build_scratch
from .xlsx.workbook_xml import WorkbookXml

CellValue = Union[str, int, float, date, datetime, None]

# Named house formats (XlsxWriter format properties). Sheet builders get them as
# attributes of `Formats`; set_cells takes their names.
FORMAT_DEFS: dict[str, dict] = {
    "title": {"bold": True, "font_size": 14},
    "subtitle": {"italic": True, "font_color": "#555555"},
    "header": {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"},
    "owned_header": {"bold": True, "bg_color": "#FCE4D6", "font_color": "#833C0B", "border": 1,
                     "text_wrap": True, "valign": "vcenter"},
    "text": {},
    "wrap": {"text_wrap": True, "valign": "top"},
    "int": {"num_format": "0"},
    "yuan": {"num_format": "#,##0"},
    "date": {"num_format": "yyyy-mm-dd"},
    "percent": {"num_format": "0.0%"},
    "link": {"font_color": "#0563C1", "underline": 1},
    "bold": {"bold": True},
    "error": {"font_color": "#9C0006", "bg_color": "#FFC7CE"},
    "warning": {"font_color": "#9C5700", "bg_color": "#FFEB9C"},
    "ok": {"font_color": "#006100", "bg_color": "#C6EFCE"},
}


class Formats:
    """XlsxWriter Format objects by name (see FORMAT_DEFS), plus `.workbook`, the
    scratch xlsxwriter.Workbook (for add_chart)."""

    def __init__(self, workbook):
        self.workbook = workbook
        for name, props in FORMAT_DEFS.items():
            setattr(self, name, workbook.add_format(dict(props)))

    def __getitem__(self, name: str):
        return getattr(self, name)


@dataclass(frozen=True)
class SaveResult:
    path: Path
    backup: Path | None  # the previous version, kept beside it
    companion: Path | None  # NAME.huitan.xlsx when the structure is protected


SheetBuilder = Callable[[object, Formats], None]  # (xlsxwriter Worksheet, Formats) -> None


def backup_path(path: Path) -> Path:
    """NAME.bak.xlsx (or .bak.xlsm) beside the workbook."""
    return path.with_name(path.stem + ".bak" + path.suffix)


def companion_path(path: Path) -> Path:
    """NAME.huitan.xlsx: the tool's sheets when the workbook's structure is protected."""
    return path.with_name(path.stem + ".huitan.xlsx")


class Workbook:
    """A workbook being edited: changes are collected and applied by save()."""

    def __init__(self, path: Path | None, data: bytes | None):
        self.path = path
        self._pkg = Package.from_bytes(data) if data is not None else None
        self._cells: dict[str, dict[tuple[int, int], CellValue]] = {}
        self._styles: dict[str, dict[tuple[int, int], str]] = {}
        self._widths: dict[str, dict[int, float]] = {}
        self._puts: dict[str, tuple[str, SheetBuilder, str | None]] = {}  # casefolded name -> spec
        self._marks: dict[str, list[tuple[str, str, str]]] = {}  # sheet -> (sqref, formula, style)
        self._names: list[tuple[str, str, str]] = []  # (sheet, hidden sheet-scoped name, reference)
        self._password: str | None = None  # set when opened from an unlocked encrypted workbook
        self._source: Fingerprint | None = None  # what open() read: save() replaces only that file
        if self._pkg is not None:
            self._wb_part = self._pkg.workbook_part()
            self._wb = WorkbookXml(self._pkg, self._wb_part)
            self._wb_rels = {r.id: r for r in self._pkg.rels(self._wb_part)}

    @classmethod
    def open(cls, path: Path, expect: Fingerprint | None = None) -> "Workbook":
        """Open for editing; raises WorkbookUnusable (missing, not a workbook,
        encrypted, truncated, locked by Excel) — and StaleWorkbook when `expect` (the
        fingerprint of what a job read) no longer describes the file."""
        path = Path(path)
        check_usable(path)
        check_not_locked(path)
        if path.stat().st_size >= BIG_WORKBOOK:  # what the job's read freed, before the parts are read
            release_freed_memory()
        plain = encryption.plaintext(path)  # an encrypted workbook a job has unlocked
        try:
            data, source = read_with_fingerprint(path)  # the file on disk (encrypted or not)
        except OSError as exc:
            raise WorkbookUnusable(f"无法读取工作簿 {path.name}：{exc.strerror or exc}。") from exc
        if expect is not None and not source.same_content(expect):
            raise StaleWorkbook(stale_message(path.name))
        try:
            wb = cls(path, plain if plain is not None else data)
        except (etree.XMLSyntaxError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise WorkbookUnusable(f"工作簿 {path.name} 已损坏，无法打开（{exc}）。请用 Excel 打开并另存后重试。") from exc
        wb._password = encryption.password_of(path)
        wb._source = source
        return wb

    @classmethod
    def new(cls, password: str | None = None) -> "Workbook":
        """An empty package: its only sheets will be the ones put_sheet adds; saved
        encrypted with `password` when one is given."""
        wb = cls(None, None)
        wb._password = password
        return wb

    # -- facts ---------------------------------------------------------
    @property
    def sheet_names(self) -> list[str]:
        """Sheets in workbook order, including those put_sheet will add."""
        names = [s.name for s in self._wb.sheets()] if self._pkg is not None else []
        for name, _, after in self._puts.values():
            if all(n.casefold() != name.casefold() for n in names) and not self.structure_protected:
                names.insert(self._insert_at(names, after), name)
        return names

    @property
    def structure_protected(self) -> bool:
        return self._pkg is not None and self._wb.structure_protected

    def _sheet_part(self, sheet: str) -> str:
        entry = self._wb.find(sheet) if self._pkg is not None else None
        rel = self._wb_rels.get(entry.rid) if entry else None
        if rel is None or not rel.type.endswith("/worksheet"):
            raise ValueError(f"no worksheet named {sheet!r}")
        return rel.target

    # -- changes -------------------------------------------------------
    def set_cells(self, sheet: str, cells: dict[tuple[int, int], CellValue],
                  styles: dict[tuple[int, int], str] | None = None) -> None:
        """Set values of (excel_row, excel_col) cells, 1-based, in an existing sheet.
        str -> inline text, never a formula; int/float -> number; date -> serial with
        the 'date' style unless styled; None -> the cell's value is removed (its
        style kept). `styles` names a FORMAT_DEFS entry per cell. The first dict given for
        a sheet is kept as it is (a 100,000-row register's cells are not copied): the caller
        hands it over and does not change it afterwards."""
        self._sheet_part(sheet)
        for value in cells.values():
            if value is not None and not isinstance(value, (str, int, float, date)):
                raise TypeError(f"cannot write {type(value).__name__} to a cell")
        for name in (styles or {}).values():
            if name not in FORMAT_DEFS:
                raise ValueError(f"unknown format {name!r}")
        held = self._cells.get(sheet)
        self._cells[sheet] = cells if held is None else {**held, **cells}  # never changes a dict given
        self._styles.setdefault(sheet, {}).update(styles or {})

    def set_column_width(self, sheet: str, col: int, width: float) -> None:
        self._sheet_part(sheet)
        self._widths.setdefault(sheet, {})[col] = width

    def mark_cells(self, sheet: str, sqref: str, formula: str, style: str) -> None:
        """A conditional format on an existing sheet: cells of `sqref` where `formula`
        (relative to its top-left cell, no leading '=') is true take the FORMAT_DEFS
        `style`. The tool's marks are recognised by their formula text and updated in
        place on the next run; nothing else in the sheet changes."""
        self._sheet_part(sheet)
        if style not in FORMAT_DEFS:
            raise ValueError(f"unknown format {style!r}")
        self._marks.setdefault(sheet, []).append((sqref, formula, style))

    def set_hidden_name(self, sheet: str, name: str, reference: str) -> None:
        """A hidden defined name scoped to `sheet` (ownership.py's mark), added or replaced
        on save once the sheet exists; skipped where the sheet went to the companion."""
        self._names.append((sheet, name, reference))

    def put_sheet(self, name: str, build: SheetBuilder, *, after: str | None = None) -> None:
        """Add (or replace, in place) a tool-owned sheet built with XlsxWriter.
        Builders must write user text with write_string (strings are never formulas)."""
        if self._pkg is not None and self._wb.find(name) is not None:
            if not self._sheet_part_or_none(name):  # e.g. a chart sheet the clerk gave that name
                raise WorkbookUnusable(
                    f"工作簿 {self._name()} 中的「{name}」不是普通工作表（可能是图表工作表），程序需要用这个名称"
                    f"写入结果；请把它改名后重新运行。工作簿未改动。")
        self._puts[name.casefold()] = (name, build, after)

    def _sheet_part_or_none(self, name: str) -> str | None:
        try:
            return self._sheet_part(name)
        except ValueError:
            return None

    @staticmethod
    def _insert_at(names: list[str], after: str | None) -> int:
        for i, n in enumerate(names):
            if after is not None and n.casefold() == after.casefold():
                return i + 1
        return len(names)

    # -- rendering -----------------------------------------------------
    def render(self) -> tuple[bytes, bytes | None]:
        """(workbook bytes, companion bytes or None) — what save() writes."""
        data, companion = self._render_paused()
        return (data if isinstance(data, bytes) else data.to_bytes()), companion

    def _render_paused(self) -> tuple[bytes | Package, bytes | None]:
        gc_was_on = gc.isenabled()
        gc.disable()  # hundreds of thousands of new edits: cyclic GC would re-scan the registers
        try:
            return self._render()
        finally:
            if gc_was_on:
                gc.enable()

    def _render(self) -> tuple[bytes | Package, bytes | None]:
        """The new workbook (bytes, or the package to stream into the file) and the companion."""
        if self._pkg is None:
            order: list[str] = []
            for name, _, after in self._puts.values():
                order.insert(self._insert_at(order, after), name)
            specs = {n.casefold(): SheetSpec(n, b) for n, b, _ in self._puts.values()}
            return build_scratch([specs[n.casefold()] for n in order], Formats), None
        return self._render_into_package()

    def _render_into_package(self) -> tuple[Package, bytes | None]:
        pkg = self._pkg.copy()
        wb = WorkbookXml(pkg, self._wb_part)
        wb_rels = Relationships(pkg, self._wb_part)
        ct = ContentTypes(pkg)
        # in the order the sheets were put: a job run twice then rewrites its parts in the
        # same order, whatever ran before it (so [Content_Types].xml comes out the same)
        puts = list(self._puts.values())
        new = [spec for spec in puts if wb.find(spec[0]) is None]
        companion_specs = new if wb.structure_protected else []
        target_specs = [spec for spec in puts if not (wb.structure_protected and spec in new)]
        style_names = self._style_names()
        mark_styles = tuple(sorted({m[2] for marks in self._marks.values() for m in marks}))
        styles_part = next((r.target for r in self._wb_rels.values() if r.type.endswith("/styles")), None)
        merger = named = scratch = None
        dxfs: dict[str, int] = {}
        if target_specs or style_names or mark_styles:
            if styles_part is None:
                raise WorkbookUnusable(f"工作簿 {self._name()} 缺少样式部件 (styles.xml)，请用 Excel 另存后重试。")
            merger = StyleMerger(pkg.read(styles_part))
            if style_names or mark_styles:
                # the named cell styles first, from a scratch of their own: the input sheets are
                # then patched (a big one starts deflating in the background) before the
                # tool-owned sheets are built; styles still merge in the same order
                carrier = Scratch(build_scratch([], Formats, date1904=wb.date1904, style_names=style_names,
                                                mark_styles=mark_styles))
                merger.use_source(carrier.styles)
                named = {n: merger.xf(i) for n, i in carrier.carrier_styles(style_names).items()}
                dxfs = {n: merger.dxf(i) for n, i in carrier.carrier_dxfs(mark_styles).items()}
        drop_calc_chain = False
        edited = set(self._cells) | set(self._widths) | set(self._marks)
        for sheet in sorted(edited, key=lambda s: self._wb.find(s).position):
            part = self._sheet_part(sheet)
            xml = pkg.read(part)
            if b"<![CDATA[" in xml:  # the same text as escaped characters: the patch then sees every cell
                xml = _without_cdata(xml)
            rules = [(sq, f, dxfs[st]) for sq, f, st in self._marks.get(sheet, ())]
            if sheet in self._cells or sheet in self._widths:
                writes = self._cell_writes(sheet, named or {}, wb.date1904)
                big = len(xml) > BIG_PART and streamable(xml)
                tail = conditional_formats_edit(xml, rules) if big and rules else None
                if big and (tail is not None or not rules):
                    # a big sheet is patched as it is deflated (the second core compresses the
                    # rows patched so far while this thread patches the next ones)
                    patcher, blocks = patch_blocks(xml, writes, self._widths.get(sheet), tail)
                    del writes, xml
                    pkg.write_stream(part, blocks)
                    drop_calc_chain |= patcher.removed_formulas
                    del patcher, blocks  # the writes by row and the original bytes
                    continue
                # (the writes by row are dropped as soon as the edits exist)
                result = patch_rows(xml, writes, self._widths.get(sheet))
                del writes
                drop_calc_chain |= result.removed_formulas
                xml = result.xml
            if rules:
                xml = put_conditional_formats(xml, rules)
            pkg.write(part, xml)
        if target_specs:
            scratch = Scratch(build_scratch([SheetSpec(n, b) for n, b, _ in target_specs], Formats,
                                            date1904=wb.date1904, row_blocks=True))
            merger.use_source(scratch.styles)
            mover = Transplanter(pkg, wb, wb_rels, ct, merger, scratch)
            replaced_ids = set()
            for name, _, after in target_specs:
                entry = wb.find(name)
                if entry is not None:
                    replaced_ids.add(entry.sheet_id)
                    mover.put(name, replace_part=self._sheet_part(name), position=entry.position)
                else:
                    mover.put(name, replace_part=None,
                              position=self._insert_at([s.name for s in wb.sheets()], after))
            if mover.has_formulas:
                wb.full_calc_on_load()
            drop_calc_chain |= self._calc_chain_mentions(pkg, replaced_ids)
        if drop_calc_chain:
            self._drop_calc_chain(pkg, wb_rels, ct)
        if merger is not None and merger.changed:
            pkg.write(styles_part, merger.to_bytes())
        for sheet, name, reference in self._names:
            entry = wb.find(sheet)
            if entry is not None and not _has_name(wb, name, entry.position, reference):
                wb.add_name(name, reference, entry.position, hidden=True)
        if self._names:
            _marks_first(wb)
        wb.save(pkg)
        wb_rels.save(pkg)
        ct.save(pkg)
        companion = None
        if companion_specs:
            companion = build_scratch([SheetSpec(n, b) for n, b, _ in companion_specs], Formats)
        return pkg, companion

    def _style_names(self) -> tuple[str, ...]:
        names = {n for styles in self._styles.values() for n in styles.values()}
        for sheet, cells in self._cells.items():
            if any(isinstance(v, date) and (r_c not in self._styles.get(sheet, {}))
                   for r_c, v in cells.items()):
                names.add("date")
        return tuple(sorted(names))

    def _cell_writes(self, sheet: str, named: dict[str, int], date1904: bool
                     ) -> dict[int, dict[int, CellWrite]]:
        """The sheet's writes by Excel row, then column."""
        cells, styles = self._cells.get(sheet, {}), self._styles.get(sheet, {})
        epoch = MAC_EPOCH if date1904 else WINDOWS_EPOCH
        memo: dict[tuple, CellWrite] = {}  # (type, value, style name): a column repeats a few values
        rows: dict[int, dict[int, CellWrite]] = {}
        for key, value in cells.items():
            style = styles.get(key)
            kind = value.__class__
            memo_key = (kind, value, style) if kind is not float else None  # 0.0 == -0.0
            op = memo.get(memo_key) if memo_key is not None else None
            if op is None:
                op = cell_write(value, named[style] if style is not None else None, named, epoch)
                if memo_key is not None:
                    memo[memo_key] = op
            r, c = key
            ops = rows.get(r)
            if ops is None:
                ops = rows[r] = {}
            ops[c] = op
        for key, name in styles.items():
            if key not in cells:
                rows.setdefault(key[0], {})[key[1]] = CellWrite("style", "", named[name])
        for r, ops in rows.items():
            if r < 1 or r > 1048576 or min(ops) < 1 or max(ops) > 16384:
                raise WorkbookUnusable(
                    f"工作簿 {self._name()} 的工作表「{sheet}」已经用到了 Excel 的最后一列 (XFD) 或最后一行，"
                    f"程序没有位置写入它自己的列（第 {r} 行第 {max(ops)} 列）。请删除该表右侧或下方多余的"
                    f"空白列、行（选中后“删除”，不是清除内容）并保存后重试。工作簿未改动。")
        return rows

    @staticmethod
    def _calc_chain_mentions(pkg: Package, sheet_ids: set[int]) -> bool:
        for name in pkg.names:
            if name.endswith("calcChain.xml"):
                found = {int(x) for x in re.findall(rb'\bi="(\d+)"', pkg.read(name))}
                return bool(found & sheet_ids)
        return False

    def _drop_calc_chain(self, pkg: Package, wb_rels: Relationships, ct: ContentTypes) -> None:
        for rel in pkg.rels(self._wb_part):
            if rel.type.endswith("/calcChain"):
                wb_rels.remove(rel.id)
                wb_rels.save(pkg)
                drop_unreachable(pkg, ct, {rel.target})

    def _name(self) -> str:
        return self.path.name if self.path else "（新工作簿）"

    # -- saving --------------------------------------------------------
    def save(self, path: Path | None = None, *, backup: bool = True) -> SaveResult:
        """Atomic write; backup of the previous version as NAME.bak.xlsx(m). Saving over
        the file open() read replaces it only if it is still that file (StaleWorkbook
        otherwise: nothing written). Holds the workbook's lock while it writes."""
        dest = Path(path) if path is not None else self.path
        if dest is None:
            raise ValueError("a new workbook needs a path to save to")
        expect = self._source if (self.path is not None and _same_file(dest, self.path)) else None
        with workbook_lock(dest, command="save"):
            check_not_locked(dest)
            check_not_locked(real_target(dest))
            data, companion = self._render_paused()
            plain = None
            if self._password is not None:  # encrypted with the same password, verified, before any write
                plain = data if isinstance(data, bytes) else data.to_bytes()
                data = encryption.seal(self._password, plain, dest.name)
                if companion is not None:
                    companion = encryption.seal(self._password, companion, companion_path(dest).name)
            companion_dest = None
            if companion is not None:
                companion_dest = companion_path(dest)
                check_not_locked(companion_dest)
                _atomic_write(companion_dest, companion, backup=False, expect=None)
            kept = _atomic_write(dest, data, backup=backup, expect=expect)
            if plain is not None:
                encryption.remember(dest, plain)
        self.path = dest
        return SaveResult(dest, kept, companion_dest)


def _same_file(a: Path, b: Path) -> bool:
    return os.path.abspath(a) == os.path.abspath(b)


_CDATA = re.compile(rb"<!\[CDATA\[(.*?)\]\]>", re.S)


def _without_cdata(xml: bytes) -> bytes:
    """CDATA sections written as escaped text: the same XML information (a cell keeps
    its value, to the character), in the form the row patch reads."""
    return _CDATA.sub(lambda m: m.group(1).replace(b"&", b"&amp;").replace(b"<", b"&lt;")
                      .replace(b">", b"&gt;"), xml)


def _marks_first(wb: WorkbookXml) -> None:
    """The tool's marks first among the defined names, so that names re-added when a sheet
    is rebuilt (filters) land in the same order on every run."""
    names = wb._names()
    if not names:
        return
    ours = [dn for dn in names if (dn.get("name") or "").startswith("_huitan.")]
    order = ours + [dn for dn in names if dn not in ours]
    if order != names:
        holder = names[0].getparent()
        for dn in names:
            holder.remove(dn)
        holder.extend(order)
        wb.changed = True


def _has_name(wb: WorkbookXml, name: str, position: int, reference: str) -> bool:
    """The name already stands as it would be written (a rerun leaves workbook.xml as it was)."""
    for dn in wb._names():
        if dn.get("name") == name and dn.get("localSheetId") == str(position):
            return (dn.text or "") == reference and dn.get("hidden") in ("1", "true")
    return False


def _atomic_write(dest: Path, data: bytes | Package, *, backup: bool, expect: Fingerprint | None) -> Path | None:
    """Temp file beside the (real) file, the previous version kept, then os.replace (xlsx/save.py)."""
    def write(out) -> None:
        if isinstance(data, bytes):
            out.write(data)
        else:
            data.write_to(out)  # the zip streams into the file

    real = real_target(dest)
    return atomic_save(dest, write, backup=backup_path(real) if backup else None, expect=expect,
                       lock_held=is_held(dest))
