"""read.py / cells.py: workbook -> records + findings, with exact Excel rows."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from huitan_xl import convert as cells, schema
from huitan_xl.xlsx import file_check as workbook_file
from huitan_xl.errors import WorkbookUnusable
from huitan_xl.findings import ERROR, WARNING
from huitan_xl.model import Src
from huitan_xl.read import read_workbook
from huitan_xl.settings import Settings

ITEMS, ROSTER, SUGG = schema.ITEMS, schema.ROSTER, schema.SUGGESTIONS


@pytest.fixture(autouse=True)
def _file_checks(monkeypatch, tmp_path):
    """Use the real file checks once they exist; until then, skip them."""
    probe = tmp_path / "probe.xlsx"
    openpyxl.Workbook().save(probe)
    try:
        workbook_file.check_usable(probe)
    except NotImplementedError:
        monkeypatch.setattr(workbook_file, "check_usable", lambda path: None)


def book(tmp_path: Path, sheets: dict[str, list[list]], at: dict[str, str] | None = None,
         merge: dict[str, str] | None = None) -> Path:
    """A workbook whose sheets hold `rows` (None = empty cell), placed from cell
    at[sheet] (default A1); merge[sheet] = a range to merge."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        top = ws[(at or {}).get(name, "A1")]
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is not None:
                    ws.cell(top.row + i, top.column + j, v)
        if merge and name in merge:
            ws.merge_cells(merge[name])
    path = tmp_path / "register.xlsx"
    wb.save(path)
    return path


def where(findings):
    return [(f.code, f.sheet, f.row, f.column, f.value) for f in findings]


# ---- dates -----------------------------------------------------------------
def test_every_date_spelling_reads_as_the_same_day(tmp_path):
    spellings = [datetime(2026, 3, 5), datetime(2026, 3, 5, 14, 30), "2026-3-5", "2026/03/05",
                 "2026.3.5", "2026年3月5日", "2026-03-05 00:00:00", "20260305", " 2026 年 3 月 5 日 ",
                 "２０２６-３-５", 46086, 46086.75, 20260305]
    rows = [["编号", "答复日期"]] + [[f"T-{i}", v] for i, v in enumerate(spellings)]
    regs = read_workbook(book(tmp_path, {ITEMS: rows}))
    assert regs.findings == []
    assert [(it.id, it.replied, it.src) for it in regs.items] == [
        (f"T-{i}", date(2026, 3, 5), Src(ITEMS, i + 2)) for i in range(len(spellings))]


def test_serial_numbers_count_from_the_excel_epoch():
    assert cells.to_date(46086) == date(2026, 3, 5)
    assert cells.to_date(46086.999) == date(2026, 3, 5)
    assert cells.to_date(45658.0) == date(2025, 1, 1)
    assert cells.to_date(12) == cells.Bad("R01")  # 1900-01-12: not a register date


def test_a_bad_date_is_one_finding_and_the_rest_of_the_row_is_kept(tmp_path):
    rows = [["编号", "承办部门", "答复日期", "交办日期"],
            ["T-0012", "机电科", "2026-13-45", "2026-3-2"]]
    regs = read_workbook(book(tmp_path, {ITEMS: rows}))
    assert where(regs.findings) == [("R01", ITEMS, 2, "答复日期", "2026-13-45")]
    assert regs.findings[0].severity == ERROR
    assert regs.findings[0].message == ("编号 T-0012 的「答复日期」写的是“2026-13-45”，"
                                        "不是有效日期，请按 2026-3-5 的格式填写。")
    (it,) = regs.items
    assert (it.id, it.department, it.replied, it.assigned) == ("T-0012", "机电科", None, date(2026, 3, 2))


