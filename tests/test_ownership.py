"""Issue 18 §6 / issue 12 §3: the tool owns what its durable mark says — her 状态 column and
her 考核扣分 sheet are never written."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from clerk_books import AS_OF, EXPECTED, cells_of, clerk_register
from conftest import PROBE, huitan, type_rows
from huitan_xl import ownership, schema


def header(path, sheet="诉求台账", row=3):
    ws = openpyxl.load_workbook(path)[sheet]
    return [c.value for c in ws[row]]


def column(path, name, sheet="诉求台账", row=3):
    ws = openpyxl.load_workbook(path)[sheet]
    j = [c.value for c in ws[row]].index(name)
    return [ws.cell(r, j + 1).value for r in range(row + 1, row + 8)]


@pytest.mark.parametrize("values", [
    ["已解决", "待解决"] * 3 + ["已解决"],  # her own words
    [None] * 7,  # still empty: not adopted on the first run
    ["待答复", None, "按期答复", None, None, "待答复", None],  # only words the tool also writes
], ids=["her-words", "empty", "tool-words"])
def test_her_state_column_is_never_written_and_the_tool_says_where_it_wrote(tmp_path, values):
    """Her 状态 column is never written. Migration: a lone 状态 column is hers even when empty or
    holding tool words — the tool's 状态 has always stood in its block (状态 | 应答复日期 | 逾期天数 | 督办提示,
    or 状态 | 逾期天数 | 督办提示 before 应答复日期)."""
    path = clerk_register(tmp_path / "台账.xlsx", own_state=values)
    assert column(path, "状态") == values
    before = cells_of(path)["诉求台账"]
    proc = huitan("overdue", path, "--as-of", AS_OF)
    assert proc.returncode == 1
    assert "已有您自己的「状态」列，程序不改动它；程序的结果写在「状态（系统）」列（第17列）" in proc.stdout.decode("utf-8")
    assert header(path)[14:] == ["备注", "状态", "状态（系统）", "应答复日期", "逾期天数", "督办提示"]
    assert column(path, "状态") == values
    assert column(path, "状态（系统）") == [EXPECTED[str(i)][0] for i in range(1, 8)]
    assert [d.date() for d in column(path, "应答复日期")] == [EXPECTED[str(i)][1] for i in range(1, 8)]
    assert column(path, "逾期天数") == [EXPECTED[str(i)][2] for i in range(1, 8)]
    after = cells_of(path)["诉求台账"]
    assert {k: v for k, v in after.items() if k[0] not in "QRST"} == before  # every cell of hers as it was
    assert ownership.read_marks(path).columns["诉求台账"] == {"状态": 17, "应答复日期": 18, "逾期天数": 19, "督办提示": 20}


def test_legacy_block_rule():
    h = ["编号", "交办日期", "状态", "逾期天数", "督办提示"]
    assert ownership.legacy_owned(h, schema.ITEMS, [["A", "", "", "", ""]]) == {2: "状态", 3: "逾期天数", 4: "督办提示"}
    # the block out of order, or broken by a column of hers: none of it is the tool's
    assert ownership.legacy_owned(["编号", "逾期天数", "状态", "督办提示"], schema.ITEMS, [["A", "", "", ""]]) == {}
    assert ownership.legacy_owned(["编号", "状态", "备注", "逾期天数", "督办提示"], schema.ITEMS,
                                  [["A", "", "", "", ""]]) == {}
    # inside the block a value the tool never writes keeps that column hers (the rest is the tool's)
    assert ownership.legacy_owned(h, schema.ITEMS, [["A", "", "待解决", 3, "催办"]]) == {3: "逾期天数", 4: "督办提示"}
    # the block with 应答复日期 (dates) is the tool's; a lone 应答复日期 of hers stays hers
    four = ["编号", "状态", "应答复日期", "逾期天数", "督办提示"]
    assert ownership.legacy_owned(four, schema.ITEMS, [["A", "待答复", datetime(2026, 11, 9), "", ""]]) == {
        1: "状态", 2: "应答复日期", 3: "逾期天数", 4: "督办提示"}
    assert ownership.legacy_owned(four, schema.ITEMS, [["A", "待答复", "11月9日", "", ""]]) == {
        1: "状态", 3: "逾期天数", 4: "督办提示"}  # text under 应答复日期: not a value the tool writes
    assert ownership.legacy_owned(["编号", "应答复日期"], schema.ITEMS, [["A", datetime(2026, 11, 9)]]) == {}
    # 校验提示 and the topic columns stand alone: by name and values
    assert ownership.legacy_owned(["编号", "校验提示"], schema.ITEMS, [["A", "R01「交办日期」"]]) == {1: "校验提示"}
    assert ownership.legacy_owned(["编号", "奖励金额"], schema.SUGGESTIONS, [["S1", 200]]) == {}
    assert ownership.legacy_owned(["编号", "奖励金额", "奖励季度"], schema.SUGGESTIONS, [["S1", 200, "2026Q3"]]) == {
        1: "奖励金额", 2: "奖励季度"}


def test_second_run_finds_the_tools_column_by_its_mark(tmp_path):
    path = clerk_register(tmp_path / "台账.xlsx", own_state=True)
    assert huitan("overdue", path, "--as-of", AS_OF).returncode == 1
    first = path.read_bytes()
    assert huitan("overdue", path, "--as-of", AS_OF).returncode == 1
    assert header(path)[15:] == ["状态", "状态（系统）", "应答复日期", "逾期天数", "督办提示"]  # no second copy
    (tmp_path / "first.xlsx").write_bytes(first)
    probe = subprocess.run([sys.executable, str(PROBE), str(tmp_path / "first.xlsx"), str(path)],
                           capture_output=True)
    if PROBE.exists():
        assert probe.returncode == 0, probe.stdout.decode("utf-8", "replace")


def test_a_renamed_tool_column_is_still_the_tools_and_hers_stays_hers(tmp_path):
    path = clerk_register(tmp_path / "台账.xlsx", own_state=True)
    assert huitan("overdue", path, "--as-of", AS_OF).returncode == 1
    wb = openpyxl.load_workbook(path)
    ws = wb["诉求台账"]
    ws.cell(3, 17).value = "系统状态"  # she renames the tool's header; the mark stays on Q3
    wb.save(path)
    assert "_huitan.col.state" in zipfile.ZipFile(path).read("xl/workbook.xml").decode("utf-8")
    assert huitan("overdue", path, "--as-of", AS_OF).returncode == 1
    assert header(path)[15:] == ["状态", "系统状态", "应答复日期", "逾期天数", "督办提示"]
    assert column(path, "系统状态") == [EXPECTED[str(i)][0] for i in range(1, 8)]
    assert column(path, "状态") == ["已解决", "待解决"] * 3 + ["已解决"]


@pytest.mark.parametrize("name,values", [("逾期天数", ["三天", None, "五天", None, None, None, None]),
                                         ("督办提示", ["已催", "电话催办", None, None, None, None, None]),
                                         ("应答复日期", [datetime(2026, 9, 20), None, datetime(2026, 10, 30),
                                                    None, None, None, datetime(2026, 12, 1)])])
def test_her_other_owned_named_columns_are_left_alone(tmp_path, name, values):
    path = clerk_register(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["诉求台账"]
    ws.cell(3, 16).value = name
    for i, v in enumerate(values):
        ws.cell(4 + i, 16).value = v
    wb.save(path)
    assert huitan("overdue", path, "--as-of", AS_OF).returncode == 1
    assert column(path, name) == values
    assert name + "（系统）" in header(path)


def test_template_registers_keep_their_owned_columns_on_first_run(tmp_path):
    """Migration: an unmarked 状态 column holding only what the tool writes is the tool's."""
    path = tmp_path / "台账.xlsx"
    assert huitan("init", path).returncode == 0
    type_rows(path, schema.ITEMS, [{"编号": "A-1", "现场答复": "否", "交办日期": date(2026, 11, 2)}])
    assert huitan("overdue", path, "--as-of", AS_OF).returncode == 0
    heads = header(path, row=1)
    assert heads.count("状态") == 1 and "状态（系统）" not in heads
    assert ownership.read_marks(path).columns["诉求台账"]["状态"] == heads.index("状态") + 1
    # 2026-11-02 (Mon) + 5 working days = 11-09; open on 11-24 -> 逾期未答复
    assert column(path, "状态", row=1)[0] == "逾期未答复"


