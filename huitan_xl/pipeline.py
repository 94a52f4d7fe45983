"""The one core every entry point calls: read -> rules -> scoring -> reports -> write.

cli.py, excel.py and scheduler.py are thin faces over the job functions here.
Time is a parameter (`as_of`, `now`); nothing here reads the clock.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from . import __version__, schema
from .calendar import WorkCalendar
from .findings import ERROR, WARNING, Finding, has_errors
from .model import Registers
from .read import read_workbook
from .reports.overdue_sheet import overdue_builder
from .reports.runlog import runlog_builder
from .rules.tickets import TicketStatus, ticket_statuses
from .write import SaveResult, SheetBuilder, Workbook

# Sheets each job reads (besides what it writes). The first is required.
OVERDUE_SHEETS = [schema.ITEMS, schema.SESSIONS, schema.LEVELS, schema.DEPARTMENTS, schema.HOLIDAYS,
                  schema.SETTINGS, schema.RUN_LOG_SHEET]


@dataclass
class JobResult:
    command: str
    workbook: Path
    as_of: date
    period: str | None = None
    counts: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    tickets: list[TicketStatus] | None = None
    deductions: list | None = None
    rewards: list | None = None
    saved: SaveResult | None = None
    lines: list[str] = field(default_factory=list)  # Chinese summary for people
    extra: dict = field(default_factory=dict)  # job-specific JSON lists

    @property
    def exit_code(self) -> int:
        return 1 if has_errors(self.findings) else 0


@dataclass
class Writes:
    """What a job wants written: tool-owned cells in input sheets and tool-owned sheets."""

    cells: dict[str, dict[tuple[int, int], object]] = field(default_factory=dict)
    styles: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    widths: dict[str, dict[int, float]] = field(default_factory=dict)
    sheets: list[tuple[str, SheetBuilder]] = field(default_factory=list)

    def owned_columns(self, regs: Registers, sheet: str, headers: list[str],
                      values: Callable[[int], list[object]], widths: list[float]) -> None:
        """Fill tool-owned columns of an input sheet: each header keeps its column if the
        sheet has it, else it is appended at the far right under the owned colour.
        `values(excel_row)` gives the row's values; rows that are not records are cleared."""
        layout = regs.layouts[sheet]
        cols: list[int] = []
        next_col = layout.max_column
        for h in headers:
            if h in layout.columns:
                cols.append(layout.columns[h])
            else:
                next_col += 1
                cols.append(next_col)
        cells = self.cells.setdefault(sheet, {})
        styles = self.styles.setdefault(sheet, {})
        for h, c, w in zip(headers, cols, widths):
            cells[(layout.header_row, c)] = h
            styles[(layout.header_row, c)] = "owned_header"
            self.widths.setdefault(sheet, {})[c] = w
        data_rows = set(layout.data_rows)
        for r in range(layout.header_row + 1, layout.max_row + 1):
            vals = values(r) if r in data_rows else [None] * len(headers)
            for c, v in zip(cols, vals):
                cells[(r, c)] = v if v != "" else None


def read(path: Path, sheets: list[str], required: list[str]) -> Registers:
    return read_workbook(Path(path), sheets=sheets, required=required)


def calendar_for(regs: Registers, years: set[int]) -> tuple[WorkCalendar, list[Finding]]:
    cal = WorkCalendar(regs.day_overrides)
    return cal, list(cal.year_findings(sorted(years)))


def ticket_years(regs: Registers, as_of: date) -> set[int]:
    years = {as_of.year}
    for it in regs.items:
        for d in (it.assigned, it.deadline, it.extended_to):
            if d is not None:
                years.add(d.year)
    return years


def apply_writes(path: Path, writes: Writes, log_row: list, regs: Registers,
                 dry_run: bool) -> SaveResult | None:
    """The single write step of every job: tool-owned cells and sheets, plus one
    运行记录 line; atomic, with a backup. Nothing is written on a dry run."""
    if dry_run:
        return None
    wb = Workbook.open(Path(path))
    for sheet, cells in writes.cells.items():
        wb.set_cells(sheet, cells, writes.styles.get(sheet))
    for sheet, widths in writes.widths.items():
        for col, width in widths.items():
            wb.set_column_width(sheet, col, width)
    for name, build in writes.sheets:
        wb.put_sheet(name, build)
    wb.put_sheet(schema.RUN_LOG_SHEET, runlog_builder(regs.run_log, log_row))
    return wb.save()


def log_row(command: str, now: datetime, as_of: date, period: str | None, findings: list[Finding],
            note: str) -> list:
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = sum(1 for f in findings if f.severity == WARNING)
    return [now.strftime("%Y-%m-%d %H:%M:%S"), command, as_of, period or "",
            "有错误" if errors else "完成", errors, warnings, note, __version__]


def state_counts(statuses: list[TicketStatus]) -> dict[str, int]:
    return dict(sorted(Counter(s.state for s in statuses).items()))


# ---- jobs ------------------------------------------------------------------

def overdue(path: Path, as_of: date, now: datetime, dry_run: bool = False) -> JobResult:
    """The weekly job: ticket states and flags in 诉求台账, the 逾期督办 sheet, a log line."""
    regs = read(path, OVERDUE_SHEETS, required=[schema.ITEMS])
    cal, findings = calendar_for(regs, ticket_years(regs, as_of))
    statuses, ticket_findings = ticket_statuses(regs, cal, regs.settings, as_of)
    findings = regs.findings + findings + ticket_findings
    by_row = {s.src.row: s for s in statuses if s.src is not None}

    writes = Writes()
    writes.owned_columns(
        regs, schema.ITEMS, schema.ITEM_OWNED,
        lambda r: ([by_row[r].state, by_row[r].days_overdue, by_row[r].hint] if r in by_row
                   else [None, None, None]),
        widths=[11, 9, 10])
    writes.sheets.append((schema.OVERDUE_SHEET, overdue_builder(statuses, regs.items, as_of)))

    counts = state_counts(statuses)
    tickets = [s for s in statuses if s.state != "现场答复"]
    n_overdue = counts.get("逾期未答复", 0)
    n_report = sum(1 for s in statuses if s.hint == "通报")
    note = f"承办单 {len(tickets)} 件，逾期未答复 {n_overdue} 件（通报 {n_report} 件）"
    result = JobResult("overdue", Path(path), as_of, counts=counts, findings=findings, tickets=tickets)
    result.saved = apply_writes(path, writes, log_row("overdue", now, as_of, None, findings, note),
                                regs, dry_run)
    result.lines = [f"截至 {as_of.isoformat()}：{note}。"] + [f"  {k}：{v} 件" for k, v in counts.items()]
    return result
