"""An in-memory stand-in for the part of xlwings' App/Books/Book/Sheets/Sheet/Range/Font
API that huitan_xl/excel.py touches, so the Excel entry points run without Excel.

It behaves like Excel through COM where excel.py relies on it: numbers read back as
float, blank cells as None, a text value written with a leading apostrophe is stored
without it (Excel's prefix character), copying a sheet into a book that already has the
name gives "NAME (2)". test_excel.py checks every name defined here against the real
xlwings classes (parameter names included), so the two cannot drift apart.

Use: `app = App(); book = app.books.open(path)` (values loaded with openpyxl), then
`book.set_mock_caller()` and patch `huitan_xl.excel.xw` with this module.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import openpyxl
from openpyxl.utils import get_column_letter

_CALLER: "Book | None" = None


def _cell_value(v):
    """What Excel hands back through COM for a stored value."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, datetime):
        return v
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)
    if isinstance(v, str):
        return v or None
    return v


def _stored(v):
    """What Excel stores when a value is written through COM."""
    if isinstance(v, str) and v.startswith("'"):
        return v[1:] or None
    return _cell_value(v)


def _rc(cell) -> tuple[int, int]:
    if isinstance(cell, Range):
        return cell.row, cell.column
    if isinstance(cell, tuple):
        return cell
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string
    letters, row = coordinate_from_string(cell)
    return row, column_index_from_string(letters)


class Font:
    def __init__(self, rng: "Range"):
        self._rng = rng

    def _fmt(self) -> dict:
        return self._rng.sheet._formats.setdefault((self._rng.row, self._rng.column), {})

    @property
    def bold(self):
        return self._fmt().get("bold")

    @bold.setter
    def bold(self, value):
        for cell in self._rng._cells():
            self._rng.sheet._formats.setdefault(cell, {})["bold"] = value

    @property
    def color(self):
        return self._fmt().get("font_color")

    @color.setter
    def color(self, value):
        for cell in self._rng._cells():
            self._rng.sheet._formats.setdefault(cell, {})["font_color"] = value


class Range:
    def __init__(self, sheet: "Sheet", first: tuple[int, int], last: tuple[int, int], ndim=None):
        self._sheet = sheet
        self._first = first
        self._last = last
        self._ndim = ndim

    @property
    def sheet(self) -> "Sheet":
        return self._sheet

    def _cells(self):
        for r in range(self._first[0], self._last[0] + 1):
            for c in range(self._first[1], self._last[1] + 1):
                yield r, c

    @property
    def row(self) -> int:
        return self._first[0]

    @property
    def column(self) -> int:
        return self._first[1]

    @property
    def shape(self) -> tuple[int, int]:
        return self._last[0] - self._first[0] + 1, self._last[1] - self._first[1] + 1

    @property
    def last_cell(self) -> "Range":
        return Range(self.sheet, self._last, self._last)

    def options(self, convert=None, **options) -> "Range":
        return Range(self.sheet, self._first, self._last, options.get("ndim"))

    @property
    def value(self):
        self.sheet.book.app.value_reads.append((self.sheet.name, self._first, self._last))
        grid = [[self.sheet._values.get((r, c)) for c in range(self._first[1], self._last[1] + 1)]
                for r in range(self._first[0], self._last[0] + 1)]
        if self._ndim == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        if len(grid) == 1:
            return grid[0]
        if all(len(row) == 1 for row in grid):
            return [row[0] for row in grid]
        return grid

    @value.setter
    def value(self, data):
        self.sheet.book.app.value_writes.append((self.sheet.name, self._first, data))
        if not isinstance(data, (list, tuple)):
            data = [[data]]
        elif data and not isinstance(data[0], (list, tuple)):
            data = [list(data)]  # a flat list is one row, as in xlwings
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                key = (self._first[0] + i, self._first[1] + j)
                v = _stored(v)
                if v is None:
                    self.sheet._values.pop(key, None)
                else:
                    self.sheet._values[key] = v

    @property
    def color(self):
        return self.sheet._formats.get((self.row, self.column), {}).get("bg_color")

    @color.setter
    def color(self, value):
        for cell in self._cells():
            self.sheet._formats.setdefault(cell, {})["bg_color"] = value

    @property
    def font(self) -> Font:
        return Font(self)

    @property
    def column_width(self):
        return self.sheet._widths.get(self.column)

    @column_width.setter
    def column_width(self, value):
        for c in range(self._first[1], self._last[1] + 1):
            self.sheet._widths[c] = value

    @property
    def number_format(self):
        return self.sheet._formats.get((self.row, self.column), {}).get("num_format")

    @number_format.setter
    def number_format(self, value):
        for cell in self._cells():
            self.sheet._formats.setdefault(cell, {})["num_format"] = value

    @property
    def address(self) -> str:
        def a(rc):
            return f"${get_column_letter(rc[1])}${rc[0]}"
        return a(self._first) if self._first == self._last else f"{a(self._first)}:{a(self._last)}"


