"""Reader speed: a 100,000-row 诉求台账 read by read_workbook vs. a bare calamine read.

    .venv/bin/python benchmarks/read_items.py [WORKBOOK] [ROWS]

Builds the workbook (XlsxWriter, constant memory) when it does not exist yet, then
times, best of 5 runs each: (a) CalamineWorkbook.from_path + get_sheet_by_name +
to_python() — the raw read of that sheet, (b) read_workbook(sheets=[诉求台账]).
"""
from __future__ import annotations

import gc
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from huitan_xl import read, schema
from huitan_xl.xlsx import file_check as workbook_file


def build(path: Path, rows: int) -> None:
    rnd = random.Random(1)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet(schema.ITEMS)
    dfmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    fields = schema.SHEETS[schema.ITEMS]
    ws.write_row(0, 0, [f.header for f in fields] + schema.ITEM_OWNED)
    deps = ["综采一队", "机电科", "通风科", "调度室", "后勤中心", "掘进二队"]
    names = ["张三", "李四", "王五", "赵六", "孙七"]
    base = datetime(2026, 1, 5)
    for i in range(rows):
        d = base + timedelta(days=i % 300)
        vals = {
            "id": f"T-{i:06d}", "session_id": f"HT-{i // 10:05d}", "proposer_id": f"{10000 + i % 5000:06d}",
            "proposer": rnd.choice(names), "category": rnd.choice(schema.CATEGORIES), "tag": "安全",
            "content": f"井下巷道照明不足，希望尽快整改（第{i}条）", "on_the_spot": rnd.choice(["是", "否"]),
            "department": rnd.choice(deps), "head": rnd.choice(names), "supervisor": rnd.choice(names),
            "assigned": d, "deadline": d + timedelta(days=7) if i % 3 else f"{d.year}-{d.month}-{d.day}",
            "replied": d + timedelta(days=rnd.randint(1, 12)), "reply": "已安排整改",
            "satisfaction": rnd.choice(schema.SATISFACTION), "resolved": rnd.choice(["是", "否"]),
            "implemented": "是",
        }
        for c, f in enumerate(fields):
            v = vals.get(f.attr)
            if isinstance(v, datetime):
                ws.write_datetime(i + 1, c, v, dfmt)
            elif v:
                ws.write_string(i + 1, c, v)
    wb.close()


def raw_read(path: Path) -> float:
    t = time.perf_counter()
    with CalamineWorkbook.from_path(str(path)) as wb:
        data = wb.get_sheet_by_name(schema.ITEMS).to_python()
    elapsed = time.perf_counter() - t
    del data
    return elapsed


def full_read(path: Path) -> tuple[float, int]:
    t = time.perf_counter()
    regs = read.read_workbook(path, sheets=[schema.ITEMS], required=[schema.ITEMS])
    elapsed = time.perf_counter() - t
    n = len(regs.items)
    del regs
    return elapsed, n


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.gettempdir()) / "huitan-read-bench.xlsx"
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    if not path.exists():
        build(path, rows)
    try:
        workbook_file.check_usable(path)
    except NotImplementedError:  # the file checks are not built yet: time the reader alone
        workbook_file.check_usable = lambda p: None
    raws, fulls = [], []
    for _ in range(5):
        raws.append(raw_read(path))
        gc.collect()
        secs, n = full_read(path)
        fulls.append(secs)
        gc.collect()
    print(f"{path} ({n} items)")
    print(f"raw calamine read (load + to_python): best {min(raws):.3f}s")
    print(f"read_workbook:                       best {min(fulls):.3f}s  = {min(fulls) / min(raws):.2f}x")


if __name__ == "__main__":
    main()
