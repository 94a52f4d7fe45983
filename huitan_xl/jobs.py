"""The job table: every job a clerk can run on a register, declared once.

Each entry of JOBS says what the job is called (command line, Chinese title), which
sheets it reads and requires, what period it takes and how the default period is
derived, its extra options, whether it runs on a schedule, and its plan — the pure
function (Registers, JobContext) -> (JobResult, Writes). `run_job` is the one way to
run a job on a workbook file: read -> plan -> one write (with one 运行记录 line).

The command line (cli.py), the Excel buttons (excel.py), the staff window (gui/), the
scheduler, the demo, the template's 说明 sheet and the library face
(huitan_xl.overdue(...) etc.) all loop over JOBS. Adding a job means adding one entry
here (see docs/developers.md).
"""
from __future__ import annotations

import argparse
import gc
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Mapping

from . import pipeline, schema
from .clock import now_cst
from .convert import split_ids
from .errors import BadParameter
from .model import Registers
from .periods import MONTH, QUARTER, YEAR, Period, previous_month, previous_quarter, previous_year
from .pipeline import JobResult, Writes
from .xlsx.encryption import unlocked

ANY = "any"  # period_kind: a month, a quarter or a year
WEEKLY, MONTHLY, QUARTERLY, YEARLY = "weekly", "monthly", "quarterly", "yearly"


@dataclass(frozen=True)
class JobContext:
    """What a plan gets besides the registers: the day it runs as of, the clock time
    of the run, the period label (already defaulted), the job's options, and where the
    cells of a sheet it reads beyond the registers come from (`cells(sheet name)` -> rows
    from A1 or None: the workbook open in Excel, with what staff typed and did not save;
    None: the workbook file)."""

    as_of: date
    now: datetime | None = None
    period: str | None = None
    options: Mapping[str, object] = field(default_factory=dict)
    cells: Callable[[str], "list[list] | None"] | None = None


@dataclass(frozen=True)
class Option:
    """An extra parameter of a job: a keyword of run_job and the plan, a command-line
    flag, and where an Excel button / the window takes it from."""

    name: str  # keyword (level, n, date, write, force, ids, ...)
    flag: str  # command-line flag (--level)
    help: str  # Chinese
    type: Callable[[str], object] | None = None  # command-line text -> value; raises argparse errors
    default: object = None
    required: bool = False  # on the command line
    switch: bool = False  # a flag without a value (store_true)
    choices: tuple[str, ...] | None = None
    cell: str | None = None  # template.README_INPUTS key an Excel button reads it from
    button: object = None  # the value an Excel button / the window uses when there is no cell


Plan = Callable[[Registers, JobContext], "tuple[JobResult, Writes]"]


@dataclass(frozen=True)
class Job:
    name: str  # command-line command, also the 任务 written into 运行记录
    title: str  # Chinese name: buttons, message boxes, the 说明 sheet, the demo, 运行记录
    summary: str  # Chinese help text
    plan: Plan
    reads: tuple[str, ...] | None = None  # sheets read; None = every register sheet
    requires: tuple[str, ...] = ()  # sheets that must exist (else exit 2)
    period_kind: str | None = None  # MONTH / QUARTER / YEAR / ANY, or None (no period)
    period_default: str | None = None  # default = the last complete MONTH / QUARTER / YEAR
    period_flag: str | None = None  # command-line flag without dashes, also the 说明 cell key
    period_required: bool = False  # on the command line
    period_help: str = ""
    usage: str = ""  # the command line shown on the 说明 sheet
    options: tuple[Option, ...] = ()
    schedule: str | None = None  # WEEKLY / MONTHLY / QUARTERLY / YEARLY
    writes_if: Callable[[Mapping[str, object]], bool] | None = None  # None = always writes
    button: bool = True  # an Excel button on the 说明 sheet and in the window
    documents: bool = False  # writes Word documents beside the workbook
    demo: bool = True  # `huitan demo` runs it (when it needs no required option)
    # work begun before the workbook is read (report: the chart worker); returns what ends it
    before_read: Callable[[JobContext], Callable[[], None] | None] | None = None

    @property
    def function_name(self) -> str:
        """Its Python name (excel.suggest_attendees, huitan_xl.suggest_attendees)."""
        return self.name.replace("-", "_")


def default_period(job: Job, as_of: date) -> Period | None:
    """The period a job runs for when none is given: the last complete month, quarter
    or year before `as_of` (None when the job has no default)."""
    last = {MONTH: previous_month, QUARTER: previous_quarter, YEAR: previous_year}.get(job.period_default)
    return last(as_of) if last else None