class Sheet:
    def __init__(self, book: "Book", name: str, values: dict | None = None):
        self._book = book
        self._name = name
        self._values: dict[tuple[int, int], object] = dict(values or {})
        self._formats: dict[tuple[int, int], dict] = {}
        self._widths: dict[int, float] = {}
        self._names: dict[str, Name] = {}  # this sheet's own names (scoped to it), by local name

    @property
    def book(self) -> "Book":
        return self._book

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        if any(s is not self and s.name.casefold() == value.casefold() for s in self.book._sheets):
            raise ValueError(f"sheet name {value!r} already used")
        self._name = value

    @property
    def index(self) -> int:  # 1-based, as in Excel
        return self.book._sheets.index(self) + 1

    def range(self, cell1, cell2=None) -> Range:
        first = _rc(cell1)
        last = _rc(cell2) if cell2 is not None else first
        return Range(self, first, last)

    @property
    def names(self) -> "Names":
        return Names(self)

    @property
    def used_range(self) -> Range:
        if not self._values:
            return Range(self, (1, 1), (1, 1))
        rows = [r for r, _ in self._values]
        cols = [c for _, c in self._values]
        return Range(self, (min(rows), min(cols)), (max(rows), max(cols)))

    def copy(self, before=None, after=None, name=None) -> "Sheet":
        target = (before or after).book if (before or after) else self.book
        target._refuse_if_protected()
        new_name = name or self.name
        n = 2
        while new_name.casefold() in (s.name.casefold() for s in target._sheets):
            new_name = f"{self.name} ({n})"
            n += 1
        clone = Sheet(target, new_name, self._values)
        clone._formats = {k: dict(v) for k, v in self._formats.items()}
        clone._widths = dict(self._widths)
        if before is not None:
            target._sheets.insert(target._sheets.index(before), clone)
        elif after is not None:
            target._sheets.insert(target._sheets.index(after) + 1, clone)
        else:
            target._sheets.append(clone)
        return clone

    def delete(self) -> None:
        self.book._refuse_if_protected()
        if len(self.book._sheets) == 1:
            raise RuntimeError("a workbook must contain at least one visible worksheet")
        self.book._sheets.remove(self)


class Name:
    """A defined name as COM shows it: a sheet's own name as 'Sheet'!name, its formula
    with the leading =, hidden ones too (api.Visible False)."""

    def __init__(self, sheet: "Sheet | None", local: str, refers_to: str, visible: bool = True):
        self._sheet, self._local, self._refers_to = sheet, local, refers_to
        self._api = SimpleNamespace(Visible=visible)

    @property
    def api(self) -> SimpleNamespace:
        return self._api

    @property
    def name(self) -> str:
        if self._sheet is None:
            return self._local
        return "'" + self._sheet.name.replace("'", "''") + "'!" + self._local

    @property
    def refers_to(self) -> str:
        return self._refers_to

    def delete(self) -> None:
        if self._sheet is not None:
            self._sheet._names.pop(self._local, None)


class Names:
    """A sheet's names (Sheet.names) or every name of the book (Book.names)."""

    def __init__(self, owner: "Sheet | Book"):
        self._owner = owner

    def _all(self) -> list[Name]:
        if isinstance(self._owner, Sheet):
            return list(self._owner._names.values())
        return list(self._owner._names) + [n for s in self._owner._sheets for n in s._names.values()]

    def add(self, name, refers_to) -> Name:
        """Names.Add: a name already there is replaced."""
        if not isinstance(self._owner, Sheet):
            raise NotImplementedError("the tool only adds names scoped to a sheet")
        self._owner._names[name] = Name(self._owner, name, refers_to)
        return self._owner._names[name]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


