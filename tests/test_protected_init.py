"""Issue 18 §7: `huitan init` on a structure-protected workbook (保护工作簿结构) adds no sheet —
not to the workbook, which refuses them, nor to a companion NAME.huitan.xlsx, which no job
reads. Without an 诉求台账 among her sheets it exits 2 with the advice every job gives; with
one it says what could not be added and that every job maps her sheets the same way without
列名对照 (proved below against what init printed). End to end through the in-process CLI."""
from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest
from openpyxl.workbook.protection import WorkbookProtection

from clerk_books import AS_OF, EXPECTED, REGISTER_JOBS, cells_of, clerk_register, meeting_list, protect
from conftest import run_cli

JOBS = REGISTER_JOBS


def advice(name: str) -> str:
    return (f"工作簿「{name}」的结构受保护（保护工作簿结构），程序不能在其中添加工作表。可以：在 Excel 或 WPS 中"
            "“审阅 → 保护工作簿”取消结构保护，然后重新运行 huitan init；或者把台账放在现有的某张工作表中、"
            "写好能识别的表头，各任务按表头找到它。工作簿未改动。")




def files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_init_without_a_register_in_a_protected_workbook_exits_2_and_writes_nothing(tmp_path):
    path = protect(meeting_list(tmp_path / "会议.xlsx"))
    before = path.read_bytes()
    proc = run_cli("init", path)
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert proc.stderr.decode("utf-8") == (
        "错误：工作簿「会议.xlsx」中找不到诉求台账：没有名为「诉求台账」的工作表，也没有哪张表的表头像诉求台账"
        "（需有「编号」列，且至少 3 列是诉求台账的列，如「内容」「承办部门」「交办日期」「答复时限」或其常用别名）。现有工作表：「会议安排」（会议名称、时间、地点）。" + advice("会议.xlsx") + "\n")
    assert path.read_bytes() == before
    assert files(tmp_path) == ["会议.xlsx"]  # no companion, no backup


@pytest.mark.parametrize("job", JOBS, ids=[j[0] for j in JOBS])
def test_every_job_on_a_protected_workbook_without_its_register_names_the_protection(tmp_path, job):
    path = protect(meeting_list(tmp_path / "会议.xlsx"))
    before = path.read_bytes()
    proc = run_cli(job[0], path, *job[1:], "--as-of", AS_OF)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, err
    register = "合理化建议" if job[0] == "rewards" else "诉求台账"
    assert err.startswith(f"错误：工作簿「{path}」中找不到{register}：")
    assert err.endswith("现有工作表：「会议安排」（会议名称、时间、地点）。" + advice("会议.xlsx") + "\n")
    assert path.read_bytes() == before
    assert files(tmp_path) == ["会议.xlsx"]


def test_rewards_on_a_protected_register_without_suggestions_names_the_protection(tmp_path):
    # 诉求台账 is found (sheet 2026年), 合理化建议 is nowhere and cannot be added
    path = protect(clerk_register(tmp_path / "台账.xlsx", sheet="2026年"))
    before = path.read_bytes()
    proc = run_cli("rewards", path, "--quarter", "2026Q3", "--as-of", AS_OF)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2
    assert f"错误：工作簿「{path}」中找不到合理化建议：" in err and err.endswith(advice("台账.xlsx") + "\n")
    assert path.read_bytes() == before and files(tmp_path) == ["台账.xlsx"]


def test_init_on_a_protected_clerk_register_adds_nothing_and_says_what_the_jobs_read(tmp_path):
    path = protect(clerk_register(tmp_path / "台账.xlsx", sheet="2026年"))
    before = path.read_bytes()
    proc = run_cli("init", path)
    out = proc.stdout.decode("utf-8").splitlines()
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    assert out[0] == "诉求台账 → 工作表「2026年」（按表头识别，表头在第3行）"
    assert "  保持原样、不读取的列：备注" in out
    assert out[-3:] == [
        "工作簿「台账.xlsx」的结构受保护（保护工作簿结构），不能添加工作表，以下工作表未添加：说明、层级、部门、职工名册、"
        "慧谈场次、参会人员、合理化建议、报告报送、考核事项、规则配置、节假日、主题词表。各任务读取您已有的工作表"
        "（按上面的对照）；未添加的表按空表处理，层级和规则配置用默认值。如需添加，请在 Excel 或 WPS 中"
        "“审阅 → 保护工作簿”取消结构保护后重新运行 huitan init。",
        "「列名对照」表也不能添加：各任务每次运行时按同样的方法自动识别工作表和列，读取的与上面的对照相同；"
        "如需修改对照，请取消结构保护后重新运行 huitan init。",
        f"{path} 的结构受保护，未添加工作表，未作改动。"]
    assert not any("已记录在「列名对照」" in line for line in out)  # it is not
    assert path.read_bytes() == before
    assert files(tmp_path) == ["台账.xlsx"]


def test_a_job_without_the_column_map_reads_the_sheet_and_columns_init_printed(tmp_path):
    from huitan_xl import read, schema

    path = protect(clerk_register(tmp_path / "台账.xlsx", sheet="2026年"))
    out = run_cli("init", path).stdout.decode("utf-8").splitlines()
    renamed = next(line for line in out if line.startswith("  按对应字段读取："))
    same = next(line for line in out if line.startswith("  列名相同："))
    printed = dict(pair.split("→") for pair in renamed.split("：", 1)[1].split("、"))  # her header -> field
    printed.update({h: h for h in same.split("：", 1)[1].split("、")})
    regs = read.read_workbook(path)
    assert regs.located[schema.ITEMS] == "2026年"
    assert {her: field for field, her in regs.reading[schema.ITEMS].mapped.items()} == printed
    assert printed["交办时间"] == "交办日期" and printed["办理时限"] == "答复时限"
    proc = run_cli("overdue", path, "--as-of", AS_OF, "--dry-run", "--json")
    assert proc.returncode == 1  # 待商定 is an R01 error
    tickets = json.loads(proc.stdout.decode("utf-8"))["tickets"]
    assert {t["id"]: (t["state"], date.fromisoformat(t["deadline"]) if t["deadline"] else None, t["days_overdue"])
            for t in tickets} == EXPECTED


def test_a_protected_workbook_keeps_its_column_map_up_to_date_in_place(tmp_path):
    # init ran before the structure was protected: 列名对照 exists and can be rewritten in place;
    # she then adds a 督办人 column: init records it there, adds no sheet, writes no companion
    path = clerk_register(tmp_path / "台账.xlsx", sheet="2026年")
    assert run_cli("init", path).returncode == 0
    wb = openpyxl.load_workbook(path)
    wb["2026年"]["P3"] = "督办人"
    wb["2026年"]["P4"] = "刘主任"
    wb.security = WorkbookProtection(lockStructure=True)
    wb.save(path)
    (tmp_path / "台账.bak.xlsx").unlink()
    before = cells_of(path)
    proc = run_cli("init", path)
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    assert proc.stdout.decode("utf-8").splitlines()[-1] == f"已在 {path} 中记录「列名对照」表，未改动其他内容。"
    after = cells_of(path)
    assert list(after) == list(before)  # the same sheets, in the same order
    assert {k: v for k, v in after.items() if k != "列名对照"} == {k: v for k, v in before.items() if k != "列名对照"}
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path)["列名对照"].iter_rows(min_row=5)]
    assert ["诉求台账", "2026年", "督办人", "督办员", "同义列名"] in rows
    assert files(tmp_path) == ["台账.bak.xlsx", "台账.xlsx"]
