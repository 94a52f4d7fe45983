"""Is this file a workbook we may read / write? (exit code 2 cases, SPEC §10–11)

STUB — implementation pending (helper: writer).
"""
from __future__ import annotations

from pathlib import Path


def check_usable(path: Path) -> None:
    """Raise WorkbookUnusable with a Chinese message naming the file when it is
    missing, a folder, not a zip/OOXML workbook, an encrypted (CFB) package, an old
    .xls, or truncated."""
    raise NotImplementedError


def check_not_locked(path: Path) -> None:
    """Raise WorkbookUnusable when Excel holds it open: a `~$NAME` lock file beside it."""
    raise NotImplementedError
