"""The demo generator: deterministic, sized as asked, clean except the planted errors."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from huitan_xl import schema
from huitan_xl.calendar import WorkCalendar
from huitan_xl.demo import DemoSize, Planted, generate
from huitan_xl.findings import CODES, did_you_mean

AS_OF = date(2026, 11, 24)
LEVEL = {name: code for code, name, _role, _units in schema.LEVEL_TABLE}
UNITS = {code: units for code, _name, _role, units in schema.LEVEL_TABLE}
PLANTED_CODES = ["S01", "S03", "S07", "S04", "S05", "R03", "R01", "R05", "R07", "R08", "R09", ""]


@pytest.fixture(scope="module")
def demo():
    return generate()


def by(rows, key):
    out = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out


def planted(data, code) -> Planted:
    [p] = [p for p in data.planted if p.code == code]
    return p


# ---- determinism and size ---------------------------------------------------------

def test_same_seed_same_rows_other_seed_other_rows():
    a, b, c = generate(seed=7), generate(seed=7), generate(seed=8)
    assert a.rows == b.rows and a.planted == b.planted
    assert a.rows[schema.ROSTER] != c.rows[schema.ROSTER]


@pytest.mark.parametrize("size", [DemoSize(), DemoSize(employees=150, sessions=40, items=120, suggestions=15)])
def test_sizes_honoured(size):
    rows = generate(size).rows
    assert [len(rows[s]) for s in (schema.ROSTER, schema.SESSIONS, schema.ITEMS, schema.SUGGESTIONS)] == [
        size.employees, size.sessions, size.items, size.suggestions]
    assert [len(rows[s]) for s in (schema.LEVELS, schema.DEPARTMENTS, schema.HOLIDAYS)] == [8, 18, 0]


def test_too_small_is_refused():
    with pytest.raises(ValueError):
        generate(DemoSize(employees=59))


def test_rows_carry_every_canonical_header_and_nothing_else(demo):
    for sheet, rows in demo.rows.items():
        headers = [f.header for f in schema.SHEETS[sheet]]
        assert all(list(r) == headers for r in rows), sheet


def test_level_sizes_follow_the_shares(demo):
    # 400 × (0.60, 0.10, 0.06, 0.09, 0.05, 0.04, 0.03, 0.03); one 班组长 carries the planted typo
    assert Counter(r["层级"] for r in demo.rows[schema.ROSTER]) == {
        "职工": 240, "党员": 40, "群监员（青安岗）": 24, "班组长": 35, "班祖长": 1, "安监员": 20,
        "副区长（技术员）": 16, "区长书记": 12, "生产职能科室": 12}


def test_level_sheet_names_leads_and_selecting_units(demo):
    rows = demo.rows[schema.LEVELS]
    heads = {r["部门"]: r["负责人"] for r in demo.rows[schema.DEPARTMENTS]}
    assert [(r["层级代码"], r["选人单位"]) for r in rows] == [
        ("L1", "矿党群办、安监处"), ("L2", "矿党群办、安监处"), ("L3", "矿党群办、安监处"), ("L4", "矿党群办、安监处"),
        ("L5", "矿党群办、安监处"), ("L6", "矿党群办、经管科"), ("L7", "矿党群办、经管科"), ("L8", "矿党群办、经管科")]
    leads = [r["牵头人"] for r in rows]
    assert len(set(leads)) == 8 and all(leads)
    assert (leads[3], leads[5]) == (heads["经管科"], heads["安培中心"])  # 经管科负责人, 安培中心负责人


# ---- planted errors -------------------------------------------------------------------

def test_planted_list_uses_the_codes_of_the_brief(demo):
    assert [p.code for p in demo.planted] == PLANTED_CODES
    assert all(p.code in CODES for p in demo.planted if p.code)


def test_every_planted_record_holds_its_bad_value(demo):
    rows = demo.rows
    roster = {r["工号"]: r for r in rows[schema.ROSTER]}
    sessions = {r["场次编号"]: r for r in rows[schema.SESSIONS]}
    attendance = by(rows[schema.ATTENDANCE], "场次编号")
    items = by(rows[schema.ITEMS], "编号")
    leads = {LEVEL[r["层级"]]: r["牵头人"] for r in rows[schema.LEVELS]}
    departments = [r["部门"] for r in rows[schema.DEPARTMENTS]]

    assert roster[planted(demo, "R03").key]["层级"] == "班祖长"
    s01 = sessions[planted(demo, "S01").key]
    assert (s01["类型"], len({a["工号"] for a in attendance[s01["场次编号"]]})) == ("八级慧谈", 11)
    sid, ghost = planted(demo, "S03").key.split("/")
    assert ghost in {a["工号"] for a in attendance[sid]} and ghost not in roster
    assert sessions[sid]["类型"] != "八级慧谈"  # so the stranger is S03 only, not also S02
    sid, pid = planted(demo, "S07").key.split("/")
    assert [a["工号"] for a in attendance[sid]].count(pid) == 2
    assert len(attendance[sid]) <= 10  # the duplicate row does not also make it S01
    s04 = sessions[planted(demo, "S04").key]
    assert s04["牵头人"] != leads[LEVEL[s04["层级"]]] and s04["牵头人"] in leads.values()
    assert s04["名单审核人"] == leads[LEVEL[s04["层级"]]]
    s05 = sessions[planted(demo, "S05").key]
    assert s05["审核日期"] == s05["日期"] + timedelta(days=2)

    [r01] = items[planted(demo, "R01").key]
    assert r01["答复日期"] == "2026-13-05"
    [r05] = items[planted(demo, "R05").key]
    assert (r05["现场答复"], r05["承办部门"]) == ("否", None)
    assert len(items[planted(demo, "R07").key]) == 2
    [r08] = items[planted(demo, "R08").key]
    assert r08["承办部门"] == "劳资社保处" and "劳资社保处" not in departments
    assert did_you_mean(r08["承办部门"], departments) == "您是不是要填「劳资社保科」？"
    [r09] = items[planted(demo, "R09").key]
    assert r09["答复日期"] == r09["交办日期"] - timedelta(days=2)
    [trap] = items[planted(demo, "").key]
    assert trap["内容"].startswith("=HYPERLINK(")


# ---- the clean parts obey the rules ------------------------------------------------------

def test_sessions_obey_the_selection_rules(demo):
    rows = demo.rows
    roster = {r["工号"]: r for r in rows[schema.ROSTER]}
    leads = {LEVEL[r["层级"]]: r["牵头人"] for r in rows[schema.LEVELS]}
    attendance = by(rows[schema.ATTENDANCE], "场次编号")
    s01, s04, s05 = (planted(demo, c).key for c in ("S01", "S04", "S05"))
    s07 = planted(demo, "S07").key.split("/")[0]
    ghost = planted(demo, "S03").key.split("/")[1]
    for s in rows[schema.SESSIONS]:
        sid, code, d = s["场次编号"], LEVEL[s["层级"]], s["日期"]
        ids = [a["工号"] for a in attendance[sid] if a["工号"] != ghost]
        assert 2 <= len(set(ids)) <= (11 if sid == s01 else 10), sid
        assert (len(ids) == len(set(ids))) == (sid != s07), sid
        assert (s["牵头人"] == leads[code]) == (sid != s04), sid
        assert s["名单审核人"] == leads[code]
        assert (s["审核日期"] <= d) == (sid != s05), sid
        assert s["选人单位"] in UNITS[code]
        assert AS_OF - timedelta(days=365) < d <= AS_OF
        for i in ids:
            p = roster[i]
            assert p["离职日期"] is None or d < p["离职日期"], (sid, i)  # active on the day
            if s["类型"] == "八级慧谈":
                assert LEVEL[p["层级"]] == code, (sid, i)
        assert [a["姓名"] for a in attendance[sid] if a["工号"] != ghost] == [roster[i]["姓名"] for i in ids]


def test_regular_sessions_are_diverse_and_never_repeat_while_others_wait(demo):
    """S08, S09, S11 and S10 (key persons covered) checked by hand over the data."""
    rows = demo.rows
    roster = [r for r in rows[schema.ROSTER] if r["层级"] in LEVEL]
    attendance = by(rows[schema.ATTENDANCE], "场次编号")
    attended_any, attended_level = set(), defaultdict(set)
    for s in sorted(rows[schema.SESSIONS], key=lambda s: (s["日期"], s["场次编号"])):
        ids = {a["工号"] for a in attendance[s["场次编号"]]}
        code, d = LEVEL[s["层级"]], s["日期"]
        if s["类型"] == "八级慧谈":
            members = [p for p in roster if LEVEL[p["层级"]] == code and (p["离职日期"] is None or d < p["离职日期"])]
            waiting = [p for p in members if p["工号"] not in attended_any | ids]
            assert not (waiting and ids & attended_level[code]), s["场次编号"]  # S08
            present = [p for p in members if p["工号"] in ids]
            for col in ("性别", "岗位"):  # S09
                assert len({p[col] for p in present}) > 1 or len({p[col] for p in members}) == 1, (s["场次编号"], col)
            if code in ("L1", "L2", "L3", "L4", "L5") and len(ids) >= 5:  # S11
                assert {p["表现档次"] for p in present} == {"先进", "一般", "后进"}, s["场次编号"]
            attended_level[code] |= ids
        attended_any |= ids
    keys = [p["工号"] for p in roster if p["重点对象"] and p["在职状态"] == "在职"]
    assert len(keys) == 32 and set(keys) <= attended_any  # S10: every key person covered


def test_every_level_meets_in_every_quarter(demo):
    held = {(LEVEL[s["层级"]], (s["日期"].month - 1) // 3 + 1)
            for s in demo.rows[schema.SESSIONS] if s["类型"] == "八级慧谈"}
    assert held == {(code, q) for code in LEVEL.values() for q in (1, 2, 3, 4)}


def test_special_sessions_cover_the_practice_examples(demo):
    topics = Counter((s["类型"], s["主题"].split("（")[0], s["形式"])
                     for s in demo.rows[schema.SESSIONS] if s["类型"] != "八级慧谈")
    assert set(topics) == {("专题慧谈", "云上慧谈", "视频"), ("专题慧谈", "安全慧谈", "现场"),
                           ("节点慧谈", "职业规划慧谈", "现场"), ("专业慧谈", "机电专业慧谈", "现场")}
    assert sum(topics.values()) == 13  # 60 sessions: 47 regular (≥ 8 levels × 4 quarters), 13 special


def test_items_reference_real_records_and_keep_dates_in_order(demo):
    rows = demo.rows
    departments = {r["部门"] for r in rows[schema.DEPARTMENTS]}
    sessions = {r["场次编号"]: r for r in rows[schema.SESSIONS]}
    roster = {r["工号"] for r in rows[schema.ROSTER]}
    codes = {c: planted(demo, c).key for c in ("R01", "R05", "R07", "R08", "R09")}
    ids = Counter(r["编号"] for r in rows[schema.ITEMS])
    assert [k for k, n in ids.items() if n > 1] == [codes["R07"]]
    for r in rows[schema.ITEMS]:
        assert r["场次编号"] in sessions and r["提出人工号"] in roster
        for h in ("类别", "职工满意度", "办理问题", "风险提示"):
            f = next(f for f in schema.SHEETS[schema.ITEMS] if f.header == h)
            assert r[h] is None or r[h] in f.choices, (r["编号"], h)
        if r["现场答复"] == "是":
            assert r["承办部门"] is None and r["交办日期"] is None
            continue
        session_day = sessions[r["场次编号"]]["日期"]
        assert r["交办日期"] in (session_day, WorkCalendar().add_workdays(session_day, 1))
        assert (r["承办部门"] in departments) == (r["编号"] not in (codes["R05"], codes["R08"])), r["编号"]
        if isinstance(r["答复日期"], date):
            assert (r["答复日期"] >= r["交办日期"]) == (r["编号"] != codes["R09"]), r["编号"]
            assert r["公示日期"] is None or r["公示日期"] >= r["答复日期"]
        else:
            assert r["答复日期"] is None or r["编号"] == codes["R01"]


def ticket_states(rows, as_of=AS_OF):
    """SPEC §5 states by plain date logic: default deadline assigned + 5 working days,
    an extension counts only when approved on or before the deadline."""
    cal = WorkCalendar()
    states, late_approvals = [], 0
    for r in rows[schema.ITEMS]:
        if r["现场答复"] == "是":
            states.append("现场答复")
            continue
        deadline = cal.roll_forward(r["答复时限"]) if r["答复时限"] else cal.add_workdays(r["交办日期"], 5)
        if r["延期至"]:
            if r["延期批准日期"] <= deadline:
                deadline = max(deadline, cal.roll_forward(r["延期至"]))
            else:
                late_approvals += 1
        replied = r["答复日期"] if isinstance(r["答复日期"], date) else None
        if replied is None:
            states.append("待答复" if as_of <= deadline else "逾期未答复")
        elif r["是否解决"] == "是" and r["是否落实"] == "是":
            states.append("已办结")
        else:
            states.append("按期答复" if replied <= deadline else "逾期答复")
    return Counter(states), late_approvals


def test_ticket_states_as_of_the_demo_day_show_every_state(demo):
    states, late_approvals = ticket_states(demo.rows)
    assert set(states) == {"现场答复", "待答复", "逾期未答复", "按期答复", "逾期答复", "已办结"}
    assert late_approvals == 1  # the one extension approved after its deadline (T01)
    assert sum(states.values()) == 300
    assert 0.3 <= states["现场答复"] / 300 <= 0.5  # ~40 % answered on the spot


def test_suggestions_reports_and_manual_events(demo):
    rows = demo.rows
    items = {r["编号"]: r for r in rows[schema.ITEMS]}
    sg = rows[schema.SUGGESTIONS]
    assert all(items[r["来源编号"]]["类别"] == "合理化建议" for r in sg)
    assert [(r["合理性结论"], r["是否采纳"]) for r in sg].count(("合理", "否")) == 1  # D07
    assert all(r["是否采纳"] == "否" for r in sg if r["合理性结论"] == "不合理")
    done = [r for r in sg if r["实施情况"] == "已实施"]
    assert all(r["实施日期"] and r["应用效果"] for r in done)
    assert any((r["创效金额"] or 0) >= 100000 for r in done) and sum((r["创效金额"] or 0) >= 10000 for r in done) >= 3
    joint = [r for r in sg if "、" in r["提出人"]]
    assert joint and all(len(r["提出人"].split("、")) == len(r["提出人工号"].split("、")) in (2, 3) for r in joint)

    reports = rows[schema.REPORTS]
    # 7 区队 × January–October (November's report is due 7 December, after as_of)
    assert len(reports) == 70 and {r["月份"] for r in reports} == {f"2026-{m:02d}" for m in range(1, 11)}
    assert sum(r["实报日期"] is None for r in reports) == 1
    assert sum(r["实报日期"] is not None and r["实报日期"] > r["应报日期"] for r in reports) == 1
    assert [r["扣分"] for r in rows[schema.MANUAL]] == [1, None, 2]


# ---- scale ------------------------------------------------------------------------------

@pytest.mark.slow
def test_group_scale_generates_the_asked_sizes():
    # how fast it generates is measured in `make bench`, not here (no timed tests)
    size = DemoSize(employees=20000, sessions=3000, items=100000, suggestions=3000)
    data = generate(size)
    assert len(data.rows[schema.ITEMS]) == 100000


# ---- end to end: the written workbook validates to exactly the planted errors -------------

def test_workbook_validates_to_exactly_the_planted_errors(demo, tmp_path):
    from datetime import datetime

    import openpyxl

    from huitan_xl.demo import write_demo_workbook
    from huitan_xl.jobs import run_job

    path = tmp_path / "demo.xlsx"
    try:
        write_demo_workbook(path, demo)
    except NotImplementedError:
        pytest.skip("the workbook writer is not implemented yet")
    result = run_job("validate", path, as_of=AS_OF, now=datetime(2026, 11, 24, 9, 0), dry_run=True)
    errors = sorted((f.code, f.sheet, f.column) for f in result.findings if f.severity == "error")
    assert errors == sorted((p.code, p.sheet, p.column) for p in demo.planted if p.code)
    assert Counter(f.code for f in result.findings if f.severity == "warning")["T01"] == 1

    ws = openpyxl.load_workbook(path)[schema.ITEMS]
    header = [c.value for c in ws[1]]
    trap = planted(demo, "").key
    [cell] = [row[header.index("内容")] for row in ws.iter_rows(min_row=2) if row[0].value == trap]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK(")  # inert text, not a formula
