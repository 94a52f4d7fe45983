"""The core of every job: read -> rules -> scoring -> reports -> write.

plan_X(regs, ...) -> (JobResult, Writes) is pure (no I/O, no clock); apply_writes is
the single write step. jobs.py lists the jobs and runs them on files (run_job); excel.py
plans from the live workbook's values and applies through xlwings.
Time is a parameter (`as_of`, `now`); nothing here reads the clock.
"""
from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from . import __version__, schema
from .calendar import WorkCalendar
from .errors import BadParameter
from .findings import ERROR, WARNING, Finding, has_errors
from .model import Hint, Registers, TicketState
from .read import read_workbook
from .reports.overdue_sheet import overdue_builder
from .reports.runlog import runlog_builder
from .rules.context import ticket_years
from .rules.tickets import TicketStatus, ticket_statuses
from .write import SaveResult, SheetBuilder, Workbook
from .xlsx.lock import workbook_lock

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
    files: list[Path] = field(default_factory=list)  # documents written beside the workbook

    @property
    def exit_code(self) -> int:
        return 1 if has_errors(self.findings) else 0

    def summary(self, shown: int = 30, rest: str = "见工作簿「校验结果」表或 --json 输出") -> list[str]:
        """What people see after a run (the terminal, the window): the job's lines, the first
        `shown` findings, the file written and its backup, the documents written."""
        out = list(self.lines)
        if self.findings:
            out.append(f"发现问题 {len(self.findings)} 条：")
            out += ["  " + f.text() for f in self.findings[:shown]]
            if len(self.findings) > shown:
                out.append(f"  ……其余 {len(self.findings) - shown} 条{rest}。")
        if self.saved is not None:
            out.append(f"已写入：{self.saved.path}"
                       + (f"（原文件已备份为 {self.saved.backup.name}）" if self.saved.backup else ""))
            if self.saved.companion:
                out.append(f"工作簿结构受保护，新增的工作表已写入：{self.saved.companion}")
        out += [f"已生成文档：{doc}" for doc in self.files]
        return out


@dataclass
class Writes:
    """What a job wants written: tool-owned cells in input sheets and tool-owned sheets."""

    cells: dict[str, dict[tuple[int, int], object]] = field(default_factory=dict)
    styles: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    widths: dict[str, dict[int, float]] = field(default_factory=dict)
    sheets: list[tuple[str, SheetBuilder]] = field(default_factory=list)
    marks: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # sheet -> (sqref, formula, style)
    files: dict[Path, object] = field(default_factory=dict)  # documents (.docx) beside the workbook: bytes,
    # or a function making them when written (documents/files.write_document)

    names: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, hidden name, reference)
    notes: list[str] = field(default_factory=list)  # what the tool did around her columns / sheets

    def owned_columns(self, regs: Registers, sheet: str, headers: list[str],
                      values: Callable[[int], list[object]], widths: list[float]) -> list[int]:
        """Fill tool-owned columns of an input sheet: each header keeps the column the tool
        owns (ownership.py: by its mark, or recognised on first run), else it is appended at
        the far right under the owned colour — as H（系统） when a column of hers bears the
        name. Every owned column is marked. `values(excel_row)` gives each row's values
        below the header (None clears a cell)."""
        from . import ownership

        layout = regs.layouts[sheet]
        sheet = layout.name  # as it stands in the workbook
        placed = ownership.place(layout, headers)
        cols = [c for c, _ in placed]
        cells = self.cells.setdefault(sheet, {})
        styles = self.styles.setdefault(sheet, {})
        for h, (c, text), w in zip(headers, placed, widths):
            cells[(layout.header_row, c)] = text
            styles[(layout.header_row, c)] = "owned_header"
            if text != h:  # 状态（系统）: wide enough for its header on one line
                from .reports.layout import fit_width

                w = max(w, fit_width(text, bold=True))
            self.widths.setdefault(sheet, {})[c] = w
            self.names.append(ownership.column_mark(sheet, h, c, layout.header_row))
            if text != h:
                note = (f"「{sheet}」中已有您自己的「{h}」列，程序不改动它；程序的结果写在「{text}」列"
                        f"（第{c}列）。")
                if note not in self.notes:
                    self.notes.append(note)
        rows = range(layout.header_row + 1, layout.max_row + 1)
        cells.update(zip([(r, c) for r in rows for c in cols],
                         [None if v.__class__ is str and v == "" else v for r in rows for v in values(r)]))
        return cols


