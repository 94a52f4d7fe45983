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


def log_internal_error(target, exc: BaseException, command: str = ""):
    """Write the traceback to NAME.huitan.log beside the workbook `target` (the scheduler's
    log), else to huitan.log in the user's temporary folder. Returns the file, or None."""
    import tempfile
    import traceback
    from pathlib import Path

    from . import __version__
    from .clock import now_cst

    candidates = []
    if target is not None:
        target = Path(target)
        candidates.append(target.with_name(target.stem + ".huitan.log"))
    candidates.append(Path(tempfile.gettempdir()) / "huitan.log")
    text = (f"{now_cst():%Y-%m-%d %H:%M:%S} ERROR huitan-xl {__version__} {command}\n"
            + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    for path in candidates:
        try:
            with open(path, "a", encoding="utf-8") as f:
                f.write(text)
            return path
        except OSError:
            continue
    return None


def internal_error(target, exc: BaseException, command: str = "") -> str:
    """A bug met while running a job: the traceback goes to the log file, staff get one
    Chinese line naming it (the command line, the window, the Excel message box)."""
    log = log_internal_error(target, exc, command)
    where = f"详细信息已写入 {log}" if log else "详细信息无法写入日志文件"
    return f"程序内部出错（{type(exc).__name__}），任务未完成；{where}，请发给管理员。"