# ---- the plans: JobContext -> the pure pipeline.plan_X ------------------------------
# They look pipeline.plan_X up at call time, so a test can replace one.

def _plan_validate(regs: Registers, ctx: JobContext):
    return pipeline.plan_validate(regs, ctx.as_of, ctx.period)


def _plan_overdue(regs: Registers, ctx: JobContext):
    return pipeline.plan_overdue(regs, ctx.as_of)


def _plan_deductions(regs: Registers, ctx: JobContext):
    return pipeline.plan_deductions(regs, ctx.period, ctx.as_of)


def _plan_rewards(regs: Registers, ctx: JobContext):
    return pipeline.plan_rewards(regs, ctx.period, ctx.as_of, bool(ctx.options.get("force")))


def _report_before_read(ctx: JobContext):
    """The chart worker imports matplotlib while the register is read (documents/chart_worker.py)."""
    if ctx.options.get("no_docx"):
        return None
    from .documents import chart_worker

    chart_worker.start()
    return chart_worker.stop


def _plan_report(regs: Registers, ctx: JobContext):
    """The sheets, and the Word report unless --no-docx. What staff wrote in the 月度分析
    boxes is read from the file before this run rebuilds the sheet. An encrypted register
    gets no Word report: it would be an unencrypted copy of its figures."""
    from .xlsx.encryption import is_encrypted

    docx = not ctx.options.get("no_docx")
    sealed = docx and regs.path is not None and Path(regs.path).exists() and is_encrypted(regs.path)
    word = docx and not sealed
    if word:
        from .documents import chart_worker
        from .documents.plans import monthly_docx_inputs

        chart_worker.start()  # matplotlib is imported in a second process while the month is counted
    inputs = monthly_docx_inputs(Path(regs.path), ctx.period, ctx.cells) if word else None
    result, writes = pipeline.plan_report(regs, ctx.period, ctx.as_of, inputs, cells=ctx.cells)
    if sealed:
        result.lines.append("  工作簿已加密，未生成 Word 版报告（以免留下未加密的副本）。")
    return result, writes


def _plan_assess(regs: Registers, ctx: JobContext):
    return pipeline.plan_assess(regs, ctx.period, ctx.as_of)


def _plan_suggest(regs: Registers, ctx: JobContext):
    from .drafts import plan_suggest

    o = ctx.options
    n = o.get("n") or regs.settings.max_attendees
    return plan_suggest(regs, o["level"], int(n), o.get("date") or ctx.as_of, ctx.as_of,
                        bool(o.get("write")))


def _mine_of_file(regs: Registers) -> str:
    from .documents.plans import mine_name

    return mine_name(Path(regs.path)) if regs.path is not None else ""


def _plan_forms(regs: Registers, ctx: JobContext):
    from .documents.plans import plan_forms

    return plan_forms(regs, ctx.as_of, ctx.options.get("ids"), ctx.options.get("since"), _mine_of_file(regs))


def _plan_notice(regs: Registers, ctx: JobContext):
    from .documents.plans import plan_notice

    return plan_notice(regs, ctx.period, ctx.as_of, ctx.options.get("proposer") or "unit", _mine_of_file(regs))


def _plan_minutes(regs: Registers, ctx: JobContext):
    from .documents.plans import plan_minutes

    session = ctx.options.get("session")
    if not session or not str(session).strip():
        raise BadParameter("慧谈纪要请填写场次编号，例如 HT-2026-10-03")
    return plan_minutes(regs, str(session), ctx.as_of, _mine_of_file(regs))


# ---- command-line value types ----------------------------------------------------------

def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，收到“{text}”") from None


def parse_count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"人数应为正整数，收到“{text}”")
    return n


def parse_ids(text: str | None) -> list[str] | None:
    """SQ2026-0012,SQ2026-0013 (split on 、 , ， ; ； or spaces — not on /, which a 编号 may
    contain: convert.split_ids) -> the 编号 list."""
    if not text:
        return None
    return list(split_ids(text)) or None


_OVERDUE_SHEETS = tuple(pipeline.OVERDUE_SHEETS)
_SCORING_SHEETS = tuple(pipeline.SCORING_SHEETS)

