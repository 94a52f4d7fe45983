"""End to end: `huitan init` + tickets typed in + `huitan overdue`, read back cell by cell."""
from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, datetime

import openpyxl
import pytest

from conftest import PROBE, corpus_files, huitan, huitan_json, needs_corpus, parts, type_rows
from huitan_xl import schema

# 2026 calendar: National Day + Mid-Autumn off 10-01..10-07, Sat 10-10 a make-up workday.
TICKETS = [
    # 编号, 交办日期, 答复时限, 答复日期, 是否解决, 是否落实, 内容
    {"编号": "T-001", "类别": "职工诉求", "现场答复": "否", "承办部门": "后勤服务中心", "督办员": "王督办",
     "交办日期": date(2026, 9, 28), "内容": "=HYPERLINK(\"http://x\",\"点我\")"},  # default: 5 wd -> 10-09
    {"编号": "T-002", "类别": "问题意见", "现场答复": "否", "承办部门": "机电科", "督办员": "王督办",
     "交办日期": date(2026, 11, 2), "答复时限": date(2026, 11, 6), "答复日期": date(2026, 11, 6),
     "内容": "+86 食堂菜价"},
    {"编号": "T-003", "类别": "问题意见", "现场答复": "否", "承办部门": "机电科", "督办员": "李督办",
     "交办日期": date(2026, 11, 2), "答复时限": date(2026, 11, 6), "答复日期": date(2026, 11, 9),
     "是否解决": "是", "是否落实": "是", "内容": "-绞车保养"},
    {"编号": "T-004", "类别": "职工诉求", "现场答复": "是", "内容": "@班车时间"},
    {"编号": "T-005", "类别": "职工诉求", "现场答复": "否", "承办部门": "通风科", "督办员": "李督办",
     "交办日期": "2026年11月20日", "内容": "通风设备噪音"},  # 5 wd -> 11-27, as_of 11-24: 即将到期? 3 wd left
]
AS_OF = "2026-11-24"
# hand-computed: T-001 deadline 10-09 (9/29,9/30,10/8,10/9,... see below), open -> 逾期未答复
#   working days after 9-28: 9-29(1), 9-30(2), 10-01..10-07 off, 10-08(3), 10-09(4), 10-10 Sat make-up(5)
#   -> deadline 2026-10-10; days overdue = 11-24 − 10-10 = 45; ladder 通报
EXPECTED = {  # 状态, 应答复日期, 逾期天数, 督办提示
    "T-001": ("逾期未答复", datetime(2026, 10, 10), 45, "通报"),
    "T-002": ("按期答复", datetime(2026, 11, 6), None, None),
    "T-003": ("已办结", datetime(2026, 11, 6), 3, None),
    "T-004": ("现场答复", None, None, None),
    "T-005": ("待答复", datetime(2026, 11, 27), None, None),
}


def owned(path):
    ws = openpyxl.load_workbook(path)["诉求台账"]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    out = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[col["编号"]]:
            out[row[col["编号"]]] = tuple(row[col[h]] for h in schema.ITEM_OWNED)
    return out, header, ws


def make_register(tmp_path, base=None):
    path = tmp_path / ("台账.xlsx" if base is None else base.name)
    if base is not None:
        shutil.copy(base, path)
    assert huitan("init", path).returncode == 0
    type_rows(path, schema.ITEMS, TICKETS)
    return path


