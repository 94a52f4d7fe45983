"""A small hand-made register for the report tests (October 2026 and September before it).

Statuses are built by hand (as rules.tickets would give them as of 2026-11-05),
so the report figures can be checked against hand-counted numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from huitan_xl.model import Attendance, Item, Registers, Session, Src, Suggestion
from huitan_xl.rules.tickets import CLOSED, LATE, ON_THE_SPOT, ON_TIME, OVERDUE_OPEN, PENDING, TicketStatus
from huitan_xl.settings import Settings

D = date


def session(sid, day, kind="八级慧谈", level="L1", row=2):
    return Session(sid, day, kind, level, "主题", "牵头人", "现场", "会议室", "矿党群办", "", None,
                   (), (), None, Src("慧谈场次", row))


def item(iid, sid, category, tag="", *, spot=False, dept="", head="", assigned=None, replied=None,
         satisfaction="", resolved=None, implemented=None, risk="", row=2, content="内容"):
    return Item(iid, sid, "E1", "提出人", category, tag, content, spot, dept, head, "督办员", assigned,
                None, None, None, replied, "", None, satisfaction, resolved, implemented, "", risk,
                Src("诉求台账", row))


def status(it: Item, state, deadline, days=None):
    return TicketStatus(it.id, state, deadline, days, None, "", it.department, it.head, it.supervisor, it.src)


def suggestion(gid, source, *, reasonable=None, adopted=None, implementation="", on=None, paid=None, row=2):
    return Suggestion(gid, source, ("E1",), ("提出人",), "安全管理", "建议", reasonable, "", "", adopted,
                      implementation, on, "", None, "", paid, "", Src("合理化建议", row))


@dataclass
class LevelCoverageStub:  # the shape of reports.coverage.LevelCoverage
    code: str
    name: str
    active: int
    covered: int
    sessions: int
    uncovered: list = field(default_factory=list)


def october_registers(settings: Settings | None = None):
    sessions = [
        session("H1", D(2026, 10, 10), row=2),
        session("H2", D(2026, 10, 20), kind="专题慧谈", level="L3", row=3),
        session("H3", D(2026, 9, 15), row=4),
        session("H4", None, level="L2", row=5),
    ]
    att = [Attendance(s, p, p, "", Src("参会人员", i + 2)) for i, (s, p) in enumerate(
        [("H1", "E1"), ("H1", "E2"), ("H1", "E3"), ("H2", "E1"), ("H2", "E4"), ("H3", "E5")])]
    q1 = item("Q1", "H1", "问题意见", "薪酬", spot=True, satisfaction="满意", row=2)
    q2 = item("Q2", "H1", "职工诉求", "食堂", dept="后勤科", head="张三", assigned=D(2026, 10, 10),
              replied=D(2026, 10, 15), satisfaction="满意", resolved=True, implemented=True, row=3)
    q3 = item("Q3", "H1", "职工诉求", "食堂", dept="后勤科", head="张三", assigned=D(2026, 10, 10),
              replied=D(2026, 10, 20), satisfaction="不满意", resolved=True, implemented=False,
              risk="信访风险", row=4)
    q4 = item("Q4", "H2", "问题意见", "安全", dept="安监处", head="李四", assigned=D(2026, 10, 20),
              replied=D(2026, 10, 22), satisfaction="基本满意", resolved=False, row=5)
    q5 = item("Q5", "H2", "合理化建议", "安全", dept="安监处", head="李四", assigned=D(2026, 10, 20),
              risk="管理风险", row=6, content="采煤工作面增设喷雾")
    q6 = item("Q6", "H9", "职工诉求", "", dept="后勤科", head="张三", assigned=D(2026, 10, 30), row=7)
    q7 = item("Q7", "H4", "职工诉求", "住宿", dept="后勤科", head="张三", row=8)
    p1 = item("P1", "H3", "问题意见", "薪酬", dept="后勤科", head="张三", assigned=D(2026, 9, 15),
              replied=D(2026, 9, 18), satisfaction="满意", resolved=True, implemented=True, row=9)
    p2 = item("P2", "H3", "职工诉求", "食堂", dept="机电科", head="赵六", assigned=D(2026, 9, 15),
              replied=D(2026, 10, 5), row=10)
    p3 = item("P3", "H3", "职工诉求", "通勤", dept="机电科", head="赵六", assigned=D(2026, 9, 15),
              replied=D(2026, 11, 2), resolved=False, row=11, content="班车时间调整")
    items = [q1, q2, q3, q4, q5, q6, q7, p1, p2, p3]
    statuses = [
        status(q1, ON_THE_SPOT, None),
        status(q2, CLOSED, D(2026, 10, 17)),
        status(q3, LATE, D(2026, 10, 17), 3),
        status(q4, ON_TIME, D(2026, 10, 24)),
        status(q5, OVERDUE_OPEN, D(2026, 10, 27), 9),
        status(q6, PENDING, D(2026, 11, 6)),
        status(q7, PENDING, None),
        status(p1, CLOSED, D(2026, 9, 20)),
        status(p2, LATE, D(2026, 9, 25), 10),
        status(p3, LATE, D(2026, 9, 28), 35),
    ]
    sugs = [
        suggestion("G1", "Q5", reasonable=True, adopted=True, implementation="已实施", on=D(2026, 10, 28),
                   paid=300, row=2),
        suggestion("G2", "Q4", reasonable=False, adopted=False, row=3),
        suggestion("G3", "P1", reasonable=True, adopted=True, implementation="已实施", on=D(2026, 10, 3),
                   paid=200, row=4),
        suggestion("G4", "", row=5),
    ]
    regs = Registers("test.xlsx", sessions=sessions, attendances=att, items=items, suggestions=sugs,
                     settings=settings or Settings())
    return regs, statuses


COVERAGE = [
    LevelCoverageStub("L1", "职工", 4, 3, 2, ["E9"]),
    LevelCoverageStub("L2", "党员", 0, 0, 0, []),
    LevelCoverageStub("L3", "群监员（青安岗）", 5, 2, 1, ["E7", "E8", "E6"]),
]
