"""`huitan schedule WB`: run the jobs on their calendar, catching up missed runs.

Calendar (times and days from 规则配置, SPEC §1, §8):
  overdue      weekly              (每周督办检查, default 星期一 08:30), as of that day
  report       monthly, the month before               (月度报告时间, 1日 08:30)
  deductions   quarterly, the quarter before           (季度奖惩时间, 首个工作日 09:00)
  rewards      quarterly, the quarter before           (same)
  assess       yearly in January, the year before      (年度考核时间, 首个工作日 09:30)
"首个工作日" is the first working day of the month by huitan_xl.calendar.WorkCalendar
(China's holidays and 调休, plus the 节假日 sheet): 2026-10-01 is National Day, so the
quarterly jobs for 2026Q3 run on 2026-10-08.

"Done" is judged per period: a month, quarter or year is due once its run time has come
and 运行记录 has no run of that job FOR THAT PERIOD (its 期间 column), whenever that run
was made. Every ended period since the register's start (the 规则配置 定时任务起始日期,
else the earliest 慧谈场次 date) is caught up, oldest first; where no start is known, the
periods since the job's last run (none on record: the latest only).

`due_runs` is pure (now, last runs, settings, calendar -> what is due); `Scheduler.tick`
runs what is due with an injected clock and never sleeps; `run_schedule` is the loop
(the `schedule` library ticks it once a minute). Last runs come from the 运行记录 sheet
at start-up, so everything missed while the machine was off runs once it is back: the
weekly check once, each missed month's report, each missed quarter and year. A job that
fails is logged and retried on the next tick; a workbook that cannot be used right now
(open in Excel: WorkbookUnusable) is left alone and retried on the next tick. The log
is a rotating UTF-8 file beside the workbook, NAME.huitan.log.
"""
from __future__ import annotations

import logging
import logging.handlers
import re
import time as _time
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Callable

from . import jobs, periods, schema
from .calendar import WorkCalendar
from .clock import now_cst
from .errors import WorkbookUnusable
from .settings import Settings
from .xlsx import encryption, file_check

LOGGER_NAME = "huitan_xl.scheduler"
TICK_SECONDS = 60
LOG_BYTES = 1_000_000
LOG_BACKUPS = 5

WEEKLY, MONTHLY, QUARTERLY, ANNUAL = "weekly", "monthly", "quarterly", "annual"
# a job table schedule -> (cadence, the 规则配置 attribute holding its time)
CADENCES = {jobs.WEEKLY: (WEEKLY, "schedule_weekly"), jobs.MONTHLY: (MONTHLY, "schedule_monthly"),
            jobs.QUARTERLY: (QUARTERLY, "schedule_quarterly"), jobs.YEARLY: (ANNUAL, "schedule_annual")}
# job (the 任务 name written into 运行记录) -> cadence, settings attribute: every job of
# the job table with a schedule, weekly first, in the table's order within a cadence
JOBS: list[tuple[str, str, str]] = [
    (job.name, *CADENCES[job.schedule])
    for cadence in CADENCES for job in jobs.JOBS.values() if job.schedule == cadence]
# log and notification wording where it differs from the job's title
JOB_TITLES = {"overdue": "每周逾期督办", "deductions": "季度考核扣分"}
JOB_TITLES.update({name: job.title for name, job in jobs.JOBS.items() if name not in JOB_TITLES})
PARAM_NAMES = {"schedule_weekly": "每周督办检查", "schedule_monthly": "月度报告时间",
               "schedule_quarterly": "季度奖惩时间", "schedule_annual": "年度考核时间"}
# With no earlier run on record, only the latest occurrence within this span is due.
FIRST_RUN_LOOKBACK = {WEEKLY: timedelta(days=7), MONTHLY: timedelta(days=31),
                      QUARTERLY: timedelta(days=92), ANNUAL: timedelta(days=366)}

WEEKDAY = "weekday"  # on a day of the week (day = 0 Monday .. 6 Sunday)
DAY = "day"  # on a day of the month (day = 1..31, clamped to the month's last day)
FIRST_WORKDAY = "first_workday"  # on the first working day of the month