# ---- header, title rows, blank rows, layout ------------------------------------
def test_merged_title_rows_above_the_header_and_blank_rows_are_skipped(tmp_path):
    rows = [["2026年八级慧谈场次登记表", None, None, None],
            [None, None, None, None],
            ["场次编号", "日期", "类型", "层级"],
            ["HT-01", "2026-3-5", "八级慧谈", "班组长"],
            [None, "   ", None, None],
            ["HT-02", date(2026, 4, 1), "专题慧谈", None]]
    regs = read_workbook(book(tmp_path, {schema.SESSIONS: rows}, merge={schema.SESSIONS: "A1:D1"}))
    assert regs.findings == []
    assert [(s.id, s.date, s.kind, s.level, s.src.row) for s in regs.sessions] == [
        ("HT-01", date(2026, 3, 5), "八级慧谈", "L4", 4),
        ("HT-02", date(2026, 4, 1), "专题慧谈", None, 6)]
    lay = regs.layouts[schema.SESSIONS]
    assert (lay.header_row, lay.columns, lay.max_column, lay.max_row, lay.data_rows) == (
        3, {"场次编号": 1, "日期": 2, "类型": 3, "层级": 4}, 4, 6, (4, 6))


def test_data_starting_at_b4_keeps_excel_rows_and_columns(tmp_path):
    rows = [["编号", "承办部门", "状态", "逾期天数"],
            ["T-1", "通风科", "待答复", None],
            [None, None, None, None],
            ["T-2", "调度室", None, None]]
    regs = read_workbook(book(tmp_path, {ITEMS: rows}, at={ITEMS: "B4"}))
    assert [(it.id, it.department, it.src) for it in regs.items] == [
        ("T-1", "通风科", Src(ITEMS, 5)), ("T-2", "调度室", Src(ITEMS, 7))]
    lay = regs.layouts[ITEMS]
    assert (lay.name, lay.header_row, lay.columns, lay.max_column, lay.max_row, lay.data_rows) == (
        ITEMS, 4, {"编号": 2, "承办部门": 3, "状态": 4, "逾期天数": 5}, 5, 7, (5, 7))


def test_reordered_and_extra_columns(tmp_path):
    rows = [["答复日期", "我的备注", "承办部门", "编号", "督办提示"],
            ["2026-5-6", "先电话联系", "机电科", "T-9", "催办"]]
    regs = read_workbook(book(tmp_path, {ITEMS: rows}))
    assert regs.findings == []
    (it,) = regs.items
    assert (it.id, it.department, it.replied, it.content) == ("T-9", "机电科", date(2026, 5, 6), "")
    assert regs.layouts[ITEMS].columns == {"答复日期": 1, "我的备注": 2, "承办部门": 3, "编号": 4,
                                           "督办提示": 5}


def test_header_aliases_brackets_spaces_line_breaks_and_colons(tmp_path):
    rows = [["建议编号", "提出人", "创效金额(元)", "评审\u3000季度", "实施\n日期", "【专业类别】", "是否采纳："],
            ["JY-1", "张三、李四", "1.2万", "2026年第三季度", "2026.7.1", "安全 管理", "是"]]
    regs = read_workbook(book(tmp_path, {SUGG: rows}))
    assert regs.findings == []
    (s,) = regs.suggestions
    assert (s.id, s.proposers, s.benefit, s.review_quarter, s.implemented_on, s.field, s.adopted) == (
        "JY-1", ("张三", "李四"), 12000, "2026Q3", date(2026, 7, 1), "安全管理", True)
    assert regs.layouts[SUGG].columns == {"编号": 1, "提出人": 2, "创效金额": 3, "评审季度": 4,
                                          "实施日期": 5, "专业类别": 6, "是否采纳": 7}


def test_canonical_header_wins_over_an_alias_of_it(tmp_path):
    rows = [["序号", "编号", "承办单位"], [1, "T-1", "机电科"], [2, "T-2", "通风科"]]
    regs = read_workbook(book(tmp_path, {ITEMS: rows}))
    assert [(it.id, it.department) for it in regs.items] == [("T-1", "机电科"), ("T-2", "通风科")]
    assert regs.layouts[ITEMS].columns == {"序号": 1, "编号": 2, "承办部门": 3}


