"""Is this file a workbook we may read / write? (exit code 2 cases, SPEC §10–11)"""
from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from pathlib import Path

from ..errors import WorkbookUnusable
from . import encryption
from .parts_check import check_parts

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK"

# File kinds the tool cannot read, by name; a file is judged by its content, so an .xlsx
# under one of these names is read like any other (issue 18 §8).
OLD_FORMATS = {".xls": "Excel 97-2003 工作簿 (.xls)", ".xlt": "Excel 97-2003 模板 (.xlt)",
               ".et": "WPS 表格 (.et)", ".ett": "WPS 表格模板 (.ett)", ".ods": "OpenDocument 表格 (.ods)"}
# What to do with any file that is not an .xlsx package: the same words from init and every job.
SAVE_AS_XLSX = ("程序只处理 .xlsx / .xlsm 工作簿。请在 Excel 中用“文件 → 另存为 → Excel 工作簿 (*.xlsx)”，"
                "或在 WPS 中用“文件 → 另存为 → Excel 文件 (*.xlsx)”另存后，对新的 .xlsx 文件重新运行。"
                "未创建或改动任何文件。")


def old_format_message(path: Path, exists: bool = True) -> str:
    """An old binary workbook (.xls / .et content) or a name of one (init on a new path)."""
    path = Path(path)
    kind = OLD_FORMATS.get(path.suffix.lower())
    what = (f"是{kind}的文件名" if not exists else f"是{kind}" if kind
            else f"的内容是{OLD_FORMATS['.xls']}（扩展名却是 {path.suffix}）")
    return f"「{path.name}」{what}，" + SAVE_AS_XLSX


def check_usable(path: Path) -> None:
    """Raise WorkbookUnusable with a Chinese message naming the file when it is
    missing, a folder, not a zip/OOXML workbook, an encrypted (CFB) package, an old
    .xls, or truncated.

    A file found usable is not checked again in this process while it stays the same
    (size, times, inode): a job checks before reading and again before writing, and
    the full check decompresses every part."""
    path = Path(path)
    plain = encryption.plaintext(path)
    if plain is not None:  # an encrypted workbook a job has unlocked: check what it decrypted to
        _check_package(io.BytesIO(plain), path.name)
        return
    key, sig = os.path.abspath(path), _signature(path)
    if sig is not None and _USABLE.get(key) == sig:
        return
    _check_usable(path)
    if sig is not None:
        _USABLE[key] = sig


_USABLE: dict[str, tuple] = {}  # absolute path -> _signature of the file when last found usable


def _signature(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev


def _check_usable(path: Path) -> None:
    name = path.name
    if not path.exists():
        raise WorkbookUnusable(f"找不到工作簿 {name}（{path}）。请检查文件名和所在文件夹。")
    if path.is_dir():
        raise WorkbookUnusable(f"{name} 是一个文件夹，不是工作簿。请指定 .xlsx 或 .xlsm 文件。")
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise WorkbookUnusable(f"无法读取工作簿 {name}：{exc.strerror or exc}。") from exc
    if not head:
        raise WorkbookUnusable(f"工作簿 {name} 是空文件（0 字节），不是有效的 Excel 工作簿。")
    if head.startswith(_OLE_MAGIC):
        _check_ole(path)
    if not head.startswith(_ZIP_MAGIC):
        if path.suffix.lower() in (".et", ".ett"):  # WPS's own format, whatever its bytes
            raise WorkbookUnusable(old_format_message(path))
        raise WorkbookUnusable(f"{name} 不是 Excel 工作簿（{_describe(head)}）。" + SAVE_AS_XLSX)
    _check_package(path, name)


def _check_package(src, name: str) -> None:
    """The zip checks, on a path or on bytes in memory."""
    try:
        with zipfile.ZipFile(src) as z:
            names = set(z.namelist())
            main = _main_part(z, names)
            if main in names:
                check_parts(z, name, _READ_SHEETS)  # every part read to its end: CRCs checked
            else:
                z.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
            RuntimeError) as exc:
        raise WorkbookUnusable(f"工作簿 {name} 已损坏或不完整（可能复制时被截断）。"
                               f"请从备份恢复或用 Excel 打开修复后另存。（{exc}）") from exc
    if main not in names and "content.xml" in names and "mimetype" in names:  # OpenDocument
        raise WorkbookUnusable(f"{name} 是 OpenDocument 文件（.ods 等），不是 .xlsx 工作簿。" + SAVE_AS_XLSX)
    if main not in names:
        kind = "Word 文档" if "word/document.xml" in names else (
            "PowerPoint 演示文稿" if "ppt/presentation.xml" in names else "压缩包")
        raise WorkbookUnusable(f"{name} 不是 Excel 工作簿（是{kind}，缺少 xl/workbook.xml）。")