@dataclass(frozen=True)
class When:
    kind: str
    day: int
    at: time


_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
             "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_RE_TIME = re.compile(r"(\d{1,2})\s*[:：点时]\s*(\d{1,2})?\s*分?$")
_RE_WEEKDAY = re.compile(r"^(?:每)?(?:星期|周|礼拜)([一二三四五六日天七1-7])")
_RE_DAY = re.compile(r"^(?:每月)?(\d{1,2})\s*[日号]")
_RE_FIRST = re.compile(r"^(?:每月|每季度?|每年)?(?:首个|第一个|第1个|首)工作日")


def parse_when(text: object, cadence: str) -> When | None:
    """"星期一 08:30" / "1日 08:30" / "首个工作日 09:00" -> When; None if unreadable or
    not allowed for the cadence (weekly: a weekday; others: a day or 首个工作日)."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip()
    s = re.sub(r"\s+", " ", s)
    m_time = _RE_TIME.search(s)
    if not m_time:
        return None
    hh, mm = int(m_time.group(1)), int(m_time.group(2) or 0)
    if hh > 23 or mm > 59:
        return None
    at = time(hh, mm)
    head = s[:m_time.start()].strip()
    if cadence == WEEKLY:
        m = _RE_WEEKDAY.match(head)
        return When(WEEKDAY, _WEEKDAYS[m.group(1)], at) if m and m.end() == len(head) else None
    m = _RE_FIRST.match(head)
    if m and m.end() == len(head):
        return When(FIRST_WORKDAY, 0, at)
    m = _RE_DAY.match(head)
    if m and m.end() == len(head) and 1 <= int(m.group(1)) <= 31:
        return When(DAY, int(m.group(1)), at)
    return None


def parse_schedule(settings: Settings | None) -> tuple[dict[str, When], list[str]]:
    """Settings attribute -> When, plus a Chinese warning per unreadable text (its
    default is used instead)."""
    settings = settings or Settings()
    defaults = Settings()
    out: dict[str, When] = {}
    warnings: list[str] = []
    for _job, cadence, attr in JOBS:
        if attr in out:
            continue
        text = getattr(settings, attr, None)
        when = parse_when(text, cadence)
        if when is None:
            default = getattr(defaults, attr)
            when = parse_when(default, cadence)
            warnings.append(f"规则配置「{PARAM_NAMES[attr]}」写的是“{text}”，无法识别，已按默认"
                            f"“{default}”执行；请按“{default}”的格式填写。")
        out[attr] = when
    return out, warnings


# ---- occurrences -------------------------------------------------------------------
def _month_day(when: When, y: int, m: int, cal: WorkCalendar) -> date:
    if when.kind == FIRST_WORKDAY:
        return cal.roll_forward(date(y, m, 1))
    return date(y, m, min(when.day, periods.month(y, m).end.day))


def occurrences(when: When, cadence: str, start: datetime, end: datetime,
                cal: WorkCalendar) -> list[tuple[datetime, str | None]]:
    """Run times t with start < t <= end, each with the period it is for (None for
    the weekly check, which runs as of its own day)."""
    out: list[tuple[datetime, str | None]] = []
    if end <= start:
        return out
    if cadence == WEEKLY:
        d = start.date()
        d += timedelta(days=(when.day - d.weekday()) % 7)
        while d <= end.date():
            t = datetime.combine(d, when.at)
            if start < t <= end:
                out.append((t, None))
            d += timedelta(days=7)
        return out
    months = {MONTHLY: range(1, 13), QUARTERLY: (1, 4, 7, 10), ANNUAL: (1,)}[cadence]
    previous = {MONTHLY: periods.previous_month, QUARTERLY: periods.previous_quarter,
                ANNUAL: periods.previous_year}[cadence]
    for p in periods.months_between(start.date(), end.date()):
        y, m = p.start.year, p.start.month
        if m not in months:
            continue
        t = datetime.combine(_month_day(when, y, m, cal), when.at)
        if start < t <= end:
            out.append((t, previous(date(y, m, 1)).label))
    return out


def due_occurrences(now: datetime, last_runs: dict[str, datetime | None], settings: Settings | None,
                    calendar: WorkCalendar, done: set[tuple[str, str]] | None = None,
                    start: date | None = None) -> list[tuple[datetime, str, str | None]]:
    """(run time, job, period label) of everything due at `now`, oldest first. Missed
    weekly checks collapse into one; each missed month, quarter and year is kept.
    `done` holds (job, period label) of the runs on record: a period run before, at any
    time, is not due again. `start` (the register's first day) opens the catch-up of
    period jobs; without it they catch up from their last run (none: the latest only)."""
    whens, _warnings = parse_schedule(settings)
    done = done or set()
    begin = datetime.combine(start, time.min) if start is not None else None
    out: list[tuple[datetime, int, str, str | None]] = []
    for order, (job, cadence, attr) in enumerate(JOBS):
        last = last_runs.get(job)
        since = last or now - FIRST_RUN_LOOKBACK[cadence]
        if cadence != WEEKLY and begin is not None:
            since = begin - timedelta(days=366)  # the run for start's period comes after start
        occ = occurrences(whens[attr], cadence, since, now, calendar)
        if cadence != WEEKLY:
            occ = [(t, label) for t, label in occ if (job, label) not in done
                   and (start is None or periods.parse_period(label).end >= start)]
        if occ and (cadence == WEEKLY or (last is None and begin is None)):
            occ = occ[-1:]
        out += [(t, order, job, label) for t, label in occ]
    out.sort(key=lambda x: (x[0], x[1]))
    return [(t, job, label) for t, _o, job, label in out]


def due_runs(now: datetime, last_runs: dict[str, datetime | None], settings: Settings | None,
             calendar: WorkCalendar, done: set[tuple[str, str]] | None = None,
             start: date | None = None) -> list[tuple[str, str | None]]:
    """(job, period label) of everything due at `now`, in the order to run them."""
    return [(job, label) for _t, job, label in due_occurrences(now, last_runs, settings, calendar, done, start)]


# ---- the run log ---------------------------------------------------------------------
def _as_datetime(v: object) -> datetime | None:
    if isinstance(v, datetime):
        return v
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)
    if isinstance(v, str) and v.strip():
        try:
            return datetime.fromisoformat(v.strip())
        except ValueError:
            return None
    return None


# 运行记录 names a task by its job key ("report") or its Chinese title ("月度分析")
_JOB_NAMES = {**{job: job for job, _c, _a in JOBS}, **{title: job for job, title in JOB_TITLES.items()},
              "逾期督办": "overdue", "考核扣分": "deductions", "季度考核": "deductions"}


def job_of(name: object) -> str:
    """The job key of a 运行记录 任务 cell ("report" / "月度分析" -> "report"); "" if unknown."""
    text = unicodedata.normalize("NFKC", str(name or "")).strip()
    return _JOB_NAMES.get(text, text if text.isascii() else "")


def _label(v: object) -> str:
    if isinstance(v, float) and v.is_integer():  # a year typed or read back as a number
        return str(int(v))
    return str(v or "").strip()


def done_from_log(rows: list[list]) -> set[tuple[str, str]]:
    """(job, period label) of every run in the 运行记录 rows (运行时间, 任务, 基准日期, 期间,
    结果, ...) that did its work (结果 完成 or 有错误: the job ran and wrote its sheets)."""
    out: set[tuple[str, str]] = set()
    for row in rows:
        if len(row) < 5:
            continue
        job, label, outcome = job_of(row[1]), _label(row[3]), str(row[4] or "").strip()
        if job and label and outcome in ("完成", "有错误"):
            out.add((job, label))
    return out


def first_day(sessions) -> date | None:
    """The register's first day: its earliest 慧谈场次 date (None when there is none)."""
    days = [s.date for s in sessions if getattr(s, "date", None) is not None]
    return min(days) if days else None


def last_runs_from_log(rows: list[list]) -> dict[str, datetime]:
    """Latest 运行时间 per 任务 in the 运行记录 rows (运行时间, 任务, 基准日期, 期间, ...)."""
    out: dict[str, datetime] = {}
    for row in rows:
        if len(row) < 2:
            continue
        t, job = _as_datetime(row[0]), job_of(row[1])
        if t is not None and job and (job not in out or t > out[job]):
            out[job] = t
    return out


# ---- running a job -------------------------------------------------------------------
def run_job(job: str, path: Path, label: str | None, now: datetime):
    """One job through the same core as the command line (jobs.run_job): the weekly
    check as of today, the others for their period label ("2026-10", "2026Q3", "2026")."""
    return jobs.run_job(job, path, as_of=now.date(), now=now, period=label)


def setup_logging(path: Path, logger: logging.Logger | None = None) -> logging.Logger:
    """Rotating UTF-8 log beside the workbook (NAME.huitan.log) plus the console."""
    logger = logger or logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.INFO)
    for h in list(logger.handlers):
        if getattr(h, "_huitan", False):
            logger.removeHandler(h)
            h.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    file_handler = logging.handlers.RotatingFileHandler(
        log_path(path), maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    console = logging.StreamHandler()
    for h in (file_handler, console):
        h.setFormatter(fmt)
        h._huitan = True  # type: ignore[attr-defined]
        logger.addHandler(h)
    return logger


def log_path(path: Path) -> Path:
    path = Path(path)
    return path.with_name(path.stem + ".huitan.log")


Runner = Callable[[str, Path, "str | None", datetime], object]


@dataclass(frozen=True)
class Context:
    """What the scheduler needs from the workbook besides the jobs themselves."""

    settings: Settings
    day_overrides: list
    run_log: list[list]
    first_day: date | None = None  # the register's first 慧谈场次 date


def read_context(path: Path) -> Context:
    """规则配置, 节假日, 运行记录 and 慧谈场次 of the workbook (raises WorkbookUnusable)."""
    from . import pipeline

    regs = pipeline.read(path, [schema.SETTINGS, schema.HOLIDAYS, schema.RUN_LOG_SHEET, schema.SESSIONS], [])
    return Context(regs.settings, list(regs.day_overrides), list(regs.run_log), first_day(regs.sessions))


class Scheduler:
    """The state between ticks: last runs, and the workbook's settings and calendar
    (re-read when the file changes)."""

    def __init__(self, path: Path, clock: Callable[[], datetime], runner: Runner | None = None,
                 notifier: Callable | None = None, logger: logging.Logger | None = None,
                 loader: Callable[[Path], Context] | None = None, password: str | None = None):
        self.path = Path(path)
        self.password = password  # for an encrypted workbook: decrypted in memory per read / job
        self.clock = clock
        self.runner = runner or run_job
        self.loader = loader or read_context
        if notifier is None:
            from .notify import notify_result
            notifier = notify_result
        self.notifier = notifier
        self.log = logger or logging.getLogger(LOGGER_NAME)
        self.last_runs: dict[str, datetime | None] = {}
        self.done: set[tuple[str, str]] = set()  # (job, period label) run, per 运行记录 and this session
        self.start: date | None = None  # where the catch-up of period jobs begins
        self.settings: Settings | None = None
        self.calendar: WorkCalendar | None = None
        self._stamp: tuple | None = None
        self._started = False

    def load(self) -> None:
        """Settings and 节假日 whenever the file changed; the run log at start-up only
        (afterwards the scheduler knows its own runs). Raises WorkbookUnusable."""
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        if stamp is not None and stamp == self._stamp and self._started:
            return
        with encryption.unlocked(self.path, self.password):
            regs = self.loader(self.path)
        self.settings = regs.settings
        self.calendar = WorkCalendar(regs.day_overrides)
        configured = getattr(regs.settings, "schedule_start", None)
        self.start = configured if isinstance(configured, date) else getattr(regs, "first_day", None)
        _whens, warnings = parse_schedule(self.settings)
        for w in warnings:
            self.log.warning(w)
        if not self._started:
            for job, t in last_runs_from_log(regs.run_log).items():
                if self.last_runs.get(job) is None or t > self.last_runs[job]:
                    self.last_runs[job] = t
            self.done |= done_from_log(regs.run_log)
            self._started = True
            self.log.info("开始定时运行：%s；上次运行：%s", self.path,
                          "；".join(f"{JOB_TITLES.get(j, j)} {t:%Y-%m-%d %H:%M}"
                                    for j, t in sorted(self.last_runs.items()) if t) or "无记录")
        self._stamp = stamp

    def tick(self) -> list[tuple[str, str | None, str]]:
        """Run whatever is due now. Returns (job, period, outcome) with outcome
        "done" / "failed" / "skipped" (workbook unusable now: retried next tick)."""
        now = self.clock()
        try:
            self.load()
        except WorkbookUnusable as e:
            self.log.warning("暂时无法读取台账，稍后重试：%s", e.message)
            return []
        except Exception:  # noqa: BLE001 - never stop the loop
            self.log.exception("读取台账时出错，稍后重试：%s", self.path)
            return []
        outcomes: list[tuple[str, str | None, str]] = []
        due = due_occurrences(now, self.last_runs, self.settings, self.calendar, self.done, self.start)
        if due:
            try:
                file_check.check_not_locked(self.path)
            except WorkbookUnusable as e:  # open in Excel: touch nothing, try again next tick
                self.log.warning("台账正在使用中，%d 项到期任务稍后重试：%s", len(due), e.message)
                return [(job, label, "skipped") for _t, job, label in due]
        given_up: set[str] = set()
        for t, job, label in due:
            name = JOB_TITLES.get(job, job) + (f"（{label}）" if label else "")
            if job in given_up:
                continue
            try:
                with encryption.unlocked(self.path, self.password):
                    result = self.runner(job, self.path, label, now)
            except WorkbookUnusable as e:
                self.log.warning("跳过%s，下次重试：%s", name, e.message)
                outcomes.append((job, label, "skipped"))
                given_up.add(job)
                continue
            except Exception:  # noqa: BLE001 - a failing job never stops the loop
                self.log.exception("%s运行失败，下次重试", name)
                outcomes.append((job, label, "failed"))
                given_up.add(job)
                continue
            self.last_runs[job] = t
            if label:
                self.done.add((job, label))
            outcomes.append((job, label, "done"))
            lines = getattr(result, "lines", None) or []
            self.log.info("%s完成：%s", name, lines[0] if lines else "")
            try:
                self.notifier(result, self.settings, self.path, logger=self.log)
            except Exception:  # noqa: BLE001 - notification failures are never fatal
                self.log.exception("发送%s的通知失败", name)
        return outcomes


def run_schedule(path: Path, once: bool = False, clock: Callable[[], datetime] | None = None,
                 runner: Runner | None = None, loader: Callable[[Path], Context] | None = None,
                 password_file: Path | None = None) -> int:
    """`huitan schedule WB [--once]`. once=True runs whatever is due and returns (for
    Windows Task Scheduler / cron): 0 all due jobs done (or none due), 1 some failed or
    skipped (see the log), 2 the workbook cannot be used. Otherwise loops until stopped.
    An encrypted workbook's password comes from `password_file` (readable by its owner
    only) or HUITAN_PASSWORD."""
    import schedule

    path = Path(path)
    password = (encryption.password_from_file(password_file) if password_file is not None
                else encryption.password_from_env())
    if clock is None:
        clock = now_cst
    log = setup_logging(path)
    sched = Scheduler(path, clock, runner=runner, logger=log, loader=loader, password=password)
    if once:
        try:
            sched.load()
        except WorkbookUnusable as e:
            log.error("%s", e.message)
            return 2
        outcomes = sched.tick()
        if not outcomes:
            log.info("当前没有到期的任务。")
        return 0 if all(o == "done" for _j, _l, o in outcomes) else 1
    runner_loop = schedule.Scheduler()
    runner_loop.every(TICK_SECONDS).seconds.do(sched.tick)
    sched.tick()  # catch up at once
    log.info("定时运行中（每 %d 秒检查一次），按 Ctrl+C 停止。", TICK_SECONDS)
    try:
        while True:
            runner_loop.run_pending()
            idle = runner_loop.idle_seconds
            _time.sleep(max(1.0, min(TICK_SECONDS, idle if idle is not None else TICK_SECONDS)))
    except KeyboardInterrupt:
        log.info("定时运行已停止。")
        return 0
