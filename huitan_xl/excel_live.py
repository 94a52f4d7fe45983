"""Excel buttons, the write half: a job's Writes into the workbook open in Excel (xlwings).

Tool-owned cells go in one `.value` write per block of adjacent columns and rows (dates
as real dates with the yyyy-mm-dd format); the marks of the owned columns
(ownership.py) as hidden sheet-scoped names, the same names the command line writes, so
either finds the columns the other wrote (`live_marks` reads them back); tool-owned
sheets are built with XlsxWriter in a temporary .xlsx, opened in the same Excel and
copied over the caller's old sheet of that name; one line is appended to 运行记录.
excel.py (the entry points) calls apply_live and write_documents.
"""
from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path

from . import ownership, pipeline, schema
from .convert import squash
from .errors import WorkbookUnusable
from .reports.runlog import runlog_builder
from .write import FORMAT_DEFS, Workbook, companion_path

def excel_value(v):
    """A value as written through COM: text that Excel would turn into a formula, a
    number or a date gets the ' prefix (kept as text, not shown); dates as datetimes."""
    if isinstance(v, str):
        if v and (v[0] in "=+-@ .'" or v[0].isdigit()):
            return "'" + v
        return v or None
    if isinstance(v, date) and not isinstance(v, datetime):
        return datetime(v.year, v.month, v.day)
    return v


def blocks(cells: dict[tuple[int, int], object]) -> list[tuple[int, int, list[list]]]:
    """(first row, first col, 2-D values) rectangles covering exactly the given cells:
    runs of consecutive rows per column, then adjacent columns with the same runs
    merged, so a job's owned columns go in one write."""
    by_col: dict[int, list[int]] = {}
    for r, c in cells:
        by_col.setdefault(c, []).append(r)
    runs: dict[int, list[tuple[int, int]]] = {}
    for c, rows in by_col.items():
        rows.sort()
        out, start, prev = [], rows[0], rows[0]
        for r in rows[1:]:
            if r != prev + 1:
                out.append((start, prev))
                start = r
            prev = r
        out.append((start, prev))
        runs[c] = out
    result = []
    done: set[tuple[int, tuple[int, int]]] = set()
    for c in sorted(runs):
        for run in runs[c]:
            if (c, run) in done:
                continue
            last = c
            while run in runs.get(last + 1, ()):
                last += 1
                done.add((last, run))
            values = [[excel_value(cells[(r, k)]) for k in range(c, last + 1)]
                      for r in range(run[0], run[1] + 1)]
            result.append((run[0], c, values))
    return result


def sheet_in(book, name: str):
    for s in book.sheets:
        if squash(s.name) == squash(name):
            return s
    return None


def live_marks(book) -> ownership.Marks:
    """The tool's marks (and her print areas) as the open workbook holds them: its
    sheet-scoped names, read through COM — Excel moves them with the columns she inserts
    after the file was saved, so they are the truth, not the file on disk."""
    marks = ownership.Marks()
    sheets = {s.name for s in book.sheets}
    for n in book.names:  # every name of the book; a sheet's own ones as 'Sheet'!name
        scope, _, local = n.name.rpartition("!")
        scope = scope[1:-1].replace("''", "'") if scope[:1] == "'" else scope
        if scope in sheets:
            ownership.add_mark(marks, scope, _LIVE_NAMES.get(local, local), n.refers_to or "")
    return marks


_LIVE_NAMES = {"Print_Area": ownership.PRINT_AREA}  # COM shows built-in names without _xlnm.
DATE_FORMAT = FORMAT_DEFS["date"]["num_format"]


def put_mark(ws, name: str, reference: str) -> None:
    """One owned column's mark as a hidden name of its sheet (Names.Add replaces a name
    of that name), as write.Workbook.set_hidden_name writes it into the file."""
    ws.names.add(name, "=" + reference).api.Visible = False


def apply_style(rng, style: str) -> None:
    props = FORMAT_DEFS.get(style, {})
    if "bg_color" in props:
        rng.color = props["bg_color"]
    if "font_color" in props:
        rng.font.color = props["font_color"]
    if props.get("bold"):
        rng.font.bold = True


