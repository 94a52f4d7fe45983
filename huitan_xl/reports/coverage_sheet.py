"""The 覆盖率 sheet: coverage per level, then who has not attended yet."""
from __future__ import annotations

from datetime import date

from .. import schema
from .layout import display_width, print_setup, write_table, write_title
from ..write import SheetBuilder
from .coverage import LevelCoverage, period_text

LEVEL_HEADERS = ["层级代码", "层级", "在职人数", "已覆盖", "覆盖率", "八级慧谈场次"]
UNCOVERED_HEADERS = ["工号", "姓名", "层级", "单位", "岗位", "重点对象"]
TOTAL = "合计"
UNCOVERED_TITLE = "尚未覆盖人员（三必谈五必访对象在前）"


def uncovered_rows(rows: list[LevelCoverage]) -> list[list]:
    """Key persons of every level first (in level order), then the others."""
    key = [[p.id, p.name, r.name, p.unit, p.post, p.key_reason] for r in rows for p in r.uncovered if p.key_reason]
    rest = [[p.id, p.name, r.name, p.unit, p.post, ""] for r in rows for p in r.uncovered if not p.key_reason]
    return key + rest


def coverage_builder(rows: list[LevelCoverage], period: tuple[date, date]) -> SheetBuilder:
    rows = list(rows)

    def build(ws, fmt) -> None:
        r = write_title(ws, fmt, schema.COVERAGE_SHEET, f"统计周期：{period_text(period)}")
        r += 1
        active = sum(x.active for x in rows)
        covered = sum(x.covered for x in rows)
        table = [[x.code, x.name, x.active, x.covered, x.share, x.sessions] for x in rows]
        table.append([TOTAL, "", active, covered, covered / active if active else 0.0,
                      sum(x.sessions for x in rows)])
        waiting = uncovered_rows(rows)
        widths = _widths([LEVEL_HEADERS, UNCOVERED_HEADERS, *table, *waiting])
        r = write_table(ws, fmt, r, LEVEL_HEADERS, table, widths=widths,
                        col_formats={2: fmt.int, 3: fmt.int, 4: fmt.percent, 5: fmt.int})
        r += 1
        ws.write_string(r, 0, f"{UNCOVERED_TITLE}：{len(waiting)} 人", fmt.bold)
        r += 1
        if waiting:
            write_table(ws, fmt, r, UNCOVERED_HEADERS, waiting, widths=widths, autofilter=True)
        print_setup(ws)

    return build


def _widths(lines: list[list]) -> list[int]:
    """One width per column that fits both tables (they share columns A–F)."""
    out = [0] * 6
    for line in lines:
        for c, v in enumerate(line[:6]):
            out[c] = max(out[c], display_width(v if not isinstance(v, float) else "100.0%") + 2)
    return [min(60, max(8, w)) for w in out]
