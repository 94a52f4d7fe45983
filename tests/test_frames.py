"""hx.frames: the registers as DataFrames with the computed 状态, 应答复日期, 逾期天数, 督办提示,
扣分 and rewards, on a small register built in code (a clerk's header names), hand-computed.

as_of Fri 2026-03-20, the real 2026 calendar. Default reply time 5 working days.
- T-1 assigned Mon 03-02 -> due Mon 03-09; open: 11 calendar / 9 working days late (通报), D01 -2.
- T-2 assigned 03-02, replied 03-11, resolved and implemented -> 已办结, 2 days late, D01 -2.
- T-3 assigned Mon 03-16 -> due Mon 03-23 (1 working day left: 即将到期); 推诿扯皮 -> D03 -1 on 03-16.
- T-4 答复时限 Sat 04-04 (清明 04-04..04-06) -> rolled to Tue 04-07; pending, no hint, no points.
- Q-1 answered at the session: 现场答复.
- JY-1 adopted, 已实施 2025-11-10 (2025Q4, ended), 显著 300 + 创效 20000 >= 10000: +100 = 400,
  two proposers 200 each -> 奖励金额 400, 奖励季度 2025Q4.
- JY-2 合理 but not adopted, from T-2 -> D07 on T-2's reply date 03-11, 0 points by default.
- JY-3 adopted, 已实施 2026-03-05: 2026Q1 has not ended -> no reward yet (blank as the workbook has it).
"""
from datetime import date

import openpyxl
import pandas as pd
import pytest

from huitan_xl import schema
from huitan_xl.errors import WorkbookUnusable
from huitan_xl.dataframes import frames

AS_OF = date(2026, 3, 20)
D = date


def rows(frame, columns):
    """The cells as plain Python values, pandas' missing values as None."""
    part = frame[columns].astype(object)
    return part.where(part.notna(), None).values.tolist()


