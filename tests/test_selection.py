"""S01–S12 (SPEC §4): a passing and a failing case for each rule, exact cells."""
from datetime import date

from _selection_helpers import LEADS, Y2026, A, I, P, S, levels, make_regs, where

from huitan_xl.rules.selection import check_sessions, natural_key, squeeze
from huitan_xl.settings import Settings

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
MAR10 = date(2026, 3, 10)

# A balanced L1 roster: both genders, two posts, all three tiers (职工名册 rows 2..6)
ROSTER = [
    P("1001", gender="男", post="采煤工", tier="先进"),
    P("1002", gender="女", post="掘进工", tier="一般"),
    P("1003", gender="男", post="掘进工", tier="后进"),
    P("1004", gender="男", post="采煤工", tier="一般"),
    P("1005", gender="女", post="采煤工", tier="先进"),
]
ALL5 = [A("H1", p.id) for p in ROSTER]  # 参会人员 rows 2..6


def run(persons=ROSTER, sessions=None, attendances=ALL5, period=Q1, as_of=None, **kw):
    regs = make_regs(persons, sessions if sessions is not None else [S("H1", MAR10)], attendances, **kw)
    return check_sessions(regs, period, as_of=as_of)


def test_clean_session_leaves_only_cadence_of_other_levels():
    got = run()
    assert where(got) == [("S12", "层级", r, "层级") for r in range(3, 10)]
    assert all("2026Q1" in f.message for f in got)
    assert [f.value for f in got] == ["党员", "群监员（青安岗）", "班组长", "安监员", "副区长（技术员）",
                                      "区长书记", "生产职能科室"]


# ---- S01 -------------------------------------------------------------------

def _crowd(n):
    persons = [P(str(2000 + i), gender="男女"[i % 2], post=("采煤工", "掘进工")[i % 3 == 0]) for i in range(n)]
    return persons, [A("H1", p.id) for p in persons]


def test_s01_ten_attendees_pass_eleven_fail():
    persons, att = _crowd(10)
    assert where(run(persons, attendances=att), "S01") == []
    persons, att = _crowd(11)
    got = [f for f in run(persons, attendances=att) if f.code == "S01"]
    assert where(got) == [("S01", "慧谈场次", 2, "场次编号")]
    assert got[0].value == "H1" and "11名" in got[0].message and "10人" in got[0].message


def test_s01_limit_from_level_row_then_from_settings():
    persons, att = _crowd(7)
    assert where(run(persons, attendances=att, level_rows=levels({"L1": 6})), "S01") == [
        ("S01", "慧谈场次", 2, "场次编号")]
    assert where(run(persons, attendances=att, settings=Settings(max_attendees=7)), "S01") == []
    assert where(run(persons, attendances=att, settings=Settings(max_attendees=6)), "S01") == [
        ("S01", "慧谈场次", 2, "场次编号")]


def test_s01_counts_a_duplicated_attendee_once():
    persons, att = _crowd(10)
    got = run(persons, attendances=att + [A("H1", "2000")])
    assert where(got, "S01", "S07") == [("S07", "参会人员", 12, "工号")]


# ---- S02 -------------------------------------------------------------------

def test_s02_other_level_in_regular_session():
    persons = ROSTER + [P("3001", level="L2")]
    got = run(persons, attendances=ALL5 + [A("H1", "3001")])
    assert where(got, "S02") == [("S02", "参会人员", 7, "工号")]
    assert "H1" in got[0].message and "3001" in got[0].message and "党员" in got[0].message


def test_s02_special_session_mixes_levels_freely():
    persons = ROSTER + [P("3001", level="L2"), P("3002", level="L6")]
    got = run(persons, sessions=[S("T1", MAR10, kind="专题慧谈")],
              attendances=[A("T1", "1001"), A("T1", "3001"), A("T1", "3002")])
    assert where(got, "S02") == []


# ---- S03 -------------------------------------------------------------------

def test_s03_left_the_day_after_is_active_left_on_the_day_is_not():
    persons = ROSTER + [P("1006", active=False, left=date(2026, 3, 11)),
                        P("1007", active=False, left=date(2026, 3, 10))]
    got = run(persons, attendances=ALL5 + [A("H1", "1006"), A("H1", "1007")])
    assert where(got, "S03", "S02") == [("S03", "参会人员", 8, "工号")]
    assert "1007" in got[0].message and "2026-03-10" in got[0].message


