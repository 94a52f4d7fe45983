"""One writer at a time per workbook: a lock file of the tool's own beside it.

`.NAME.xlsx.huitan-lock` sits beside the workbook (beside the link's target when the
workbook is a symbolic link) while a job that writes runs — from its read to its save, so
two runs never interleave (one 运行记录 line or a whole sheet lost). The lock is an
operating-system lock on that file (fcntl.flock; msvcrt.locking on Windows): a run
killed with kill -9 or by a power cut holds nothing, so the file it leaves is recognised
as stale and taken over at once. The file records who holds it (process, computer,
command, start time) for the message a waiting run gives.

A second run waits up to LOCK_WAIT seconds (env HUITAN_LOCK_WAIT), then gives up with
WorkbookUnusable (exit 2), having changed nothing. The lock is re-entrant within a process
(the scheduler's job, then the save inside it).
"""
from __future__ import annotations

import errno
import json
import os
import socket
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator

from ..errors import WorkbookUnusable
from .save import real_target

LOCK_SUFFIX = ".huitan-lock"
POLL = 0.2  # seconds between tries while waiting
_WIN_LOCK_AT = 0x7FFFFFFF  # Windows locks a byte range: one far past the text, so it stays readable


def lock_wait() -> float:
    """Seconds a second run waits for the lock (HUITAN_LOCK_WAIT, default 60)."""
    try:
        return max(0.0, float(os.environ.get("HUITAN_LOCK_WAIT", "60")))
    except ValueError:
        return 60.0


def lock_path(workbook: Path) -> Path:
    real = real_target(Path(workbook))
    return real.with_name("." + real.name + LOCK_SUFFIX)


_HELD: dict[str, list] = {}  # lock path -> [fd, depth] for the locks this process holds


def is_held(workbook: Path) -> bool:
    """Does this process hold the workbook's lock?"""
    return str(lock_path(workbook)) in _HELD


@contextmanager
def workbook_lock(workbook: Path, *, command: str = "", wait: float | None = None) -> Iterator[Path]:
    """Hold the workbook's lock for the body; raises WorkbookUnusable when another run
    holds it for longer than `wait` seconds (default lock_wait())."""
    path = lock_path(workbook)
    key = str(path)
    if key in _HELD:
        _HELD[key][1] += 1
        try:
            yield path
        finally:
            _HELD[key][1] -= 1
        return
    fd = _acquire(path, Path(workbook).name, command, lock_wait() if wait is None else wait)
    _HELD[key] = [fd, 1]
    try:
        yield path
    finally:
        del _HELD[key]
        _release(path, fd)


def _acquire(path: Path, name: str, command: str, wait: float) -> int:
    deadline = time.monotonic() + wait
    while True:
        fd = _open(path, name)
        if _try_lock(fd):
            if _still_named(fd, path):
                _record(fd, command)
                return fd
            os.close(fd)  # the holder removed the file as we opened it: try the new one
            continue
        os.close(fd)
        if time.monotonic() >= deadline:
            raise WorkbookUnusable(_busy_message(path, name, wait))
        time.sleep(POLL)


def _open(path: Path, name: str) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(3):
        try:
            return os.open(path, flags, 0o666)
        except OSError as exc:
            if exc.errno == errno.ELOOP or (path.is_symlink() and exc.errno != errno.EACCES):
                path.unlink()  # a planted link: removed, never followed
                continue
            if exc.errno == errno.EISDIR or path.is_dir():
                raise WorkbookUnusable(f"锁文件的位置「{path}」是一个文件夹，程序无法确认没有其他任务正在写入工作簿 {name}。"
                                       "请把这个文件夹改名或移走后重试。工作簿未改动。") from exc
            if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
                raise WorkbookUnusable(f"磁盘空间已满，无法写入工作簿 {name}（文件夹「{path.parent}」）。"
                                       "请清理磁盘空间后重试。工作簿未改动。") from exc
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise WorkbookUnusable(f"没有在文件夹「{path.parent}」中写入文件的权限，无法保存工作簿 {name}。"
                                       "请检查该文件夹的权限，或把工作簿复制到有写入权限的文件夹后重试。工作簿未改动。") from exc
            raise WorkbookUnusable(f"无法创建工作簿 {name} 的锁文件「{path.name}」：{exc.strerror or exc}。"
                                   "工作簿未改动。") from exc
    raise WorkbookUnusable(f"无法创建工作簿 {name} 的锁文件「{path.name}」。工作簿未改动。")


if os.name == "nt":  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WIN_LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WIN_LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

    def _still_named(fd: int, path: Path) -> bool:
        return True  # an open file cannot be removed on Windows

    def _release(path: Path, fd: int) -> None:
        _unlock(fd)
        os.close(fd)
        try:
            path.unlink()  # fails while another run has it open: it is theirs then
        except OSError:
            pass
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise

    def _still_named(fd: int, path: Path) -> bool:
        try:
            a, b = os.fstat(fd), os.lstat(path)
        except OSError:
            return False
        return (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev)

    def _release(path: Path, fd: int) -> None:
        try:
            path.unlink()  # while still locked: a waiter that opened it sees it gone and retries
        except OSError:
            pass
        os.close(fd)


def _record(fd: int, command: str) -> None:
    info = {"pid": os.getpid(), "host": socket.gethostname(), "command": command or _program(),
            "since": datetime.now().strftime("%Y-%m-%d %H:%M:%S")}
    data = json.dumps(info, ensure_ascii=False).encode("utf-8")
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, data)
    except OSError:
        pass  # the lock holds without its note


def holder(path: Path) -> dict:
    """What the lock file says about the run holding it ({} when unreadable)."""
    try:
        return json.loads(Path(path).read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return {}


def _busy_message(path: Path, name: str, wait: float) -> str:
    info = holder(path)
    who = "，".join(x for x in (
        f"任务 {info['command']}" if info.get("command") else "",
        f"进程 {info['pid']}" if info.get("pid") else "",
        f"电脑 {info['host']}" if info.get("host") else "",
        f"{info['since']} 开始" if info.get("since") else "") if x)
    return (f"工作簿 {name} 正在被另一个 huitan 任务写入" + (f"（{who}）" if who else "") +
            f"，已等待 {wait:g} 秒仍未结束。本次未作任何改动，请等它完成后再运行。")


def _program() -> str:
    """`huitan overdue` — the command this process runs, for the waiting run's message."""
    import sys

    args = [a for a in sys.argv[1:2] if not a.startswith("-")]
    return " ".join(["huitan", *args]) if args else ""
