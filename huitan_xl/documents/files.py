"""Writing the documents beside the workbook: names, lock check, atomic replace with a backup."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from ..errors import WorkbookUnusable


def beside(workbook: Path, *parts: str) -> Path:
    """NAME_part1_part2.docx in the workbook's folder (NAME: the workbook's file name stem)."""
    workbook = Path(workbook)
    return workbook.with_name("_".join((workbook.stem,) + parts) + ".docx")


def unencodable_note(path: Path) -> str | None:
    """Why a document cannot be created under its Chinese name on this machine (e.g. LC_ALL=C
    without UTF-8 mode), else None. The workbook is still written; the terminal says why the
    document is not."""
    try:
        os.fsencode(str(path))
        return None
    except UnicodeEncodeError:
        return (f"当前系统的文件名编码（{sys.getfilesystemencoding()}）不能使用中文文件名，未生成文档"
                f"「{path.name}」；请在 UTF-8 环境下运行（例如设置 PYTHONUTF8=1）。")


def backup_path(path: Path) -> Path:
    return path.with_name(path.stem + ".bak" + path.suffix)


def word_locks(path: Path) -> list[Path]:
    """The owner files Word (or WPS) keeps beside an open document: ~$ replacing the start
    of the name (Word drops one or two leading characters of longer names)."""
    name = path.name
    return [path.with_name("~$" + name[k:]) for k in (0, 1, 2) if len(name) > k]


def check_writable(path: Path) -> None:
    for lock in word_locks(path):
        if lock.exists():
            raise WorkbookUnusable(f"文档 {path.name} 正在 Word / WPS 中打开（发现锁文件 {lock.name}）。"
                                   f"请先关闭该文档再重试；工作簿和文档均未作改动。")


def write_document(path: Path, data) -> Path | None:
    """Atomic write; an existing document (perhaps edited by hand) is kept as NAME.bak.docx.
    `data`: the bytes, or a function that makes them (a document made only when written).
    Returns the backup's path, if one was made."""
    if callable(data):
        data = data()
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix="." + path.stem + ".", suffix=".huitan-tmp")
    tmp = Path(tmp_name)
    kept = None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        from ..xlsx.save import new_file_mode

        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else new_file_mode())  # not mkstemp's 0600
        if path.exists():
            kept = backup_path(path)
            shutil.copyfile(path, kept)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WorkbookUnusable(f"无法写入文档 {path.name}：文件可能正在 Word / WPS 中打开或没有写入权限。"
                               f"请关闭该文件后重试。（{exc.__class__.__name__}: {exc.strerror or exc}）") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return kept