def test_s03_not_on_roster():
    got = run(attendances=ALL5 + [A("H1", "9999", "外来人")])
    assert where(got, "S03", "S02") == [("S03", "参会人员", 7, "工号")]
    assert "9999" in got[0].message and "外来人" in got[0].message


# ---- S04 -------------------------------------------------------------------

def test_s04_lead_with_stray_spaces_is_the_same_person():
    assert where(run(sessions=[S("H1", MAR10, lead=" 王\u3000工会 ", reviewer="王工会")]), "S04", "S05") == []


def test_s04_wrong_lead():
    got = run(sessions=[S("H1", MAR10, lead="张三", reviewer="王工会")])
    assert where(got, "S04") == [("S04", "慧谈场次", 2, "牵头人")]
    assert got[0].value == "张三" and "王工会" in got[0].message


# ---- S05 -------------------------------------------------------------------

def test_s05_reviewed_by_lead_on_the_session_day_passes():
    assert where(run(sessions=[S("H1", MAR10, reviewed=MAR10)]), "S05") == []
    assert where(run(sessions=[S("H1", MAR10, reviewed=date(2026, 3, 1))]), "S05") == []


def test_s05_wrong_reviewer_late_review_missing_review():
    sessions = [S("H1", MAR10, reviewer="张三"),
                S("H2", MAR10, reviewed=date(2026, 3, 11)),
                S("H3", MAR10, reviewer="", reviewed=None)]
    got = run(sessions=sessions, attendances=[])
    assert where(got, "S05") == [("S05", "慧谈场次", 2, "名单审核人"),
                                 ("S05", "慧谈场次", 3, "审核日期"),
                                 ("S05", "慧谈场次", 4, "名单审核人"),
                                 ("S05", "慧谈场次", 4, "审核日期")]


# ---- S06 -------------------------------------------------------------------

def test_s06_selecting_unit_per_level():
    persons = ROSTER + [P("6001", level="L6", gender="女"), P("6002", level="L6", post="技术员")]
    sessions = [S("H1", MAR10, unit="经管科"),  # L1: wrong
                S("H6", MAR10, level="L6", unit="经管科"),  # L6: right
                S("H7", MAR10, level="L6", unit="安监处"),  # L6: wrong
                S("H8", MAR10, unit="矿党群办、安监处"),  # L1: both right
                S("H9", MAR10, unit="")]  # blank
    got = run(persons, sessions=sessions, attendances=[])
    assert where(got, "S06") == [("S06", "慧谈场次", 2, "选人单位"), ("S06", "慧谈场次", 4, "选人单位"),
                                 ("S06", "慧谈场次", 6, "选人单位")]
    assert "矿党群办或安监处" in got[0].message


def test_s06_units_come_from_the_level_sheet():
    rows = levels(units={"L1": ("矿党群办", "工会")})
    assert where(run(sessions=[S("H1", MAR10, unit="工会")], level_rows=rows), "S06") == []
    assert where(run(sessions=[S("H1", MAR10, unit="安监处")], level_rows=rows), "S06") == [
        ("S06", "慧谈场次", 2, "选人单位")]


# ---- S07 -------------------------------------------------------------------

def test_s07_one_finding_per_extra_row():
    got = run(attendances=ALL5 + [A("H1", "1002"), A("H1", "1002")])
    assert where(got, "S07") == [("S07", "参会人员", 7, "工号"), ("S07", "参会人员", 8, "工号")]
    assert where(run(), "S07") == []


# ---- S08 -------------------------------------------------------------------

def _four():
    return [P("1001", tier=""), P("1002", gender="女", post="掘进工"), P("1003"), P("1004", gender="女")]


def test_s08_repeat_while_a_member_waits():
    sessions = [S("H1", date(2026, 1, 10)), S("H2", date(2026, 2, 10))]
    att = [A("H1", "1001"), A("H1", "1002"), A("H2", "1001"), A("H2", "1003")]  # 1004 waits
    got = [f for f in run(_four(), sessions=sessions, attendances=att) if f.code == "S08"]
    assert where(got) == [("S08", "参会人员", 4, "工号")]
    assert "H2" in got[0].message and "H1" in got[0].message and "1001" in got[0].message