def test_her_sheet_bearing_a_tool_name_is_left_alone_and_kept_in_the_backup(tmp_path):
    path = tmp_path / "台账.xlsx"
    assert huitan("init", path).returncode == 0
    type_rows(path, schema.ITEMS, [{"编号": "A-1", "现场答复": "否", "承办部门": "机电科",
                                    "交办日期": date(2026, 11, 2)}])
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("考核扣分")
    ws.append(["部门", "扣分", "说明"])
    ws.append(["机电科", -3, "手工记录：十月例会缺席"])
    wb.save(path)
    hers = cells_of(path)["考核扣分"]
    for run in range(2):
        proc = huitan("deductions", path, "--period", "2026-11", "--as-of", AS_OF)
        assert proc.returncode == 0, proc.stderr.decode("utf-8")
        assert "已有您自己的工作表「考核扣分」，程序不改动它；程序的「考核扣分」写在工作表「考核扣分（系统）」中" in \
            proc.stdout.decode("utf-8")
        names = openpyxl.load_workbook(path).sheetnames
        assert names.count("考核扣分") == 1 and "考核扣分（系统）" in names and "考核扣分（系统2）" not in names
        assert cells_of(path)["考核扣分"] == hers
        assert cells_of(path.with_name("台账.bak.xlsx"))["考核扣分"] == hers
    assert ownership.read_marks(path).sheets[schema.DEDUCTIONS_SHEET] == "考核扣分（系统）"


