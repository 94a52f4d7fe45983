"""Issue 12, item 2: two runs at once on one workbook are serialised by the tool's own
lock file; a second run waits a bounded time, then exits 2 with a message; a lock left by
a killed run does not block anyone."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, type_rows
from huitan_xl import schema
from huitan_xl.errors import WorkbookUnusable
from huitan_xl.jobs import JOBS
from huitan_xl.template import init_workbook
from huitan_xl.xlsx.lock import is_held, lock_path, workbook_lock

TICKETS = [{"编号": "T-001", "类别": "职工诉求", "现场答复": "否", "承办部门": "机电科", "督办员": "王督办",
            "交办日期": date(2026, 9, 1), "内容": "诉求"}]
SUGGESTIONS = [{"编号": "J-001", "提出人": "张三", "专业类别": "安全管理", "建议内容": "加装护栏", "合理性结论": "合理",
                "是否采纳": "是", "实施情况": "已实施", "实施日期": date(2026, 8, 10), "应用效果": "显著",
                "评审季度": "2026Q3"}]

HOLD = ("import sys, time\n"
        "from huitan_xl.xlsx.lock import workbook_lock\n"
        "with workbook_lock(sys.argv[1], command='huitan overdue'):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(float(sys.argv[2]))\n")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args, wait: str = "60") -> subprocess.Popen:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", HUITAN_LOCK_WAIT=wait)
    return subprocess.Popen([sys.executable, "-m", "huitan_xl", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=ROOT)


def holder(path: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE,
                            cwd=ROOT)
    assert proc.stdout.readline().strip() == b"held"
    return proc


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "台账.xlsx"
    init_workbook(path)
    type_rows(path, schema.ITEMS, TICKETS)
    type_rows(path, schema.SUGGESTIONS, SUGGESTIONS)
    return path


def run_log_commands(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path, read_only=True)[schema.RUN_LOG_SHEET]
    rows = [list(r) for r in ws.iter_rows(values_only=True) if any(v not in (None, "") for v in r)]
    at = next(i for i, r in enumerate(rows) if "任务" in r)
    col = rows[at].index("任务")
    names = {job.title: job.name for job in JOBS.values()}  # 运行记录 names each task in Chinese
    return sorted(names.get(r[col], r[col]) for r in rows[at + 1:])


def test_a_second_run_waits_a_bounded_time_then_exits_2(register: Path):
    before = sha(register)
    h = holder(register, 20)
    try:
        t0 = time.monotonic()
        p = run("overdue", register, "--as-of", "2026-11-24", wait="1")
        _, err = p.communicate(timeout=60)
        waited = time.monotonic() - t0
    finally:
        h.kill()
        h.wait()
    text = err.decode("utf-8")
    assert p.returncode == 2 and "Traceback" not in text
    assert "正在被另一个 huitan 任务写入" in text and "huitan overdue" in text and f"进程 {h.pid}" in text
    assert "台账.xlsx" in text and "本次未作任何改动" in text
    assert waited >= 1
    assert sha(register) == before


def test_a_second_run_proceeds_once_the_first_is_done(register: Path):
    h = holder(register, 1.5)
    p = run("overdue", register, "--as-of", "2026-11-24", wait="60")
    _, err = p.communicate(timeout=120)
    h.wait()
    assert p.returncode in (0, 1), err.decode("utf-8")
    assert run_log_commands(register) == ["overdue"]


def test_a_lock_left_by_a_killed_run_is_taken_over_at_once(register: Path):
    h = holder(register, 60)
    os.kill(h.pid, signal.SIGKILL)
    h.wait()
    assert lock_path(register).exists()  # left behind by the kill
    p = run("overdue", register, "--as-of", "2026-11-24", wait="0")
    _, err = p.communicate(timeout=120)
    assert p.returncode in (0, 1), err.decode("utf-8")
    assert not lock_path(register).exists()


@pytest.mark.parametrize("pair", [("overdue", "overdue"), ("rewards", "overdue"), ("rewards", "report")])
def test_two_runs_at_once_both_land(register: Path, pair):
    args = {"overdue": ["overdue"], "rewards": ["rewards", "--quarter", "2026Q3"],
            "report": ["report", "--month", "2026-10"]}
    for _ in range(2):
        procs = [run(*args[job][:1], register, *args[job][1:], "--as-of", "2026-11-24") for job in pair]
        for p in procs:
            _, err = p.communicate(timeout=300)
            assert p.returncode in (0, 1), err.decode("utf-8")
    assert run_log_commands(register) == sorted(list(pair) * 2)
    names = openpyxl.load_workbook(register, read_only=True).sheetnames
    if "rewards" in pair:
        assert schema.REWARDS_SHEET in names
    assert not lock_path(register).exists()


def test_the_lock_is_reentrant_in_one_process(tmp_path: Path):
    wb = tmp_path / "a.xlsx"
    with workbook_lock(wb):
        with workbook_lock(wb, wait=0):
            assert is_held(wb)
        assert is_held(wb)
    assert not is_held(wb) and not lock_path(wb).exists()


def test_one_process_waits_for_another_in_process_api(tmp_path: Path):
    wb = tmp_path / "a.xlsx"
    h = holder(wb, 20)
    try:
        with pytest.raises(WorkbookUnusable) as err:
            with workbook_lock(wb, wait=0.3):
                pass
    finally:
        h.kill()
        h.wait()
    assert "a.xlsx" in err.value.message


def test_a_lock_name_planted_as_a_link_is_not_followed(tmp_path: Path):
    wb = tmp_path / "a.xlsx"
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch", encoding="utf-8")
    lock_path(wb).symlink_to(victim)
    with workbook_lock(wb):
        assert not lock_path(wb).is_symlink()
    assert victim.read_text(encoding="utf-8") == "do not touch"


def test_a_workbook_reached_through_a_link_shares_the_lock_of_its_target(tmp_path: Path):
    wb = tmp_path / "a.xlsx"
    wb.write_bytes(b"")
    link = tmp_path / "link.xlsx"
    link.symlink_to(wb)
    assert lock_path(link) == lock_path(wb)


def test_a_dry_run_takes_no_lock(register: Path):
    h = holder(register, 20)
    try:
        p = run("overdue", register, "--as-of", "2026-11-24", "--dry-run", wait="0")
        _, err = p.communicate(timeout=120)
    finally:
        h.kill()
        h.wait()
    assert p.returncode in (0, 1), err.decode("utf-8")