def test_s08_no_warning_when_the_whole_roster_is_covered():
    sessions = [S("H1", date(2026, 1, 10)), S("H2", date(2026, 2, 10))]
    att = [A("H1", p) for p in ("1001", "1002", "1003", "1004")] + [A("H2", "1001")]
    assert where(run(_four(), sessions=sessions, attendances=att), "S08") == []


def test_s08_last_waiting_member_invited_with_a_repeat():
    sessions = [S("H1", date(2026, 1, 10)), S("H2", date(2026, 2, 10))]
    att = [A("H1", "1001"), A("H1", "1002"), A("H1", "1003"), A("H2", "1001"), A("H2", "1004")]
    assert where(run(_four(), sessions=sessions, attendances=att), "S08") == []


def test_s08_earlier_session_outside_the_period_does_not_count():
    sessions = [S("H0", date(2025, 12, 10)), S("H2", date(2026, 2, 10))]
    att = [A("H0", "1001"), A("H2", "1001"), A("H2", "1003")]
    assert where(run(_four(), sessions=sessions, attendances=att), "S08") == []


# ---- S09 -------------------------------------------------------------------

def test_s09_one_gender_while_the_level_has_both():
    got = run(attendances=[A("H1", "1001"), A("H1", "1003"), A("H1", "1004")])  # 男, two posts
    assert where(got, "S09") == [("S09", "慧谈场次", 2, "场次编号")]
    assert "性别" in got[0].message and "岗位" not in got[0].message.split("，")[0]


def test_s09_passes_when_the_roster_has_one_gender_and_one_post():
    persons = [P("1001"), P("1003"), P("1004")]
    att = [A("H1", "1001"), A("H1", "1003")]
    assert where(run(persons, attendances=att), "S09") == []


def test_s09_one_post():
    got = run(attendances=[A("H1", "1001"), A("H1", "1004"), A("H1", "1005")])  # all 采煤工
    assert where(got, "S09") == [("S09", "慧谈场次", 2, "场次编号")]
    assert "岗位都是「采煤工」" in got[0].message


# ---- S10 -------------------------------------------------------------------

def test_s10_key_person_not_covered():
    persons = ROSTER + [P("1006", key="家庭困难"), P("1007", key="三违", active=False, left=date(2026, 2, 1)),
                        P("1008", key="工伤")]
    sessions = [S("H1", MAR10), S("T1", date(2026, 3, 20), kind="专题慧谈", level="L2")]
    got = run(persons, sessions=sessions, attendances=ALL5 + [A("T1", "1008")])
    assert where(got, "S10") == [("S10", "职工名册", 7, "重点对象")]
    assert got[0].value == "家庭困难" and "1006" in got[0].message


# ---- S11 -------------------------------------------------------------------

def test_s11_five_attendees_without_the_bottom_tier():
    persons = ROSTER + [P("1006", tier="一般")]
    att = [A("H1", i) for i in ("1001", "1002", "1004", "1005", "1006")]
    got = run(persons, attendances=att)
    assert where(got, "S11") == [("S11", "慧谈场次", 2, "场次编号")]
    assert "没有表现档次为后进的职工" in got[0].message


def test_s11_four_attendees_or_no_tiers_or_upper_levels_pass():
    att4 = [A("H1", i) for i in ("1001", "1002", "1004", "1005")]
    assert where(run(attendances=att4), "S11") == []
    untiered = [P(p.id, gender=p.gender, post=p.post) for p in ROSTER]
    assert where(run(untiered), "S11") == []
    upper = [P(p.id, level="L6", gender=p.gender, post=p.post, tier=p.tier) for p in ROSTER]
    upper.append(P("1006", level="L6", tier="一般"))
    att = [A("H6", i) for i in ("1001", "1002", "1004", "1005", "1006")]  # no 后进, 5 people
    assert where(run(upper, sessions=[S("H6", MAR10, level="L6", unit="经管科")], attendances=att), "S11") == []


