"""The rows of a tool-owned sheet are moved into the workbook by their two tokens (style
index, shared string) rather than through lxml: the result must be the same bytes."""
from __future__ import annotations

from datetime import date

from huitan_xl.xlsx import transplant as xlsx_transplant
from huitan_xl.write import Workbook


def builder(ws, fmt):
    ws.write_string(0, 0, "标题 & <说明> \"引号\"", fmt.title)
    ws.write_string(1, 0, "  前后空格  ", fmt.subtitle)
    ws.write_string(2, 0, "换行\n第二行")
    ws.write_rich_string(3, 0, "普通", fmt.bold, "加粗", "结尾")
    ws.set_row(4, 30, fmt.header)
    ws.write_number(5, 1, 12.5, fmt.yuan)
    ws.write_datetime(5, 2, date(2026, 3, 5), fmt.date)
    ws.write_blank(5, 3, None, fmt.error)
    ws.write_boolean(5, 4, True)
    ws.write_string(6, 0, "标题 & <说明> \"引号\"")  # a repeated shared string
    ws.set_column(0, 0, 20, fmt.wrap)


def render(tmp_path, name, monkeypatch=None):
    wb = Workbook.new()
    wb.put_sheet("逾期督办", builder)
    path = tmp_path / f"{name}.xlsx"
    wb.save(path, backup=False)
    again = Workbook.open(path)  # replaced in place, styles merged into an existing package
    again.put_sheet("逾期督办", builder)
    again.put_sheet("新表", builder)
    return again.render()[0]


def test_fast_rows_give_the_same_bytes_as_the_tree(tmp_path, monkeypatch):
    fast = render(tmp_path, "fast")
    used = []
    real = xlsx_transplant._split_sheet_data
    monkeypatch.setattr(xlsx_transplant, "_split_sheet_data", lambda xml: used.append(real(xml)) or None)
    slow = render(tmp_path, "slow")
    assert any(u is not None for u in used)  # the fast path would have been taken
    assert fast == slow