JOBS: dict[str, Job] = {job.name: job for job in (
    Job("validate", "校验", "校验全部台账（选人规则、引用、日期），生成校验结果和覆盖率表；有错误时退出码为 1",
        _plan_validate, period_kind=ANY, period_flag="period",
        period_help="覆盖率统计期间，如 2026、2026Q3（默认按规则配置：自然年）",
        usage="huitan validate 台账.xlsx（发现错误时退出码为1）"),
    Job("overdue", "逾期督办", "每周督办：计算承办单状态、逾期天数和督办提示，生成逾期督办表",
        _plan_overdue, reads=_OVERDUE_SHEETS, requires=(schema.ITEMS,), schedule=WEEKLY,
        usage="huitan overdue 台账.xlsx"),
    Job("deductions", "考核扣分", "考核扣分台账：按月、季度或年度汇总",
        _plan_deductions, reads=_SCORING_SHEETS, requires=(schema.ITEMS,), period_kind=ANY,
        period_default=QUARTER, period_flag="period", period_required=True,
        period_help="期间：2026-10 / 2026Q3 / 2026", schedule=QUARTERLY,
        usage="huitan deductions 台账.xlsx --period 2026Q3"),
    Job("rewards", "季度奖励", "季度合理化建议奖励发放表",
        _plan_rewards, reads=_SCORING_SHEETS, requires=(schema.SUGGESTIONS,), period_kind=QUARTER,
        period_default=QUARTER, period_flag="quarter", period_required=True, period_help="季度，如 2026Q3",
        options=(Option("force", "--force", "季度尚未结束也核算奖励（默认拒绝）", switch=True),),
        schedule=QUARTERLY, usage="huitan rewards 台账.xlsx --quarter 2026Q3"),
    Job("report", "月度分析", "月度职工思想动态分析（含图表）、季度评审和成效总览；另存 Word 版分析报告",
        _plan_report, requires=(schema.ITEMS,), period_kind=MONTH, period_default=MONTH,
        period_flag="month", period_required=True, period_help="月份，如 2026-10",
        options=(Option("no_docx", "--no-docx", "不生成 Word 版《月度职工思想动态分析报告》", switch=True),),
        schedule=MONTHLY, documents=True, before_read=_report_before_read,
        usage="huitan report 台账.xlsx --month 2026-10（同时生成 Word 版《月度职工思想动态分析报告》）"),
    Job("assess", "年度考核", "年度考核：各部门扣分、满意率、解决率、落实率和排名",
        _plan_assess, reads=_SCORING_SHEETS, requires=(schema.ITEMS,), period_kind=YEAR,
        period_default=YEAR, period_flag="year", period_required=True, period_help="年份，如 2026",
        schedule=YEARLY, usage="huitan assess 台账.xlsx --year 2026"),
    Job("suggest-attendees", "推荐参会人员", "为下一场八级慧谈推荐参会人员（不违反选人规则）",
        _plan_suggest, requires=(schema.ROSTER,),
        options=(
            Option("level", "--level", "层级，如 班组长", required=True, cell="suggest_level"),
            Option("n", "--n", "人数（默认：规则配置中的每场人数上限）", type=parse_count, cell="suggest_count"),
            Option("date", "--date", "拟召开日期（默认：基准日期）", type=parse_date),
            Option("write", "--write", "把名单作为草稿场次写入慧谈场次和参会人员", switch=True, button=True),
        ),
        writes_if=lambda options: bool(options.get("write")),
        usage="huitan suggest-attendees 台账.xlsx --level 班组长 --write"),
    Job("forms", "诉求承办单", "打印《“八级慧谈”诉求承办单》（Word，每件一页）",
        _plan_forms, requires=(schema.ITEMS,), documents=True, demo=False,
        options=(
            Option("ids", "--ids", "承办单编号，多个用逗号分隔（默认：上次打印以来交办的承办单）",
                   type=parse_ids),
            Option("since", "--since", "打印交办日期在此日期及以后的承办单 YYYY-MM-DD", type=parse_date),
        ),
        usage="huitan forms 台账.xlsx [--ids SQ2026-0012,SQ2026-0013] [--since 2026-10-01]"),
    Job("notice", "答复公示", "本月诉求答复公示清单（Word，不含个人姓名）",
        _plan_notice, requires=(schema.ITEMS,), period_kind=MONTH, period_default=MONTH,
        period_flag="month", period_required=True, period_help="月份，如 2026-10", documents=True, demo=False,
        options=(Option("proposer", "--proposer", "提出人显示方式：unit 只显示单位（默认），none 不显示",
                        default="unit", choices=("unit", "none")),),
        usage="huitan notice 台账.xlsx --month 2026-10"),
    Job("minutes", "慧谈纪要", "慧谈纪要（Word）：一场慧谈的基本情况、参会人员和诉求答复情况",
        _plan_minutes, requires=(schema.SESSIONS,), documents=True, demo=False,
        options=(Option("session", "--session", "场次编号，如 HT-2026-10-03", required=True,
                        cell="minutes_session"),),
        usage="huitan minutes 台账.xlsx --session HT-2026-10-03"),
)}