def test_sheet_without_a_header_row_is_an_r10_warning_and_no_records(tmp_path):
    rows = [["张三", "男"], ["李四", "女"]]
    path = book(tmp_path, {ITEMS: [["编号"], ["T-1"]], ROSTER: rows})
    regs = read_workbook(path)
    assert where(regs.findings) == [("R10", ROSTER, None, "", "")]
    assert regs.findings[0].severity == WARNING
    assert regs.persons == [] and ROSTER not in regs.layouts
    assert [it.id for it in regs.items] == ["T-1"]


# ---- required sheets and columns ---------------------------------------------
def test_required_sheet_missing_is_unusable_naming_the_sheet(tmp_path):
    path = book(tmp_path, {ROSTER: [["工号", "姓名"]]})
    with pytest.raises(WorkbookUnusable) as exc:
        read_workbook(path, sheets=[ITEMS], required=[ITEMS])
    assert "诉求台账" in exc.value.message and str(path) in exc.value.message


def test_required_column_missing_is_unusable_naming_the_column(tmp_path):
    path = book(tmp_path, {ITEMS: [["承办部门", "答复日期"], ["机电科", "2026-1-1"]]})
    with pytest.raises(WorkbookUnusable) as exc:
        read_workbook(path, sheets=[ITEMS], required=[ITEMS])
    assert "「诉求台账」" in exc.value.message and "「编号」" in exc.value.message


def test_required_sheet_without_header_row_is_unusable(tmp_path):
    path = book(tmp_path, {ITEMS: [["八级慧谈诉求台账"], ["T-1"]]})
    with pytest.raises(WorkbookUnusable) as exc:
        read_workbook(path, required=[ITEMS])
    assert "「诉求台账」" in exc.value.message and "「编号」" in exc.value.message


def test_missing_other_sheets_are_silently_empty(tmp_path):
    regs = read_workbook(book(tmp_path, {"说明": [["使用说明"]], ITEMS: [["编号"]]}))
    assert (regs.findings, regs.items, regs.persons, regs.sheet_names) == ([], [], [], ["说明", ITEMS])
    assert regs.settings == Settings()


def test_only_the_asked_sheets_are_read(tmp_path):
    path = book(tmp_path, {ITEMS: [["编号"], ["T-1"]], ROSTER: [["工号", "姓名"], ["001", "张三"]]})
    regs = read_workbook(path, sheets=[ROSTER])
    assert ([p.id for p in regs.persons], regs.items) == (["001"], [])


def test_required_value_empty_is_r05_naming_the_record_or_row(tmp_path):
    rows = [["工号", "姓名", "层级"], ["1001", None, "职工"], [None, "王五", "党员"]]
    regs = read_workbook(book(tmp_path, {ROSTER: rows}))
    assert where(regs.findings) == [("R05", ROSTER, 2, "姓名", ""), ("R05", ROSTER, 3, "工号", "")]
    assert [f.message for f in regs.findings] == ["工号 1001 的「姓名」是必填项，现在为空；请填写。",
                                                   "第3行的「工号」是必填项，现在为空；请填写。"]
    assert [(p.id, p.name, p.level) for p in regs.persons] == [("1001", "", "L1"), ("", "王五", "L2")]


# ---- roster: ids, levels, yes/no, active -------------------------------------
def test_person_id_as_number_and_as_text_with_leading_zeros(tmp_path):
    rows = [["工号", "姓名"], [123, "张三"], ["00123", "李四"], [123.0, "王五"], [" 0456 ", "赵六"]]
    regs = read_workbook(book(tmp_path, {ROSTER: rows}))
    assert [p.id for p in regs.persons] == ["123", "00123", "123", "0456"]


def test_level_variants_read_as_codes(tmp_path):
    spellings = ["群监员", "群监员(青安岗)", "群监员（青安岗）", " 班组长 ", "L4", "l4", "副区长",
                 "副区长（技术员）", "区长 书记", "群监员【青安岗】"]
    rows = [["工号", "姓名", "层级"]] + [[f"{i:03d}", "某", v] for i, v in enumerate(spellings)]
    regs = read_workbook(book(tmp_path, {ROSTER: rows}))
    assert regs.findings == []
    assert [p.level for p in regs.persons] == ["L3", "L3", "L3", "L4", "L4", "L4", "L6", "L6", "L7", "L3"]


