"""Issue 18 §3 / §7: no job reports an empty register as clean. A workbook holding no register
at all is exit 2 from every job (validate too); a structure-protected workbook says why its
registers cannot be added; registers she typed into the companion NAME.huitan.xlsx (where an
older init put the input sheets) are never silently ignored or overwritten: every job refuses,
naming them, and nothing is written."""
from __future__ import annotations

import json

import openpyxl
import pytest

from clerk_books import AS_OF, EXPECTED, REGISTER_JOBS, clerk_register, meeting_list, protect
from conftest import huitan

JOBS = REGISTER_JOBS


@pytest.mark.parametrize("job", JOBS, ids=[j[0] for j in JOBS])
def test_a_workbook_without_any_register_is_exit_2_from_every_job(tmp_path, job):
    path = meeting_list(tmp_path / "会议.xlsx")
    before = path.read_bytes()
    proc = huitan(job[0], str(path), *job[1:], "--as-of", str(AS_OF))
    err = proc.stderr.decode("utf-8") + proc.stdout.decode("utf-8")
    assert proc.returncode == 2, err
    assert "中找不到" in err and "「会议安排」（会议名称、时间、地点）" in err  # 诉求台账 (合理化建议 for rewards)
    assert "结构受保护" not in err
    assert path.read_bytes() == before


def test_protected_workbook_without_a_register_says_why(tmp_path):
    path = protect(meeting_list(tmp_path / "会议.xlsx"))
    before = path.read_bytes()
    proc = huitan("validate", str(path), "--as-of", str(AS_OF))
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2
    assert ("工作簿「会议.xlsx」的结构受保护（保护工作簿结构），程序不能在其中添加工作表。可以：在 Excel 或 WPS 中"
            "“审阅 → 保护工作簿”取消结构保护，然后重新运行 huitan init；") in err
    assert path.read_bytes() == before and not (tmp_path / "会议.huitan.xlsx").exists()


def test_protected_clerk_register_is_read_and_reruns_keep_working(tmp_path):
    # her register is in the workbook: states as computed by hand; the tool's sheets go to the
    # companion, and the companion (tool sheets only) does not stop the next run
    path = protect(clerk_register(tmp_path / "台账.xlsx"))
    for _ in range(2):
        proc = huitan("overdue", str(path), "--as-of", str(AS_OF), "--json")
        assert proc.returncode == 1, proc.stderr.decode("utf-8")
        out = json.loads(proc.stdout.decode("utf-8"))
        assert {t["id"]: t["state"] for t in out["tickets"]} == {k: v[0] for k, v in EXPECTED.items()}
    assert "逾期督办" in openpyxl.load_workbook(tmp_path / "台账.huitan.xlsx").sheetnames


def test_registers_typed_into_the_companion_stop_every_job_and_nothing_is_written(tmp_path):
    path = protect(clerk_register(tmp_path / "台账.xlsx"))
    companion = tmp_path / "台账.huitan.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "职工名册"
    ws.append(["工号", "姓名", "单位"])
    ws.append(["1001", "张三", "综采一队"])
    wb.create_sheet("层级").append(["代码", "层级"])  # init fills 层级 itself: not counted as hers
    wb["层级"].append(["L1", "职工"])
    wb.save(companion)
    before, kept = path.read_bytes(), companion.read_bytes()
    for job in JOBS:
        proc = huitan(job[0], str(path), *job[1:], "--as-of", str(AS_OF))
        err = proc.stderr.decode("utf-8")
        assert proc.returncode == 2, (job, err)
        assert "「台账.huitan.xlsx」中有已登记数据的台账工作表「职工名册」。" in err
        assert "层级" not in err.split("。")[0]
    assert path.read_bytes() == before and companion.read_bytes() == kept


def test_init_on_a_protected_workbook_then_jobs_never_report_clean(tmp_path):
    # init adds no sheet to a protected workbook and, finding no 诉求台账, refuses (no companion);
    # every job then says why (exit 2) — never a clean 0 件 (tests/test_protected_init.py has the texts)
    path = protect(meeting_list(tmp_path / "会议.xlsx"))
    proc = huitan("init", str(path))
    assert proc.returncode == 2
    assert not (tmp_path / "会议.huitan.xlsx").exists()
    for job in JOBS:
        proc = huitan(job[0], str(path), *job[1:], "--as-of", str(AS_OF))
        assert proc.returncode == 2, job
        assert "结构受保护" in proc.stderr.decode("utf-8")
