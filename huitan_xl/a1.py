"""A1 references, the one place column letters are made or read.

Columns are 1-based as Excel numbers them (A = 1, Z = 26, AA = 27, XFD = 16384), rows too.
Pure Python with no imports: the reader, the ownership marks and the finding links use it
on hot paths, so letters are memoised.
"""
from __future__ import annotations

from functools import lru_cache

MAX_COLUMN = 16384  # XFD


@lru_cache(maxsize=None)
def column_letters(col: int) -> str:
    """1 -> "A", 26 -> "Z", 27 -> "AA", 16384 -> "XFD"."""
    if col < 1:
        raise ValueError(f"column {col} is before A")
    out = ""
    while col:
        col, r = divmod(col - 1, 26)
        out = chr(65 + r) + out
    return out


def column_index(letters: str | bytes) -> int:
    """"A" -> 1, "aa" -> 27, b"XFD" -> 16384 (letters of either case, str or bytes)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a column: {letters!r}")
        n = n * 26 + ord(ch) - 64
    if n == 0:
        raise ValueError("empty column letters")
    return n


def cell(row: int, col: int, absolute: bool = False) -> str:
    """(7, 2) -> "B7"; absolute: "$B$7"."""
    if absolute:
        return f"${column_letters(col)}${row}"
    return f"{column_letters(col)}{row}"


def quote_sheet(name: str) -> str:
    """A sheet name as a formula or link writes it: 'name' with ' doubled."""
    return "'" + name.replace("'", "''") + "'"