class Sheets:
    def __init__(self, book: "Book"):
        self._book = book

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._book._sheets[key]
        for s in self._book._sheets:
            if s.name.casefold() == key.casefold():
                return s
        raise KeyError(key)

    def __iter__(self):
        return iter(list(self._book._sheets))

    def __len__(self) -> int:
        return len(self._book._sheets)

    def __contains__(self, key) -> bool:
        return any(s.name.casefold() == key.casefold() for s in self._book._sheets)

    def add(self, name=None, before=None, after=None) -> Sheet:
        sheet = Sheet(self._book, name or f"Sheet{len(self._book._sheets) + 1}")
        if before is not None:
            self._book._sheets.insert(self._book._sheets.index(before), sheet)
        elif after is not None:
            self._book._sheets.insert(self._book._sheets.index(after) + 1, sheet)
        else:
            self._book._sheets.append(sheet)
        return sheet


class Book:
    def __init__(self, app: "App", fullname: str):
        self._app = app
        self._fullname = str(fullname)
        self._sheets: list[Sheet] = []
        self.closed = False
        self.structure_protected = False  # 保护工作簿结构: no sheet added, moved or deleted
        self._names: list[Name] = []  # names scoped to the workbook

    def _refuse_if_protected(self) -> None:
        if self.structure_protected:
            raise RuntimeError("(COM) the workbook structure is protected")

    @classmethod
    def caller(cls) -> "Book":
        if _CALLER is None:
            raise RuntimeError("Book.caller() must not be called directly; set a mock caller first")
        return _CALLER

    def set_mock_caller(self) -> None:
        global _CALLER
        _CALLER = self

    @property
    def app(self) -> "App":
        return self._app

    @property
    def fullname(self) -> str:
        return self._fullname

    @property
    def api(self) -> SimpleNamespace:
        """The COM Workbook's properties the tool reads."""
        return SimpleNamespace(ProtectStructure=self.structure_protected)

    @property
    def name(self) -> str:
        return Path(self._fullname).name

    @property
    def sheets(self) -> Sheets:
        return Sheets(self)

    @property
    def names(self) -> Names:
        return Names(self)

    def close(self) -> None:
        self.closed = True
        self.app._books.remove(self)


class Books:
    def __init__(self, app: "App"):
        self._app = app

    def open(self, fullname=None, update_links=None, read_only=None, format=None, password=None) -> Book:
        """Load a workbook's cell values (cached values of formulas) with openpyxl; an
        encrypted file is decrypted in memory with `password`, as Excel opens it."""
        self._app.opened.append((str(fullname), password))
        if password is not None:
            import io

            import msoffcrypto

            plain = io.BytesIO()
            with open(fullname, "rb") as fh:
                office = msoffcrypto.OfficeFile(fh)
                office.load_key(password=password)
                office.decrypt(plain)
            plain.seek(0)
            wb = openpyxl.load_workbook(plain, data_only=True)
        else:
            wb = openpyxl.load_workbook(fullname, data_only=True)
        book = Book(self._app, str(Path(fullname).resolve()))
        for ws in wb.worksheets:
            values = {(c.row, c.column): _cell_value(c.value)
                      for row in ws.iter_rows() for c in row if _cell_value(c.value) is not None}
            sheet = Sheet(book, ws.title, values)
            for letter, dim in ws.column_dimensions.items():
                if dim.width:
                    sheet._widths[openpyxl.utils.column_index_from_string(letter)] = dim.width
            for local, dn in ws.defined_names.items():
                sheet._names[local] = Name(sheet, local, "=" + dn.attr_text, not dn.hidden)
            if ws.print_area:
                sheet._names["Print_Area"] = Name(sheet, "Print_Area", "=" + ws.print_area)
            book._sheets.append(sheet)
        book._names = [Name(None, n, "=" + dn.attr_text, not dn.hidden) for n, dn in wb.defined_names.items()]
        self._app._books.append(book)
        return book

    def __iter__(self):
        return iter(list(self._app._books))

    def __len__(self) -> int:
        return len(self._app._books)


class App:
    def __init__(self):
        self._books: list[Book] = []
        self.opened: list[tuple[str, str | None]] = []  # (file, password) of every books.open
        self.alerts: list[tuple[str, str | None, str | None]] = []  # (prompt, title, mode)
        self.value_writes: list[tuple[str, tuple[int, int], object]] = []  # every .value write
        self.value_reads: list[tuple[str, tuple[int, int], tuple[int, int]]] = []  # every .value read
        self._screen_updating = True

    @property
    def books(self) -> Books:
        return Books(self)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append((prompt, title, mode))
        return "ok"

    @property
    def screen_updating(self) -> bool:
        return self._screen_updating

    @screen_updating.setter
    def screen_updating(self, value: bool) -> None:
        self._screen_updating = value


def reset() -> None:
    """Forget the mock caller (between tests)."""
    global _CALLER
    _CALLER = None
