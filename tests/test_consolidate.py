"""Group consolidation: mines in a folder -> one group workbook (hand-computed figures,
a broken workbook, two mines with one name, an empty folder, agreement with per-mine runs)."""
from __future__ import annotations

import shutil
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_cell_to_rowcol

from conftest import huitan
from huitan_xl import schema
from huitan_xl.consolidate import (GROUP_ERRORS_SHEET, GROUP_SHEET, consolidate, ended_quarters,
                                   mine_files)
from huitan_xl.errors import WorkbookUnusable
from huitan_xl.jobs import run_job
from huitan_xl.read import read_workbook
from huitan_xl.reports.group_sheets import SUMMARY_HEADERS
from huitan_xl.reports.monthly import period_figures, session_index, status_lookup
from huitan_xl.template import README_INPUTS, init_workbook
from huitan_xl.write import Workbook

AS_OF = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, 30)

# 东山: the tickets of test_e2e_overdue (2026 calendar, as of 2026-11-24):
#   T-001 default deadline 2026-10-10 (10-01..10-07 off, Sat 10-10 a make-up day), open -> 逾期未答复, 通报
#   T-002 replied on its deadline -> 按期答复;  T-003 replied 3 days late, solved -> 已办结 (late)
#   T-004 on the spot, undated;  T-005 assigned 11-20, deadline 11-27 -> 待答复
DONGSHAN_ITEMS = [
    {"编号": "T-001", "类别": "职工诉求", "现场答复": "否", "承办部门": "后勤服务中心", "督办员": "王督办",
     "交办日期": date(2026, 9, 28), "内容": "食堂夜班饭菜"},
    {"编号": "T-002", "类别": "问题意见", "现场答复": "否", "承办部门": "机电科", "督办员": "王督办",
     "交办日期": date(2026, 11, 2), "答复时限": date(2026, 11, 6), "答复日期": date(2026, 11, 6),
     "职工满意度": "满意", "内容": "食堂菜价"},
    {"编号": "T-003", "类别": "问题意见", "现场答复": "否", "承办部门": "机电科", "督办员": "李督办",
     "交办日期": date(2026, 11, 2), "答复时限": date(2026, 11, 6), "答复日期": date(2026, 11, 9),
     "是否解决": "是", "是否落实": "是", "职工满意度": "不满意", "内容": "绞车保养"},
    {"编号": "T-004", "类别": "职工诉求", "现场答复": "是", "内容": "班车时间"},
    {"编号": "T-005", "类别": "职工诉求", "现场答复": "否", "承办部门": "通风科", "督办员": "李督办",
     "交办日期": "2026年11月20日", "内容": "通风设备噪音"},
]
DONGSHAN_SUGGESTIONS = [  # J-001: 良好 200 + 创效≥10,000 100 = 300 in 2026Q3; J-002 is Q4 (not ended)
    {"编号": "J-001", "提出人": "张三、李四", "是否采纳": "是", "实施情况": "已实施", "评审季度": "2026Q3",
     "应用效果": "良好", "创效金额": 20000, "建议内容": "运输巷增设声光报警"},
    {"编号": "J-002", "提出人": "王五", "是否采纳": "是", "实施情况": "已实施", "评审季度": "2026Q4",
     "应用效果": "显著", "建议内容": "错峰打饭"},
]
DONGSHAN_ROSTER = [
    {"工号": "00001", "姓名": "张三", "性别": "男", "层级": "职工", "在职状态": "在职"},
    {"工号": "00002", "姓名": "李四", "性别": "男", "层级": "职工", "在职状态": "在职"},
]
DONGSHAN_SESSIONS = [{"场次编号": "HT-01", "日期": date(2026, 3, 5), "类型": "八级慧谈", "层级": "职工"}]
DONGSHAN_ATTENDANCE = [{"场次编号": "HT-01", "工号": "00001", "姓名": "张三"}]

