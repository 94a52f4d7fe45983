"""Issue 18: a register kept the way a clerk keeps it is read as she keeps it, or refused
with a message that says why — never a false all-clear."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from clerk_books import AS_OF, EXPECTED, HEADERS, NOTE_ROW, TOTAL_ROW, cells_of, clerk_register
from conftest import huitan
from huitan_xl import schema
from huitan_xl.read import STRICT_SHEETS, read_workbook


def run_json(*args) -> tuple[int, dict, str]:
    proc = huitan(*map(str, args), "--json")
    out = proc.stdout.decode("utf-8")
    return proc.returncode, (json.loads(out) if out.strip() else {}), proc.stderr.decode("utf-8")


def tickets_of(out: dict) -> dict[str, tuple]:
    return {t["id"]: (t["state"], date.fromisoformat(t["deadline"]) if t["deadline"] else None, t["days_overdue"])
            for t in out["tickets"]}


def test_clerk_register_states_and_deadlines_computed_by_hand(tmp_path):
    path = clerk_register(tmp_path / "台账.xlsx")
    code, out, err = run_json("overdue", path, "--as-of", AS_OF, "--dry-run")
    assert code == 1, err  # 待商定 is an R01 error
    assert tickets_of(out) == EXPECTED
    assert out["counts"] == {"待答复": 1, "按期答复": 2, "逾期未答复": 3, "逾期答复": 1}
    assert [(f["code"], f["row"], f["column"]) for f in out["findings"]] == [
        ("T04", 7, "是否解决"),  # 部分解决: answered, not resolved
        ("R01", 10, "办理时限"),  # 待商定
    ] or sorted((f["code"], f["row"]) for f in out["findings"]) == [("R01", 10), ("T04", 7)]


def test_clerk_register_summary_counts_skipped_rows_and_unread_headers(tmp_path):
    path = clerk_register(tmp_path / "台账.xlsx")
    proc = huitan("overdue", path, "--as-of", AS_OF, "--dry-run")
    text = proc.stdout.decode("utf-8")
    assert "承办单 7 件，逾期未答复 3 件" in text
    assert f"「诉求台账」跳过非记录行：合计行 1 行（第{TOTAL_ROW}行）；注释行 1 行（第{NOTE_ROW}行）。" in text
    assert "「诉求台账」未识别、未读取的列：备注（" in text


def test_vertical_merge_gives_every_row_the_talk_date(tmp_path):
    regs = read_workbook(clerk_register(tmp_path / "台账.xlsx"))
    assert [it.talk_date for it in regs.items] == [date(2026, 9, 9)] * 3 + [date(2026, 11, 4)] * 2 + [
        date(2026, 9, 9), date(2026, 11, 20)]
    assert [it.src.row for it in regs.items] == [4, 5, 6, 7, 8, 9, 10]


def test_clerk_values_read_as_meant(tmp_path):
    regs = read_workbook(clerk_register(tmp_path / "台账.xlsx"))
    it = {i.id: i for i in regs.items}
    assert it["2"].assigned == date(2026, 9, 10) and it["2"].deadline == date(2026, 10, 22)
    assert it["4"].replied == date(2026, 11, 5) and it["5"].assigned == date(2026, 11, 5)
    assert it["1"].deadline is None and it["1"].deadline_offset == (5, True)
    assert [it[k].resolved for k in "146"] == [True, False, True]
    assert [it[k].satisfaction for k in "146"] == ["满意", "基本满意", "基本满意"]
    assert it["1"].department == "后勤服务中心" and it["1"].head == "王科长"  # 责任单位 / 责任人
    assert it["1"].reply == "已增加锅炉" and it["1"].content == "澡堂热水不足"
    assert it["1"].proposer == "张三" and it["1"].tag == "生活后勤"


@pytest.mark.parametrize("name", ["2026年", "诉求台帐", "八级慧谈诉求台账", "Sheet1", "诉求 台账"])
def test_register_on_a_sheet_named_otherwise_is_found_by_init_and_jobs(tmp_path, name):
    path = clerk_register(tmp_path / "台账.xlsx", sheet=name)
    proc = huitan("init", path)
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    wb = openpyxl.load_workbook(path)
    assert "诉求台账" not in wb.sheetnames or name.replace(" ", "") == "诉求台账"
    assert wb.sheetnames.count(name) == 1 and len([n for n in wb.sheetnames if "诉求" in n]) <= 1
    code, out, err = run_json("overdue", path, "--as-of", AS_OF, "--dry-run")
    assert code == 1, err
    assert tickets_of(out) == EXPECTED


def test_init_prints_and_records_the_column_map(tmp_path):
    path = clerk_register(tmp_path / "台账.xlsx", sheet="2026年")
    proc = huitan("init", path)
    text = proc.stdout.decode("utf-8")
    assert "诉求台账 → 工作表「2026年」（按表头识别，表头在第3行）" in text
    assert "交办时间→交办日期" in text and "责任单位→承办部门" in text and "办理时限→答复时限" in text
    assert "所在单位→提出人单位" in text and "保持原样、不读取的列：备注" in text
    assert "未找到的字段：" in text and "场次编号" in text
    ws = openpyxl.load_workbook(path)["列名对照"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5, max_col=5)]
    assert ["诉求台账", "2026年", "交办时间", "交办日期", "同义列名"] in rows
    assert ["诉求台账", "2026年", "慧谈日期", "慧谈日期", "列名相同"] in rows
    assert ["诉求台账", "2026年", "备注", None, "未识别，保持原样"] in rows


def test_init_after_a_run_does_not_list_the_tools_own_columns_as_hers(tmp_path):
    """validate wrote 校验提示 and overdue 状态（系统） beside her own 状态: re-running init lists
    neither as a column of hers nor proposes 校验提示 as 风险提示."""
    path = clerk_register(tmp_path / "台账.xlsx", own_state=True)
    assert huitan("overdue", path, "--as-of", AS_OF).returncode == 1
    assert huitan("validate", path, "--as-of", AS_OF).returncode == 1
    text = huitan("init", path).stdout.decode("utf-8")
    assert "  保持原样、不读取的列：备注、状态\n" in text  # her 状态 is hers, the tool's columns are not listed
    assert "校验提示" not in text and "状态（系统）" not in text and "逾期天数" not in text
    assert "可能对应" not in text


def test_a_corrected_column_map_is_what_the_jobs_read(tmp_path):
    path = clerk_register(tmp_path / "台账.xlsx", sheet="2026年")
    assert huitan("init", path).returncode == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["列名对照"]
    for r in ws.iter_rows(min_row=5):
        if r[2].value in ("办理时限", "办理结果"):  # she says: neither the deadline nor the reply
            r[3].value = None
        if r[2].value == "备注":  # and 备注 holds the reply
            r[3].value = "答复意见"
    wb.save(path)
    regs = read_workbook(path, strict=STRICT_SHEETS)
    it = {i.id: i for i in regs.items}
    assert it["2"].deadline is None and it["1"].deadline_offset is None
    assert {"办理时限", "办理结果"} <= set(regs.reading[schema.ITEMS].unmapped)
    assert regs.reading[schema.ITEMS].mapped["答复意见"] == "备注"
    # 3 again: 2026-09-10 + 5 working days = 09-17 for ticket 2 now
    code, out, _ = run_json("overdue", path, "--as-of", AS_OF, "--dry-run")
    assert tickets_of(out)["2"] == ("逾期未答复", date(2026, 9, 17), 68)


def test_no_assignment_and_no_deadline_column_is_exit_2_naming_candidates(tmp_path):
    heads = [h if h not in ("交办时间", "办理时限") else {"交办时间": "交办时刻", "办理时限": "时限要求"}[h]
             for h in HEADERS]
    path = clerk_register(tmp_path / "台账.xlsx", headers=heads)
    before = path.read_bytes()
    for job in (["overdue"], ["validate"], ["report", "--month", "2026-10"], ["deductions", "--period", "2026Q4"],
                ["assess", "--year", "2026"]):
        proc = huitan(*job[:1], path, *job[1:], "--as-of", AS_OF)
        err = proc.stderr.decode("utf-8") + proc.stdout.decode("utf-8")
        assert proc.returncode == 2, (job, err)
        assert "未找到「交办日期」、「答复时限」中的任何一列" in err
        assert "「交办日期」——「交办时刻」是不是？" in err
        assert "可在「列名对照」表中指定" in err
        assert path.read_bytes() == before


def test_overdue_and_validate_agree_on_a_register_without_an_id_column(tmp_path):
    heads = [h if h != "序号" else "行" for h in HEADERS]
    path = clerk_register(tmp_path / "台账.xlsx", headers=heads)
    codes = {job: huitan(job, path, "--as-of", AS_OF).returncode for job in ("overdue", "validate")}
    assert codes == {"overdue": 2, "validate": 2}


def test_empty_register_sheet_beside_a_sheet_that_looks_like_one_is_an_error(tmp_path):
    path = clerk_register(tmp_path / "台账.xlsx", sheet="2026年",
                          extra_sheets={"诉求台账": [["编号", "交办日期", "答复时限", "答复日期"]]})
    proc = huitan("overdue", path, "--as-of", AS_OF)
    assert proc.returncode == 2
    assert "「诉求台账」没有数据，而工作表「2026年」看起来是诉求台账" in proc.stderr.decode("utf-8")


def test_no_register_anywhere_names_the_sheets_and_headers(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "花名册表"
    wb.active.append(["甲", "乙", "丙"])
    wb.save(tmp_path / "x.xlsx")
    proc = huitan("overdue", tmp_path / "x.xlsx", "--as-of", AS_OF)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2
    assert "找不到诉求台账" in err and "「花名册表」（甲、乙、丙）" in err


@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_init_refuses_xls_and_et_names(tmp_path, suffix):
    path = tmp_path / f"台账{suffix}"
    proc = huitan("init", path)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2 and not path.exists()
    assert "另存为" in err and "Excel" in err and "WPS" in err


@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_an_xlsx_under_an_xls_or_et_name_is_read_by_init_and_jobs_alike(tmp_path, suffix):
    """Issue 18 §8: the format is taken from the content everywhere — init maps her register
    and records 列名对照 in it, and overdue reads it to the states computed by hand."""
    path = clerk_register(tmp_path / "台账.xlsx", sheet="2026年").rename(tmp_path / f"台账{suffix}")
    before = cells_of(path)["2026年"]
    proc = huitan("init", path)
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    assert "诉求台账 → 工作表「2026年」" in proc.stdout.decode("utf-8")
    assert "列名对照" in cells_of(path)
    code, out, err = run_json("overdue", path, "--as-of", AS_OF)
    assert code == 1, err
    assert tickets_of(out) == EXPECTED
    after = cells_of(path)["2026年"]
    assert {k: v for k, v in after.items() if k in before} == before


@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_a_real_xls_or_et_is_refused_by_init_and_jobs_alike(tmp_path, suffix):
    """Old binary content (an OLE compound file) under .xls / .et: init gives the Excel / WPS
    另存为 message, every job exit 2; the file is untouched."""
    path = tmp_path / f"台账{suffix}"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4088)
    before = path.read_bytes()
    proc = huitan("init", path)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2
    assert "另存为" in err and "Excel" in err and "WPS" in err and ".xlsx" in err
    for job in ("overdue", "validate"):
        assert huitan(job, path, "--as-of", AS_OF).returncode == 2
    assert path.read_bytes() == before


def test_init_on_a_clerk_register_changes_no_cell_of_hers(tmp_path):
    path = clerk_register(tmp_path / "台账.xlsx", sheet="2026年")
    before = cells_of(path)
    assert huitan("init", path).returncode == 0
    after = cells_of(path)
    assert after["2026年"] == before["2026年"]
    assert set(after) - set(before) >= {"列名对照"}


def test_one_finding_per_bad_cell_no_t03_after_r01(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "诉求台账"
    ws.append(["编号", "交办日期", "答复时限", "答复日期"])
    ws.append(["A1", "九月十日", None, None])
    wb.save(tmp_path / "t.xlsx")
    code, out, _ = run_json("overdue", tmp_path / "t.xlsx", "--as-of", AS_OF, "--dry-run")
    assert [(f["code"], f["row"], f["column"]) for f in out["findings"]] == [("R01", 2, "交办日期")]



def test_validate_on_a_register_alone_says_what_it_cannot_check(tmp_path):
    """Her workbook holds only 诉求台账: no coverage figures of 0/0 and no S12 per level and
    quarter claiming no talk was held — one line and one finding saying what cannot be checked."""
    path = clerk_register(tmp_path / "台账.xlsx")
    proc = huitan("validate", path, "--as-of", AS_OF)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 1  # the R01 of 待商定
    assert "覆盖率：职工名册没有人员，无法计算各层级的覆盖率\n" in out and "0/0" not in out
    assert out.count("[警告 S12]") == 1
    assert ("[警告 S12] 慧谈场次 「日期」：诉求台账中记有 3 个慧谈日期（2026-09-09 至 2026-11-20），"
            "但慧谈场次表没有登记任何一场慧谈") in out
