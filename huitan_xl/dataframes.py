"""The registers as pandas DataFrames, with what the tool computes beside what staff typed.

    import huitan_xl as hx
    t = hx.frames("台账.xlsx", as_of=date(2026, 11, 24))
    t["诉求台账"].groupby("承办部门")["逾期天数"].max()

One DataFrame per register, keyed by the sheet's Chinese name; columns are the template's
headers (a clerk's renamed header is read under the template's name) plus 行号, the Excel
row the record came from. Computed, exactly as the jobs compute them for `as_of`:

- 诉求台账: 状态, 应答复日期 (the effective deadline: defaults, holidays, extensions),
  逾期天数 (calendar days), 逾期工作日, 督办提示, 扣分 (the points of the row's D01/D02/D03/D07
  events dated on or before as_of, as a negative number; 0 for none).
- 合理化建议: 奖励金额 / 奖励季度 as `rewards` would write them for every quarter ended by
  as_of (a quarter not yet ended keeps what the workbook says), and 扣分 (D07).
- 考核扣分: the deduction ledger of every event dated on or before as_of.
- 校验结果: every finding `validate` reports for as_of (the reader's, then rules.registry's),
  errors first, with 级别, 代码, 问题, 工作表, 行号, 列, 值, 说明.

Types: dates are datetime64, whole numbers the nullable Int64, 是/否 the nullable boolean,
lists (邀请科室, 提出人 …) text joined with 、. Nothing is written to the workbook.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import pandas as pd

from . import schema
from .calendar import WorkCalendar
from .model import Registers
from .periods import is_finished, parse_period, quarter_of
from .reports.coverage import coverage_period
from .findings import CODES, SEVERITY_ZH, sort_findings
from .rules.context import RuleContext
from .rules.registry import run_rules
from .rules.tickets import ticket_statuses
from .scoring import DEDUCTION_TITLES, deductions, rewards
from .settings import Settings

# register sheet -> the Registers attribute holding its records
RECORDS = {
    schema.LEVELS: "levels", schema.DEPARTMENTS: "departments", schema.ROSTER: "persons",
    schema.SESSIONS: "sessions", schema.ATTENDANCE: "attendances", schema.ITEMS: "items",
    schema.SUGGESTIONS: "suggestions", schema.REPORTS: "reports", schema.MANUAL: "manual_events",
    schema.HOLIDAYS: "day_overrides",
}
ROW = "行号"
LEDGER_COLUMNS = ["日期", "代码", "事项", "部门", "负责人", "扣分", "依据", "说明", "来源表", ROW]
FINDING_COLUMNS = ["级别", "代码", "问题", "工作表", ROW, "列", "值", "说明"]
_DTYPES = {"date": "datetime64[ns]", "int": "Int64", "yesno": "boolean", "deadline": "datetime64[ns]"}


def frames(path: Path | str, as_of: date, password: str | None = None) -> dict[str, pd.DataFrame]:
    """Read the workbook at `path` (nothing is written) and return its registers as
    DataFrames with the computed columns for `as_of` (see the module's docstring).
    Raises errors.WorkbookUnusable for a file that cannot be used (the CLI's exit 2)."""
    from .read import read_workbook
    from .xlsx import encryption

    with encryption.unlocked(Path(path), password):
        regs = read_workbook(Path(path))
    return frames_of(regs, as_of)


def frames_of(regs: Registers, as_of: date) -> dict[str, pd.DataFrame]:
    """The same tables from registers already read (values read live from Excel too)."""
    cal = WorkCalendar(regs.day_overrides)
    settings = regs.settings if regs.settings is not None else Settings()
    ctx = RuleContext(as_of, coverage_period(settings, as_of), cal, settings)
    statuses, _ = ticket_statuses(regs, cal, settings, as_of)
    ledger, _ = deductions(regs, statuses, settings, None, as_of)
    points: dict[tuple, int] = defaultdict(int)
    for d in ledger:
        if d.src is not None:
            points[(d.src.sheet, d.src.row)] += d.points

    out = {sheet: _table(sheet, getattr(regs, attr)) for sheet, attr in RECORDS.items()}

    items = out[schema.ITEMS]
    by_row = {s.src.row: s for s in statuses if s.src is not None}
    rows = [by_row.get(r) for r in items[ROW]]
    items.insert(len(items.columns) - 1, "状态", [s.state.value if s else None for s in rows])
    items.insert(len(items.columns) - 1, "应答复日期",
                 pd.to_datetime(pd.Series([s.deadline if s else None for s in rows], dtype=object)))
    for name, attr in (("逾期天数", "days_overdue"), ("逾期工作日", "workdays_overdue")):
        items.insert(len(items.columns) - 1, name,
                     pd.array([getattr(s, attr) if s else None for s in rows], dtype="Int64"))
    items.insert(len(items.columns) - 1, "督办提示", [str(s.hint) if s else "" for s in rows])
    _add_points(items, schema.ITEMS, regs.items, points)

    suggestions = out[schema.SUGGESTIONS]
    amount, quarter = _rewards(regs, settings, as_of)
    suggestions["奖励金额"] = pd.array([amount.get(s.id, s.paid_amount) for s in regs.suggestions], dtype="Int64")
    suggestions["奖励季度"] = [quarter.get(s.id, s.paid_quarter) for s in regs.suggestions]
    _add_points(suggestions, schema.SUGGESTIONS, regs.suggestions, points)

    out[schema.DEDUCTIONS_SHEET] = pd.DataFrame(
        [[d.date, d.code, DEDUCTION_TITLES.get(d.code, ""), d.department, d.head, d.points, d.evidence, d.reason,
          d.src.sheet if d.src else "", d.src.row if d.src else None] for d in ledger],
        columns=LEDGER_COLUMNS).astype({"日期": "datetime64[ns]", "扣分": "Int64", ROW: "Int64"})
    out[schema.FINDINGS_SHEET] = pd.DataFrame(
        [[SEVERITY_ZH.get(f.severity, f.severity), f.code, CODES[f.code][1], f.sheet, f.row, f.column,
          "" if f.value is None else str(f.value), f.message]
         for f in sort_findings(regs.findings + run_rules(regs, ctx))],
        columns=FINDING_COLUMNS).astype({ROW: "Int64"})
    return out


def _table(sheet: str, records) -> pd.DataFrame:
    """One row per record: the schema's fields under their template headers, then 行号."""
    fields = schema.SHEETS[sheet]
    records = list(records or ())
    data = {f.header: [_cell(getattr(r, f.attr, None)) for r in records] for f in fields}
    data[ROW] = [r.src.row if r.src else None for r in records]
    frame = pd.DataFrame(data, columns=[f.header for f in fields] + [ROW])
    types = {f.header: _DTYPES[f.type] for f in fields if f.type in _DTYPES}
    types[ROW] = "Int64"
    return frame.astype(types)


def _cell(v):
    if isinstance(v, tuple):
        return "、".join(v)
    return v


def _add_points(frame: pd.DataFrame, sheet: str, records, points: dict) -> None:
    frame.insert(len(frame.columns) - 1, "扣分", pd.array(
        [points.get((r.src.sheet, r.src.row), 0) if r.src else 0 for r in records], dtype="Int64"))


def _rewards(regs: Registers, settings, as_of: date) -> tuple[dict[str, int], dict[str, str]]:
    """Per suggestion: the amount and quarter `rewards` pays it in, over every quarter the
    register names (评审季度, 实施日期, 奖励季度) that has ended by as_of."""
    labels = set()
    for s in regs.suggestions:
        labels |= {s.review_quarter, s.paid_quarter}
        if s.implemented_on is not None:
            labels.add(quarter_of(s.implemented_on))
    amount: dict[str, int] = {}
    quarter: dict[str, str] = {}
    for label in sorted(q for q in labels if q):
        period = parse_period(label)
        if not is_finished(period, as_of):
            continue
        payouts, _, _ = rewards(regs, settings, period)
        for p in payouts:
            amount[p.suggestion_id] = amount.get(p.suggestion_id, 0) + p.amount
            quarter[p.suggestion_id] = label
    return amount, quarter
