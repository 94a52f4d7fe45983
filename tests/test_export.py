"""huitan export: the frames' tables as CSV (UTF-8 with BOM) or one .xlsx, on the small register
of test_frames (hand-computed there)."""
import csv
import json
from pathlib import Path
import io
from datetime import datetime

import openpyxl
import pytest

from huitan_xl import schema
from huitan_xl.export import export
from test_frames import AS_OF, register  # noqa: F401  (the fixture)


def test_csv_one_file_per_table_utf8_with_bom(register, tmp_path):  # noqa: F811
    before = register.read_bytes()
    out = tmp_path / "导出"
    files = export(register, "csv", out, as_of=AS_OF)
    assert out / "诉求台账.csv" in files and out / "考核扣分.csv" in files and out / "职工名册.csv" in files
    raw = (out / "诉求台账.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["编号"], r["交办日期"], r["状态"], r["应答复日期"], r["逾期天数"], r["督办提示"], r["扣分"],
             r["是否解决"], r["行号"]) for r in table] == [
        ("T-1", "2026-03-02", "逾期未答复", "2026-03-09", "11", "通报", "-2", "", "2"),
        ("T-2", "2026-03-02", "已办结", "2026-03-09", "2", "", "-2", "是", "3"),
        ("T-3", "2026-03-16", "待答复", "2026-03-23", "", "即将到期", "-1", "", "4"),
        ("T-4", "2026-03-18", "待答复", "2026-04-07", "", "", "0", "", "5"),
        ("Q-1", "", "现场答复", "", "", "", "0", "", "6")]
    sessions = (out / "慧谈场次.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(sessions) == 1 and sessions[0].startswith("场次编号,日期,类型,层级")  # empty: header only
    assert register.read_bytes() == before


def test_xlsx_one_sheet_per_table(register, tmp_path):  # noqa: F811
    [path] = export(register, "xlsx", tmp_path, as_of=AS_OF)
    assert path == tmp_path / "台账_导出.xlsx"
    wb = openpyxl.load_workbook(path)
    assert {schema.ITEMS, schema.SUGGESTIONS, schema.DEDUCTIONS_SHEET, schema.ROSTER} <= set(wb.sheetnames)
    ws = wb[schema.DEDUCTIONS_SHEET]
    assert [c.value for c in ws[1]] == ["日期", "代码", "事项", "部门", "负责人", "扣分", "依据", "说明", "来源表", "行号"]
    assert [c.value for c in ws[5]][:7] == [datetime(2026, 3, 16), "D03", "推诿扯皮", "通风区", "刘区长", -1, "T-3"]
    assert ws["A5"].number_format == "yyyy-mm-dd"
    items = wb[schema.ITEMS]
    head = [c.value for c in items[1]]
    row3 = {h: c.value for h, c in zip(head, items[3])}
    assert (row3["编号"], row3["状态"], row3["是否解决"], row3["扣分"]) == ("T-2", "已办结", "是", -2)


def test_an_unknown_format_is_refused(register, tmp_path):  # noqa: F811
    with pytest.raises(ValueError, match="导出格式只能是 csv 或 xlsx"):
        export(register, "json", tmp_path, as_of=AS_OF)
    assert list(tmp_path.iterdir()) == [register]


def test_the_command_line_writes_the_same_tables(register, tmp_path):  # noqa: F811
    from conftest import run_cli

    out = tmp_path / "导出"
    done = run_cli("export", register, "--to", "csv", out, "--as-of", "2026-03-20", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.decode("utf-8"))
    assert report["command"] == "export" and report["as_of"] == "2026-03-20"
    assert [Path(f).name for f in report["files"]] == [  # the 10 registers, the ledger, the findings
        "层级.csv", "部门.csv", "职工名册.csv", "慧谈场次.csv", "参会人员.csv", "诉求台账.csv", "合理化建议.csv",
        "报告报送.csv", "考核事项.csv", "节假日.csv", "考核扣分.csv", "校验结果.csv"]
    first = (out / "诉求台账.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert first.startswith("T-1,") and ",逾期未答复,2026-03-09,11,9,通报,-2," in first
    text = run_cli("export", register, "--to", "xlsx", tmp_path, "--as-of", "2026-03-20")
    assert text.returncode == 0 and "已导出 1 个文件（基准日期 2026-03-20）" in text.stdout.decode("utf-8")
    assert (tmp_path / "台账_导出.xlsx").exists()


def test_the_command_line_refuses_an_unusable_workbook(tmp_path):
    from conftest import run_cli

    bad = tmp_path / "台账.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    done = run_cli("export", bad, "--to", "csv", tmp_path / "out")
    assert done.returncode == 2 and not (tmp_path / "out").exists()
    assert "台账.xlsx" in done.stderr.decode("utf-8")
    assert run_cli("export", bad, "--to", "json", tmp_path / "out").returncode == 2  # argparse: usage