def read(path: Path, sheets: list[str], required: list[str]) -> Registers:
    from .read import STRICT_SHEETS

    return read_workbook(Path(path), sheets=sheets, required=required, strict=STRICT_SHEETS)


def calendar_for(regs: Registers, years: set[int]) -> tuple[WorkCalendar, list[Finding]]:
    cal = WorkCalendar(regs.day_overrides)
    return cal, list(cal.year_findings(sorted(years)))


def apply_writes(path: Path, writes: Writes, log_row: list, regs: Registers,
                 dry_run: bool) -> SaveResult | None:
    """The single write step of every job: tool-owned cells and sheets, plus one
    运行记录 line; atomic, with a backup. Nothing is written on a dry run."""
    if dry_run:
        return None
    if writes.files:
        from .documents.files import check_writable, unencodable_note

        for doc in list(writes.files):
            note = unencodable_note(doc)
            if note:
                del writes.files[doc]
                writes.notes.append(note)
            else:  # a document open in Word: nothing is written, the workbook neither
                check_writable(doc)
    wb = Workbook.open(Path(path), expect=regs.source)  # the file the job read, or nothing is written
    for sheet in list(writes.cells):  # handed over: the writer keeps them, not both
        wb.set_cells(sheet, writes.cells.pop(sheet), writes.styles.get(sheet))
    for sheet, widths in writes.widths.items():
        for col, width in widths.items():
            wb.set_column_width(sheet, col, width)
    for sheet, marks in writes.marks.items():
        for sqref, formula, style in marks:
            wb.mark_cells(sheet, sqref, formula, style)
    from . import ownership

    marks = ownership.read_marks(path)
    names = list(wb.sheet_names)
    ran_before = bool(regs.run_log)
    for sheet, name, ref in writes.names:
        wb.set_hidden_name(sheet, name, ref)
    for name, build in [*writes.sheets, (schema.RUN_LOG_SHEET, runlog_builder(regs.run_log, log_row))]:
        target = ownership.sheet_target(name, names, marks, ran_before) if name in ownership.SHEET_KEYS else name
        wb.put_sheet(target, build)
        if name in ownership.SHEET_KEYS:
            wb.set_hidden_name(*ownership.sheet_mark(target, name))
        if target != name:
            writes.notes.append(f"工作簿中已有您自己的工作表「{name}」，程序不改动它；程序的「{name}」写在"
                                f"工作表「{target}」中。")
    saved = wb.save()
    if writes.files:
        from .documents.files import write_document

        for doc, data in writes.files.items():
            write_document(doc, data)
    return saved


def log_row(command: str, now: datetime, as_of: date, period: str | None, findings: list[Finding],
            note: str) -> list:
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = sum(1 for f in findings if f.severity == WARNING)
    return [now.strftime("%Y-%m-%d %H:%M:%S"), command, as_of, period or "",
            "有错误" if errors else "完成", errors, warnings, note, __version__]


def reading_lines(regs: Registers) -> list[str]:
    """What reading did not take as data (rows skipped, headers not understood)."""
    from .init_map import skipped_lines

    return skipped_lines(regs.reading)


def state_counts(statuses: list[TicketStatus]) -> dict[str, int]:
    return dict(sorted(Counter(s.state for s in statuses).items()))


def writer_lock(path: Path, command: str, dry_run: bool):
    """The workbook's lock from read to save for a job that writes (xlsx/lock.py): a
    second run waits, then exits 2. A dry run takes none."""
    return contextlib.nullcontext() if dry_run else workbook_lock(Path(path), command=command)