def test_sheet_target_rules():
    m = ownership.Marks()
    assert ownership.sheet_target("考核扣分", ["诉求台账"], m, False) == "考核扣分"
    assert ownership.sheet_target("考核扣分", ["考核扣分"], m, False) == "考核扣分（系统）"
    assert ownership.sheet_target("考核扣分", ["考核扣分"], m, True) == "考核扣分"  # the old version wrote it
    marked = ownership.Marks(sheets={"考核扣分": "扣分明细"})
    assert ownership.sheet_target("考核扣分", ["考核扣分", "扣分明细"], marked, True) == "扣分明细"
    others = ownership.Marks(sheets={"逾期督办": "逾期督办"})
    assert ownership.sheet_target("考核扣分", ["考核扣分", "逾期督办"], others, True) == "考核扣分（系统）"


@pytest.mark.parametrize("area, first", [("A1:O14", 16), ("A1:T14", 21), ("A3:C10,A1:Q2", 18)])
def test_owned_columns_go_after_her_print_area_which_is_not_widened(tmp_path, area, first):
    """Her print area is hers: the tool's columns are placed after it (and after her last
    column, O = 15), so they never print inside it, and the print area stays as she set it."""
    path = clerk_register(tmp_path / "台账.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["诉求台账"].print_area = area
    wb.save(path)
    before = openpyxl.load_workbook(path)["诉求台账"].print_area
    assert huitan("overdue", path, "--as-of", AS_OF).returncode == 1
    ws = openpyxl.load_workbook(path)["诉求台账"]
    assert ws.print_area == before
    heads = [c.value for c in ws[3]]
    assert heads[first - 1:first + 3] == list(schema.ITEM_OWNED)
    assert all(v is None for v in heads[15:first - 1])  # nothing written between her table and the tools
    assert ownership.read_marks(path).columns["诉求台账"] == {"状态": first, "应答复日期": first + 1,
                                                          "逾期天数": first + 2, "督办提示": first + 3}
    # a second run finds the same columns by their marks and still leaves the print area alone
    assert huitan("overdue", path, "--as-of", AS_OF).returncode == 1
    ws = openpyxl.load_workbook(path)["诉求台账"]
    assert ws.print_area == before and [c.value for c in ws[3]][first - 1:first + 3] == list(schema.ITEM_OWNED)


def test_print_area_last_column():
    assert ownership.print_area_last_column("'诉求台账'!$A$1:$O$20") == 15
    assert ownership.print_area_last_column("'诉求台账'!$A$1:$O$20,'诉求台账'!$A$30:$Q$40") == 17
    assert ownership.print_area_last_column("诉求台账!$A:$AB") == 28
    assert ownership.print_area_last_column("诉求台账!$1:$20") == 0
    assert ownership.print_area_last_column("Sheet1!$C$5") == 3