# 西峰: one item answered on the spot, one ticket closed on time, 满意.
XIFENG_ITEMS = [
    {"编号": "X-1", "类别": "职工诉求", "现场答复": "是", "交办日期": date(2026, 6, 1), "内容": "工装尺码"},
    {"编号": "X-2", "类别": "问题意见", "现场答复": "否", "承办部门": "机电科", "督办员": "赵督办",
     "交办日期": date(2026, 6, 1), "答复时限": date(2026, 6, 5), "答复日期": date(2026, 6, 4),
     "职工满意度": "满意", "是否解决": "是", "是否落实": "是", "内容": "更衣室漏水"},
]


def make_mine(path: Path, mine_name: str | None = None, **sheets: list[dict]) -> Path:
    """A register made by init, with rows typed into its sheets (keyword: sheet name)."""
    init_workbook(path)
    wb = Workbook.open(path)
    for sheet, rows in sheets.items():
        headers = [f.header for f in schema.SHEETS[sheet]]
        wb.set_cells(sheet, {(2 + i, headers.index(h) + 1): v
                             for i, row in enumerate(rows) for h, v in row.items()})
    if mine_name is not None:  # the 矿井名称 input cell of the 说明 sheet
        r, c = xl_cell_to_rowcol(README_INPUTS["mine"])
        wb.set_cells(schema.README, {(r + 1, c + 1): mine_name})
    wb.save(backup=False)
    return path


def dongshan(path: Path, mine_name: str | None = None) -> Path:
    return make_mine(path, mine_name, **{schema.ITEMS: DONGSHAN_ITEMS, schema.SUGGESTIONS: DONGSHAN_SUGGESTIONS,
                                         schema.ROSTER: DONGSHAN_ROSTER, schema.SESSIONS: DONGSHAN_SESSIONS,
                                         schema.ATTENDANCE: DONGSHAN_ATTENDANCE})


def xifeng(path: Path, mine_name: str | None = None) -> Path:
    return make_mine(path, mine_name, **{schema.ITEMS: XIFENG_ITEMS})


@pytest.fixture(scope="module")
def group(tmp_path_factory):
    """东山 and 西峰, a broken workbook, a lock file, a backup and the output of an earlier run."""
    folder = tmp_path_factory.mktemp("mines")
    dongshan(folder / "东山煤矿.xlsx")
    xifeng(folder / "西峰煤矿.xlsx")
    (folder / "坏文件.xlsx").write_bytes(b"this is not a workbook")
    (folder / "~$东山煤矿.xlsx").write_bytes(b"lock")
    shutil.copy(folder / "东山煤矿.xlsx", folder / "东山煤矿.bak.xlsx")
    (folder / "说明.txt").write_text("不是工作簿")
    out = folder / "集团汇总.xlsx"
    consolidate(folder, out, AS_OF, NOW, progress=False)  # an earlier run: its output is no mine
    return folder, out, consolidate(folder, out, AS_OF, NOW, progress=False)


def sheet_rows(path: Path, sheet: str) -> list[list]:
    with CalamineWorkbook.from_path(str(path)) as wb:
        return wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def test_mine_files_skip_locks_backups_and_the_output(group):
    folder, out, _ = group
    assert [p.name for p in mine_files(folder, out)] == ["东山煤矿.xlsx", "坏文件.xlsx", "西峰煤矿.xlsx"]


def test_hand_computed_figures_and_ranking(group):
    _, _, result = group
    dongshan_json, xifeng_json = result.extra["mines"][1], result.extra["mines"][0]
    assert xifeng_json | {"warnings": None, "errors": None, "error_codes": None} == {
        "file": "西峰煤矿.xlsx", "name": "西峰煤矿", "rank": 1, "unreadable": None, "items": 2, "tickets": 1,
        "overdue_open": 0, "overdue_replied": 0, "reported": 0, "on_time": [1, 1], "resolved": [1, 1],
        "satisfied": [1, 1], "points": 0, "deduction_events": 0, "rewards": 0, "covered": 0, "active": 0,
        "warnings": None, "errors": None, "error_codes": None}
    # 东山: the tickets due (deadline passed by 11-24) are T-001 (10-10, open), T-002 (11-06, on time) and
    # T-003 (11-06, late, solved); T-005 is due 11-27, T-004 on the spot; 满意 1 of the 2 rated;
    # deductions D01 T-001 (10-11) -2, D01 T-003 (11-07) -2, D07 T-003 不满意 0; Q3 reward 300, Q4 not ended.
    assert dongshan_json | {"warnings": None, "errors": None, "error_codes": None} == {
        "file": "东山煤矿.xlsx", "name": "东山煤矿", "rank": 2, "unreadable": None, "items": 5, "tickets": 4,
        "overdue_open": 1, "overdue_replied": 0, "reported": 1, "on_time": [1, 3], "resolved": [1, 3],
        "satisfied": [1, 2], "points": -4, "deduction_events": 3, "rewards": 300, "covered": 1, "active": 2,
        "warnings": None, "errors": None, "error_codes": None}
    assert [q.label for q in ended_quarters(AS_OF)] == ["2026Q1", "2026Q2", "2026Q3"]


