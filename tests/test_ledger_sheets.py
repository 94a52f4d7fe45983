"""考核扣分 / 季度奖励 / 年度考核 sheets: built with XlsxWriter, read back cell by cell."""
from dataclasses import replace
from datetime import datetime
from fractions import Fraction

import openpyxl
import xlsxwriter

from huitan_xl.periods import month, quarter, year
from huitan_xl.reports.assessment import DepartmentAssessment
from huitan_xl.reports.ledger_sheets import (ASSESSMENT_DEFINITIONS, ASSESSMENT_HEADERS, assessment_builder,
                                             deductions_builder, rewards_builder)
from huitan_xl.scoring import Deduction, Payout
from huitan_xl.write import Formats

from scoring_records import D, suggestion


def build(tmp_path, name, builder):
    path = tmp_path / "out.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    builder(wb.add_worksheet(name), Formats(wb))
    wb.close()
    return openpyxl.load_workbook(path)[name]


def values(ws, first, last, ncols):
    return [tuple(ws.cell(r, c).value for c in range(1, ncols + 1)) for r in range(first, last + 1)]


LEDGER = [
    Deduction("D01", D(2026, 3, 10), "机电科", "王强", -2, "A01", "诉求A01逾期3天答复"),
    Deduction("D03", D(2026, 3, 12), "机电科", "王强", -1, "A01", "诉求A01办理中推诿扯皮"),
    Deduction("D04", D(2026, 3, 20), "安全科", "", -1, "HT-01", "安全科受邀参加慧谈HT-01，未派员参加"),
]


def test_deductions_sheet(tmp_path):
    ws = build(tmp_path, "考核扣分", deductions_builder(LEDGER, month(2026, 3)))
    assert ws["A1"].value == "考核扣分"
    assert ws["A2"].value == "2026年3月（2026-03-01 至 2026-03-31）：共 3 条，合计 -4 分"
    assert values(ws, 4, 7, 8) == [
        ("日期", "代码", "事项", "部门", "负责人", "扣分", "依据", "说明"),
        (datetime(2026, 3, 10), "D01", "逾期未办理", "机电科", "王强", -2, "A01", "诉求A01逾期3天答复"),
        (datetime(2026, 3, 12), "D03", "推诿扯皮", "机电科", "王强", -1, "A01", "诉求A01办理中推诿扯皮"),
        (datetime(2026, 3, 20), "D04", "不派员参加慧谈", "安全科", "（未确定）", -1, "HT-01",
         "安全科受邀参加慧谈HT-01，未派员参加"),
    ]
    assert ws["A5"].number_format == "yyyy-mm-dd"
    assert ws["A9"].value == "按负责人汇总"
    assert values(ws, 10, 12, 4) == [("负责人", "部门", "扣分合计", "次数"),
                                     ("王强", "机电科", -3, 2), ("（未确定）", "安全科", -1, 1)]
    assert ws["A14"].value == "按部门汇总"
    assert values(ws, 15, 17, 3) == [("部门", "扣分合计", "次数"), ("机电科", -3, 2), ("安全科", -1, 1)]
    assert ws["A19"].value.startswith("制表：") and "审核：" in ws["A19"].value and "日期：" in ws["A19"].value
    assert ws.max_row == 19
    assert ws.print_title_rows == "$4:$4"  # the ledger's header row on every printed page
    assert ws.oddFooter.left.text == "huitan-xl 生成" and ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_signed_sheets_carry_the_mines_name_and_an_unfinished_period(tmp_path):
    ws = build(tmp_path, "考核扣分", deductions_builder(LEDGER, quarter(2026, 4), "截至 2026-12-02，季度未结束",
                                                     mine="东山煤矿"))
    assert ws["A1"].value == "东山煤矿考核扣分（截至 2026-12-02，季度未结束）"
    ws = build(tmp_path, "季度奖励", rewards_builder(PAYOUTS, [], quarter(2026, 3), mine="东山煤矿"))
    assert ws["A1"].value == "东山煤矿季度奖励"
    ws = build(tmp_path, "年度考核", assessment_builder([], year(2026), mine="东山煤矿"))
    assert ws["A1"].value == "东山煤矿年度考核"


def test_empty_deductions_sheet(tmp_path):
    ws = build(tmp_path, "考核扣分", deductions_builder([], quarter(2026, 1)))
    assert values(ws, 1, 3, 1) == [("考核扣分",), ("2026年第一季度（2026-01-01 至 2026-03-31）：共 0 条，合计 0 分",),
                                   ("本期无扣分事项。",)]


PAYOUTS = [
    Payout("J01", "张三", "1001", "综采一队", 150, 200, 100, False, 2, "300 元，2人平分：本人 150 元", 300),
    Payout("J01", "李四", "1002", "机电科", 150, 200, 100, False, 2, "300 元，2人平分：本人 150 元", 300),
    Payout("J02", "王五", "1003", "机电科", 500, 300, 200, False, 1, "500 元", 500),
    Payout("J03", "孙八", "", "", 100, 100, 0, False, 1, "100 元", 100),
]


