"""The job table (jobs.JOBS, run_job): one entry per job drives the command line, the
buttons, the scheduler, the demo and the 说明 sheet; bad parameters are exit 2, a bug is
exit 3 with the traceback in a log file."""
from __future__ import annotations

import argparse
import json
from datetime import date, datetime

import pytest

from conftest import type_rows
from huitan_xl import cli, excel, pipeline, scheduler, schema
from huitan_xl.demo_run import demo_jobs
from huitan_xl.errors import BadParameter
from huitan_xl.jobs import JOBS, Job, JobContext, default_period, run_job
from huitan_xl.template import init_workbook

AS_OF = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, 0)
TOOLS = {"init", "demo", "schedule", "gui", "excel-setup", "consolidate", "export"}


@pytest.fixture
def small(tmp_path):
    """One ticket of 机电科: assigned Mon 2026-11-02, due Fri 11-06, open on 11-24."""
    path = tmp_path / "小台账.xlsx"
    init_workbook(path)
    type_rows(path, schema.DEPARTMENTS, [{"部门": "机电科", "负责人": "沈伟", "类型": "职能科室"}])
    type_rows(path, schema.ROSTER, [{"工号": f"HZ{i}", "姓名": f"职工{i}", "单位": "综采一队", "层级": "职工"}
                                    for i in range(1, 13)])
    type_rows(path, schema.ITEMS, [{"编号": "T-1", "类别": "职工诉求", "现场答复": "否", "承办部门": "机电科",
                                    "督办员": "王督办", "交办日期": date(2026, 11, 2), "答复时限": date(2026, 11, 6)}])
    return path


def subcommands() -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


# ---- the table drives every face ----------------------------------------------------------------

def test_the_command_line_has_one_subcommand_per_job_plus_the_tools():
    assert set(subcommands()) == set(JOBS) | TOOLS
    for name, job in JOBS.items():
        flags = {s for a in subcommands()[name]._actions for s in a.option_strings}
        assert {"--as-of", "--json", "--dry-run"} <= flags
        assert ({f"--{job.period_flag}"} if job.period_flag else set()) | {o.flag for o in job.options} <= flags


def test_every_job_with_a_button_has_an_excel_entry_point_and_a_macro():
    from huitan_xl.excel import MACROS_DIR

    vba = "".join(p.read_text(encoding="utf-8") for p in MACROS_DIR.glob("*.bas"))
    for job in JOBS.values():
        assert callable(getattr(excel, job.function_name)) == job.button
        assert (f"x.{job.function_name}()" in vba) == job.button


def test_the_scheduler_runs_the_jobs_with_a_schedule():
    assert scheduler.JOBS == [("overdue", "weekly", "schedule_weekly"), ("report", "monthly", "schedule_monthly"),
                              ("deductions", "quarterly", "schedule_quarterly"),
                              ("rewards", "quarterly", "schedule_quarterly"), ("assess", "annual", "schedule_annual")]


def test_the_demo_runs_every_job_that_needs_no_required_option():
    assert [(j.name, p) for j, p in demo_jobs(AS_OF)] == [
        ("validate", None), ("overdue", None), ("deductions", "2026"), ("rewards", "2026Q3"),
        ("report", "2026-10"), ("assess", "2026")]


def test_the_readme_sheet_lists_every_job():
    from huitan_xl.template import _RUN_LINES

    assert [line[0] for line in _RUN_LINES[:len(JOBS)]] == [j.title for j in JOBS.values()]
    assert _RUN_LINES[6] == ("推荐参会人员", "推荐参会人员", "huitan suggest-attendees 台账.xlsx --level 班组长 --write")


def test_adding_an_entry_adds_a_command(monkeypatch, small, capsys):
    def plan(regs, ctx):
        result = pipeline.JobResult("count-items", regs.path, ctx.as_of, period=ctx.period,
                                    counts={"items": len(regs.items)})
        result.lines = [f"诉求 {len(regs.items)} 件"]
        return result, pipeline.Writes()

    monkeypatch.setitem(JOBS, "count-items", Job("count-items", "诉求计数", "数一数诉求", plan,
                                                 reads=(schema.ITEMS,), period_kind="month",
                                                 period_default="month", period_flag="month"))
    assert "count-items" in subcommands()
    before = small.read_bytes()
    assert cli.main(["count-items", str(small), "--as-of", "2026-11-24", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["command"], out["period"], out["counts"], out["files"]) == ("count-items", "2026-10", {"items": 1}, [])
    assert small.read_bytes() == before


# ---- defaults ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("job,as_of,label", [
    ("report", date(2026, 11, 24), "2026-10"), ("report", date(2026, 11, 1), "2026-10"),
    ("report", date(2026, 1, 5), "2025-12"), ("rewards", date(2026, 10, 1), "2026Q3"),
    ("rewards", date(2026, 9, 30), "2026Q2"), ("deductions", date(2026, 1, 1), "2025Q4"),
    ("assess", date(2026, 12, 31), "2025"), ("assess", date(2027, 1, 1), "2026")])
