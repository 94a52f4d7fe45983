"""Replacing a workbook file safely under real office conditions.

* The file is replaced only if it is still the one that was read: same size and the
  same SHA-256 of its bytes (a save by Excel, WPS or a sync client between the read and
  the replace means nothing is written — the row numbers of the read would point at other
  records in the new file).
* Temporary files are created beside the file with O_EXCL (never through a planted
  link), written, fsynced, then moved over the target with os.replace; the backup
  NAME.bak.xlsx is written the same way (a kill or a full disk leaves the previous
  backup whole). A backup name planted as a symbolic link is replaced, not followed.
* A workbook that is itself a symbolic link is written through: the link's target is
  replaced, the link stays.
* The new workbook and its backup keep the workbook's permission bits; a new file gets
  what the umask allows.
* Temporary files left by a killed run (`.NAME.xxxxxxxx.huitan-tmp`) are removed by the
  next run that holds the workbook's lock (or when they are over an hour old).
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from ..errors import WorkbookUnusable

TMP_SUFFIX = ".huitan-tmp"
STALE_TMP_AGE = 3600  # seconds: a temporary file this old is a killed run's, lock or not
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Fingerprint:
    """What was read from a workbook file: its size, modification time and content hash."""

    size: int
    mtime_ns: int
    sha256: str

    def same_content(self, other: "Fingerprint") -> bool:
        # the modification time alone may change without the content (a sync client
        # touching it); a hash of the bytes is what decides
        return self.size == other.size and self.sha256 == other.sha256


def read_with_fingerprint(path: Path) -> tuple[bytes, Fingerprint]:
    """The file's bytes and their fingerprint, from one open of the file."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        data = fh.read()
    return data, Fingerprint(len(data), st.st_mtime_ns, hashlib.sha256(data).hexdigest())


def real_target(path: Path) -> Path:
    """The file a save replaces: the link's final target when `path` is a symbolic link."""
    path = Path(path)
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def stale_message(name: str) -> str:
    return (f"工作簿 {name} 在程序读取之后被其他程序修改并保存过（例如在 Excel、WPS 中保存，或被同步软件更新）。"
            "为避免把结果写到别的记录所在的行，本次未写入任何内容，工作簿和备份均未改动。请直接重新运行一次。")


class StaleWorkbook(WorkbookUnusable):
    """The file changed between the read and the replace: nothing was written."""


