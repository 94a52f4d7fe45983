"""The Word report's 三（一） 逾期未答复的承办单 on hand-built registers: every overdue ticket when
there are 20 or fewer; above that the count per department and the 20 longest overdue, with a
sentence saying where the whole list is (the 月度分析 sheet's section 四, taken at the same day)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from report_registers import item, status

from huitan_xl.model import Registers
from huitan_xl.reports.monthly import month_span, monthly_report
from huitan_xl.rules.tickets import OVERDUE_OPEN
from huitan_xl.settings import Settings

pytest.importorskip("docx")

OCT = month_span(2026, 10)
AS_OF = date(2026, 11, 5)  # the list is taken at the month end, 2026-10-31
HEADER = ["编号", "承办部门", "负责人", "应答复日期", "逾期天数", "诉求内容"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def department_of(k: int) -> tuple[str, str]:
    """Ticket k's 承办部门 and 承办负责人: 1-12 后勤科, 13-20 安监处, 21-22 机电科, 23 none."""
    if k <= 12:
        return "后勤科", "张三"
    if k <= 20:
        return "安监处", "李四"
    if k <= 22:
        return "机电科", "王五"
    return "", ""


def overdue_registers(n: int):
    """n unanswered tickets T01..Tn; Tk due 2026-10-30 minus k days: k + 1 days overdue on 10-31."""
    items, statuses = [], []
    for k in range(1, n + 1):
        dept, head = department_of(k)
        it = item(f"T{k:02d}", "", "职工诉求", dept=dept, head=head, assigned=date(2026, 9, 1), row=k + 1,
                  content=f"内容{k}")
        items.append(it)
        statuses.append(status(it, OVERDUE_OPEN, date(2026, 10, 30) - timedelta(days=k), k + 6))  # days to AS_OF
    return Registers("test.xlsx", items=items, settings=Settings()), statuses


def overdue_section(n: int) -> list:
    """The blocks of 三（一）: ("P", text) per paragraph, ("T", rows of cell texts) per table."""
    from huitan_xl.documents.monthly_doc import monthly_document

    regs, statuses = overdue_registers(n)
    rep = monthly_report(regs, statuses, OCT, coverage_rows=(), as_of=AS_OF)
    doc = monthly_document(rep, mine="", issuer="矿党群办", day=AS_OF, with_charts=False).doc
    blocks = []
    for el in doc.element.body.iterchildren():
        if el.tag == f"{{{W}}}p":
            blocks.append(("P", "".join(t.text or "" for t in el.iter(f"{{{W}}}t"))))
        elif el.tag == f"{{{W}}}tbl":
            blocks.append(("T", [["".join(t.text or "" for t in tc.iter(f"{{{W}}}t")) for tc in tr.iter(f"{{{W}}}tc")]
                                 for tr in el.iter(f"{{{W}}}tr")]))
    start = blocks.index(("P", "（一）逾期未答复的承办单"))
    end = blocks.index(("P", "（二）办理成效不理想的承办单"))
    return blocks[start + 1:end]


def test_more_than_20_overdue_give_counts_per_department_and_the_20_longest_overdue():
    section = overdue_section(23)
    assert section[0] == ("P", "截至2026-10-31，逾期未答复的承办单23件（含以前月份交办的）。按承办部门统计如下。")
    # most tickets first; 后勤科 T01..T12 (longest T12: 13 days), 安监处 T13..T20 (T20: 21 days),
    # 机电科 T21, T22 (23 days), no department T23 (24 days)
    assert section[1] == ("T", [["承办部门", "逾期件数", "最长逾期天数"],
                                ["后勤科", "12", "13"],
                                ["安监处", "8", "21"],
                                ["机电科", "2", "23"],
                                ["（未填）", "1", "24"],
                                ["合计", "23", "24"]])
    assert section[2] == ("P", "")  # the line of air below a table
    assert section[3] == ("P", "逾期天数最长的20件如下；全部23件的清单见台账「月度分析」表“四、逾期未答复承办单”，"
                               "每周的督办情况见「逾期督办」表。")
    kind, rows = section[4]
    assert kind == "T" and rows[0] == HEADER and len(rows) == 21
    assert rows[1] == ["T23", "", "", "2026-10-07", "24", "内容23"]
    assert rows[2] == ["T22", "机电科", "王五", "2026-10-08", "23", "内容22"]
    assert rows[20] == ["T04", "后勤科", "张三", "2026-10-26", "5", "内容4"]
    assert [r[0] for r in rows[1:]] == [f"T{k:02d}" for k in range(23, 3, -1)]  # T01..T03 left out
    assert section[5:] == [("P", "")]


def test_20_or_fewer_overdue_are_all_listed():
    section = overdue_section(20)
    assert section[0] == ("P", "截至2026-10-31，逾期未答复的承办单20件（含以前月份交办的）。")
    kind, rows = section[1]
    assert kind == "T" and rows[0] == HEADER and len(rows) == 21
    assert rows[1] == ["T20", "安监处", "李四", "2026-10-10", "21", "内容20"]
    assert rows[20] == ["T01", "后勤科", "张三", "2026-10-29", "2", "内容1"]
    assert section[2:] == [("P", "")]

    section = overdue_section(2)
    assert section == [("P", "截至2026-10-31，逾期未答复的承办单2件（含以前月份交办的）。"),
                       ("T", [HEADER, ["T02", "后勤科", "张三", "2026-10-28", "3", "内容2"],
                              ["T01", "后勤科", "张三", "2026-10-29", "2", "内容1"]]),
                       ("P", "")]


def test_no_overdue_ticket():
    assert overdue_section(0) == [("P", "截至2026-10-31，无逾期未答复的承办单。")]
