"""A big register sheet (over a megabyte) is patched as it is deflated (write.py ->
sheet_patch.patch_blocks): on a register kept the way a clerk keeps it — her headers, a
title, a 合计 and a 注 line — the result is byte for byte the sheet the whole-sheet patch
writes, for overdue (the owned block) and validate (校验提示 and its conditional format)."""
from __future__ import annotations

import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from clerk_books import AS_OF, HEADERS
from conftest import run_cli
from huitan_xl import write
from huitan_xl.xlsx.sheet_patch import patch_blocks

ROWS = 3000  # about 1.5 MB of sheet XML: over package.BIG_PART


def big_clerk_register(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "诉求台账"
    ws["A1"] = "2026年八级慧谈诉求台账"
    ws.append(HEADERS)
    start = date(2026, 9, 1)
    for i in range(ROWS):
        assigned = start + timedelta(days=i % 80)
        replied = assigned + timedelta(days=i % 11) if i % 3 else None
        ws.append([i + 1, assigned, f"职工{i % 97}", "综采一队", "生活后勤", f"第{i + 1}条：澡堂热水不足，请尽快处理",
                   ["后勤服务中心", "机电科", "劳资科"][i % 3], "王科长", assigned,
                   "5个工作日" if i % 4 == 0 else None, replied, "已处理" if replied else None,
                   "不满意" if i % 7 == 0 else "满意" if replied else None, None, None])
    ws.append(["合计", None, f"=COUNTA(C3:C{ROWS + 2})"])
    ws.append(["注：办理时限按工作日计算，节假日顺延。"])
    wb.save(path)
    return path


def register_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("job", ["overdue", "validate"])
def test_a_big_clerk_register_patched_as_it_goes_is_the_sheet_patched_whole(tmp_path, monkeypatch, job):
    streamed = big_clerk_register(tmp_path / "streamed.xlsx")
    assert len(register_xml(streamed)) > 1 << 20
    whole = tmp_path / "whole.xlsx"
    whole.write_bytes(streamed.read_bytes())
    calls = []
    monkeypatch.setattr(write, "patch_blocks", lambda *a, **k: calls.append(1) or patch_blocks(*a, **k))
    assert run_cli(job, streamed, "--as-of", AS_OF.isoformat()).returncode in (0, 1)
    assert calls == [1]  # her register went the streamed way
    monkeypatch.setattr(write, "streamable", lambda xml: False)  # the whole-sheet patch
    assert run_cli(job, whole, "--as-of", AS_OF.isoformat()).returncode in (0, 1)
    xml = register_xml(streamed)
    assert xml == register_xml(whole)
    if job == "overdue":
        # row 3 (序号 1): 交办 2026-09-01 (Tue), 5个工作日 -> 09-08, never answered -> 逾期未答复, 77 days
        sheet = openpyxl.load_workbook(streamed)["诉求台账"]
        head = [c.value for c in sheet[2]]
        state, due, days = (head.index(h) + 1 for h in ("状态", "应答复日期", "逾期天数"))
        assert sheet.cell(3, state).value == "逾期未答复"
        assert sheet.cell(3, due).value.date() == date(2026, 9, 8)
        assert sheet.cell(3, days).value == 77
        assert sheet.cell(ROWS + 3, 1).value == "合计" and sheet.cell(ROWS + 3, state).value is None
    else:
        assert b"conditionalFormatting" in xml
