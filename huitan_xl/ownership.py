"""What the tool owns in a workbook: its columns in the input sheets and its own sheets."""
from __future__ import annotations

from . import columnmap
from .convert import text

MARK_HEADER = "校验提示"  # tool-owned column on every input sheet (validate): what is wrong in the row


def legacy_owned(header: list, sheet: str) -> dict[int, str]:
    """0-based column -> owned header, for columns headed exactly like a tool-owned column
    (the first of each name)."""
    owned = dict(columnmap.lookup(sheet).owned) if sheet in columnmap.OWNED else {}
    owned.setdefault(columnmap.header_key(MARK_HEADER), MARK_HEADER)
    out: dict[int, str] = {}
    for j, v in enumerate(header):
        k = columnmap.header_key(text(v))
        h = owned.get(k)
        if h is not None and h not in out.values():
            out[j] = h
    return out
