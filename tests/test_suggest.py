"""Attendee suggestions and draft session rows."""
from dataclasses import replace
from datetime import date

import pytest
from _selection_helpers import LEADS, Y2026, A, P, S, levels, make_regs

from huitan_xl import schema
from huitan_xl.model import Attendance, Session, Src
from huitan_xl.rules.selection import check_sessions
from huitan_xl.rules.suggest import draft_session_rows, suggest_attendees

DEC1 = date(2026, 12, 1)


def small():
    persons = [
        P("101", tier="先进"),
        P("102", tier="一般", key="家庭困难"),
        P("103", tier="一般"),
        P("104", tier="后进", post="掘进工"),
        P("105", tier="一般", gender="女"),
        P("106", tier="先进"),
        P("107", tier="一般", active=False, left=date(2026, 11, 30)),
        P("108", tier="一般", post="机电工", violator=True),
        P("201", level="L2", gender="女"),
    ]
    sessions = [S("H1", date(2026, 3, 10))]
    att = [A("H1", "101"), A("H1", "104"), A("H1", "105")]
    return make_regs(persons, sessions, att, level_rows=levels({"L1": 5}))


def test_suggestion_hand_computed():
    got = suggest_attendees(small(), "L1", on=DEC1, period=Y2026)
    # cap 5 (level row); uncovered key person 102 anchors; 先进 106 and 后进 104 seeded for
    # 抓两头, 105 for gender, then 108 (a post not yet present) beats 103
    assert [(s.person.id, s.reasons) for s in got] == [
        ("102", ("尚未参加过慧谈", "三必谈五必访：家庭困难", "表现档次：一般")),
        ("106", ("尚未参加过慧谈", "表现档次：先进")),
        ("108", ("尚未参加过慧谈", "表现档次：一般", "三违人员")),
        ("104", ("表现档次：后进",)),
        ("105", ("表现档次：一般", "兼顾女职工")),
    ]


def test_suggestion_of_three_seeds_gender_and_post():
    got = suggest_attendees(small(), "L1", 3, on=DEC1, period=Y2026)
    assert [(s.person.id, s.reasons[-1]) for s in got] == [
        ("102", "表现档次：一般"), ("108", "兼顾不同岗位：机电工"), ("105", "兼顾女职工")]


def test_suggestion_is_deterministic_and_empty_for_an_empty_level():
    regs = small()
    assert suggest_attendees(regs, "L1", on=DEC1, period=Y2026) == suggest_attendees(
        make_regs(list(reversed(regs.persons)), regs.sessions, regs.attendances, level_rows=regs.levels),
        "L1", on=DEC1, period=Y2026)
    assert suggest_attendees(regs, "L7", on=DEC1, period=Y2026) == []


def test_draft_rows():
    regs = small()
    session, rows = draft_session_rows(regs, "L1", suggest_attendees(regs, "L1", 2, on=DEC1, period=Y2026), DEC1)
    assert list(session) == [f.header for f in schema.SHEETS[schema.SESSIONS]]
    assert {k: v for k, v in session.items() if v not in (None, "")} == {
        "场次编号": "草稿-L1-20261201", "日期": DEC1, "类型": "八级慧谈", "层级": "职工", "牵头人": "王工会",
        "形式": "现场", "选人单位": "矿党群办、安监处", "名单审核人": "王工会"}
    assert session["审核日期"] is None
    assert rows == [
        {"场次编号": "草稿-L1-20261201", "工号": "102", "姓名": "职工102",
         "备注": "尚未参加过慧谈；三必谈五必访：家庭困难；表现档次：一般"},
        {"场次编号": "草稿-L1-20261201", "工号": "105", "姓名": "职工105", "备注": "表现档次：一般；兼顾女职工"},
    ]


# ---- every level: the draft, once reviewed, breaks none of S01–S11 -----------------------

POSTS = ("采煤工", "掘进工", "机电工")


def big_roster():
    """Per level 16 members: 女 every 4th, three posts, tiers on L1–L5, two key persons;
    members 1–4 already attended an earlier session, 12 still wait (more than a session holds)."""
    persons, sessions, att = [], [], []
    for code in LEADS:
        tiered = code in ("L1", "L2", "L3", "L4", "L5")
        for i in range(1, 17):
            persons.append(P(f"{code}-{i:02d}", level=code, gender="女" if i % 4 == 0 else "男",
                             post=POSTS[i % 3], tier=("一般", "先进", "一般", "后进")[i % 4] if tiered else "",
                             key={6: "家庭困难", 15: "三违"}.get(i, "")))
        persons.append(P(f"{code}-99", level=code, active=False, left=date(2026, 6, 1)))
        sid = f"H-{code}"
        sessions.append(S(sid, date(2026, 2, 10), level=code, unit="矿党群办"))
        att += [A(sid, f"{code}-{i:02d}") for i in range(1, 5)]
    return make_regs(persons, sessions, att, level_rows=levels({"L6": 6}))


@pytest.mark.parametrize("code", list(LEADS))
def test_suggestion_passes_the_selection_rules(code):
    regs = big_roster()
    suggested = suggest_attendees(regs, code, on=DEC1, period=Y2026)
    assert len(suggested) == (6 if code == "L6" else 10)
    assert all(s.person.level == code and s.person.active_on(DEC1) for s in suggested)
    assert [s.person.id for s in suggested][:2] == [f"{code}-06", f"{code}-15"]  # key persons first
    session_row, rows = draft_session_rows(regs, code, suggested, DEC1)
    draft = Session(session_row["场次编号"], DEC1, "八级慧谈", code, "", session_row["牵头人"], "现场", "",
                    session_row["选人单位"], session_row["名单审核人"], DEC1, (), (), None,
                    Src(schema.SESSIONS, 99))
    regs.sessions.append(draft)
    regs.attendances += [Attendance(r["场次编号"], r["工号"], r["姓名"], r["备注"], Src(schema.ATTENDANCE, 100 + i))
                         for i, r in enumerate(rows)]
    got = [f for f in check_sessions(regs, Y2026, as_of=DEC1) if f.code != "S12" and f.code != "S10"]
    assert got == []
    # this level's key persons are covered by the draft, so no S10 for it
    s10 = [f for f in check_sessions(regs, Y2026) if f.code == "S10"]
    assert not any(code + "-" in f.message for f in s10)


def test_the_check_would_fail_without_the_suggestion():
    """The same draft filled with the first 10 by 工号 breaks S08 and S10 — the test can fail."""
    regs = big_roster()
    draft = replace(S("D", DEC1, level="L1"), src=Src(schema.SESSIONS, 99))
    regs.sessions.append(draft)
    regs.attendances += [replace(A("D", f"L1-{i:02d}"), src=Src(schema.ATTENDANCE, 100 + i)) for i in range(1, 11)]
    codes = {f.code for f in check_sessions(regs, Y2026, as_of=DEC1)}
    assert {"S08", "S10"} <= codes
