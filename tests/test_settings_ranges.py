"""Issue 12, item 11: every configurable number of 规则配置 has a sane range; a value
outside it is an R04 finding naming the cell, and the default is used."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT
from huitan_xl import schema
from huitan_xl.jobs import run_job
from huitan_xl.read import read_workbook
from huitan_xl.settings import PARAMETERS, RANGES, Settings

NOW = datetime(2026, 11, 24, 8, 30)


def settings_book(tmp_path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = schema.SETTINGS
    for r in [["参数", "值", "说明"], *rows]:
        ws.append(r)
    items = wb.create_sheet(schema.ITEMS)
    items.append(["编号", "现场答复", "承办部门", "交办日期", "答复时限"])
    items.append(["T-1", "否", "机电科", date(2026, 11, 2), None])
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    return path


def test_every_integer_parameter_has_a_range_that_holds_its_default():
    ints = [(p.attr, p.default) for p in PARAMETERS
            if isinstance(p.default, int) and not isinstance(p.default, bool)]
    assert sorted(a for a, _ in ints) == sorted(RANGES)
    for attr, default in ints:
        lo, hi = RANGES[attr]
        assert lo <= default <= hi, attr


@pytest.mark.parametrize("name, value, lo, hi", [
    ("默认答复时限(工作日)", 10 ** 20, 1, 250),
    ("默认答复时限(工作日)", 251, 1, 250),
    ("默认答复时限(工作日)", 0, 1, 250),
    ("每场人数上限", -3, 1, 500),
    ("重复反映相似度(%)", 101, 0, 100),
    ("逾期未办理扣分", 101, -100, 100),
    ("逾期未办理扣分", -101, -100, 100),
])
def test_a_value_outside_its_range_is_a_finding_and_the_default_is_used(tmp_path, name, value, lo, hi):
    regs = read_workbook(settings_book(tmp_path, [[name, value, None]]))
    assert [(f.code, f.sheet, f.row, f.column) for f in regs.findings] == [("R04", schema.SETTINGS, 2, "值")]
    assert f"超出合理范围 {lo}–{hi}" in regs.findings[0].message and name in regs.findings[0].message
    assert regs.settings == Settings()


@pytest.mark.parametrize("name, value, attr", [
    ("默认答复时限(工作日)", 250, "default_reply_days"), ("默认答复时限(工作日)", 1, "default_reply_days"),
    ("即将到期提示(工作日)", 0, "due_soon_days"), ("重复反映相似度(%)", 100, "recurring_similarity"),
])
def test_the_range_edges_are_accepted(tmp_path, name, value, attr):
    regs = read_workbook(settings_book(tmp_path, [[name, value, None]]))
    assert regs.findings == [] and getattr(regs.settings, attr) == value


def test_a_huge_reply_time_does_not_hang_overdue_or_validate(tmp_path):
    path = settings_book(tmp_path, [["默认答复时限(工作日)", 10 ** 20, None]])
    for job in ("overdue", "validate"):
        proc = subprocess.run([sys.executable, "-m", "huitan_xl", job, str(path), "--as-of", "2026-11-24", "--json"],
                              capture_output=True, cwd=ROOT, timeout=300)
        assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")
        assert b"year 10000" not in proc.stderr and b"Traceback" not in proc.stderr
    import json

    out = json.loads(proc.stdout.decode("utf-8"))
    assert [(f["code"], f["sheet"], f["row"], f["column"]) for f in out["findings"] if f["code"] == "R04"] == [
        ("R04", schema.SETTINGS, 2, "值")]
    # the ticket's deadline is the default 5 working days after 2026-11-02: 2026-11-09
    res = run_job("overdue", path, as_of=date(2026, 11, 24), now=NOW, dry_run=True)
    assert [(t.item_id, t.deadline) for t in res.tickets] == [("T-1", date(2026, 11, 9))]


def test_one_table_of_parameters_makes_the_dataclass_the_names_and_the_ranges():
    """settings.PARAMETERS is the only place a default is written: the Settings dataclass,
    BY_NAME and RANGES are derived from it (issue 11: one settings default table)."""
    from huitan_xl.settings import BY_NAME

    assert [(f.name, f.default) for f in fields(Settings)] == [(p.attr, p.default) for p in PARAMETERS]
    assert list(BY_NAME) == [p.name for p in PARAMETERS] and len(BY_NAME) == 39
    assert RANGES == {p.attr: p.range for p in PARAMETERS if p.range is not None}
    # hand-checked entries of the table as the 规则配置 sheet shows them
    assert BY_NAME["默认答复时限(工作日)"].attr == "default_reply_days"
    assert (Settings().default_reply_days, RANGES["default_reply_days"]) == (5, (1, 250))
    assert (Settings().points_d01, RANGES["points_d07"]) == (2, (-100, 100))
    assert (Settings().reward_cap, Settings().coverage_period, Settings().schedule_start) == (500, "自然年", None)
    assert "coverage_period" not in RANGES and "mine_name" not in RANGES  # text has no range
    assert Settings(points_d01=-3).points("D01") == 3  # -3 and 3 are the same deduction
    assert Settings() == Settings() and Settings(max_attendees=8) != Settings()