def test_overdue_fills_states_days_and_hints(tmp_path):
    path = make_register(tmp_path)
    proc = huitan("overdue", path, "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr.decode()
    got, header, ws = owned(path)
    assert got == EXPECTED
    assert header[-7:] == ["状态", "应答复日期", "逾期天数", "督办提示", "主题（自动）", "主题依据", "重复反映"]
    # formula-like ticket text stays inert text
    content_col = header.index("内容") + 1
    cells = [ws.cell(r, content_col) for r in range(2, 7)]
    assert [c.data_type for c in cells] == ["s"] * 5
    assert cells[0].value.startswith("=HYPERLINK")
    wb = openpyxl.load_workbook(path)
    assert "逾期督办" in wb.sheetnames and "运行记录" in wb.sheetnames


def test_overdue_json_and_dry_run(tmp_path):
    path = make_register(tmp_path)
    before = path.read_bytes()
    code, out = huitan_json("overdue", path, "--as-of", AS_OF, "--dry-run")
    assert path.read_bytes() == before
    assert code == 0
    assert out["command"] == "overdue" and out["as_of"] == AS_OF
    t1 = next(t for t in out["tickets"] if t["id"] == "T-001")
    assert t1 == {"id": "T-001", "state": "逾期未答复", "deadline": "2026-10-10", "days_overdue": 45,
                  "department": "后勤服务中心", "supervisor": "王督办"}
    assert [t["id"] for t in out["tickets"]] == ["T-001", "T-002", "T-003", "T-005"]


def test_second_run_gives_same_workbook_but_one_more_log_line(tmp_path):
    path = make_register(tmp_path)
    assert huitan("overdue", path, "--as-of", AS_OF).returncode == 0
    first = parts(path)
    assert huitan("overdue", path, "--as-of", AS_OF).returncode == 0
    second = parts(path)
    changed = sorted(n for n in first if first[n] != second.get(n))
    assert set(first) == set(second)
    # only the run log sheet differs (one more line)
    wb = openpyxl.load_workbook(path)
    log_sheet_part = None
    assert len(changed) <= 1, changed
    log = wb["运行记录"]
    tasks = [r[1] for r in log.iter_rows(values_only=True) if r[1] == "逾期督办"]  # 运行记录 names the task in Chinese
    assert len(tasks) == 2


@pytest.mark.parametrize("src", corpus_files(), ids=lambda p: p.name)
@needs_corpus
def test_fidelity_on_excel_made_workbooks(tmp_path, src):
    """init + tickets + overdue on a real Excel file loses nothing it does not own."""
    path = make_register(tmp_path, src)
    proc = huitan("overdue", path, "--as-of", AS_OF)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert owned(path)[0] == EXPECTED
    probe = subprocess.run([sys.executable, str(PROBE), str(src), str(path)], capture_output=True)
    assert probe.returncode == 0, probe.stdout.decode()
    # part by part: every original part is still there; those the tool does not own are byte-identical
    before, after = parts(src), parts(path)
    tool_may_change = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                       "xl/styles.xml", "docProps/app.xml", "xl/calcChain.xml"}
    missing = [n for n in before if n not in after and n not in tool_may_change]
    assert missing == []
    changed = [n for n in before if n in after and before[n] != after[n] and n not in tool_may_change]
    assert changed == []


def test_protected_structure_fills_columns_and_puts_new_sheets_in_a_companion(tmp_path):
    """SPEC §11: no new sheets in a structure-protected workbook; they go to NAME.huitan.xlsx."""
    import re
    import zipfile

    path = make_register(tmp_path)
    with zipfile.ZipFile(path) as z:
        parts_in = {n: z.read(n) for n in z.namelist()}
    wb_xml = parts_in["xl/workbook.xml"].decode()
    wb_xml = re.sub(r"(<bookViews)", '<workbookProtection lockStructure="1"/>\\1', wb_xml, count=1)
    parts_in["xl/workbook.xml"] = wb_xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts_in.items():
            z.writestr(n, data)
    sheets_before = openpyxl.load_workbook(path).sheetnames
    proc = huitan("overdue", path, "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode("utf-8")
    companion = tmp_path / "台账.huitan.xlsx"
    assert "工作簿结构受保护" in out and companion.name in out
    assert openpyxl.load_workbook(path).sheetnames == sheets_before  # no sheet added
    assert owned(path)[0] == EXPECTED  # the tool's columns are still filled in place
    assert openpyxl.load_workbook(companion).sheetnames == ["逾期督办", "运行记录"]
