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


class BadParameter(Exception):
    """A parameter given to a job (--period, --month, --quarter, --year, --level, a 说明
    input cell, a keyword of run_job) that cannot be used; ``message`` is Chinese and
    repeats what was given. Exit code 2, nothing read or written.

    Deliberately not a ValueError: a ValueError raised inside a job is a bug (exit 3
    with a log), not a user's typing mistake."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