def test_broken_workbook_is_one_line_and_the_others_are_consolidated(group):
    _, out, result = group
    broken = result.extra["mines"][2]
    assert (broken["file"], broken["name"], broken["rank"]) == ("坏文件.xlsx", "坏文件", None)
    assert broken["unreadable"]
    assert [(f.code, f.severity, f.value) for f in result.findings] == [("G01", "error", "坏文件.xlsx")]
    assert result.exit_code == 1
    assert result.counts == {"mines": 3, "unreadable": 1, "tickets": 5, "overdue": 1, "points": -4,
                             "rewards": 300, "errors": result.counts["errors"]}
    rows = sheet_rows(out, GROUP_ERRORS_SHEET)
    assert rows[3][:2] == ["矿井", "文件"]
    assert [r[0] for r in rows[4:7]] == ["西峰煤矿", "东山煤矿", "坏文件"]
    assert rows[6][4] == f"无法读取：{broken['unreadable']}"
    summary = sheet_rows(out, GROUP_SHEET)
    assert summary[3] == SUMMARY_HEADERS
    assert [r[:2] for r in summary[4:8]] == [[1.0, "西峰煤矿"], [2.0, "东山煤矿"], ["", "坏文件"], ["", "集团合计"]]
    assert summary[7][2:8] == [7.0, 5.0, 1.0, 0.0, 1.0, 2 / 4]  # items, tickets, open, late, 通报, on time 2/4
    assert summary[7][10] == -4.0 and summary[7][12] == 300.0
    assert workbook_sheets(out) == [GROUP_SHEET, GROUP_ERRORS_SHEET]


def workbook_sheets(path: Path) -> list[str]:
    with CalamineWorkbook.from_path(str(path)) as wb:
        return list(wb.sheet_names)


def test_two_mines_with_the_same_name_are_told_apart(tmp_path):
    folder = tmp_path / "mines"
    folder.mkdir()
    dongshan(folder / "一号井.xlsx", mine_name="东山煤矿")
    dongshan(folder / "二号井.xlsx", mine_name="东山煤矿")
    xifeng(folder / "西峰.xlsx")
    result = consolidate(folder, tmp_path / "group.xlsx", AS_OF, NOW, progress=False)
    # same figures, same rank; 西峰 (on time 1/1) first
    assert [(m["name"], m["rank"]) for m in result.extra["mines"]] == [
        ("西峰", 1), ("东山煤矿（一号井.xlsx）", 2), ("东山煤矿（二号井.xlsx）", 2)]
    assert [r[1] for r in sheet_rows(tmp_path / "group.xlsx", GROUP_SHEET)[4:7]] == [
        "西峰", "东山煤矿（一号井.xlsx）", "东山煤矿（二号井.xlsx）"]


def test_empty_folder_is_an_unusable_input(tmp_path):
    folder = tmp_path / "空文件夹"
    folder.mkdir()
    (folder / "~$锁.xlsx").write_bytes(b"lock")
    with pytest.raises(WorkbookUnusable) as err:
        consolidate(folder, tmp_path / "group.xlsx", AS_OF, NOW, progress=False)
    assert str(folder) in err.value.message and "没有矿井台账工作簿" in err.value.message
    proc = huitan("consolidate", folder, "-o", tmp_path / "group.xlsx", "--as-of", "2026-11-24")
    assert proc.returncode == 2
    assert "空文件夹" in proc.stderr.decode("utf-8")
    assert not (tmp_path / "group.xlsx").exists()
    with pytest.raises(WorkbookUnusable):
        consolidate(tmp_path / "不存在", tmp_path / "group.xlsx", AS_OF, NOW, progress=False)


