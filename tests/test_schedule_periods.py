"""The schedule judges "done" by the period a run was for, not by when it ran (issue 14)."""
import logging
from datetime import date, datetime as dt
from pathlib import Path
from types import SimpleNamespace

from huitan_xl import scheduler as sch
from huitan_xl.calendar import WorkCalendar
from huitan_xl.settings import Settings


def log_of(job, when: dt, period=""):
    return [when.strftime("%Y-%m-%d %H:%M:%S"), job, when.date(), period, "完成", 0, 0, "", "0.1.0"]


class Runner:
    def __init__(self):
        self.calls = []

    def __call__(self, job, path, label, now):
        self.calls.append((job, label))
        return SimpleNamespace(command=job, lines=["ok"], tickets=None, findings=[])


def scheduler(now, run_log, first_day=None, settings=None):
    runner = Runner()
    s = sch.Scheduler(Path("/nowhere/台账.xlsx"), lambda: now, runner=runner, notifier=lambda *a, **k: None,
                      logger=logging.getLogger("test.schedule_periods"),
                      loader=lambda path: sch.Context(settings or Settings(), [], run_log, first_day))
    return s, runner


def test_a_later_months_report_run_late_does_not_hide_the_month_before():
    """Issue 14: the October report written on 12-02 must not make 12-02 skip November."""
    log = [log_of("report", dt(2026, 11, 1, 8, 30), "2026-10"),
           log_of("deductions", dt(2026, 10, 8, 9, 0), "2026Q3"), log_of("rewards", dt(2026, 10, 8, 9, 0), "2026Q3"),
           log_of("overdue", dt(2026, 11, 30, 8, 30)),
           log_of("report", dt(2026, 12, 2, 9, 0), "2026-10")]  # a rerun of October on 12-02
    s, runner = scheduler(dt(2026, 12, 2, 10, 0), log, first_day=date(2026, 10, 9))
    assert s.tick() == [("report", "2026-11", "done")]
    assert s.tick() == []  # November is done now


def test_a_month_never_made_is_caught_up_although_a_later_one_was_made():
    # the register starts in August; reports of 2026-08 and 2026-10 were made, September never
    log = [log_of("report", dt(2026, 9, 1, 8, 30), "2026-08"), log_of("月度分析", dt(2026, 11, 1, 8, 30), "2026-10"),
           log_of("deductions", dt(2026, 10, 8, 9, 0), "2026Q3"), log_of("季度奖励", dt(2026, 10, 8, 9, 0), "2026Q3"),
           log_of("overdue", dt(2026, 11, 2, 8, 30))]
    s, runner = scheduler(dt(2026, 11, 3, 10, 0), log, first_day=date(2026, 8, 12))
    assert s.tick() == [("report", "2026-09", "done")]
    assert runner.calls == [("report", "2026-09")]


def test_every_ended_period_since_the_start_is_due_oldest_first():
    cal = WorkCalendar([])
    due = sch.due_runs(dt(2026, 8, 3, 10, 0), {}, Settings(), cal, done=set(), start=date(2026, 3, 5))
    # months 2026-03..07 (run on the 1st 08:30 of the next month); 2026Q1 on 04-01 09:00, 2026Q2
    # on 07-01 09:00 (first working days); no year has ended since the start; one overdue check
    assert due == [("report", "2026-03"), ("deductions", "2026Q1"), ("rewards", "2026Q1"), ("report", "2026-04"),
                   ("report", "2026-05"), ("report", "2026-06"), ("deductions", "2026Q2"), ("rewards", "2026Q2"),
                   ("report", "2026-07"), ("overdue", None)]


def test_the_settings_start_date_wins_over_the_registers_first_session():
    log = [log_of("overdue", dt(2026, 11, 2, 8, 30)), log_of("report", dt(2026, 11, 1, 8, 30), "2026-10"),
           log_of("deductions", dt(2026, 10, 8, 9, 0), "2026Q3"), log_of("rewards", dt(2026, 10, 8, 9, 0), "2026Q3")]
    s, runner = scheduler(dt(2026, 11, 3, 10, 0), log, first_day=date(2026, 9, 1),
                          settings=Settings(schedule_start=date(2026, 10, 1)))
    assert s.tick() == []  # September is before 定时任务起始日期
    s, runner = scheduler(dt(2026, 11, 3, 10, 0), log, first_day=date(2026, 9, 1))
    assert s.tick() == [("report", "2026-09", "done")]


def test_done_periods_from_the_run_log_in_english_or_chinese():
    rows = [log_of("report", dt(2026, 11, 1, 8, 30), "2026-10"), log_of("年度考核", dt(2026, 1, 4, 9, 30), 2026.0),
            log_of("季度考核扣分", dt(2026, 10, 8, 9, 0), "2026Q3"), log_of("overdue", dt(2026, 11, 2, 8, 30)),
            ["2026-11-01 08:30:00", "report", date(2026, 11, 1), "2026-09", "失败"], ["坏行"]]
    assert sch.done_from_log(rows) == {("report", "2026-10"), ("assess", "2026"), ("deductions", "2026Q3")}
    assert sch.last_runs_from_log(rows)["assess"] == dt(2026, 1, 4, 9, 30)