# ---- overdue (SPEC §5) ---------------------------------------------------------

def plan_overdue(regs: Registers, as_of: date) -> tuple[JobResult, Writes]:
    """The weekly job: ticket states and flags in 诉求台账, the 逾期督办 sheet."""
    cal, findings = calendar_for(regs, ticket_years(regs, as_of))
    statuses, ticket_findings = ticket_statuses(regs, cal, regs.settings, as_of)
    findings = regs.findings + findings + ticket_findings
    by_row = {s.src.row: s for s in statuses if s.src is not None}

    writes = Writes()
    writes.owned_columns(
        regs, schema.ITEMS, schema.ITEM_OWNED,
        lambda r: ([by_row[r].state, by_row[r].deadline, by_row[r].days_overdue, by_row[r].hint]
                   if r in by_row else [None, None, None, None]),
        widths=[11, 11, 9, 10])
    writes.sheets.append((schema.OVERDUE_SHEET, overdue_builder(statuses, regs.items, as_of)))

    counts = state_counts(statuses)
    tickets = [s for s in statuses if s.state != TicketState.ON_THE_SPOT]
    n_overdue = counts.get(TicketState.OVERDUE_OPEN, 0)
    n_report = sum(1 for s in statuses if s.hint == Hint.REPORT)
    note = f"承办单 {len(tickets)} 件，逾期未答复 {n_overdue} 件（通报 {n_report} 件）"
    result = JobResult("overdue", Path(regs.path), as_of, counts=counts, findings=findings,
                       tickets=tickets)
    result.lines = [f"截至 {as_of.isoformat()}：{note}。"] + [f"  {k}：{v} 件" for k, v in counts.items()]
    return result, writes


# ---- validate (SPEC §4, §5, §9, §11) ----------------------------------------

def plan_validate(regs: Registers, as_of: date, period_text: str | None = None
                  ) -> tuple[JobResult, Writes]:
    from .reports.coverage import coverage, coverage_line, period_text as span_text
    from .reports.coverage_sheet import coverage_builder
    from .reports.findings_sheet import column_index_from_layouts, findings_builder
    from .rules.context import make_context
    from .rules.registry import run_rules

    period = span_of(regs.settings, as_of, period_text)
    findings = regs.findings + run_rules(regs, make_context(regs, as_of, period))
    rows = coverage(regs, period)
    writes = Writes()
    from .marks import mark_findings

    mark_findings(regs, findings, writes)
    sheets = set(regs.sheet_names) | {schema.FINDINGS_SHEET, schema.COVERAGE_SHEET}
    writes.sheets.append((schema.FINDINGS_SHEET,
                          findings_builder(findings, sheets, column_index_from_layouts(regs.layouts))))
    writes.sheets.append((schema.COVERAGE_SHEET, coverage_builder(rows, period)))
    by_code = dict(sorted(Counter(f.code for f in findings).items()))
    errors = sum(1 for f in findings if f.severity == ERROR)
    result = JobResult("validate", Path(regs.path), as_of, period=span_label(period), findings=findings,
                       counts={"errors": errors, "warnings": len(findings) - errors, "by_code": by_code})
    result.extra["coverage"] = [{"level": r.code, "name": r.name, "active": r.active, "covered": r.covered,
                                 "sessions": r.sessions} for r in rows]
    result.lines = [f"校验完成：错误 {errors} 条，警告 {len(findings) - errors} 条（期间 {span_text(period)}）。",
                    coverage_line(rows, regs)]
    return result, writes


def span_label(span: tuple[date, date]) -> str:
    """The --json period of a date span, in the labels the other commands use: 2026, 2026Q3,
    2026-10; another span as 2026-01-01..2026-06-30; the whole register as 全部."""
    from .periods import month_of, quarter_period_of, year

    lo, hi = span
    if lo == date.min and hi == date.max:
        return "全部"
    for p in (year(lo.year), quarter_period_of(lo), month_of(lo)):
        if (p.start, p.end) == span:
            return p.label
    return f"{lo.isoformat()}..{hi.isoformat()}"