def new_file_mode() -> int:
    """Permission bits of a new file under the current umask (0o666 & ~umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _before_replace(dest: Path) -> None:
    """Test hook: called after the temporary file and the backup are written, just
    before the final check and replace (tests monkeypatch it to race the writer)."""


def atomic_save(dest: Path, write: Callable[[BinaryIO], None], *, backup: Path | None,
                expect: Fingerprint | None, lock_held: bool = False) -> Path | None:
    """Write the new file through `write(fileobj)` into a temporary file beside the real
    target of `dest`, keep the current file as `backup` (when given and the file exists),
    check that the file is still the one `expect` describes, then replace it. `backup`
    is a path beside the real target (see real_target). Returns the
    backup written, or None. Raises WorkbookUnusable (Chinese, names the file) on any
    failure; the workbook and the previous backup are then untouched."""
    dest = Path(dest)
    real = real_target(dest)
    folder = real.parent
    name = dest.name
    if backup is not None:
        if backup.is_dir() and not backup.is_symlink():
            raise WorkbookUnusable(
                f"备份文件的位置「{backup}」是一个文件夹，无法保存工作簿 {name} 的备份。"
                f"请把这个文件夹改名或移走后重试。工作簿未改动。")
    remove_stale_temps(real, all_of_them=lock_held)
    try:
        existing = os.stat(real)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise WorkbookUnusable(_os_message(exc, name, folder, "stat")) from exc
    if expect is not None and existing is None:
        raise StaleWorkbook(stale_message(name))
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else new_file_mode()
    temps: list[Path] = []
    stage = "temp"
    try:
        tmp = _write_temp(real, write, mode, temps)
        kept = None
        if existing is not None:
            stage = "backup"
            seen = _keep_previous(real, backup, mode, temps, name, expect)
            _before_replace(dest)
            _check_same(real, seen, name)
            if backup is not None:
                os.replace(temps[-1], backup)  # never follows a link planted at that name
                temps.pop()
                kept = backup
                _check_same(real, seen, name)
        stage = "replace"
        os.replace(tmp, real)
        temps.remove(tmp)
        _sync_folder(folder)
        return kept
    except WorkbookUnusable:
        _remove(temps)
        raise
    except OSError as exc:
        _remove(temps)
        raise WorkbookUnusable(_os_message(exc, name, folder, stage, backup)) from exc
    except BaseException:
        _remove(temps)
        raise


def _write_temp(real: Path, write: Callable[[BinaryIO], None], mode: int, temps: list[Path]) -> Path:
    fd, tmp_name = tempfile.mkstemp(dir=real.parent, prefix="." + real.name + ".", suffix=TMP_SUFFIX)
    tmp = Path(tmp_name)
    temps.append(tmp)
    with os.fdopen(fd, "wb") as out:
        write(out)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(tmp, mode)
    return tmp


def _keep_previous(real: Path, backup: Path | None, mode: int, temps: list[Path], name: str,
                   expect: Fingerprint | None) -> tuple:
    """Copy the current file into a temporary backup (when a backup is wanted) while
    hashing it; raise StaleWorkbook if it is not what `expect` describes. Returns the
    (size, mtime, inode, device) seen, for the last check before the replace."""
    digest = hashlib.sha256()
    size = 0
    out = None
    if backup is not None:
        fd, bak_name = tempfile.mkstemp(dir=real.parent, prefix="." + real.name + ".", suffix=TMP_SUFFIX)
        temps.append(Path(bak_name))
        out = os.fdopen(fd, "wb")
    try:
        with open(real, "rb") as src:
            st = os.fstat(src.fileno())
            while True:
                block = src.read(_CHUNK)
                if not block:
                    break
                digest.update(block)
                size += len(block)
                if out is not None:
                    out.write(block)
        if out is not None:
            out.flush()
            os.fsync(out.fileno())
    finally:
        if out is not None:
            out.close()
    if expect is not None and (size != expect.size or digest.hexdigest() != expect.sha256):
        raise StaleWorkbook(stale_message(name))
    if backup is not None:
        os.chmod(temps[-1], mode)
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev


def _check_same(real: Path, seen: tuple, name: str) -> None:
    """The file is still the one hashed (size, time, inode): nobody saved it meanwhile."""
    try:
        now = os.stat(real)
    except FileNotFoundError:
        raise StaleWorkbook(stale_message(name)) from None
    if (now.st_size, now.st_mtime_ns, now.st_ino, now.st_dev) != seen:
        raise StaleWorkbook(stale_message(name))


def _remove(temps: list[Path]) -> None:
    for t in temps:
        try:
            t.unlink()
        except OSError:
            pass


def _sync_folder(folder: Path) -> None:
    """fsync the folder so the rename itself survives a power cut (POSIX only)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def stale_temp_pattern(real: Path) -> re.Pattern:
    """Names of this workbook's temporary files: `.NAME.xlsx.xxxxxxxx.huitan-tmp` and the
    older `.NAME.xxxxxxxx.huitan-tmp` (8 characters from tempfile)."""
    names = "|".join(re.escape(n) for n in (real.name, real.stem))
    return re.compile(r"\.(?:%s)\.[a-z0-9_]{8}%s" % (names, re.escape(TMP_SUFFIX)))


def remove_stale_temps(real: Path, *, all_of_them: bool) -> list[Path]:
    """Remove temporary files a killed run left beside the workbook: all of them when this
    process holds the workbook's lock (no other run can be writing), else those over an
    hour old. Returns what was removed."""
    pattern = stale_temp_pattern(real)
    removed = []
    try:
        entries = list(os.scandir(real.parent))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(st.st_mode):
                continue
            if all_of_them or now - st.st_mtime > STALE_TMP_AGE:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _os_message(exc: OSError, name: str, folder: Path, stage: str, backup: Path | None = None) -> str:
    """A Chinese message that says what went wrong (disk full, no permission, a folder
    where the backup goes, the file in use) — never blames Excel for a full disk."""
    code = exc.errno
    detail = f"（{exc.__class__.__name__}: {exc.strerror or exc}）"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return (f"磁盘空间已满（或已达到磁盘配额），无法写入工作簿 {name}（文件夹「{folder}」）。"
                f"请清理磁盘空间后重试。工作簿和原有备份均未改动。{detail}")
    if code == errno.EROFS:
        return f"工作簿 {name} 所在的磁盘或文件夹是只读的，无法写入。请把工作簿复制到可写的位置后重试。工作簿未改动。{detail}"
    if code == errno.EISDIR and stage == "backup" and backup is not None:
        return (f"备份文件的位置「{backup}」是一个文件夹，无法保存工作簿 {name} 的备份。"
                f"请把这个文件夹改名或移走后重试。工作簿未改动。{detail}")
    if code in (errno.EACCES, errno.EPERM):
        if stage in ("temp", "backup", "stat"):
            return (f"没有在文件夹「{folder}」中写入文件的权限，无法保存工作簿 {name}。"
                    f"请检查该文件夹的权限，或把工作簿复制到有写入权限的文件夹后重试。工作簿未改动。{detail}")
        return (f"无法替换工作簿 {name}：文件正被其他程序（如 Excel、WPS）使用，或没有修改它的权限。"
                f"请关闭该文件、检查权限后重试。工作簿未改动。{detail}")
    return f"无法写入工作簿 {name}：{exc.strerror or exc}。工作簿未改动。{detail}"
