"""The hard benchmark register has the shape issue 13 describes: every row a ticket over
two years up to the cut-off, contents of 20–100 characters, about a quarter overdue and
unanswered, about a third answered but 不满意 or 未解决, most replies late; seeded."""
from __future__ import annotations

import sys
from datetime import date

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from hard_register import HARD_COLUMNS, hard_items  # noqa: E402

from huitan_xl.calendar import WorkCalendar  # noqa: E402

AS_OF = date(2026, 11, 24)
POOL = [{"编号": f"SQ2026-{i:04d}", "场次编号": "S1", "提出人工号": "E1", "提出人": "张三", "类别": "职工诉求",
         "承办部门": "机电科", "承办负责人": "李四", "督办员": "王五"} for i in range(1, 11)]


def test_hard_register_shape():
    cal = WorkCalendar()
    rows = hard_items(4000, POOL, AS_OF, cal, seed=7)
    assert rows == hard_items(4000, POOL, AS_OF, cal, seed=7)  # seeded
    assert all(set(r) <= set(HARD_COLUMNS) for r in rows) and len(HARD_COLUMNS) == 17
    assert [r["编号"] for r in rows[:10]] == [p["编号"] for p in POOL]  # references into the pool stay valid
    assert len({r["编号"] for r in rows}) == 4000
    assert min(r["交办日期"] for r in rows) > date(2024, 11, 24) and max(r["交办日期"] for r in rows) <= AS_OF
    assert all(20 <= len(r["内容"]) <= 100 for r in rows)
    open_overdue = [r for r in rows if "答复日期" not in r and r["答复时限"] < AS_OF]
    replied = [r for r in rows if "答复日期" in r]
    weak = [r for r in replied if r["职工满意度"] == "不满意" or r["是否解决"] == "否"]
    late = [r for r in replied if r["答复日期"] > r["答复时限"]]
    assert 0.22 < len(open_overdue) / len(rows) < 0.28
    assert 0.30 < len(weak) / len(rows) < 0.37
    assert len(late) / len(replied) > 0.6
    assert all(r["公示日期"] is None or r["公示日期"] >= r["答复日期"] for r in replied)