# ---- deductions, rewards, assessment (SPEC §6–8) ----------------------------

SCORING_SHEETS = [schema.ITEMS, schema.SESSIONS, schema.LEVELS, schema.DEPARTMENTS, schema.HOLIDAYS,
                  schema.SETTINGS, schema.REPORTS, schema.MANUAL, schema.SUGGESTIONS, schema.ROSTER,
                  schema.RUN_LOG_SHEET]


def period_of(text: str | None, kind: str | None, hint: str):
    """A --period/--quarter/--month/--year value (of the kind the job needs, when `kind` is
    given), else a Chinese BadParameter (exit 2) that repeats what was typed."""
    from .periods import parse_period

    if text is None or not str(text).strip():
        raise BadParameter(hint)
    try:
        period = parse_period(str(text).strip())
    except ValueError as e:
        raise BadParameter(str(e)) from None
    if kind is not None and period.kind != kind:
        raise BadParameter(f"{hint}（收到“{text}”）")
    return period


def span_of(settings, as_of: date, text: str | None) -> tuple[date, date]:
    """The coverage span of validate / suggest-attendees: `text` (a --period) if given,
    else the 覆盖周期 setting; a --period that cannot be understood is a BadParameter."""
    from .reports.coverage import coverage_period

    try:
        return coverage_period(settings, as_of, text)
    except ValueError as e:
        raise BadParameter(str(e)) from None


def _mine(regs: Registers) -> str:
    from .reports.layout import mine_name

    return mine_name(regs)


def _statuses(regs: Registers, as_of: date):
    cal, cal_findings = calendar_for(regs, ticket_years(regs, as_of))
    statuses, ticket_findings = ticket_statuses(regs, cal, regs.settings, as_of)
    return statuses, cal_findings + ticket_findings


def _ledger(regs: Registers, statuses, period, as_of: date):
    from .scoring import deductions as ledger_of

    return ledger_of(regs, statuses, regs.settings, period, as_of)


def plan_deductions(regs: Registers, period_text: str, as_of: date) -> tuple[JobResult, Writes]:
    from .reports.ledger_sheets import deductions_builder
    from .scoring import totals

    period = period_of(period_text, None, "考核扣分请填写期间，例如 2026-10、2026Q3 或 2026")
    statuses, findings = _statuses(regs, as_of)
    ledger, ledger_findings = _ledger(regs, statuses, period, as_of)
    from .periods import unfinished_note

    unfinished = unfinished_note(period, as_of)
    writes = Writes(sheets=[(schema.DEDUCTIONS_SHEET, deductions_builder(ledger, period, unfinished=unfinished,
                                                                         mine=_mine(regs)))])
    points = sum(d.points for d in ledger)
    counts = {"events": len(ledger), "points": points,
              "by_code": dict(sorted(Counter(d.code for d in ledger).items()))}
    result = JobResult("deductions", Path(regs.path), as_of, period=period.label, counts=counts,
                       findings=regs.findings + findings + ledger_findings, deductions=ledger)
    result.lines = [f"{period.title}考核扣分：{len(ledger)} 项，合计 {points} 分。"] + [
        f"  {name}（{dept}）：{pts} 分，{n} 项" for name, dept, pts, n in totals(ledger, "head")]
    if unfinished:
        result.lines.insert(1, f"  注意：{unfinished}，扣分只统计到 {as_of.isoformat()}。")
    return result, writes