def test_unknown_level_is_r03_with_did_you_mean_and_the_row_is_kept(tmp_path):
    rows = [["工号", "姓名", "层级", "性别", "在职状态"], ["0007", "张三", "班组", "男", "在职"]]
    regs = read_workbook(book(tmp_path, {ROSTER: rows}))
    assert where(regs.findings) == [("R03", ROSTER, 2, "层级", "班组")]
    assert regs.findings[0].message == (
        "工号 0007 的「层级」写的是“班组”，不是八个层级之一，请填写层级名称或代码（如 班组长 或 L4）。"
        "您是不是要填「班组长」？")
    (p,) = regs.persons
    assert (p.id, p.name, p.level, p.gender, p.active) == ("0007", "张三", None, "男", True)


def test_bad_yes_no_is_r02_and_the_row_is_kept(tmp_path):
    rows = [["编号", "现场答复", "是否解决", "承办部门"], ["T-3", "可能", "√", "机电科"]]
    regs = read_workbook(book(tmp_path, {ITEMS: rows}))
    assert where(regs.findings) == [("R02", ITEMS, 2, "现场答复", "可能")]
    (it,) = regs.items
    assert (it.on_the_spot, it.resolved, it.department) == (False, True, "机电科")


def test_yes_no_spellings():
    yes = ["是", "是的", "Y", "y", "√", "1", 1.0, True, "TRUE", " 是 "]
    no = ["否", "N", "×", "0", 0.0, False, "false"]
    assert [cells.to_yesno(v) for v in yes] == [True] * len(yes)
    assert [cells.to_yesno(v) for v in no] == [False] * len(no)
    assert [cells.to_yesno(v) for v in ["", "  "]] == [None, None]
    assert cells.to_yesno("也许") == cells.Bad("R02", ("是", "否"))


def test_roster_flags_and_active_state(tmp_path):
    rows = [["工号", "姓名", "三违", "新入职大学生", "在职状态", "离职日期", "表现档次"],
            ["1", "甲", "是", None, "在职", None, "先进"],
            ["2", "乙", None, "是", None, None, "后进"],
            ["3", "丙", "否", "否", "离职", "2026-6-30", None]]
    regs = read_workbook(book(tmp_path, {ROSTER: rows}))
    assert regs.findings == []
    assert [(p.id, p.violator, p.new_graduate, p.active, p.left_on, p.tier) for p in regs.persons] == [
        ("1", True, False, True, None, "先进"), ("2", False, True, True, None, "后进"),
        ("3", False, False, False, date(2026, 6, 30), "")]


def test_on_the_spot_is_true_only_for_yes(tmp_path):
    rows = [["编号", "现场答复"], ["A", "是"], ["B", "否"], ["C", None]]
    regs = read_workbook(book(tmp_path, {ITEMS: rows}))
    assert [(it.id, it.on_the_spot, it.is_ticket) for it in regs.items] == [
        ("A", True, False), ("B", False, True), ("C", False, True)]


def test_excel_booleans_and_numbers_in_one_yes_no_column(tmp_path):
    rows = [["编号", "是否解决"], ["A", True], ["B", 1], ["C", False], ["D", 0], ["E", 2]]
    regs = read_workbook(book(tmp_path, {ITEMS: rows}))
    assert where(regs.findings) == [("R02", ITEMS, 6, "是否解决", 2.0)]
    assert [it.resolved for it in regs.items] == [True, True, False, False, None]


