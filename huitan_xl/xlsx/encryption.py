"""Workbooks protected with an open password (ECMA-376 agile encryption, as Excel and
WPS write it), decrypted in memory only.

The seam is small: a job runs inside `unlocked(path, password)`. For an encrypted file
this decrypts it once into memory and registers the plaintext under the file's path;
file_check, the reader and the writer ask `plaintext(path)` and use those bytes
instead of the file. On save the writer calls `seal(path, data)`, which encrypts the
new package with the same password and proves it by decrypting it again before the
file is replaced. No decrypted copy is ever written to disk; the backup is a copy of
the encrypted file, so it stays encrypted.

The password is never put into a message, a log line or an exception text.
"""
from __future__ import annotations

import io
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import WorkbookUnusable

PASSWORD_ENV = "HUITAN_PASSWORD"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def needs_password_message(name: str) -> str:
    return f"{name}：工作簿已加密，请用 --password 提供打开密码（或设置环境变量 {PASSWORD_ENV}）。"


def wrong_password_message(name: str) -> str:
    return f"{name}：密码不正确，无法打开这个加密的工作簿。请检查大小写和输入法后重试。原文件未作改动。"


@dataclass
class _Open:
    password: str
    plain: bytes  # the decrypted package, in memory only


_OPEN: dict[str, _Open] = {}  # absolute path -> the decrypted workbook of a running job
_LOCK = threading.Lock()


def _key(path: Path | str) -> str:
    return os.path.abspath(os.fspath(path))


def is_encrypted(path: Path | str) -> bool:
    """An OLE compound file holding an encrypted OOXML package (not an old .xls)."""
    try:
        with open(path, "rb") as fh:
            if fh.read(8) != OLE_MAGIC:
                return False
            return _is_encrypted_package(fh)
    except OSError:
        return False


def _is_encrypted_package(fh) -> bool:
    import olefile  # comes with msoffcrypto-tool

    fh.seek(0)
    try:
        ole = olefile.OleFileIO(fh)
    except Exception:  # noqa: BLE001 - a damaged OLE file is file_check's to report
        return False
    try:
        return ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage")
    finally:
        ole.close()


def decrypt(data: bytes, password: str, name: str) -> bytes:
    """The decrypted package; WorkbookUnusable 「密码不正确」 for a wrong password."""
    import msoffcrypto
    from msoffcrypto.exceptions import DecryptionError, InvalidKeyError

    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        office.load_key(password=password, verify_password=True)
        out = io.BytesIO()
        office.decrypt(out, verify_integrity=True)
    except InvalidKeyError:  # "Key verification failed"
        raise WorkbookUnusable(wrong_password_message(name)) from None
    except DecryptionError as exc:
        raise WorkbookUnusable(f"{name}：无法解密这个加密的工作簿（{type(exc).__name__}）。"
                               "请在 Excel 或 WPS 中打开后另存再试。") from None
    except Exception as exc:  # noqa: BLE001 - assorted errors from a damaged container
        raise WorkbookUnusable(f"{name}：加密的工作簿已损坏或格式无法识别（{type(exc).__name__}）。"
                               "请在 Excel 或 WPS 中打开后另存再试。") from None
    return out.getvalue()


def encrypt(plain: bytes, password: str) -> bytes:
    """The package encrypted with `password` (agile encryption, SHA-512, AES-256)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt(password, out)
    return out.getvalue()


@contextmanager
def unlocked(path: Path | str, password: str | None) -> Iterator[bool]:
    """Run a job on `path`: an encrypted workbook is decrypted into memory for the
    duration (yields True); a plain one is left to the usual path (yields False, the
    password is ignored). No password for an encrypted file, or a wrong one:
    WorkbookUnusable with a Chinese message, nothing touched."""
    path = Path(path)
    key = _key(path)
    with _LOCK:
        already = key in _OPEN
    if already or not is_encrypted(path):
        yield already
        return
    if not password:
        raise WorkbookUnusable(needs_password_message(path.name))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WorkbookUnusable(f"无法读取工作簿 {path.name}：{exc.strerror or exc}。") from None
    plain = decrypt(data, password, path.name)
    with _LOCK:
        _OPEN[key] = _Open(password, plain)
    try:
        yield True
    finally:
        with _LOCK:
            _OPEN.pop(key, None)


def plaintext(path: Path | str) -> bytes | None:
    """The decrypted bytes of a workbook a running job unlocked, else None."""
    with _LOCK:
        entry = _OPEN.get(_key(path))
    return entry.plain if entry is not None else None


def password_of(path: Path | str) -> str | None:
    with _LOCK:
        entry = _OPEN.get(_key(path))
    return entry.password if entry is not None else None


def seal(password: str, plain: bytes, name: str) -> bytes:
    """Encrypt the package and prove it: decrypting the result with the same password
    must give back exactly `plain`, else nothing is written (WorkbookUnusable)."""
    try:
        sealed = encrypt(plain, password)
    except Exception as exc:  # noqa: BLE001 - msoffcrypto's assorted errors
        raise WorkbookUnusable(f"{name}：无法加密写入的工作簿（{type(exc).__name__}），工作簿未作改动。") from None
    try:
        back = decrypt(sealed, password, name)
    except WorkbookUnusable:
        back = None
    if back != plain:
        raise WorkbookUnusable(f"{name}：加密后校验失败，工作簿未作改动。请重试；如果再次失败，请联系管理员。")
    return sealed


def remember(path: Path | str, plain: bytes) -> None:
    """After a save: later reads in the same job see what was written."""
    with _LOCK:
        entry = _OPEN.get(_key(path))
        if entry is not None:
            entry.plain = plain


def open_calamine(path: Path | str):
    """A CalamineWorkbook of the file, or of its decrypted bytes while it is unlocked."""
    from python_calamine import CalamineWorkbook

    plain = plaintext(path)
    if plain is None and Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        plain = Path(path).read_bytes()  # by content: from_path goes by the name (an .xlsx named .xls)
    if plain is not None:
        return CalamineWorkbook.from_filelike(io.BytesIO(plain))
    return CalamineWorkbook.from_path(os.fspath(path))


def password_from_env() -> str | None:
    return os.environ.get(PASSWORD_ENV) or None


def password_from_file(path: Path | str) -> str:
    """The first line of a password file; on POSIX the file must be readable only by its
    owner (mode 600 / 400), like ssh keys — else WorkbookUnusable."""
    p = Path(path)
    try:
        st = p.stat()
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise WorkbookUnusable(f"无法读取密码文件 {p}：{exc.strerror or exc}。") from None
    if os.name == "posix" and st.st_mode & 0o077:
        raise WorkbookUnusable(f"密码文件 {p} 其他用户也能读取，不安全。请运行 chmod 600 {p} 后重试。")
    line = text.splitlines()[0].strip() if text.strip() else ""
    if not line:
        raise WorkbookUnusable(f"密码文件 {p} 是空的，请在第一行写入工作簿打开密码。")
    return line