def job_named(name: str) -> Job:
    try:
        return JOBS[name]
    except KeyError:
        raise BadParameter(f"没有名为“{name}”的任务；可用的任务：{'、'.join(JOBS)}") from None


def title_of(name: str) -> str:
    """The Chinese title of a job's 任务 name (运行记录, the scheduler's log); unknown
    names (a tool's own, or an older version's) come back as they are."""
    job = JOBS.get(name)
    return job.title if job else name


def options_of(job: Job, given: Mapping[str, object]) -> dict[str, object]:
    """The job's options with defaults filled in. An unknown keyword is a programming
    error (TypeError); a required one missing is a BadParameter."""
    known = {o.name: o for o in job.options}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise TypeError(f"{job.name} takes no option {', '.join(unknown)}")
    out = {name: given.get(name, o.default) for name, o in known.items()}
    for o in job.options:
        if out[o.name] is None:
            out[o.name] = o.default
        if o.required and out[o.name] in (None, ""):
            raise BadParameter(f"「{job.title}」需要参数 {o.flag}（{o.help}）")
        if o.choices and out[o.name] not in o.choices:
            raise BadParameter(f"「{job.title}」的参数 {o.flag} 应为 {' / '.join(o.choices)}，收到“{out[o.name]}”")
    return out


def front_options(job: Job, given: Mapping[str, object],
                  missing: Callable[[Option], Exception]) -> dict[str, object]:
    """A button's options (Excel's 说明 cells, the window's fields): each option takes the
    value given for it, else the value a button uses (Option.button), else its default;
    a required one left empty raises `missing(option)` (the front end's own message)."""
    out: dict[str, object] = {}
    for o in job.options:
        value = given.get(o.name)
        if value not in (None, ""):
            out[o.name] = value
        elif o.button is not None:
            out[o.name] = o.button
        elif o.required:
            raise missing(o)
        else:
            out[o.name] = o.default
    return out


def run_job(name: str, path: Path, *, as_of: date, now: datetime | None = None,
            period: str | None = None, dry_run: bool = False, password: str | None = None,
            **options) -> JobResult:
    """Run job `name` on the workbook at `path`: read the sheets it needs, plan, and
    apply the writes (atomic, with a backup, one 运行记录 line, documents beside it)
    unless `dry_run` or the job writes nothing with these options. `period` is a label
    ("2026-10", "2026Q3", "2026"); None = the job's default period for `as_of`. An
    encrypted workbook is decrypted in memory with `password` and written back
    encrypted with it.

    Raises WorkbookUnusable (exit 2, nothing written) and BadParameter (exit 2)."""
    job = job_named(name)
    opts = options_of(job, options)
    if period is None and job.period_default:
        period = default_period(job, as_of).label
    if now is None:
        now = now_cst()
    ctx = JobContext(as_of, now, period, opts)
    if job.writes_if is not None and not job.writes_if(opts):
        dry_run = True
    path = Path(path)
    gc_was_on = gc.isenabled()
    gc.disable()  # records by the hundred thousand, few cycles: cyclic GC would only re-scan them
    try:
        with unlocked(path, password), pipeline.writer_lock(path, job.name, dry_run):
            return _run(job, path, ctx, dry_run)
    finally:
        if gc_was_on:
            gc.enable()


def _run(job: Job, path: Path, ctx: JobContext, dry_run: bool) -> JobResult:
    end = job.before_read(ctx) if job.before_read is not None else None
    try:
        return _read_plan_write(job, path, ctx, dry_run)
    finally:
        if end is not None:
            end()


def _read_plan_write(job: Job, path: Path, ctx: JobContext, dry_run: bool) -> JobResult:
    regs = pipeline.read(path, list(job.reads) if job.reads is not None else None, list(job.requires))
    result, writes = job.plan(regs, ctx)
    result.lines += pipeline.reading_lines(regs)  # what reading did not take as data
    # saving needs only the run log: let the registers go first (a 100,000-row register
    # would otherwise stay in memory beside the sheet being patched)
    kept = Registers(path=regs.path, run_log=regs.run_log, source=regs.source)
    del regs
    note = result.lines[0] if result.lines else ""
    row = pipeline.log_row(job.title, ctx.now, result.as_of, result.period, result.findings, note)
    result.saved = pipeline.apply_writes(path, writes, row, kept, dry_run)
    if not dry_run:
        result.files = list(writes.files)
    result.lines += writes.notes
    return result
