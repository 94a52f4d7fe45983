"""The schedule: due computation with an injected clock (no sleeping), catch-up of
missed runs, failing jobs and a workbook open in Excel.

Calendar facts used (State Council schedules, as the `holidays` package carries them):
2026-01-01..03 off, Sunday 2026-01-04 a make-up workday; 2025-10-01..08 off (first
working day of 2025Q4: Thursday 10-09); 2026-10-01..07 off, so the first working day of
2026Q4 is Thursday 2026-10-08.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, time
from pathlib import Path
from types import SimpleNamespace

import pytest

from huitan_xl import scheduler as sch
from huitan_xl.calendar import WorkCalendar
from huitan_xl.errors import WorkbookUnusable
from huitan_xl.model import DayOverride
from huitan_xl.settings import Settings
from huitan_xl.scheduler import (DAY, FIRST_WORKDAY, MONTHLY, QUARTERLY, WEEKDAY, WEEKLY, Context,
                                 When, due_runs, parse_schedule, parse_when)

CAL = WorkCalendar()
dt = datetime


def due(now, last, settings=None, cal=CAL):
    return due_runs(now, last, settings or Settings(), cal)


# ---- parsing 规则配置 --------------------------------------------------------------------
@pytest.mark.parametrize("text,cadence,expected", [
    ("星期一 08:30", WEEKLY, When(WEEKDAY, 0, time(8, 30))),
    ("周五17:05", WEEKLY, When(WEEKDAY, 4, time(17, 5))),
    ("每周日 ９：００", WEEKLY, When(WEEKDAY, 6, time(9, 0))),
    ("1日 08:30", MONTHLY, When(DAY, 1, time(8, 30))),
    ("每月3号 14:00", MONTHLY, When(DAY, 3, time(14, 0))),
    ("首个工作日 09:00", QUARTERLY, When(FIRST_WORKDAY, 0, time(9, 0))),
    ("首个工作日 9点30", QUARTERLY, When(FIRST_WORKDAY, 0, time(9, 30))),
    ("1日 08:30", WEEKLY, None),  # weekly needs a weekday
    ("星期一 08:30", MONTHLY, None),
    ("星期八 08:30", WEEKLY, None),
    ("32日 08:30", MONTHLY, None),
    ("首个工作日", QUARTERLY, None),  # no time
    ("首个工作日 25:00", QUARTERLY, None),
    ("", WEEKLY, None),
])
def test_parse_when(text, cadence, expected):
    assert parse_when(text, cadence) == expected


def test_bad_settings_text_takes_the_default_with_a_warning():
    whens, warnings = parse_schedule(Settings(schedule_weekly="每周一早上", schedule_annual="1月4日"))
    assert whens == {"schedule_weekly": When(WEEKDAY, 0, time(8, 30)),
                     "schedule_monthly": When(DAY, 1, time(8, 30)),
                     "schedule_quarterly": When(FIRST_WORKDAY, 0, time(9, 0)),
                     "schedule_annual": When(FIRST_WORKDAY, 0, time(9, 30))}
    assert warnings == [
        "规则配置「每周督办检查」写的是“每周一早上”，无法识别，已按默认“星期一 08:30”执行；请按“星期一 08:30”的格式填写。",
        "规则配置「年度考核时间」写的是“1月4日”，无法识别，已按默认“首个工作日 09:30”执行；请按“首个工作日 09:30”的格式填写。"]


# ---- due computation ------------------------------------------------------------------
def test_month_end():
    last = {"overdue": dt(2026, 10, 26, 8, 30), "report": dt(2026, 10, 1, 8, 30),
            "deductions": dt(2026, 10, 8, 9, 0), "rewards": dt(2026, 10, 8, 9, 0), "assess": dt(2026, 1, 4, 9, 30)}
    assert due(dt(2026, 10, 31, 23, 59), last) == []
    assert due(dt(2026, 11, 1, 8, 29), last) == []
    assert due(dt(2026, 11, 1, 8, 30), last) == [("report", "2026-10")]  # a Sunday: the 1st all the same
    assert due(dt(2026, 11, 2, 8, 30), last) == [("report", "2026-10"), ("overdue", None)]


def test_quarter_whose_first_day_is_a_public_holiday_runs_on_the_first_working_day():
    last = {"overdue": dt(2026, 9, 28, 8, 30), "report": dt(2026, 9, 1, 8, 30),
            "deductions": dt(2026, 7, 1, 9, 0), "rewards": dt(2026, 7, 1, 9, 0), "assess": dt(2026, 1, 4, 9, 30)}
    assert CAL.roll_forward(date(2026, 10, 1)) == date(2026, 10, 8)
    assert due(dt(2026, 10, 1, 9, 0), last) == [("report", "2026-09")]
    last["report"] = dt(2026, 10, 1, 8, 30)
    assert due(dt(2026, 10, 7, 23, 59), last) == [("overdue", None)]  # Monday 10-05 08:30
    last["overdue"] = dt(2026, 10, 5, 8, 30)
    assert due(dt(2026, 10, 8, 8, 59), last) == []
    assert due(dt(2026, 10, 8, 9, 0), last) == [("deductions", "2026Q3"), ("rewards", "2026Q3")]


def test_the_holidays_sheet_moves_the_first_working_day():
    last = {"overdue": dt(2026, 6, 29, 8, 30), "report": dt(2026, 7, 1, 8, 30),
            "deductions": dt(2026, 4, 1, 9, 0), "rewards": dt(2026, 4, 1, 9, 0), "assess": dt(2026, 1, 4, 9, 30)}
    off = WorkCalendar([DayOverride(date(2026, 7, 1), "休", "矿庆")])  # Wednesday 07-01 made a day off
    assert due(dt(2026, 7, 1, 9, 0), last) == [("deductions", "2026Q2"), ("rewards", "2026Q2")]
    assert due(dt(2026, 7, 1, 23, 0), last, cal=off) == []
    assert due(dt(2026, 7, 2, 9, 0), last, cal=off) == [("deductions", "2026Q2"), ("rewards", "2026Q2")]


def test_year_end():
    last = {"overdue": dt(2025, 12, 29, 8, 30), "report": dt(2025, 12, 1, 8, 30),
            "deductions": dt(2025, 10, 9, 9, 0), "rewards": dt(2025, 10, 9, 9, 0), "assess": dt(2025, 1, 2, 9, 30)}
    assert due(dt(2025, 12, 31, 23, 0), last) == []
    assert due(dt(2026, 1, 1, 8, 30), last) == [("report", "2025-12")]
    assert due(dt(2026, 1, 4, 9, 0), last) == [("report", "2025-12"), ("deductions", "2025Q4"), ("rewards", "2025Q4")]
    assert due(dt(2026, 1, 4, 9, 30), last) == [("report", "2025-12"), ("deductions", "2025Q4"),
                                                ("rewards", "2025Q4"), ("assess", "2025")]
    assert due(dt(2026, 1, 5, 8, 30), last)[-1] == ("overdue", None)


def test_catch_up_after_two_weeks_off_within_a_month():
    last = {"overdue": dt(2026, 11, 2, 8, 30), "report": dt(2026, 11, 1, 8, 30),
            "deductions": dt(2026, 10, 8, 9, 0), "rewards": dt(2026, 10, 8, 9, 0), "assess": dt(2026, 1, 4, 9, 30)}
    # off from 11-03 to 11-17: Mondays 11-09 and 11-16 missed -> one overdue check
    assert due(dt(2026, 11, 17, 10, 0), last) == [("overdue", None)]


def test_catch_up_after_two_weeks_off_over_the_first_of_the_month():
    last = {"overdue": dt(2026, 10, 19, 8, 30), "report": dt(2026, 10, 1, 8, 30),
            "deductions": dt(2026, 10, 8, 9, 0), "rewards": dt(2026, 10, 8, 9, 0), "assess": dt(2026, 1, 4, 9, 30)}
    # off from 10-20 to 11-03: Mondays 10-26 and 11-02 and the 1st missed
    assert due(dt(2026, 11, 3, 10, 0), last) == [("report", "2026-10"), ("overdue", None)]


def test_each_missed_month_and_quarter_runs():
    last = {"overdue": dt(2026, 11, 2, 8, 30), "report": dt(2026, 8, 1, 8, 30),
            "deductions": dt(2026, 4, 1, 9, 0), "rewards": dt(2026, 10, 8, 9, 0), "assess": dt(2026, 1, 4, 9, 30)}
    # in time order: 07-01 09:00, 09-01 08:30, 10-01 08:30, 10-08 09:00, 11-01 08:30
    assert due(dt(2026, 11, 3, 10, 0), last) == [("deductions", "2026Q2"), ("report", "2026-08"),
                                                 ("report", "2026-09"), ("deductions", "2026Q3"),
                                                 ("report", "2026-10")]


def test_nothing_on_record_runs_only_the_latest_of_each():
    assert due(dt(2026, 11, 24, 12, 0), {}) == [("assess", "2025"), ("deductions", "2026Q3"), ("rewards", "2026Q3"),
                                               ("report", "2026-10"), ("overdue", None)]


def test_times_and_days_come_from_the_settings():
    s = Settings(schedule_weekly="星期三 07:00", schedule_monthly="5日 18:00")
    last = {"overdue": dt(2026, 11, 4, 7, 0), "report": dt(2026, 11, 5, 18, 0),
            "deductions": dt(2026, 10, 8, 9, 0), "rewards": dt(2026, 10, 8, 9, 0), "assess": dt(2026, 1, 4, 9, 30)}
    assert due(dt(2026, 12, 5, 17, 59), last, s) == [("overdue", None)]  # Wednesdays 11-11 .. 12-02
    assert due(dt(2026, 12, 5, 18, 0), last, s) == [("overdue", None), ("report", "2026-11")]


def test_last_runs_from_the_run_log():
    rows = [["2026-11-02 08:30:05", "overdue", date(2026, 11, 2), "", "完成", 0, 0, "", "0.1.0"],
            [dt(2026, 11, 9, 8, 30, 2), "overdue", date(2026, 11, 9), "", "完成", 0, 0, "", "0.1.0"],
            ["2026-11-01 08:30:00", "report", date(2026, 11, 1), "2026-10", "有错误", 2, 0, "", "0.1.0"],
            ["坏时间", "rewards"], [], ["2026-11-03 10:00:00", ""]]
    assert sch.last_runs_from_log(rows) == {"overdue": dt(2026, 11, 9, 8, 30, 2), "report": dt(2026, 11, 1, 8, 30)}


# ---- ticks: failures, locked workbook, catch-up at start-up ----------------------------
class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Runner:
    """Records calls; `fail` maps (job, label) to the exceptions to raise, one per call."""

    def __init__(self, fail=None):
        self.calls: list[tuple[str, str | None, date]] = []
        self.fail = {k: list(v) for k, v in (fail or {}).items()}

    def __call__(self, job, path, label, now):
        self.calls.append((job, label, now.date()))
        queue = self.fail.get((job, label))
        if queue:
            raise queue.pop(0)
        return SimpleNamespace(command=job, lines=[f"{job} {label or ''} ok"], tickets=None, findings=[])


def loader_for(run_log, settings=None):
    def load(path):
        return Context(settings or Settings(), [], run_log)
    return load


def log_of(job, when: datetime, period=""):
    return [when.strftime("%Y-%m-%d %H:%M:%S"), job, when.date(), period, "完成", 0, 0, "", "0.1.0"]


SETTLED_LOG = [log_of("overdue", dt(2026, 10, 19, 8, 30)), log_of("report", dt(2026, 10, 1, 8, 30), "2026-09"),
               log_of("deductions", dt(2026, 10, 8, 9, 0), "2026Q3"), log_of("rewards", dt(2026, 10, 8, 9, 0), "2026Q3"),
               log_of("assess", dt(2026, 1, 4, 9, 30), "2025")]


def make(clock, runner, run_log=SETTLED_LOG, notified=None):
    def notifier(result, settings, path, logger=None):
        if notified is not None:
            notified.append(result.command)
    return sch.Scheduler(Path("/nowhere/台账.xlsx"), clock, runner=runner, notifier=notifier,
                         logger=logging.getLogger("test.scheduler"), loader=loader_for(run_log))


def test_start_up_catches_up_from_the_run_log_then_waits():
    clock, runner, notified = Clock(dt(2026, 11, 3, 10, 0)), Runner(), []
    s = make(clock, runner, notified=notified)
    assert s.tick() == [("report", "2026-10", "done"), ("overdue", None, "done")]
    assert runner.calls == [("report", "2026-10", date(2026, 11, 3)), ("overdue", None, date(2026, 11, 3))]
    assert notified == ["report", "overdue"]
    clock.now = dt(2026, 11, 3, 10, 1)
    assert s.tick() == []
    clock.now = dt(2026, 11, 9, 8, 30)
    assert s.tick() == [("overdue", None, "done")]
    assert len(runner.calls) == 3


def test_a_failing_job_is_logged_the_others_run_and_it_is_retried_next_tick(caplog):
    clock = Clock(dt(2026, 11, 3, 10, 0))
    runner = Runner(fail={("report", "2026-10"): [RuntimeError("磁盘已满")]})
    s = make(clock, runner)
    with caplog.at_level(logging.INFO, logger="test.scheduler"):
        assert s.tick() == [("report", "2026-10", "failed"), ("overdue", None, "done")]
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in failed] == ["月度分析（2026-10）运行失败，下次重试"]
    assert "磁盘已满" in failed[0].exc_text
    clock.now = dt(2026, 11, 3, 10, 1)
    assert s.tick() == [("report", "2026-10", "done")]
    clock.now = dt(2026, 11, 3, 10, 2)
    assert s.tick() == []


def test_a_failed_month_stops_later_months_of_that_job_until_it_succeeds():
    log = [log_of("overdue", dt(2026, 11, 2, 8, 30)), log_of("report", dt(2026, 8, 1, 8, 30), "2026-07"),
           *SETTLED_LOG[2:]]
    clock = Clock(dt(2026, 11, 3, 10, 0))
    runner = Runner(fail={("report", "2026-09"): [ValueError("x")]})
    s = make(clock, runner, run_log=log)
    assert s.tick() == [("report", "2026-08", "done"), ("report", "2026-09", "failed")]
    clock.now = dt(2026, 11, 3, 10, 1)
    assert s.tick() == [("report", "2026-09", "done"), ("report", "2026-10", "done")]


def test_a_workbook_open_in_excel_is_skipped_and_retried(caplog):
    clock = Clock(dt(2026, 11, 9, 8, 30))
    locked = WorkbookUnusable("工作簿「台账.xlsx」正在被 Excel 打开，请保存并关闭后再运行。")
    runner = Runner(fail={("overdue", None): [locked, locked]})
    s = make(clock, runner, run_log=SETTLED_LOG + [log_of("overdue", dt(2026, 11, 2, 8, 30)),
                                                   log_of("report", dt(2026, 11, 1, 8, 30), "2026-10")])
    with caplog.at_level(logging.WARNING, logger="test.scheduler"):
        assert s.tick() == [("overdue", None, "skipped")]
        clock.now = dt(2026, 11, 9, 8, 31)
        assert s.tick() == [("overdue", None, "skipped")]
    assert [r.getMessage() for r in caplog.records] == [
        "跳过每周逾期督办，下次重试：工作簿「台账.xlsx」正在被 Excel 打开，请保存并关闭后再运行。"] * 2
    clock.now = dt(2026, 11, 9, 8, 32)
    assert s.tick() == [("overdue", None, "done")]
    assert [c[0] for c in runner.calls] == ["overdue"] * 3


def test_an_unreadable_workbook_at_a_tick_is_retried_later():
    attempts = []

    def load(path):
        attempts.append(1)
        if len(attempts) == 1:
            raise WorkbookUnusable("工作簿「台账.xlsx」不存在。")
        return Context(Settings(), [], SETTLED_LOG)

    clock, runner = Clock(dt(2026, 10, 26, 9, 0)), Runner()
    s = sch.Scheduler(Path("/nowhere/台账.xlsx"), clock, runner=runner, notifier=lambda *a, **k: None,
                      logger=logging.getLogger("test.scheduler"), loader=load)
    assert s.tick() == []
    assert s.tick() == [("overdue", None, "done")]


def test_run_schedule_once_logs_beside_the_workbook(tmp_path):
    book = tmp_path / "台账.xlsx"
    runner = Runner(fail={("report", "2026-10"): [RuntimeError("boom")]})
    code = sch.run_schedule(book, once=True, clock=Clock(dt(2026, 11, 3, 10, 0)), runner=runner,
                            loader=loader_for(SETTLED_LOG))
    assert code == 1
    text = (tmp_path / "台账.huitan.log").read_text(encoding="utf-8")
    assert "月度分析（2026-10）运行失败，下次重试" in text and "RuntimeError: boom" in text
    assert "每周逾期督办完成：overdue  ok" in text
    assert sch.run_schedule(book, once=True, clock=Clock(dt(2026, 11, 3, 10, 0)), runner=Runner(),
                            loader=loader_for(SETTLED_LOG)) == 0

    def unusable(path):
        raise WorkbookUnusable("工作簿「台账.xlsx」不存在。")
    assert sch.run_schedule(book, once=True, clock=Clock(dt(2026, 11, 3, 10, 0)), runner=Runner(),
                            loader=unusable) == 2
    logging.getLogger(sch.LOGGER_NAME).handlers.clear()


# ---- end to end: the real pipeline on a real register ------------------------------------
def test_once_on_a_real_register_runs_the_latest_of_each_then_nothing(tmp_path):
    import openpyxl

    from conftest import huitan, type_rows
    from huitan_xl import schema

    book = tmp_path / "台账.xlsx"
    assert huitan("init", book).returncode == 0
    type_rows(book, schema.ITEMS, [
        {"编号": "T-1", "类别": "职工诉求", "现场答复": "否", "承办部门": "机电科", "督办员": "王督办",
         "交办日期": date(2026, 10, 12), "答复时限": date(2026, 10, 16)}])
    lock = tmp_path / "~$台账.xlsx"
    lock.write_bytes(b"")
    clock = Clock(dt(2026, 11, 3, 10, 0))  # Tuesday
    assert sch.run_schedule(book, once=True, clock=clock) == 1  # open in Excel: all skipped
    assert openpyxl.load_workbook(book).sheetnames[-1] != schema.RUN_LOG_SHEET
    lock.unlink()
    clock.now = dt(2026, 11, 3, 10, 5)
    assert sch.run_schedule(book, once=True, clock=clock) == 0
    wb = openpyxl.load_workbook(book)
    log = [list(r)[:4] for r in wb[schema.RUN_LOG_SHEET].iter_rows(min_row=4, values_only=True)]
    # in time order of the occurrences: 2026-01-04 09:30, 10-08 09:00 (x2), 11-01 08:30, Monday 11-02 08:30
    # 运行记录 names each task in Chinese
    assert [(r[1], r[3]) for r in log] == [("年度考核", "2025"), ("考核扣分", "2026Q3"), ("季度奖励", "2026Q3"),
                                           ("月度分析", "2026-10"), ("逾期督办", None)]
    assert {r[0] for r in log} == {"2026-11-03 10:05:00"}
    items = wb[schema.ITEMS]
    header = [c.value for c in items[1]]
    # T-1: deadline Friday 10-16, open on 11-03: 18 days overdue
    assert [items.cell(2, header.index(h) + 1).value for h in ("状态", "逾期天数")] == ["逾期未答复", 18]
    clock.now = dt(2026, 11, 3, 11, 0)
    assert sch.run_schedule(book, once=True, clock=clock) == 0  # nothing due any more
    assert wb[schema.RUN_LOG_SHEET].max_row == openpyxl.load_workbook(book)[schema.RUN_LOG_SHEET].max_row
    text = (tmp_path / "台账.huitan.log").read_text(encoding="utf-8")
    assert "台账正在使用中，5 项到期任务稍后重试：工作簿 台账.xlsx 正在 Excel 中打开" in text
    assert "当前没有到期的任务。" in text
    logging.getLogger(sch.LOGGER_NAME).handlers.clear()
