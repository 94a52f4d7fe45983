"""The only module that changes a workbook; it owns the fidelity guarantee.

STUB — interface fixed, implementation pending (helper: writer).

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

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Union

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


class Workbook:
    @classmethod
    def open(cls, path: Path) -> "Workbook":
        """Open for editing; raises WorkbookUnusable (missing, not a workbook,
        encrypted, truncated, locked by Excel)."""
        raise NotImplementedError

    @classmethod
    def new(cls) -> "Workbook":
        """An empty package: its only sheets will be the ones put_sheet adds."""
        raise NotImplementedError

    @property
    def sheet_names(self) -> list[str]: ...

    @property
    def structure_protected(self) -> bool: ...

    def set_cells(self, sheet: str, cells: dict[tuple[int, int], CellValue],
                  styles: dict[tuple[int, int], str] | None = None) -> None:
        """Set values of (excel_row, excel_col) cells, 1-based, in an existing sheet.
        str -> inline text, never a formula; int/float -> number; date -> serial with
        the 'date' style unless styled; None -> the cell's value is removed (its
        style kept). `styles` names a FORMAT_DEFS entry per cell."""

    def set_column_width(self, sheet: str, col: int, width: float) -> None: ...

    def put_sheet(self, name: str, build: SheetBuilder, *, after: str | None = None) -> None:
        """Add (or replace, in place) a tool-owned sheet built with XlsxWriter.
        Builders must write user text with write_string (strings are never formulas)."""

    def save(self, path: Path | None = None, *, backup: bool = True) -> SaveResult:
        """Atomic write; backup of the previous version as NAME.bak.xlsx(m)."""
        raise NotImplementedError
