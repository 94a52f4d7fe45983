"""Small builders for Registers used by the selection / integrity / coverage tests.

Records get src=(sheet, row) from their position: the first record of a sheet
is Excel row 2 (row 1 is the header), unless a row is given.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from huitan_xl import schema
from huitan_xl.model import (Attendance, Department, Item, Level, Person, Registers, Session, Src,
                             Suggestion)
from huitan_xl.settings import Settings

LEADS = {"L1": "王工会", "L2": "李组织", "L3": "赵群团", "L4": "钱经管", "L5": "孙宣传",
         "L6": "周安培", "L7": "吴党群", "L8": "郑人力"}
Y2026 = (date(2026, 1, 1), date(2026, 12, 31))


def levels(max_by_code: dict[str, int] | None = None, units: dict[str, tuple] | None = None) -> list[Level]:
    """The eight levels on 层级 rows 2..9 with the leads above."""
    out = []
    for i, (code, name, role, default_units) in enumerate(schema.LEVEL_TABLE):
        out.append(Level(code, name, role, LEADS[code], (units or {}).get(code, default_units),
                         (max_by_code or {}).get(code), Src(schema.LEVELS, i + 2)))
    return out


def P(pid: str, level: str | None = "L1", gender: str = "男", post: str = "采煤工", key: str = "",
      tier: str = "", active: bool = True, left: date | None = None, name: str | None = None,
      unit: str = "综采一队", violator: bool = False, graduate: bool = False) -> Person:
    return Person(pid, name or f"职工{pid}", gender, unit, post, level, key, violator, graduate, tier,
                  "本部", active, left)


def S(sid: str, d: date | None, level: str | None = "L1", kind: str = "八级慧谈", lead: str | None = None,
      reviewer: str | None = None, reviewed: date | None | str = "same", unit: str = "矿党群办",
      invited: tuple = (), attended: tuple = ()) -> Session:
    lead = LEADS.get(level or "", "") if lead is None else lead
    reviewer = lead if reviewer is None else reviewer
    reviewed_on = (d if reviewed == "same" else reviewed)
    return Session(sid, d, kind, level, "", lead, "现场", "会议室", unit, reviewer, reviewed_on,
                   tuple(invited), tuple(attended), None)


def A(sid: str, pid: str, name: str = "") -> Attendance:
    return Attendance(sid, pid, name, "")


def D(name: str, head: str = "", kind: str = "职能科室") -> Department:
    return Department(name, head, kind)


def I(iid: str, sid: str = "H1", on_the_spot: bool = False, department: str = "机电科",
      assigned: date | None = date(2026, 3, 11), deadline: date | None = None,
      extended_to: date | None = None, replied: date | None = None, published: date | None = None) -> Item:
    return Item(iid, sid, "1001", "职工1001", "职工诉求", "", "内容", on_the_spot, department, "", "",
                assigned, deadline, extended_to, None, replied, "", published, "", None, None, "", "")


def G(gid: str, source: str = "") -> Suggestion:
    return Suggestion(gid, source, ("1001",), ("职工1001",), "安全管理", "建议", True, "", "", True,
                      "已实施", None, "良好", None, "", None, "")


def _rows(records: list, sheet: str) -> list:
    return [r if r.src is not None else replace(r, src=Src(sheet, i + 2)) for i, r in enumerate(records)]


def make_regs(persons=(), sessions=(), attendances=(), items=(), suggestions=(), departments=(),
              level_rows=None, settings: Settings | None = None, findings=()) -> Registers:
    return Registers(
        path="test.xlsx",
        levels=level_rows if level_rows is not None else levels(),
        departments=_rows(list(departments), schema.DEPARTMENTS),
        persons=_rows(list(persons), schema.ROSTER),
        sessions=_rows(list(sessions), schema.SESSIONS),
        attendances=_rows(list(attendances), schema.ATTENDANCE),
        items=_rows(list(items), schema.ITEMS),
        suggestions=_rows(list(suggestions), schema.SUGGESTIONS),
        settings=settings or Settings(),
        findings=list(findings),
    )


def where(findings, *codes) -> list[tuple]:
    """(code, sheet, row, column) of the findings with the given codes (all when none given)."""
    return [(f.code, f.sheet, f.row, f.column) for f in findings if not codes or f.code in codes]
