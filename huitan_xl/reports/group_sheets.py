"""Sheets of the group workbook (集团汇总): the per-mine figures with a ranking, and
the per-mine check results. Builders for write.Workbook.put_sheet."""
from __future__ import annotations

from datetime import date, datetime
from typing import Sequence

from ..findings import CODES
from ..model import Ratio
from .layout import display_width, write_table, write_title

NO_RATE = "—"
TOTAL = "集团合计"

SUMMARY_HEADERS = ["名次", "矿井", "诉求件数", "承办单", "逾期未答复", "逾期答复", "通报", "按期答复率",
                   "问题解决率", "职工满意率", "考核扣分", "扣分次数", "奖励金额（元）", "已覆盖人数", "在职人数",
                   "覆盖率", "错误", "警告", "文件"]
RATE_COLUMNS = (7, 8, 9, 15)
INT_COLUMNS = (0, 2, 3, 4, 5, 6, 10, 11, 13, 14, 16, 17)
ERROR_HEADERS = ["矿井", "文件", "错误", "警告", "错误明细（代码 问题 条数）"]

DEFINITIONS = [
    ("名次", "依次比按期答复率、问题解决率、职工满意率（高者在前，无可计算比率者在后），"
             "再比逾期未答复件数（少者在前）、考核扣分（少者在前）；各项全同者名次相同"),
    ("承办单、逾期未答复、逾期答复、通报", "台账中全部承办单截至基准日期的状态（与“每周督办”相同）"),
    ("按期答复率、问题解决率、职工满意率", "基准日期所在年度 1 月 1 日至基准日期的诉求，口径与月度分析相同"),
    ("考核扣分、扣分次数", "基准日期所在年度截至基准日期的考核扣分台账（与“考核扣分 --period 年度”相同）"),
    ("奖励金额", "基准日期所在年度已结束各季度的合理化建议奖励之和（与“季度奖励”相同）"),
    ("覆盖率", "已覆盖人数 ÷ 在职人数，统计周期按各矿规则配置（默认自然年，与“校验”相同）"),
    ("错误、警告", "各矿“校验”发现的问题条数；明细见「各矿校验」表"),
]


def _widths(headers: Sequence[str], rows: list[list], max_width: int) -> list[int]:
    """Column widths that fit the text (a percentage shows as 100.0%)."""
    out = [display_width(h) + 2 for h in headers]
    for row in rows:
        for c, v in enumerate(row):
            out[c] = max(out[c], display_width("100.0%" if isinstance(v, float) else v) + 2)
    return [max(6, min(max_width, w)) for w in out]


def _rate(r) -> object:
    v = r.value
    return NO_RATE if v is None else float(v)


def _sum_ratio(ratios) -> object:
    ratios = list(ratios)
    return _rate(Ratio(sum(r.numerator for r in ratios), sum(r.denominator for r in ratios)))


def summary_rows(mines: Sequence) -> list[list]:
    """One row per mine (ranked ones first, then the unreadable), then the group total."""
    rows = []
    good = [m for m in mines if m.figures is not None]
    for m in mines:
        f = m.figures
        if f is None:
            rows.append([None, m.name] + [None] * 16 + [m.file.name])
            continue
        rows.append([m.rank, m.name, f.items, f.tickets, f.overdue_open, f.overdue_replied, f.reported,
                     _rate(f.on_time), _rate(f.resolved), _rate(f.satisfied), f.deduction_points,
                     f.deduction_events, f.rewards_paid, f.covered, f.active, _rate(f.coverage), f.errors,
                     f.warnings, m.file.name])
    figs = [m.figures for m in good]

    def total(attr: str) -> int:
        return sum(getattr(f, attr) for f in figs)

    rows.append([None, TOTAL, total("items"), total("tickets"), total("overdue_open"), total("overdue_replied"),
                 total("reported"), _sum_ratio(f.on_time for f in figs), _sum_ratio(f.resolved for f in figs),
                 _sum_ratio(f.satisfied for f in figs), total("deduction_points"), total("deduction_events"),
                 total("rewards_paid"), total("covered"), total("active"),
                 _sum_ratio(f.coverage for f in figs), total("errors"), total("warnings"),
                 f"{len(good)} 个矿井"])
    return rows


def summary_builder(mines: Sequence, as_of: date, now: datetime):
    rows = summary_rows(mines)
    broken = sum(1 for m in mines if m.figures is None)

    def build(ws, fmt) -> None:
        sub = (f"基准日期 {as_of.isoformat()}，汇总 {len(mines)} 个矿井"
               + (f"（其中 {broken} 个无法读取，见「各矿校验」）" if broken else "")
               + f"；生成于 {now.strftime('%Y-%m-%d %H:%M')}")
        r = write_title(ws, fmt, "集团八级慧谈汇总", sub) + 1
        cols = {c: fmt.int for c in INT_COLUMNS}
        cols.update({c: fmt.percent for c in RATE_COLUMNS})
        cols[12] = fmt.yuan
        first = r
        r = write_table(ws, fmt, r, SUMMARY_HEADERS, rows, col_formats=cols,
                        widths=_widths(SUMMARY_HEADERS, rows, 30))
        if len(rows) > 1:
            ws.autofilter(first, 0, r - 2, len(SUMMARY_HEADERS) - 1)
        ws.freeze_panes(first + 1, 2)
        r += 1
        ws.write_string(r, 0, "指标说明", fmt.bold)
        for name, text in DEFINITIONS:
            r += 1
            ws.write_string(r, 0, name, fmt.bold)
            ws.write_string(r, 2, text)

    return build


def error_rows(mines: Sequence) -> list[list]:
    """One line per mine, in the order of the summary: its error findings per code,
    or 无法读取：<reason>."""
    rows = []
    for m in mines:
        f = m.figures
        if f is None:
            rows.append([m.name, m.file.name, None, None, f"无法读取：{m.unreadable}"])
            continue
        detail = "；".join(f"{code} {CODES.get(code, ('', ''))[1]} {n} 条" for code, n in f.error_codes)
        rows.append([m.name, m.file.name, f.errors, f.warnings, detail or "无错误"])
    return rows


def errors_builder(mines: Sequence):
    rows = error_rows(mines)

    def build(ws, fmt) -> None:
        r = write_title(ws, fmt, "各矿校验结果", "各矿台账的错误按代码计数；详细位置请在各矿工作簿运行 huitan validate 查看「校验结果」表")
        write_table(ws, fmt, r + 1, ERROR_HEADERS, rows, col_formats={2: fmt.int, 3: fmt.int},
                    widths=_widths(ERROR_HEADERS, rows, 80))
        ws.freeze_panes(r + 2, 1)

    return build