# ---- S12 -------------------------------------------------------------------

def test_s12_only_quarters_that_have_ended():
    sessions = [S(f"H{c}", date(2026, 2, 1), level=c, unit="矿党群办") for c in LEADS if c != "L3"]
    # 2026-05-10: Q1 has ended (L3 never met in it); Q2 is still running, so nobody is flagged for it
    got = check_sessions(make_regs(ROSTER, sessions, []), Y2026, as_of=date(2026, 5, 10))
    s12 = [f for f in got if f.code == "S12"]
    assert where(s12) == [("S12", "层级", 4, "层级")]
    assert "2026Q1" in s12[0].message
    # on Q2's last day a level may still meet: not yet; from the day after, every level without
    # a Q2 session is flagged
    got = check_sessions(make_regs(ROSTER, sessions, []), Y2026, as_of=date(2026, 6, 30))
    assert where([f for f in got if f.code == "S12"]) == [("S12", "层级", 4, "层级")]
    got = check_sessions(make_regs(ROSTER, sessions, []), Y2026, as_of=date(2026, 7, 1))
    s12 = [f for f in got if f.code == "S12"]
    assert where(s12) == [("S12", "层级", 4, "层级")] + [("S12", "层级", r, "层级") for r in range(2, 10)]
    assert all("2026Q2" in f.message for f in s12[1:])


def test_s12_without_as_of_covers_every_quarter_of_the_period():
    sessions = [S(f"H{c}{q}", date(2026, 3 * q - 1, 1), level=c) for c in LEADS for q in (1, 2, 3, 4)]
    assert where(check_sessions(make_regs(ROSTER, sessions, []), Y2026), "S12") == []
    got = check_sessions(make_regs(ROSTER, sessions[:-1], []), Y2026)
    assert where(got, "S12") == [("S12", "层级", 9, "层级")] and "2026Q4" in got[-1].message


def test_helpers():
    assert squeeze(" 王\u3000工\t会 ") == "王工会"
    assert sorted(["10", "9", "A1", "0099"], key=natural_key) == ["9", "10", "0099", "A1"]


def test_s04_blank_lead():
    got = [f for f in run(sessions=[S("H1", MAR10, lead="", reviewer="王工会")]) if f.code == "S04"]
    assert where(got) == [("S04", "慧谈场次", 2, "牵头人")]
    assert got[0].message.startswith("场次H1未填写牵头人，应为层级表中职工的牵头人「王工会」")


def test_s12_with_no_session_recorded_is_one_finding_saying_what_cannot_be_checked():
    """A clerk who keeps only 诉求台账 (talks recorded as its 慧谈日期) has an empty 慧谈场次: one
    S12 saying what could not be checked, not 8 levels × 3 quarters claiming no talk was held."""
    from dataclasses import replace

    items = [replace(I(n, sid=""), talk_date=d) for n, d in
             (("1", date(2026, 9, 9)), ("2", date(2026, 9, 9)), ("3", date(2026, 11, 4)), ("4", None))]
    got = check_sessions(make_regs(ROSTER, [], [], items=items), Y2026, as_of=date(2026, 11, 24))
    assert where(got) == [("S12", "慧谈场次", None, "日期")]
    assert got[0].message == (
        "诉求台账中记有 2 个慧谈日期（2026-09-09 至 2026-11-04），但慧谈场次表没有登记任何一场慧谈，"
        "无法检查2026Q1至2026Q3各层级是否按季度召开慧谈，选人规则和覆盖率也无从检查；"
        "请在慧谈场次表登记已召开的慧谈（日期、类型、层级），参会人员登记在参会人员表。")
    # no talk date anywhere, and only Q1 has ended
    got = check_sessions(make_regs(ROSTER, [], []), Y2026, as_of=date(2026, 4, 1))
    assert [f.message.split("，")[:2] for f in got] == [["慧谈场次表没有登记任何一场慧谈", "无法检查2026Q1各层级是否按季度召开慧谈"]]
    # before any quarter has ended: nothing to say yet
    assert check_sessions(make_regs(ROSTER, [], []), Y2026, as_of=date(2026, 3, 31)) == []
