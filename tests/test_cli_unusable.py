"""Exit code 2 with a Chinese message naming the file; the file is not touched."""
from __future__ import annotations

import shutil

from conftest import huitan, needs_corpus, type_rows
from huitan_xl import schema


def _register(tmp_path):
    path = tmp_path / "台账.xlsx"
    assert huitan("init", path).returncode == 0
    type_rows(path, schema.ITEMS, [{"编号": "T-1", "现场答复": "否", "承办部门": "机电科",
                                    "交办日期": "2026-11-02"}])
    return path


def test_missing_file(tmp_path):
    proc = huitan("overdue", tmp_path / "没有这个文件.xlsx")
    assert proc.returncode == 2
    assert "没有这个文件.xlsx" in proc.stderr.decode("utf-8")


def test_not_a_workbook_is_untouched(tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_text("工号,姓名\n1,张三\n", encoding="utf-8")
    before = path.read_bytes()
    proc = huitan("overdue", path)
    assert proc.returncode == 2
    assert "名单.xlsx" in proc.stderr.decode("utf-8")
    assert path.read_bytes() == before


def test_truncated_workbook(tmp_path):
    path = _register(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = path.read_bytes()
    proc = huitan("overdue", path)
    assert proc.returncode == 2
    assert path.read_bytes() == before


def test_locked_by_excel_is_untouched(tmp_path):
    path = _register(tmp_path)
    (tmp_path / ("~$" + path.name)).write_bytes(b"\x00" * 162)
    before = path.read_bytes()
    proc = huitan("overdue", path, "--as-of", "2026-11-24")
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert "台账.xlsx" in err and "Excel" in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["~$台账.xlsx", "台账.xlsx"]


@needs_corpus
def test_required_sheet_missing_names_the_sheet(tmp_path):
    src = tmp_path / "台账.xlsx"
    assert huitan("init", src).returncode == 0
    # a workbook without 诉求台账: one of the corpus files
    from conftest import CORPUS
    other = tmp_path / "其他.xlsx"
    shutil.copy(CORPUS / "poi_64759.xlsx", other)
    before = other.read_bytes()
    proc = huitan("overdue", other)
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert "诉求台账" in err and "其他.xlsx" in err
    assert other.read_bytes() == before


def test_encrypted_workbook(tmp_path):
    import msoffcrypto
    import pytest

    path = _register(tmp_path)
    enc = tmp_path / "加密.xlsx"
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
        with open(path, "rb") as f, open(enc, "wb") as out:
            OOXMLFile(f).encrypt("secret", out)
    except Exception as e:  # pragma: no cover - depends on msoffcrypto version
        pytest.skip(f"cannot encrypt here: {e}")
    before = enc.read_bytes()
    proc = huitan("overdue", enc)
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert "加密.xlsx" in err and "加密" in err
    assert enc.read_bytes() == before


def test_chart_sheet_with_a_tool_sheet_name_is_left_alone(tmp_path):
    """A clerk's chart sheet called 逾期督办 is hers (no mark): left as it is, the tool's sheet
    goes to 逾期督办（系统） and the summary says so (issue 12 §3)."""
    import xlsxwriter

    path = tmp_path / "台账.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("诉求台账")
    for c, h in enumerate(["编号", "现场答复", "承办部门", "交办日期"]):
        ws.write_string(0, c, h)
    for c, v in enumerate(["T-1", "否", "机电科", "2026-11-02"]):
        ws.write_string(1, c, v)
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "='诉求台账'!$A$1:$A$2"})
    wb.add_chartsheet("逾期督办").set_chart(chart)
    wb.close()
    proc = huitan("overdue", path, "--as-of", "2026-11-24")
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    assert "程序的「逾期督办」写在工作表「逾期督办（系统）」中" in proc.stdout.decode("utf-8")
    import openpyxl

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["诉求台账", "逾期督办", "逾期督办（系统）", "运行记录"]
    assert len(wb.chartsheets) == 1 and wb.chartsheets[0].title == "逾期督办"
