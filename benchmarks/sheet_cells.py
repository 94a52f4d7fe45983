"""µs per cell of a large tool-owned sheet moved into a workbook, through the row blocks
(xlsx/rows.py) and through XlsxWriter's cells (the path before issue 13):

    .venv/bin/python benchmarks/sheet_cells.py [ROWS]
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from huitan_xl.reports import layout  # noqa: E402
from huitan_xl.reports.layout import write_table  # noqa: E402
from huitan_xl.write import Workbook  # noqa: E402

COLS = 12


def rows(n: int) -> list[list]:
    return [["王强", "逾期未答复", f"SQ2026-{i:06d}", "机电科", "李四", date(2026, 10, 1 + i % 28),
             date(2026, 10, 8), i % 90, i % 60, "通报", f"综采一队职工反映井下岗位津贴标准多年未调整，希望尽快研究解决{i}", i + 2]
            for i in range(n)]


def run(n: int, path: Path) -> float:
    data = rows(n)
    wb = Workbook.open(path)
    wb.put_sheet("明细", lambda ws, fmt: write_table(ws, fmt, 0, [f"列{c}" for c in range(COLS)], data,
                                                   widths=[12] * COLS))
    t = time.perf_counter()
    wb.render()
    return time.perf_counter() - t


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.xlsx"
        wb = Workbook.new()
        wb.put_sheet("台账", lambda ws, fmt: ws.write_string(0, 0, "x"))
        wb.save(path, backup=False)
        fast = run(n, path)
        real = layout.add_rows
        layout.add_rows = lambda *a: None  # every cell through XlsxWriter
        try:
            slow = run(n, path)
        finally:
            layout.add_rows = real
    cells = n * COLS
    print(f"{n:,} rows x {COLS} columns: row blocks {fast:.2f} s = {fast / cells * 1e6:.2f} µs/cell; "
          f"XlsxWriter cells {slow:.2f} s = {slow / cells * 1e6:.2f} µs/cell ({slow / fast:.1f}x)")


if __name__ == "__main__":
    main()