def test_rewards_sheet(tmp_path):
    not_adopted = [suggestion("J11", ["张三", "李四"], adopted=False, forwarded_to="机电科")]
    ws = build(tmp_path, "季度奖励", rewards_builder(PAYOUTS, not_adopted, quarter(2026, 3)))
    assert ws["A2"].value == "2026年第三季度（2026-07-01 至 2026-09-30） 金点子、好建议奖励：3 条建议，4 人次，合计 900 元"
    assert values(ws, 4, 9, 7) == [
        ("人员", "工号", "单位", "建议编号", "金额（元）", "计算说明", "签字"),
        ("张三", "1001", "综采一队", "J01", 150, "300 元，2人平分：本人 150 元", None),
        ("李四", "1002", "机电科", "J01", 150, "300 元，2人平分：本人 150 元", None),
        ("王五", "1003", "机电科", "J02", 500, "500 元", None),
        ("孙八", None, "（名册中未找到）", "J03", 100, "100 元", None),
        ("本季度合计", None, None, None, 900, None, None),
    ]
    assert ws["E5"].number_format == "#,##0"
    assert ws["G5"].border.left.style == "thin"  # a box to sign in
    assert ws["A11"].value == "按单位汇总"
    assert values(ws, 12, 15, 3) == [("单位", "人次", "金额（元）"), ("机电科", 2, 650), ("综采一队", 1, 150),
                                     ("（名册中未找到）", 1, 100)]
    assert ws["A17"].value == "判定合理但未采纳的建议（供成效问责 D07 评审）"
    assert values(ws, 18, 19, 6) == [("建议编号", "提出人", "专业类别", "建议内容", "转交部门", "论证说明"),
                                     ("J11", "张三、李四", "生产经营", None, "机电科", None)]


def test_assessment_sheet(tmp_path):
    rows = [DepartmentAssessment("安全科", "周杰", 0, 0, 2, 2, 2, 2, 1, 1, replied=2),
            DepartmentAssessment("机电科", "王强", -2, 1, 3, 2, 4, 2, 1, 2, replied=3),
            DepartmentAssessment("综采一队", "", 0, 0, 0, 0, 0, 0, 0, 0, idle=True)]
    rows[0] = replace(rows[0], score=Fraction(85, 100))
    ws = build(tmp_path, "年度考核", assessment_builder(rows, year(2026)))
    assert ws["A1"].value == "年度考核"
    assert values(ws, 4, 4, 15) == [tuple(ASSESSMENT_HEADERS)]
    assert values(ws, 5, 7, 15) == [
        (1, "安全科", "周杰", 0, 0, 2, 2, 2, 1, 2, 2, 1, 1, 0.5, 0.85),
        (2, "机电科", "王强", -2, 1, 4, 3, 2, 2 / 3, 3, 2, 2 / 3, 1, 1 / 3, "—"),
        ("本年度无承办任务", "综采一队", "（未确定）", 0, 0, 0, 0, 0, "—", 0, 0, "—", 0, "—", "—"),
    ]
    # the sheet says which rule placed 综采一队 apart, and the weights of the score
    notes = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(10, 10 + len(ASSESSMENT_HEADERS))}
    assert "本年度无承办任务的部门不参与排名" in notes["名次"]
    assert "40 : 30 : 30" in notes["综合得分"]
    assert ws["I6"].number_format == "0.0%"
    assert ws["A9"].value == "指标说明"
    assert values(ws, 10, 9 + len(ASSESSMENT_DEFINITIONS), 1) == [(h,) for h in ASSESSMENT_HEADERS]
    assert ws["B18"].value == "满意件数 ÷ 评价件数"


def test_assessment_definitions_wrap_within_the_table(tmp_path):
    """Each definition is merged over B..O (the table's width) and wraps there, so a long one no
    longer runs past the table and shrinks the page that fits it to width."""
    from huitan_xl.reports.layout import line_count

    rows = [DepartmentAssessment("安全科", "周杰", 0, 0, 2, 2, 2, 2, 1, 1, replied=2)]
    ws = build(tmp_path, "年度考核", assessment_builder(rows, year(2026)))
    first = next(r for r in range(1, 40) if ws.cell(r, 1).value == "指标说明") + 1  # 名次's row
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {f"B{r}:O{r}" for r in range(first, first + len(ASSESSMENT_DEFINITIONS))} <= merged
    assert ws.cell(first, 1).value == "名次" and ws.cell(first, 2).alignment.wrap_text
    room = sum(int(ws.column_dimensions[c].width) for c in "BCDEFGHIJKLMNO")  # 0.71 of padding each
    lines = line_count(ws.cell(first, 2).value, room)
    assert lines >= 2  # the 名次 rule is longer than the table is wide
    assert ws.row_dimensions[first].height == 15 * lines + 3
    assert ws.cell(first + 8, 1).value == "满意率"
    assert ws.row_dimensions[first + 8].height is None  # its short definition keeps one line
