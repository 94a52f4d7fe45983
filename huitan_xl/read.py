"""Workbook -> Registers (records + findings). The only module that parses input.

STUB — interface fixed, implementation pending (helper: reader).
"""
from __future__ import annotations

from pathlib import Path

from .model import Registers


def read_workbook(path: Path, sheets: list[str] | None = None,
                  required: list[str] | tuple = ()) -> Registers:
    """Read the register sheets (all, or only `sheets`). Calls
    workbook_file.check_usable first. A sheet in `required` that is missing, or
    missing a schema.REQUIRED_COLUMNS column, raises WorkbookUnusable; other missing
    sheets are silently empty (the job decides whether to warn)."""
    raise NotImplementedError