def _rate(num: int, den: int):
    return float(Fraction(num, den)) if den else "—"


def test_group_figures_agree_with_per_mine_runs(group):
    """Every figure of every mine row equals what the per-mine jobs report on that file alone."""
    folder, out, result = group
    summary = {r[1]: r for r in sheet_rows(out, GROUP_SHEET)[4:]}
    errors = {r[0]: r for r in sheet_rows(out, GROUP_ERRORS_SHEET)[4:]}
    for name in ("东山煤矿", "西峰煤矿"):
        path = folder / f"{name}.xlsx"
        over = run_job("overdue", path, as_of=AS_OF, now=NOW, dry_run=True)
        val = run_job("validate", path, as_of=AS_OF, now=NOW, dry_run=True)
        ded = run_job("deductions", path, as_of=AS_OF, now=NOW, period="2026", dry_run=True)
        paid = sum(run_job("rewards", path, as_of=AS_OF, now=NOW, period=q, dry_run=True).counts["amount"]
                   for q in ("2026Q1", "2026Q2", "2026Q3"))
        regs = read_workbook(path)
        fig = period_figures(regs, status_lookup(over.tickets), session_index(regs), "2026",
                             date(2026, 1, 1), AS_OF, AS_OF)
        n_errors = sum(f.severity == "error" for f in val.findings)
        covered = sum(c["covered"] for c in val.extra["coverage"])
        active = sum(c["active"] for c in val.extra["coverage"])
        row = summary[name]
        assert row[2:18] == [
            float(len(regs.items)), float(len(over.tickets)), float(over.counts.get("逾期未答复", 0)),
            float(over.counts.get("逾期答复", 0)), float(sum(t.hint == "通报" for t in over.tickets)),
            _rate(fig.on_time.numerator, fig.on_time.denominator),
            _rate(fig.resolved.numerator, fig.resolved.denominator),
            _rate(fig.satisfied.numerator, fig.satisfied.denominator),
            float(ded.counts["points"]), float(ded.counts["events"]), float(paid), float(covered), float(active),
            _rate(covered, active), float(n_errors), float(len(val.findings) - n_errors)], name
        assert errors[name][2:4] == [float(n_errors), float(len(val.findings) - n_errors)]
        by_code = {}
        for f in val.findings:
            if f.severity == "error":
                by_code[f.code] = by_code.get(f.code, 0) + 1
        mine = next(m for m in result.extra["mines"] if m["name"] == name)
        assert mine["error_codes"] == dict(sorted(by_code.items()))


def test_spreadsheets_are_taken_by_content_not_by_name(tmp_path):
    """An .xlsx saved under an .xls name is a mine like any other; a real .xls (saved by
    LibreOffice as Excel 97-2003) and a WPS .et name are listed as unreadable with the 另存为
    advice — never skipped without a word (issue 18 §8)."""
    folder = tmp_path / "mines"
    folder.mkdir()
    xifeng(folder / "西峰.xlsx")
    dongshan(folder / "东山.xlsx").rename(folder / "东山.xls")  # .xlsx content under an .xls name
    shutil.copy(Path(__file__).parent / "data" / "old-register-libreoffice.xls", folder / "南岭.xls")
    shutil.copy(Path(__file__).parent / "data" / "old-register-libreoffice.xls", folder / "北坡.et")
    (folder / "说明.docx").write_bytes(b"not a spreadsheet name")
    assert [p.name for p in mine_files(folder)] == ["东山.xls", "北坡.et", "南岭.xls", "西峰.xlsx"]
    result = consolidate(folder, tmp_path / "group.xlsx", AS_OF, NOW, progress=False)
    mines = {m["file"]: m for m in result.extra["mines"]}
    assert mines["东山.xls"]["unreadable"] is None and mines["东山.xls"]["tickets"] == 4
    for name in ("南岭.xls", "北坡.et"):
        assert "另存为" in mines[name]["unreadable"] and "WPS" in mines[name]["unreadable"], mines[name]
    assert result.counts["unreadable"] == 2
