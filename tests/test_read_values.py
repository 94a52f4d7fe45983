"""read_values (the in-memory face used from Excel) reads exactly what read_workbook reads."""
from __future__ import annotations

from datetime import date, datetime

import openpyxl

from huitan_xl.read import read_values, read_workbook


def test_in_memory_values_give_the_same_registers(tmp_path):
    path = tmp_path / "台账.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "诉求台账"
    ws.append(["2026年诉求台账"])
    ws.append(["编号", "现场答复", "承办部门", "交办日期", "答复日期", "自加备注"])
    ws.append(["T-1", "否", "机电科", datetime(2026, 11, 2), "2026.11.5", "x"])
    ws.append([None, None, None, None, None, None])
    ws.append(["T-2", "是", None, "2026/11/3", "2026-13-45", None])
    wb.save(path)

    from_file = read_workbook(path, required=["诉求台账"])
    # what xlwings gives for sheet.range((1,1), last_cell).value: None for empty cells
    grid = [[c.value for c in row] for row in openpyxl.load_workbook(path)["诉求台账"].iter_rows()]
    from_excel = read_values({"诉求台账": grid}, str(path), required=["诉求台账"])

    assert from_excel.items == from_file.items
    assert from_excel.findings == from_file.findings
    assert from_excel.layouts == from_file.layouts
    assert [(i.id, i.assigned, i.replied, i.src.row) for i in from_excel.items] == [
        ("T-1", date(2026, 11, 2), date(2026, 11, 5), 3), ("T-2", date(2026, 11, 3), None, 5)]
    assert [(f.code, f.row, f.column, f.value) for f in from_excel.findings] == [
        ("R01", 5, "答复日期", "2026-13-45")]