# ---- numbers, enums, lists, quarters, months ----------------------------------
def test_int_spellings_and_bad_int_is_r06_with_the_row_kept(tmp_path):
    rows = [["编号", "提出人", "创效金额", "应用效果"],
            ["J1", "甲", 1000, "显著"], ["J2", "乙", 1000.0, "良好"], ["J3", "丙", "1,000", "一般"],
            ["J4", "丁", "1000元", None], ["J5", "戊", "1.2万", None], ["J6", "己", "一万多", "显著"],
            ["J7", "庚", 1000.5, None]]
    regs = read_workbook(book(tmp_path, {SUGG: rows}))
    assert where(regs.findings) == [("R06", SUGG, 7, "创效金额", "一万多"), ("R06", SUGG, 8, "创效金额", 1000.5)]
    assert regs.findings[0].message == "编号 J6 的「创效金额」写的是“一万多”，不是整数，请填写整数（如 1000，不带小数）。"
    assert [(s.id, s.benefit, s.effect, s.proposers) for s in regs.suggestions] == [
        ("J1", 1000, "显著", ("甲",)), ("J2", 1000, "良好", ("乙",)), ("J3", 1000, "一般", ("丙",)),
        ("J4", 1000, "", ("丁",)), ("J5", 12000, "", ("戊",)), ("J6", None, "显著", ("己",)),
        ("J7", None, "", ("庚",))]


def test_enum_near_miss_is_r04_with_did_you_mean(tmp_path):
    rows = [["场次编号", "日期", "类型"], ["HT-1", "2026-1-5", "八级慧淡"], ["HT-2", "2026-1-6", " 专题 慧谈 "]]
    regs = read_workbook(book(tmp_path, {schema.SESSIONS: rows}))
    assert where(regs.findings) == [("R04", schema.SESSIONS, 2, "类型", "八级慧淡")]
    assert regs.findings[0].message.endswith("您是不是要填「八级慧谈」？")
    assert [(s.id, s.kind, s.date) for s in regs.sessions] == [("HT-1", "", date(2026, 1, 5)),
                                                               ("HT-2", "专题慧谈", date(2026, 1, 6))]


def test_suggestion_lists_reasonable_and_paid_columns(tmp_path):
    rows = [["编号", "提出人", "提出人工号", "合理性结论", "奖励金额", "奖励季度"],
            ["J1", "张三，李四; 王五/赵六 孙七", "001、002", "合理", 300, "2026-Q2"],
            ["J2", "钱八", 1003, "不合理", None, None],
            ["J3", "周九", None, None, None, None]]
    regs = read_workbook(book(tmp_path, {SUGG: rows}))
    assert regs.findings == []
    assert [(s.proposers, s.proposer_ids, s.reasonable, s.paid_amount, s.paid_quarter)
            for s in regs.suggestions] == [
        (("张三", "李四", "王五", "赵六", "孙七"), ("001", "002"), True, 300, "2026Q2"),
        (("钱八",), ("1003",), False, None, ""), (("周九",), (), None, None, "")]
    assert regs.layouts[SUGG].columns["奖励金额"] == 5


def test_quarter_and_month_spellings(tmp_path):
    assert [cells.to_quarter(v) for v in ["2026Q3", "2026-Q3", "2026 q3", "2026年第三季度",
                                          "2026年3季度", "2026年第4季"]] == [
        "2026Q3", "2026Q3", "2026Q3", "2026Q3", "2026Q3", "2026Q4"]
    assert [cells.to_month(v) for v in ["2026-10", "2026/1", "2026年10月", "202610",
                                        date(2026, 10, 3), 46086]] == [
        "2026-10", "2026-01", "2026-10", "2026-10", "2026-10", "2026-03"]
    rows = [["编号", "提出人", "评审季度"], ["J1", "甲", "2026Q5"]]
    regs = read_workbook(book(tmp_path, {SUGG: rows}))
    assert where(regs.findings) == [("R11", SUGG, 2, "评审季度", "2026Q5")]
    assert regs.findings[0].severity == WARNING and regs.suggestions[0].review_quarter == ""