def apply_live(book, writes: pipeline.Writes, log_row: list, regs) -> Path | None:
    """Write a job's Writes into the open workbook. Returns the companion workbook's path
    when the structure is protected and the tool-owned sheets went there instead."""
    app = book.app
    updating = app.screen_updating
    app.screen_updating = False
    try:
        for key, cells in writes.cells.items():
            ws = sheet_in(book, regs.layouts[key].name if key in regs.layouts else key)
            if ws is None:
                continue
            for r, c, values in blocks(cells):
                ws.range((r, c), (r + len(values) - 1, c + len(values[0]) - 1)).value = values
                for k in range(len(values[0])):  # a column holding dates (应答复日期): shown as dates
                    dated = [i for i, row in enumerate(values) if isinstance(row[k], datetime)]
                    if dated:
                        ws.range((r + dated[0], c + k), (r + dated[-1], c + k)).number_format = DATE_FORMAT
            for (r, c), style in (writes.styles.get(key) or {}).items():
                apply_style(ws.range((r, c)), style)
            for c, width in (writes.widths.get(key) or {}).items():
                ws.range((1, c)).column_width = width
        for sheet, name, reference in writes.names:
            ws = sheet_in(book, sheet)
            if ws is not None:
                put_mark(ws, name, reference)
        sheets = list(writes.sheets)
        log = sheet_in(book, schema.RUN_LOG_SHEET)
        if log is None:
            sheets.append((schema.RUN_LOG_SHEET, runlog_builder(regs.run_log, log_row)))
        companion = put_sheets_live(book, sheets) if sheets else None
        if log is not None:
            last = log.used_range.last_cell.row
            log.range((last + 1, 1)).value = [[excel_value(v) for v in log_row]]
        return companion
    finally:
        app.screen_updating = updating


def put_sheets_live(book, sheets: list[tuple[str, object]]) -> Path | None:
    """Build the tool-owned sheets in a temporary workbook, open it in the same Excel
    and copy each sheet over the caller's sheet of that name (same position; new ones
    at the end). If the workbook's structure is protected (copy refused), the sheets
    are saved as the companion workbook NAME.huitan.xlsx beside it instead."""
    from .xlsx import encryption

    tmp = Workbook.new()
    for name, build in sheets:
        tmp.put_sheet(name, build)
    data, _ = tmp.render()
    # an encrypted register: the sheets cross the disk encrypted with a one-time password
    # (they hold names and complaints), never as a plaintext copy
    sealed = encryption.is_encrypted(book.fullname)
    once = secrets.token_urlsafe(24) if sealed else None
    fd, tmp_name = tempfile.mkstemp(prefix="huitan-", suffix=".xlsx")
    with os.fdopen(fd, "wb") as out:
        out.write(encryption.encrypt(data, once) if sealed else data)
    tmp_path = Path(tmp_name)
    src_book = (book.app.books.open(str(tmp_path), password=once) if sealed
                else book.app.books.open(str(tmp_path)))
    try:
        for name, _build in sheets:
            src = sheet_in(src_book, name)
            old = sheet_in(book, name)
            try:
                if old is not None:
                    new = src.copy(before=old)  # Excel names it "NAME (2)" for now
                    old.delete()
                    new.name = name
                else:
                    src.copy(after=list(book.sheets)[-1])
            except Exception:  # noqa: BLE001 - protected structure: COM refuses the copy
                if sealed:  # a companion would be a copy the clerk cannot open, or a plaintext one
                    raise WorkbookUnusable("工作簿已加密且结构受保护，新生成的工作表无法加入工作簿；"
                                           "请在命令行或操作窗口中运行（huitan gui），结果将加密保存。") from None
                companion = companion_path(Path(book.fullname))
                shutil.copyfile(tmp_path, companion)
                return companion
    finally:
        if src_book is not None:
            src_book.close()
        try:
            tmp_path.unlink()
        except OSError:
            pass
    return None


def write_documents(writes: pipeline.Writes) -> list[Path]:
    """The Word documents a job made, beside the workbook (as the command line writes them)."""
    from .documents.files import check_writable, unencodable_note, write_document

    done = []
    for doc, data in writes.files.items():
        note = unencodable_note(doc)
        if note:
            writes.notes.append(note)
            continue
        check_writable(doc)
        write_document(doc, data)
        done.append(doc)
    return done


