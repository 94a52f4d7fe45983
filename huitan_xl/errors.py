"""Exceptions for a workbook that cannot be used at all (exit code 2).

Bad *data* is never an exception: it becomes a Finding. These are only for a
file the tool must not touch: missing, not a workbook, encrypted, locked by
Excel, or lacking a required sheet or column.
"""
from __future__ import annotations


class WorkbookUnusable(Exception):
    """The workbook cannot be used; ``message`` is Chinese and names the file
    (and the sheet and column where one is at fault)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