def test_report_month_and_bad_month(tmp_path):
    rows = [["月份", "单位", "应报日期"], ["2026年10月", "综采一队", "2026-11-5"], ["2026-13", "机电科", None]]
    regs = read_workbook(book(tmp_path, {schema.REPORTS: rows}))
    assert where(regs.findings) == [("R01", schema.REPORTS, 3, "月份", "2026-13")]
    assert [(r.month, r.unit, r.due) for r in regs.reports] == [("2026-10", "综采一队", date(2026, 11, 5)),
                                                                ("", "机电科", None)]


def test_sessions_department_lists():
    assert cells.to_list("机电科、通风科,调度室 ；后勤中心/安监处") == (
        "机电科", "通风科", "调度室", "后勤中心", "安监处")


# ---- levels, holidays, settings, run log ------------------------------------
def test_levels_sheet(tmp_path):
    rows = [["层级代码", "层级", "牵头人", "选人单位", "每场人数上限"],
            ["L3", "群监员", "王强", "矿党群办、安监处", "8人"],
            [None, "副区长(技术员)", "李明", "矿党群办,经管科", None]]
    regs = read_workbook(book(tmp_path, {schema.LEVELS: rows}))
    assert regs.findings == []
    assert [(lv.code, lv.name, lv.lead, lv.selecting_units, lv.max_attendees, lv.src.row)
            for lv in regs.levels] == [
        ("L3", "群监员（青安岗）", "王强", ("矿党群办", "安监处"), 8, 2),
        ("L6", "副区长（技术员）", "李明", ("矿党群办", "经管科"), None, 3)]


def test_holiday_overrides(tmp_path):
    rows = [["日期", "类型", "说明"], ["2027-2-6", "休", "春节"], ["2027/2/20", "班", "调休上班"],
            ["2027-2-30", "休", "错日期"]]
    regs = read_workbook(book(tmp_path, {schema.HOLIDAYS: rows}))
    assert where(regs.findings) == [("R01", schema.HOLIDAYS, 4, "日期", "2027-2-30")]
    assert regs.findings[0].message == "第4行的「日期」写的是“2027-2-30”，不是有效日期，请按 2026-3-5 的格式填写。"
    assert [(o.date, o.kind, o.note, o.src.row) for o in regs.day_overrides] == [
        (date(2027, 2, 6), "休", "春节", 2), (date(2027, 2, 20), "班", "调休上班", 3)]


def test_settings_parsing_defaults_and_findings(tmp_path):
    rows = [["规则配置"], ["参数", "值", "说明"],
            ["每场人数上限", 8, None],
            ["默认答复时限（工作日）", "7", None],
            ["逾期未办理扣分", "两分", None],
            ["每场人数下限", 3, None],
            ["成效总览起始日期", "2025-1-1", None],
            ["通知邮箱", "a@mine.cn; b@mine.cn", None],
            ["单条奖励上限", None, None],
            ["公示时限", "3个工作日", None],
            [" 公示时限(工作日) ", 4, None]]
    regs = read_workbook(book(tmp_path, {schema.SETTINGS: rows}))
    assert where(regs.findings) == [("R06", schema.SETTINGS, 5, "值", "两分"),
                                    ("R12", schema.SETTINGS, 6, "参数", "每场人数下限"),
                                    ("R06", schema.SETTINGS, 10, "值", "3个工作日")]
    assert [f.severity for f in regs.findings] == [ERROR, WARNING, ERROR]
    assert regs.findings[0].message == "参数 逾期未办理扣分 的「值」写的是“两分”，不是整数，已按默认值 2 计算；请填写整数。"
    assert regs.findings[1].message.endswith("您是不是要填「每场人数上限」？")
    assert regs.settings == Settings(max_attendees=8, default_reply_days=7, overview_start=date(2025, 1, 1),
                                     notify_email="a@mine.cn; b@mine.cn", publish_days=4)


def test_settings_without_the_sheet_are_the_defaults(tmp_path):
    regs = read_workbook(book(tmp_path, {ITEMS: [["编号"]]}), sheets=[ITEMS])
    assert regs.settings == Settings()


