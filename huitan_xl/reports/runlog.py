"""运行记录: an append-only log of runs (tool-owned; rebuilt with the old rows plus one)."""
from __future__ import annotations

from .layout import print_setup, write_table, write_title

HEADERS = ["运行时间", "任务", "基准日期", "期间", "结果", "错误", "警告", "说明", "版本"]


def runlog_builder(old_rows: list[list], new_row: list):
    def build(ws, fmt):
        row = write_title(ws, fmt, "运行记录", "huitan-xl 每次运行追加一行；本表由程序维护，请勿修改。")
        rows = [list(r) + [None] * (len(HEADERS) - len(r)) for r in old_rows] + [new_row]
        write_table(ws, fmt, row, HEADERS, [r[:len(HEADERS)] for r in rows],
                    widths=[20, 12, 12, 10, 8, 6, 6, 60, 8])
        ws.freeze_panes(row + 1, 0)
        print_setup(ws)

    return build
