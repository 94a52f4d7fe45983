"""validate's marks where the clerk works: the tool-owned 校验提示 column on each input
sheet and the conditional format that highlights the cells its notes name."""
from __future__ import annotations

from . import schema
from .a1 import column_letters
from .findings import Finding
from .model import Registers
from .ownership import MARK_HEADER
from .pipeline import Writes


def mark_findings(regs: Registers, findings: list[Finding], writes: Writes) -> None:
    """Mark offending cells where the clerk works: a 校验提示 column (tool-owned, far right)
    lists each row's problems as 代码「列」, and a conditional format highlights every cell
    whose header is named there. Fixed data -> empty 校验提示 on the next run -> no mark."""

    from .findings import CODES

    by_name = {layout.name: (key, layout) for key, layout in regs.layouts.items()}
    notes: dict[str, dict[int, list[str]]] = {}
    for f in findings:
        if f.row and f.sheet in by_name:
            text = f"{f.code}「{f.column}」{CODES.get(f.code, ('', ''))[1]}" if f.column else f.code
            row_notes = notes.setdefault(f.sheet, {}).setdefault(f.row, [])
            if text not in row_notes:
                row_notes.append(text)
    for name, (key, layout) in by_name.items():
        if key not in schema.SHEETS or (name not in notes and MARK_HEADER not in layout.owned):
            continue
        sheet_notes = notes.get(name, {})
        col = writes.owned_columns(regs, key, [MARK_HEADER],
                                   lambda r, n=sheet_notes: ["；".join(n[r])] if r in n else [None],
                                   widths=[36])[0]
        h = layout.header_row
        if MARK_HEADER not in layout.owned:  # a new column is empty: write only the rows with notes
            cells = writes.cells[name]
            for r in range(h + 1, layout.max_row + 1):
                if r not in sheet_notes:
                    del cells[(r, col)]
        mark = column_letters(col)
        last = column_letters(max(layout.max_column, col))
        formula = f'AND(${mark}{h + 1}<>"",ISNUMBER(SEARCH("「"&A${h}&"」",${mark}{h + 1})))'
        writes.marks.setdefault(name, []).append((f"A{h + 1}:{last}{max(layout.max_row, h + 1)}", formula, "error"))
