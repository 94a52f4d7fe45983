"""Periods that have not ended, through the real command: rewards refuse (exit 2, Chinese,
nothing written) unless --force; reports and reviews say 「截至 D，…未结束」 in the title and the terminal."""
import json
from datetime import date

import openpyxl

from conftest import huitan, type_rows
from huitan_xl import schema


def register(tmp_path):
    book = tmp_path / "台账.xlsx"
    assert huitan("init", book).returncode == 0
    # 良好 200 yuan, reviewed in 2026Q4; one ticket of October so the report has content
    type_rows(book, schema.SUGGESTIONS, [
        {"编号": "J-1", "提出人": "王五", "是否采纳": "是", "实施情况": "已实施", "评审季度": "2026Q4",
         "应用效果": "良好", "建议内容": "错峰打饭"}])
    type_rows(book, schema.ITEMS, [
        {"编号": "T-1", "类别": "职工诉求", "现场答复": "否", "承办部门": "机电科", "督办员": "王督办",
         "交办日期": date(2026, 10, 12), "答复时限": date(2026, 10, 16)}])
    return book


def test_rewards_for_an_unfinished_quarter_are_refused_unless_forced(tmp_path):
    book = register(tmp_path)
    before = book.read_bytes()
    proc = huitan("rewards", book, "--quarter", "2026Q4", "--as-of", "2026-12-02")
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2
    assert "2026年第四季度尚未结束（截至 2026-12-02，季度未结束，季度末为 2026-12-31）" in err and "--force" in err
    assert book.read_bytes() == before  # nothing paid, no 奖励季度 stamped, no run-log line

    proc = huitan("rewards", book, "--quarter", "2026Q4", "--as-of", "2026-12-02", "--force", "--json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout.decode("utf-8"))["counts"]["amount"] == 200
    wb = openpyxl.load_workbook(book)
    assert wb[schema.REWARDS_SHEET]["A1"].value == "季度奖励（截至 2026-12-02，季度未结束）"

    proc = huitan("rewards", book, "--quarter", "2026Q4", "--as-of", "2026-12-02", "--force")
    assert "注意：截至 2026-12-02，季度未结束，按 --force 提前核算。" in proc.stdout.decode("utf-8")
    # once the quarter is over no --force is needed
    assert huitan("rewards", book, "--quarter", "2026Q4", "--as-of", "2027-01-04").returncode == 0


def test_report_of_october_on_december_2_says_the_quarter_is_not_over(tmp_path):
    book = register(tmp_path)
    proc = huitan("report", book, "--month", "2026-10", "--as-of", "2026-12-02")
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    assert "注意：2026年第四季度评审（截至 2026-12-02，季度未结束），数字只统计到 2026-12-02。" in out
    assert "月度分析（" not in out  # October itself has ended
    wb = openpyxl.load_workbook(book)
    assert wb[schema.MONTHLY_SHEET]["A1"].value == "2026年10月职工思想动态分析报告"
    assert wb[schema.QUARTERLY_SHEET]["A1"].value == "2026年第四季度评审（截至 2026-12-02，季度未结束）"
    months = [wb[schema.QUARTERLY_SHEET].cell(r, 1).value for r in range(1, 12)]
    assert "2026-10" in months and "2026-11" in months and "2026-12" in months  # December has begun

    proc = huitan("assess", book, "--year", "2026", "--as-of", "2026-12-02")
    assert "注意：截至 2026-12-02，年度未结束，考核只统计到 2026-12-02。" in proc.stdout.decode("utf-8")
    assert openpyxl.load_workbook(book)[schema.ANNUAL_SHEET]["A1"].value == "年度考核（截至 2026-12-02，年度未结束）"