def plan_rewards(regs: Registers, quarter_text: str, as_of: date, force: bool = False
                 ) -> tuple[JobResult, Writes]:
    from .periods import unfinished_note
    from .reports.ledger_sheets import rewards_builder
    from .scoring import rewards as payouts_of

    quarter = period_of(quarter_text, "quarter", "奖励按季度发放，请填写季度，例如 2026Q3")
    unfinished = unfinished_note(quarter, as_of)
    if unfinished and not force:
        raise BadParameter(f"{quarter.title}尚未结束（{unfinished}，季度末为 {quarter.end.isoformat()}），"
                         f"不发放奖励、不填写奖励季度。请在季度结束后再运行；确需提前核算时加 --force。")
    payouts, findings, not_adopted = payouts_of(regs, regs.settings, quarter)
    paid: dict[str, int] = {}
    for p in payouts:
        paid[p.suggestion_id] = paid.get(p.suggestion_id, 0) + p.amount
    by_row = {s.src.row: s for s in regs.suggestions if s.src is not None}

    def owned(r: int) -> list:
        s = by_row[r]
        if s.id in paid:
            return [paid[s.id], quarter.label]
        if s.paid_quarter and s.paid_quarter != quarter.label:
            return [s.paid_amount, s.paid_quarter]  # paid in another quarter: keep as it was
        return [None, None]

    writes = Writes(sheets=[(schema.REWARDS_SHEET, rewards_builder(payouts, not_adopted, quarter,
                                                                   unfinished=unfinished, mine=_mine(regs)))])
    if schema.SUGGESTIONS in regs.layouts:
        writes.owned_columns(regs, schema.SUGGESTIONS, schema.SUGGESTION_OWNED,
                             lambda r: owned(r) if r in by_row else [None, None], widths=[10, 10])
    total = sum(p.amount for p in payouts)
    result = JobResult("rewards", Path(regs.path), as_of, period=quarter.label,
                       counts={"suggestions": len(paid), "people": len(payouts), "amount": total},
                       findings=regs.findings + findings, rewards=payouts)
    result.lines = [f"{quarter.title}合理化建议奖励：{len(paid)} 条建议，{len(payouts)} 人次，合计 {total} 元。"]
    if unfinished:
        result.lines.append(f"  注意：{unfinished}，按 --force 提前核算。")
    if not_adopted:
        result.lines.append(f"  合理但未采纳的建议 {len(not_adopted)} 条，已列入问责审查。")
    return result, writes


def plan_assess(regs: Registers, year_text: str, as_of: date) -> tuple[JobResult, Writes]:
    from .reports.assessment import assess as assess_rows
    from .reports.ledger_sheets import assessment_builder

    year = period_of(year_text, "year", "年度考核请填写年份，例如 2026")
    statuses, findings = _statuses(regs, as_of)
    ledger, ledger_findings = _ledger(regs, statuses, year, as_of)
    rows = assess_rows(regs, statuses, ledger, year)
    from .periods import unfinished_note

    unfinished = unfinished_note(year, as_of)
    writes = Writes(sheets=[(schema.ANNUAL_SHEET, assessment_builder(rows, year, regs.settings,
                                                                     unfinished=unfinished, mine=_mine(regs)))])
    result = JobResult("assess", Path(regs.path), as_of, period=year.label,
                       counts={"departments": len(rows), "points": sum(r.points for r in rows)},
                       findings=regs.findings + findings + ledger_findings, deductions=ledger)
    result.extra["assessment"] = [{"department": r.department, "head": r.head, "points": r.points,
                                   "rank": r.rank} for r in rows]
    result.lines = [f"{year.title}年度考核：{len(rows)} 个部门。"] + [
        f"  第{r.rank}名 {r.department}：扣 {-r.points if r.points < 0 else r.points} 分"
        for r in rows[:10] if r.rank]
    if unfinished:
        result.lines.insert(1, f"  注意：{unfinished}，考核只统计到 {as_of.isoformat()}。")
    return result, writes


# ---- monthly report, overview, quarterly review (SPEC §8) --------------------