def _read_sheets() -> set[str]:
    from .. import schema
    from ..convert import squash

    return {squash(n) for n in [*schema.SHEETS, schema.RUN_LOG_SHEET]}


_READ_SHEETS = _read_sheets()  # squashed names of the sheets the reader loads (their size is bounded)


def _main_part(z: zipfile.ZipFile, names: set[str]) -> str:
    """The officeDocument part named by _rels/.rels (normally xl/workbook.xml)."""
    if "_rels/.rels" in names:
        rels = z.read("_rels/.rels").decode("utf-8", "replace")
        for m in re.finditer(r"<Relationship\b[^>]*>", rels):
            tag = m.group(0)
            if "/officeDocument\"" in tag:
                target = re.search(r'Target="([^"]*)"', tag)
                if target:
                    return target.group(1).lstrip("/")
    return "xl/workbook.xml"


def _check_ole(path: Path) -> None:
    """An OLE compound file: an encrypted .xlsx or an old .xls (maybe encrypted)."""
    import msoffcrypto  # only for OLE files
    from msoffcrypto.exceptions import FileFormatError

    name = path.name
    try:
        with open(path, "rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            encrypted = office.is_encrypted()
            kind = type(office).__name__
    except Exception as exc:  # noqa: BLE001 - the OLE reader raises assorted errors on damaged files
        if path.suffix.lower() in OLD_FORMATS:  # an .xls / .et the reader does not know: still old binary
            raise WorkbookUnusable(old_format_message(path)) from exc
        why = "无法识别的 OLE 文件" if isinstance(exc, (FileFormatError, OSError, ValueError, AssertionError,
                                                         KeyError)) else "OLE 文件已损坏"
        raise WorkbookUnusable(f"{name} 不是可用的 Excel 工作簿（{why}：{exc}）。") from exc
    if kind == "Xls97File":  # with or without a password: never readable here
        raise WorkbookUnusable(old_format_message(path))
    if kind == "OOXMLFile" or encrypted:
        raise WorkbookUnusable(encryption.needs_password_message(name))
    raise WorkbookUnusable(f"{name} 不是 Excel 工作簿（是其他 Office 文件）。")


def _describe(head: bytes) -> str:
    """What a non-zip file looks like, for the message."""
    if b"\x00" in head:
        return "无法识别的二进制文件"
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        return "无法识别的文件格式"
    low = text.lstrip().lower()
    if low.startswith(("<html", "<!doctype html", "<table")) or "<html" in low[:500]:
        return "是网页 (HTML) 文件"
    if low.startswith("<?xml"):
        return "是 XML 文件（可能是 Excel 2003 XML 表格）"
    first = text.splitlines()[0] if text.splitlines() else ""
    if "," in first or "\t" in first:
        return "看起来是 CSV / 文本文件"
    return "是文本文件"


def lock_file(path: Path) -> Path:
    """The `~$NAME` file Excel creates beside a workbook it has open."""
    path = Path(path)
    return path.with_name("~$" + path.name)


def check_not_locked(path: Path) -> None:
    """Raise WorkbookUnusable when Excel holds it open: a `~$NAME` lock file beside it."""
    lock = lock_file(path)
    if lock.exists():
        raise WorkbookUnusable(f"工作簿 {Path(path).name} 正在 Excel 中打开（发现锁文件 {lock.name}）。"
                               f"请先在 Excel 中关闭它再重试；如果 Excel 已关闭，请删除锁文件 {lock.name}。")