def test_default_period_is_the_last_complete_one(job, as_of, label):
    assert default_period(JOBS[job], as_of).label == label


def test_jobs_without_a_default_period():
    assert default_period(JOBS["validate"], AS_OF) is None and default_period(JOBS["overdue"], AS_OF) is None


def test_run_job_without_a_period_uses_the_default(small):
    # T-1 due Fri 11-06, not answered: one D01 (-2) dated 11-07, in 2026-11; the default 2026Q3 has none
    assert run_job("deductions", small, as_of=AS_OF, now=NOW, dry_run=True).counts == {
        "events": 0, "points": 0, "by_code": {}}
    result = run_job("deductions", small, as_of=date(2027, 1, 4), now=NOW, dry_run=True)
    assert (result.period, result.counts) == ("2026Q4", {"events": 1, "points": -2, "by_code": {"D01": 1}})


def test_suggest_takes_the_settings_attendee_limit_by_default(small):
    type_rows(small, schema.SETTINGS, [{"参数": "每场人数上限", "值": 8}])  # row 2 of 规则配置
    result = run_job("suggest-attendees", small, as_of=AS_OF, now=NOW, level="职工")
    assert result.counts == {"level": "L1", "picked": 8}  # 12 on the roster, 每场人数上限 8
    assert result.saved is None  # without write=True nothing is written
    assert run_job("suggest-attendees", small, as_of=AS_OF, now=NOW, level="职工", n=3).counts["picked"] == 3


def test_run_job_rejects_unknown_and_missing_options(small):
    with pytest.raises(TypeError):
        run_job("overdue", small, as_of=AS_OF, now=NOW, level="职工")
    with pytest.raises(BadParameter, match="需要参数 --level"):
        run_job("suggest-attendees", small, as_of=AS_OF, now=NOW)
    with pytest.raises(BadParameter, match="没有名为“overdew”的任务"):
        run_job("overdew", small, as_of=AS_OF, now=NOW)


# ---- bad parameters and bugs ---------------------------------------------------------------------

def test_a_bad_parameter_is_not_a_value_error(small):
    assert not issubclass(BadParameter, ValueError)
    with pytest.raises(BadParameter) as e:
        run_job("report", small, as_of=AS_OF, now=NOW, period="2026Q3")
    assert e.value.message == "月度分析请填写月份，例如 2026-10（收到“2026Q3”）"
    with pytest.raises(BadParameter) as e:
        run_job("deductions", small, as_of=AS_OF, now=NOW, period="2026-13")
    assert e.value.message == "期间「2026-13」的月份不存在，应为 1–12 月，例如 2026-10"


def test_a_bad_parameter_exits_2_in_process(small, capsys):
    before = small.read_bytes()
    assert cli.main(["rewards", str(small), "--quarter", "2026", "--as-of", "2026-11-24"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "错误：奖励按季度发放，请填写季度，例如 2026Q3（收到“2026”）\n"
    assert small.read_bytes() == before


@pytest.mark.parametrize("error", [ValueError("boom"), KeyError("状态")])
def test_an_internal_error_is_exit_3_with_the_traceback_in_a_log(monkeypatch, small, capsys, error):
    def broken(regs, as_of):
        raise error

    monkeypatch.setattr(pipeline, "plan_overdue", broken)
    before = small.read_bytes()
    assert cli.main(["overdue", str(small), "--as-of", "2026-11-24"]) == 3
    captured = capsys.readouterr()
    log = small.with_name("小台账.huitan.log")
    assert captured.out == ""
    assert captured.err == (f"程序内部出错（{type(error).__name__}），任务未完成；详细信息已写入 {log}，"
                            f"请发给管理员。\n")
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "in broken" in text
    assert text.rstrip().endswith(f"{type(error).__name__}: {error}")
    assert small.read_bytes() == before
    assert sorted(p.name for p in small.parent.iterdir()) == ["小台账.huitan.log", "小台账.xlsx"]