def plan_report(regs: Registers, month_text: str, as_of: date, docx: dict | None = None,
                cells=None) -> tuple[JobResult, Writes]:
    """`docx`: None, or {"mine": 矿井名称, "texts": {"思想分析": …, "应对举措": …}} to write the
    Word report (documents.plans.monthly_docx) from the same report object as the sheet.
    `cells`: a sheet's cells by name from the workbook open in Excel (JobContext.cells), for
    the text staff typed in the 月度分析 boxes; default: the workbook file."""
    from .periods import quarter_period_of
    from .reports.coverage import coverage, coverage_period
    from .reports.monthly import monthly_report
    from .reports.overview import overview
    from .reports.quarterly import quarterly_review
    from .reports.report_sheets import monthly_sheet, overview_sheet, quarterly_sheet
    from .scoring import rewards as payouts_of

    month = period_of(month_text, "month", "月度分析请填写月份，例如 2026-10")
    statuses, findings = _statuses(regs, as_of)
    span = coverage_period(regs.settings, month.end, None)
    span = (span[0], min(span[1], month.end))
    rep = monthly_report(regs, statuses, month, coverage(regs, span), as_of=as_of, coverage_span=span,
                         mine=_mine(regs))
    drawn = None
    if docx is not None:  # the Word report's charts asked for now: drawn while the rest is made
        from .documents.monthly_doc import request_charts

        drawn = request_charts(rep)
    quarter = quarter_period_of(month.start)
    ledger, ledger_findings = _ledger(regs, statuses, quarter, as_of)
    payouts, _, _ = payouts_of(regs, regs.settings, quarter)
    review = quarterly_review(regs, statuses, quarter, ledger, payouts, as_of=as_of, mine=_mine(regs))
    from .documents.readback import monthly_sheet_texts  # staff's box text survives the rebuild (issue 15)
    texts = (docx or {}).get("texts") or monthly_sheet_texts(regs, month, cells)
    writes = Writes(sheets=[(schema.MONTHLY_SHEET, monthly_sheet(rep, texts)),
                            (schema.QUARTERLY_SHEET, quarterly_sheet(review)),
                            (schema.OVERVIEW_SHEET, overview_sheet(overview(regs, statuses, as_of)))])
    write_topic_columns(regs, writes)
    if docx is not None:
        from .documents.plans import monthly_docx

        doc_path, data = monthly_docx(regs, statuses, rep, month, as_of, mine=docx.get("mine", ""),
                                      texts=docx.get("texts"), drawn=drawn)
        writes.files[doc_path] = data
    result = JobResult("report", Path(regs.path), as_of, period=month.label, findings=regs.findings + findings,
                       counts=report_counts(rep))
    c = result.counts
    result.lines = [f"{month.title}职工思想动态分析已生成（月度分析、季度评审、成效总览）。",
                    f"  慧谈 {c['sessions']} 场，参会 {c['attendees']} 人次（{c['persons']} 人）；"
                    f"诉求 {c['items']} 件，其中现场答复 {c['on_the_spot']} 件、转承办 {c['tickets']} 件；"
                    f"月末逾期 {c['overdue']} 件，风险提示 {c['risks']} 件。"]
    result.lines += [f"  注意：{what}（{note}），数字只统计到 {as_of.isoformat()}。"
                     for what, note in ((f"{month.title}月度分析", rep.unfinished),
                                        (f"{quarter.title}评审", review.unfinished)) if note]
    return result, writes


def write_topic_columns(regs: Registers, writes: Writes) -> None:
    """诉求台账's 主题（自动）, 主题依据, 重复反映 (issue 16), refreshed with the monthly report."""
    from .reports.topics_report import topic_columns

    if schema.ITEMS not in regs.layouts:
        return
    by_row = topic_columns(regs)
    writes.owned_columns(regs, schema.ITEMS, schema.TOPIC_OWNED,
                         lambda r: by_row.get(r, [None, None, None]), widths=[12, 12, 30])


def report_counts(rep) -> dict:
    """The headline figures of a monthly report, for --json and the terminal."""
    return {"sessions": rep.sessions, "attendees": rep.attendee_rows, "persons": rep.distinct_attendees,
            "items": rep.items, "on_the_spot": rep.on_the_spot, "tickets": rep.tickets,
            "overdue": len(rep.overdue), "risks": len(rep.risks),
            "unclassified": rep.topics.unclassified if rep.topics else 0,
            "recurring": len(rep.topics.recurring) if rep.topics else 0}
