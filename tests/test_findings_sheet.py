"""The 校验结果 sheet: counts per code, one row per finding, links into the cells."""
import io
from datetime import date

import openpyxl
import xlsxwriter

from huitan_xl.findings import finding
from huitan_xl.model import SheetLayout
from huitan_xl.reports.findings_sheet import column_index_from_layouts, findings_builder, link_target
from huitan_xl.write import Formats

FINDINGS = [
    finding("S08", "参会人员", 7, "工号", "1001", "场次H2的工号1001重复参会"),
    finding("R09", "诉求台账", 12, "答复日期", date(2026, 3, 10), "诉求Q1答复早于交办"),
    finding("S10", "职工名册", 5, "重点对象", "家庭困难", "工号1003尚未覆盖"),
    finding("R08", "诉求台账", 4, "承办部门", "通风队", "诉求Q3承办部门不存在"),
    finding("R09", "诉求台账", 3, "公示日期", date(2026, 3, 9), "诉求Q2公示早于答复"),
    finding("S12", "层级", None, "层级", "党员", "党员层级2026Q1未召开"),
    finding("R10", "外部表", 2, "", "", "不在工作簿中的表"),
]
SHEETS = {"参会人员", "诉求台账", "职工名册", "层级"}
COLUMNS = {("诉求台账", "答复日期"): 16, ("诉求台账", "承办部门"): 9, ("参会人员", "工号"): 2}


def build(findings, sheets=SHEETS, columns=COLUMNS):
    wb = xlsxwriter.Workbook(buf := io.BytesIO(), {"in_memory": True})
    findings_builder(findings, sheets, columns)(wb.add_worksheet("校验结果"), Formats(wb))
    wb.close()
    return openpyxl.load_workbook(io.BytesIO(buf.getvalue()))["校验结果"]


def values(ws, row):
    return [c.value for c in ws[row]]


def test_counts_then_rows_errors_first_with_links():
    ws = build(FINDINGS)
    assert ws["A1"].value == "校验结果"
    assert ws["A2"].value == "共 7 条：错误 3 条，警告 4 条，其他 0 条"
    assert values(ws, 4)[:4] == ["代码", "严重程度", "问题", "数量"]
    assert [values(ws, r)[:4] for r in range(5, 11)] == [
        ["R08", "错误", "引用的记录不存在", 1],
        ["R09", "错误", "日期先后顺序不对", 2],
        ["R10", "警告", "缺少工作表或列", 1],
        ["S08", "警告", "有人未参加时重复邀请", 1],
        ["S10", "警告", "三必谈五必访对象尚未覆盖", 1],
        ["S12", "警告", "本季度该层级未召开八级慧谈", 1],
    ]
    assert ws["B5"].fill.fgColor.rgb.endswith("FFC7CE") and ws["B8"].fill.fgColor.rgb.endswith("FFEB9C")
    assert values(ws, 12) == ["严重程度", "代码", "说明", "工作表", "行号", "列", "值", "定位"]
    # errors first, then by sheet and row (findings.sort_findings)
    rows = [values(ws, r)[:7] for r in range(13, 20)]
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in rows] == [
        ("错误", "R09", "诉求台账", 3, "公示日期"), ("错误", "R08", "诉求台账", 4, "承办部门"),
        ("错误", "R09", "诉求台账", 12, "答复日期"),
        ("警告", "S08", "参会人员", 7, "工号"), ("警告", "R10", "外部表", 2, None),
        ("警告", "S12", "层级", None, "层级"), ("警告", "S10", "职工名册", 5, "重点对象")]
    assert rows[0][6].date() == date(2026, 3, 9)
    assert (rows[1][2], rows[1][6]) == ("诉求Q3承办部门不存在", "通风队")
    links = {r: (ws.cell(r, 8).value, ws.cell(r, 8).hyperlink.location if ws.cell(r, 8).hyperlink else None)
             for r in range(13, 20)}
    assert links == {
        13: ("跳转", "'诉求台账'!A3"),  # 公示日期 not in the column map: column A of the row
        14: ("跳转", "'诉求台账'!I4"),
        15: ("跳转", "'诉求台账'!P12"),
        16: ("跳转", "'参会人员'!B7"),
        17: (None, None),  # 外部表 is not in the workbook
        18: ("跳转", "'层级'!A1"),  # no row: the top of the sheet
        19: ("跳转", "'职工名册'!A5"),
    }
    assert ws.freeze_panes == "A13"
    assert ws.auto_filter.ref == "A12:H19"


def test_no_findings():
    ws = build([])
    assert values(ws, 1) == ["校验结果"] and ws["A2"].value == "未发现问题" and ws.max_row == 2


def test_link_target_quotes_sheet_names_and_uses_layouts():
    layouts = {"诉求台账": SheetLayout("诉求台账", 3, {"编号": 1, "答复日期": 27}, 30, 50)}
    cols = column_index_from_layouts(layouts)
    assert cols == {("诉求台账", "编号"): 1, ("诉求台账", "答复日期"): 27}
    f = finding("R09", "诉求台账", 12, "答复日期", "", "")
    assert link_target(f, {"诉求台账"}, cols) == "internal:'诉求台账'!AA12"
    g = finding("R07", "O'Brien", 2, "", "", "")
    assert link_target(g, {"O'Brien"}) == "internal:'O''Brien'!A2"
    assert link_target(g, set()) is None


def test_links_past_the_hyperlink_limit_become_hyperlink_formulas(monkeypatch):
    from huitan_xl.reports import findings_sheet

    monkeypatch.setattr(findings_sheet, "MAX_LINKS", 2)
    ws = build(FINDINGS)
    assert [ws.cell(r, 8).hyperlink.location if ws.cell(r, 8).hyperlink else None for r in range(13, 20)] == [
        "'诉求台账'!A3", "'诉求台账'!I4", None, None, None, None, None]
    assert [ws.cell(r, 8).value for r in range(15, 20)] == [
        '=HYPERLINK("#\'诉求台账\'!P12","跳转")', '=HYPERLINK("#\'参会人员\'!B7","跳转")', None,
        '=HYPERLINK("#\'层级\'!A1","跳转")', '=HYPERLINK("#\'职工名册\'!A5","跳转")']


def test_more_findings_than_excel_allows_links_writes_without_warnings(recwarn):
    many = [finding("R05", "诉求台账", r, "承办部门", "", "诉求缺少承办部门") for r in range(2, 65540)]
    wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    ws = wb.add_worksheet("校验结果")
    findings_builder(many, SHEETS, COLUMNS)(ws, Formats(wb))
    assert ws.hlink_count == 65530 and len(recwarn) == 0
