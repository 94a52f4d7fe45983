"""逾期督办: each supervised ticket once, grouped by supervisor, department counts above
(issue 13). Inputs built by hand; every figure below is counted by hand."""
from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import openpyxl

from huitan_xl.model import Src
from huitan_xl.reports.overdue_sheet import overdue_builder
from huitan_xl.rules.tickets import TicketStatus
from huitan_xl.write import Workbook

AS_OF = date(2026, 11, 24)


def status(row, item_id, state, dept, supervisor, days=None, wdays=None, hint="", deadline=date(2026, 11, 2)):
    return TicketStatus(item_id, state, deadline, days, wdays, hint, dept, dept[:2] + "主任", supervisor,
                        Src("诉求台账", row))


STATUSES = [
    status(2, "A1", "逾期未答复", "机电科", "王强", 20, 14, "通报", date(2026, 11, 4)),
    status(3, "A2", "逾期未答复", "通风科", "王强", 3, 2, "催办", date(2026, 11, 21)),
    status(4, "A3", "待答复", "机电科", "李娜", hint="即将到期", deadline=date(2026, 11, 25)),
    status(5, "A4", "按期答复", "机电科", "李娜", hint="成效不理想"),
    status(6, "A5", "逾期答复", "后勤服务中心", "", hint="成效不理想"),
    status(7, "A6", "已办结", "机电科", "王强"),
    status(8, "A7", "逾期未答复", "通风科", "李娜", 8, 6, "催办", date(2026, 11, 16)),
]
ITEMS = [SimpleNamespace(src=Src("诉求台账", r), assigned=date(2026, 10, r),
                         content="长" * 60 if r == 2 else f"第{r}行的诉求内容") for r in range(2, 9)]


def sheet(tmp_path, statuses=STATUSES):
    wb = Workbook.new()
    wb.put_sheet("台账", lambda ws, fmt: ws.write_string(0, 0, "x"))
    wb.save(tmp_path / "a.xlsx", backup=False)
    wb = Workbook.open(tmp_path / "a.xlsx")  # transplanted, as a job writes it
    wb.put_sheet("逾期督办", overdue_builder(statuses, ITEMS, AS_OF))
    wb.save()
    return openpyxl.load_workbook(tmp_path / "a.xlsx")["逾期督办"]


def values(ws, first, last, width):
    return [[c.value for c in row][:width] for row in ws.iter_rows(min_row=first, max_row=last)]


def test_each_supervised_ticket_once_by_supervisor_with_counts_above(tmp_path):
    ws = sheet(tmp_path)
    assert ws["A1"].value == "逾期督办清单（截至 2026-11-24）"
    assert ws["A2"].value == ("督办 6 件：逾期未答复 3 件（其中通报 1 件），即将到期 1 件，成效不理想仍在督办 2 件。"
                              "每件只列一次，按督办员分组。本表由 huitan-xl 生成，每次运行重建，请勿在此表录入。")
    assert ws["A4"].value == "一、按督办员汇总（件）"
    assert values(ws, 5, 9, 7) == [
        ["督办员", "逾期未答复", "其中通报", "即将到期", "成效不理想", "督办合计", "最长逾期天数"],
        ["王强", 2, 1, 0, 0, 2, 20],
        ["李娜", 1, 0, 1, 1, 3, 8],
        ["（未指定）", 0, 0, 0, 1, 1, None],
        ["合计", 3, 1, 1, 2, 6, 20]]
    assert ws["A11"].value == "二、按承办部门汇总（件）"
    assert values(ws, 12, 16, 7) == [
        ["承办部门", "逾期未答复", "其中通报", "即将到期", "成效不理想", "督办合计", "最长逾期天数"],
        ["通风科", 2, 0, 0, 0, 2, 8],
        ["机电科", 1, 1, 1, 1, 3, 20],
        ["后勤服务中心", 0, 0, 0, 1, 1, None],
        ["合计", 3, 1, 1, 2, 6, 20]]
    assert ws["A18"].value.startswith("三、督办明细（按督办员分组，每件只列一次")
    detail = values(ws, 19, 26, 12)
    assert detail[0] == ["督办员", "督办类别", "编号", "承办部门", "承办负责人", "交办日期", "应答复日期", "逾期天数",
                         "逾期工作日", "督办提示", "内容", "台账行号"]
    assert [r[:4] + r[7:10] + r[11:] for r in detail[1:]] == [
        ["王强", "逾期未答复", "A1", "机电科", 20, 14, "通报", 2],
        ["王强", "逾期未答复", "A2", "通风科", 3, 2, "催办", 3],
        ["李娜", "逾期未答复", "A7", "通风科", 8, 6, "催办", 8],
        ["李娜", "即将到期", "A3", "机电科", None, None, "即将到期", 4],
        ["李娜", "成效不理想", "A4", "机电科", None, None, "成效不理想", 5],
        ["（未指定）", "成效不理想", "A5", "后勤服务中心", None, None, "成效不理想", 6],
        [None] * 8]  # A6 (已办结) is not supervised; nothing after the table
    assert detail[1][4:7] == ["机电主任", datetime(2026, 10, 2), datetime(2026, 11, 4)]
    assert detail[1][10] == "长" * 60 and detail[2][10] == "第3行的诉求内容"  # the whole content
    assert ws["K20"].alignment.wrap_text  # wrapped in a 40-wide column: 18 characters a line, 4 lines
    assert ws.row_dimensions[20].height == 60 and ws.row_dimensions[21].height is None


def test_the_sheet_prints_landscape_a4_one_page_wide_with_the_header_on_every_page(tmp_path):
    ws = sheet(tmp_path)
    assert ws.print_title_rows == "$19:$19"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # fit to 1 page wide (1 is the default), any height
    assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)
    assert "&P" in ws.oddFooter.center.text and ws.freeze_panes == "A20"
    assert ws.column_dimensions["A"].width >= 14  # 后勤服务中心 (12 wide) is not cut in the summary


def test_nothing_to_supervise_says_so(tmp_path):
    ws = sheet(tmp_path, [STATUSES[5]])
    assert ws["A2"].value.startswith("督办 0 件：逾期未答复 0 件（其中通报 0 件），即将到期 0 件，成效不理想仍在督办 0 件。")
    assert ws["A4"].value == "截至本日没有需要督办的承办单。"


def column_widths(ws, n=12):
    """Set width of columns A.. (a <col> element may cover several columns; XlsxWriter adds
    its 0.71 padding to what was asked)."""
    out = []
    for col in range(1, n + 1):
        dim = next(d for d in ws.column_dimensions.values() if d.min <= col <= d.max)
        out.append(round(dim.width - 0.7109375, 2))
    return out


def test_every_header_and_short_value_fits_its_column_on_one_line(tmp_path):
    """Width = ceil((display units x 7.35 px, x 1.08 when bold, + 8 px) / 7 px), at least the
    planned width: 最长逾期天数 (12 units, bold) needs 103 px = 15; 逾期未答复 / 承办负责人 /
    逾期工作日 (10, bold) 87 px = 13; 督办类别-sized headers (8, bold) 71 px = 11; the values
    成效不理想 / （未指定） (10, plain) 81 px = 12 and 后勤服务中心 (12) 96 px = 14."""
    ws = sheet(tmp_path)
    #                            A   B   C   D   E   F   G   H   I   J   K   L
    assert column_widths(ws) == [14, 13, 14, 14, 13, 11, 15, 11, 13, 12, 40, 11]
