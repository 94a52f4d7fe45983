"""The documents on a register kept the way a clerk keeps it (tests/clerk_books.py): her headers,
a title row, 慧谈日期 merged over a talk's requests, dates without a year, 5个工作日, a 合计 row.
Every expected value is read off clerk_books.ROWS and its hand-computed comments."""
from __future__ import annotations

import json

import pytest
from clerk_books import AS_OF, clerk_register
from conftest import huitan
from documents_register import docx_all_text, table_with
from test_documents import NOTICE_HEADER, form_fields

pytest.importorskip("docx")


@pytest.fixture
def register(tmp_path):
    return clerk_register(tmp_path / "台账.xlsx", sheet="2026年")


def run_json(*args) -> dict:
    proc = huitan(*args, "--json")
    assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")  # 待商定 in row 10 is an R01
    return json.loads(proc.stdout.decode("utf-8"))


def test_forms_take_the_talk_date_and_unit_from_her_row(register):
    from docx import Document

    out = run_json("forms", register, "--ids", "2,5", "--as-of", AS_OF.isoformat())
    assert out["forms"] == ["2", "5"]
    doc = Document(out["files"][0])
    first = form_fields([[c.text for c in r.cells] for r in doc.tables[0].rows])
    # row 2: 慧谈日期 from the merge B4:B6 (2026.9.9), 交办 9月10日 -> 2026-09-10, 10月22日前 -> 2026-10-22
    assert {k: first[k] for k in ("编　　号", "慧谈日期", "诉 求 人", "所在单位", "诉求内容", "承办部门", "承办负责人",
                                  "交办日期")} == {
        "编　　号": "2", "慧谈日期": "2026-09-09", "诉 求 人": "李四", "所在单位": "掘进二队",
        "诉求内容": "巷道照明不足", "承办部门": "机电科", "承办负责人": "赵科长", "交办日期": "2026-09-10"}
    assert first["答复时限"].startswith("2026-10-22")
    second = form_fields([[c.text for c in r.cells] for r in doc.tables[1].rows])
    # row 5: 慧谈日期 from the merge B7:B8 (20261104); 交办 "11.5" -> 2026-11-05 (Thu) + 5个工作日 -> 11-12
    assert (second["慧谈日期"], second["所在单位"], second["交办日期"]) == ("2026-11-04", "机电队", "2026-11-05")
    assert second["答复时限"].startswith("2026-11-12")


def test_notice_of_september_from_her_register(register):
    out = run_json("notice", register, "--month", "2026-09", "--as-of", AS_OF.isoformat())
    path = register.with_name("台账_2026-09_诉求答复公示.docx")
    assert out["counts"] == {"replies": 2}
    # replied in September: row 1 on 2026年9月15日 (deadline 09-16: on time) and row 6 on 2026.9.30
    # (deadline 09-16: late). No roster: how many work in 综采一队 is unknown, so the unit is posted
    # as 其他, never by name.
    assert table_with(path, NOTICE_HEADER) == [
        ["1", "1", "", "其他", "澡堂热水不足", "后勤服务中心", "已增加锅炉", "2026-09-15", "按期答复"],
        ["2", "6", "", "其他", "防护用品", "安监处", "已发放", "2026-09-30", "逾期答复"]]
    text = docx_all_text(path)
    assert "张三" not in text and "周八" not in text and "综采一队" not in text


def test_monthly_report_lists_her_overdue_tickets(register):
    out = run_json("report", register, "--month", "2026-11", "--as-of", "2026-12-01")
    doc = next(f for f in out["files"] if f.endswith("月度职工思想动态分析报告.docx"))
    text = docx_all_text(doc)
    # on 11-30: rows 2 (10-22), 3 (10-21), 5 (11-12) and 7 (默认 11-27) are overdue and unanswered
    assert "逾期未答复的承办单4件" in text
    for content in ("巷道照明不足", "加班费未发", "食堂饭菜", "宿舍漏水"):
        assert content in text
    # 合计 and 注 rows are not tickets
    assert "合计" not in text and "办理时限按工作日计算" not in text