@pytest.fixture()
def register(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "诉求台账"
    ws.append(["序号", "现场答复", "责任部门", "承办负责人", "交办日期", "答复时限", "答复日期", "职工满意度",
               "是否解决", "是否落实", "办理问题"])
    ws.append(["T-1", "否", "机电科", "王科长", D(2026, 3, 2)])
    ws.append(["T-2", "否", "机电科", "王科长", D(2026, 3, 2), None, D(2026, 3, 11), "满意", "是", "是"])
    ws.append(["T-3", "否", "通风区", None, D(2026, 3, 16), None, None, None, None, None, "推诿扯皮"])
    ws.append(["T-4", "否", "通风区", None, D(2026, 3, 18), D(2026, 4, 4)])
    ws.append(["Q-1", "是"])
    sg = wb.create_sheet("合理化建议")
    sg.append(["编号", "来源编号", "提出人", "合理性结论", "是否采纳", "实施情况", "实施日期", "应用效果", "创效金额"])
    sg.append(["JY-1", None, "张三、李四", "合理", "是", "已实施", D(2025, 11, 10), "显著", 20000])
    sg.append(["JY-2", "T-2", "王五", "合理", "否"])
    sg.append(["JY-3", None, "赵六", "合理", "是", "已实施", D(2026, 3, 5), "良好"])
    dp = wb.create_sheet("部门")
    dp.append(["部门", "负责人"])
    dp.append(["通风区", "刘区长"])
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    return path


def test_items_have_the_computed_columns(register):
    t = frames(register, as_of=AS_OF)
    items = t[schema.ITEMS]
    assert rows(items, ["编号", "承办部门", "状态", "应答复日期", "逾期天数", "逾期工作日", "督办提示", "扣分",
                        "行号"]) == [
        ["T-1", "机电科", "逾期未答复", pd.Timestamp(2026, 3, 9), 11, 9, "通报", -2, 2],
        ["T-2", "机电科", "已办结", pd.Timestamp(2026, 3, 9), 2, 2, "", -2, 3],
        ["T-3", "通风区", "待答复", pd.Timestamp(2026, 3, 23), None, None, "即将到期", -1, 4],
        ["T-4", "通风区", "待答复", pd.Timestamp(2026, 4, 7), None, None, "", 0, 5],
        ["Q-1", "", "现场答复", None, None, None, "", 0, 6]]
    assert str(items["交办日期"].dtype) == "datetime64[ns]" and str(items["逾期天数"].dtype) == "Int64"
    assert str(items["是否解决"].dtype) == "boolean" and rows(items, ["是否解决"])[:2] == [[None], [True]]
    assert list(items.columns[-7:]) == ["状态", "应答复日期", "逾期天数", "逾期工作日", "督办提示", "扣分", "行号"]


def test_suggestions_rewards_and_the_ledger(register):
    t = frames(register, as_of=AS_OF)
    sg = t[schema.SUGGESTIONS]
    assert rows(sg, ["编号", "提出人", "奖励金额", "奖励季度", "扣分", "行号"]) == [
        ["JY-1", "张三、李四", 400, "2025Q4", 0, 2],
        ["JY-2", "王五", None, "", 0, 3],
        ["JY-3", "赵六", None, "", 0, 4]]
    ledger = t[schema.DEDUCTIONS_SHEET]
    assert rows(ledger, ["日期", "代码", "事项", "部门", "负责人", "扣分", "依据", "来源表", "行号"]) == [
        [pd.Timestamp(2026, 3, 10), "D01", "逾期未办理", "机电科", "王科长", -2, "T-1", "诉求台账", 2],
        [pd.Timestamp(2026, 3, 10), "D01", "逾期未办理", "机电科", "王科长", -2, "T-2", "诉求台账", 3],
        [pd.Timestamp(2026, 3, 11), "D07", "成效不理想/合理化建议不采纳", "机电科", "王科长", 0, "JY-2", "合理化建议", 3],
        [pd.Timestamp(2026, 3, 16), "D03", "推诿扯皮", "通风区", "刘区长", -1, "T-3", "诉求台账", 4]]


def test_later_as_of_pays_the_quarter_and_nothing_is_written(register):
    before = register.read_bytes()
    t = frames(register, as_of=D(2026, 4, 1))  # 2026Q1 ended: JY-3 良好 200
    sg = t[schema.SUGGESTIONS]
    assert sg["奖励金额"].tolist()[2] == 200 and sg["奖励季度"].tolist()[2] == "2026Q1"
    items = t[schema.ITEMS]
    # T-3 is now overdue: due 03-23, as of 04-01: 9 calendar days, 7 working days -> 通报
    assert items.loc[items["编号"] == "T-3", ["状态", "逾期天数", "逾期工作日", "督办提示"]].values.tolist() == [
        ["逾期未答复", 9, 7, "通报"]]
    assert register.read_bytes() == before
    assert set(t) >= {schema.LEVELS, schema.ROSTER, schema.SESSIONS, schema.ATTENDANCE, schema.DEPARTMENTS,
                      schema.REPORTS, schema.MANUAL, schema.HOLIDAYS, schema.DEDUCTIONS_SHEET}
    assert t[schema.SESSIONS].empty and list(t[schema.SESSIONS].columns)[:2] == ["场次编号", "日期"]


def test_an_unusable_file_is_refused(tmp_path):
    bad = tmp_path / "台账.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(WorkbookUnusable):
        frames(bad, as_of=AS_OF)


def test_findings_are_the_ones_validate_reports(register):
    """部门 lists only 通风区, so T-1's and T-2's 机电科 (under her header 责任部门) is R08; the
    register has no 公示日期 column (no T02) and no sessions (no S rules)."""
    t = frames(register, as_of=AS_OF)
    assert rows(t[schema.FINDINGS_SHEET], ["级别", "代码", "问题", "工作表", "行号", "列", "值"]) == [
        ["错误", "R08", "引用的记录不存在", "诉求台账", 2, "责任部门", "机电科"],
        ["错误", "R08", "引用的记录不存在", "诉求台账", 3, "责任部门", "机电科"]]
    assert t[schema.FINDINGS_SHEET]["说明"].iloc[0].startswith("诉求T-1的承办部门「机电科」不在部门表中")


def test_the_library_face(register):
    import huitan_xl as hx

    t = hx.frames(register, as_of=AS_OF)
    assert rows(t[schema.ITEMS], ["编号", "状态"])[0] == ["T-1", "逾期未答复"]
    assert "frames" in dir(hx) and callable(hx.frames)