def test_run_log_rows_without_header(tmp_path):
    rows = [["运行记录"], ["huitan-xl 每次运行追加一行"], ["运行时间", "命令", "错误数"], ["2026-11-02 08:30:00", "overdue", 0], [None, None, None],
            ["2026-11-09 08:30:00", "overdue", 2]]
    regs = read_workbook(book(tmp_path, {ITEMS: [["编号"]], schema.RUN_LOG_SHEET: rows}))
    assert regs.run_log == [["2026-11-02 08:30:00", "overdue", 0.0], ["2026-11-09 08:30:00", "overdue", 2.0]]
    assert regs.sheet_names == [ITEMS, schema.RUN_LOG_SHEET]


def test_findings_come_in_row_then_column_order(tmp_path):
    rows = [["编号", "交办日期", "现场答复", "答复日期"],
            ["T-1", "2026-2-30", None, "bad"],
            ["T-2", None, "不知道", None]]
    regs = read_workbook(book(tmp_path, {ITEMS: rows}))
    assert where(regs.findings) == [("R01", ITEMS, 2, "交办日期", "2026-2-30"),
                                    ("R01", ITEMS, 2, "答复日期", "bad"),
                                    ("R02", ITEMS, 3, "现场答复", "不知道")]


def test_header_with_a_note_in_brackets_or_a_required_marker(tmp_path):
    rows = [["*编号", "答复时限（工作日）", "承办部门\n（单位）"], ["T-1", "2026-3-9", "机电科"]]
    regs = read_workbook(book(tmp_path, {ITEMS: rows}))
    assert regs.findings == []
    assert [(it.id, it.deadline, it.department) for it in regs.items] == [("T-1", date(2026, 3, 9), "机电科")]
    assert regs.layouts[ITEMS].columns == {"编号": 1, "答复时限": 2, "承办部门": 3}


# ---- sheets parsed one ahead by the loader thread ------------------------------
def test_the_sheets_read_are_parsed_ahead_in_the_order_they_are_converted(tmp_path, monkeypatch):
    from huitan_xl import read as read_mod

    loads = []
    real = read_mod._sheet

    def spy(wb, name, path):
        import threading

        loads.append((name, threading.current_thread().name.startswith("sheet-loader")))
        return real(wb, name, path)

    monkeypatch.setattr(read_mod, "_sheet", spy)
    path = book(tmp_path, {"说明": [["本表说明"]], ITEMS: [["编号", "内容"], ["T-1", "热水"]],
                           schema.SESSIONS: [["场次编号", "日期", "类型"], ["HT-01", "2026-3-5", "八级慧谈"]],
                           schema.RUN_LOG_SHEET: [["运行时间", "任务"], ["2026-11-24 08:00", "overdue"]]})
    regs = read_workbook(path, sheets=[ITEMS, schema.SESSIONS, schema.RUN_LOG_SHEET])
    # 说明's header rows looked at on this thread (it could hold a register); 规则配置: none here
    assert loads == [("说明", False), (schema.SESSIONS, True), (ITEMS, True), (schema.RUN_LOG_SHEET, True)]
    assert [(it.id, it.content) for it in regs.items] == [("T-1", "热水")]
    assert [s.id for s in regs.sessions] == ["HT-01"] and regs.run_log == [["2026-11-24 08:00", "overdue"]]


def test_a_sheet_the_loader_cannot_read_is_refused_as_before(tmp_path, monkeypatch):
    from huitan_xl import read as read_mod

    real = read_mod._sheet

    def broken(wb, name, path):
        if name == ITEMS:
            raise WorkbookUnusable(f"无法读取工作簿「{path}」的工作表「{name}」：bad")
        return real(wb, name, path)

    monkeypatch.setattr(read_mod, "_sheet", broken)
    path = book(tmp_path, {ITEMS: [["编号", "内容"], ["T-1", "热水"]],
                           schema.SESSIONS: [["场次编号", "日期", "类型"], ["HT-01", "2026-3-5", "八级慧谈"]]})
    with pytest.raises(WorkbookUnusable, match=f"的工作表「{ITEMS}」：bad"):
        read_workbook(path, sheets=[ITEMS, schema.SESSIONS])
