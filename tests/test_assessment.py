"""Annual assessment (SPEC §8): hand-computed counts, exact rates and the ranking."""
from fractions import Fraction

from huitan_xl.model import Registers
from huitan_xl.periods import year
from huitan_xl.reports.assessment import assess
from huitan_xl.scoring import Deduction

from scoring_records import D, dept, item, session, status


def ded(d, department, head, points):
    return Deduction("D01", d, department, head, points, "X", "")


def registers():
    regs = Registers(path="t.xlsx")
    regs.departments = [dept("机电科", "王强"), dept("通风区", "李明"), dept("调度室", "赵刚"),
                        dept("安全科", "周杰"), dept("综采一队", "孙亮"), dept("运输区", "")]
    regs.sessions = [session("S1", D(2026, 3, 1))]
    y = dict(replied=D(2026, 5, 1))
    regs.items = [
        # 机电科: 4 tickets, 3 rated (2 satisfied), 3 replied, 2 resolved, 1 implemented
        item("T1", "机电科", assigned=D(2026, 4, 1), satisfaction="满意", resolved=True, implemented=True, **y),
        item("T2", "机电科", assigned=D(2026, 4, 1), satisfaction="基本满意", resolved=True, implemented=False, **y),
        item("T3", "机电科", assigned=D(2026, 4, 1), satisfaction="不满意", resolved=False, **y),
        item("T4", "机电科", assigned=D(2026, 4, 1)),
        # 通风区: 2 tickets, all fine; one from last year and one on the spot do not count
        item("T5", "通风区", assigned=D(2026, 1, 5), satisfaction="满意", resolved=True, implemented=True, **y),
        item("T6", "通风区", assigned=D(2026, 12, 31), satisfaction="满意", resolved=True, implemented=True, **y),
        item("T7", "通风区", assigned=D(2025, 12, 31), satisfaction="不满意", resolved=False, **y),
        item("T8", "通风区", on_the_spot=True, satisfaction="不满意", session_id="S1"),
        # 调度室 and 运输区: one perfect ticket each
        item("T9", "调度室", assigned=D(2026, 6, 1), satisfaction="满意", resolved=True, implemented=True, **y),
        item("T10", "运输区", head="郑凯", assigned=D(2026, 6, 1), satisfaction="满意", resolved=True,
             implemented=True, **y),
        # 安全科: one by 交办日期, one dated by its session (交办日期 blank)
        item("T11", "安全科", assigned=D(2026, 2, 1), satisfaction="满意", resolved=True, implemented=False, **y),
        item("T12", "安全科", session_id="S1", satisfaction="基本满意", resolved=True, implemented=True, **y),
    ]
    return regs


LEDGER = [
    ded(D(2026, 3, 1), "机电科", "王强", -2),
    ded(D(2025, 12, 31), "机电科", "王强", -5),  # last year: not counted
    ded(D(2026, 3, 1), "通风区", "李明", -2),
    Deduction("D07", D(2026, 4, 1), "通风区", "李明", 0, "T", ""),  # 0 points, still an event
    ded(D(2026, 7, 1), "调度室", "赵刚", -1),
    ded(D(2026, 7, 1), "运输区", "郑凯", -1),
    ded(D(2026, 1, 1), "销售科", "刘洋", -3),  # not on the 部门 sheet
]


def test_assessment_counts_and_ranking():
    rows = assess(registers(), [status("T10", "已办结", None, head="郑凯")], LEDGER, year(2026))
    assert [(r.rank, r.department, r.head, r.points, r.events, r.tickets, r.rated, r.satisfied, r.replied,
             r.resolved, r.implemented) for r in rows] == [
        (1, "安全科", "周杰", 0, 0, 2, 2, 2, 2, 2, 1),
        (2, "调度室", "赵刚", -1, 1, 1, 1, 1, 1, 1, 1),
        (2, "运输区", "郑凯", -1, 1, 1, 1, 1, 1, 1, 1),  # tie on everything: shared rank
        (4, "通风区", "李明", -2, 2, 2, 2, 2, 2, 2, 2),  # score 1 beats 机电科's
        (5, "机电科", "王强", -2, 1, 4, 3, 2, 3, 2, 1),
        (0, "综采一队", "孙亮", 0, 0, 0, 0, 0, 0, 0, 0),  # no ticket in the year: listed apart, not first
        (0, "销售科", "刘洋", -3, 1, 0, 0, 0, 0, 0, 0),  # not on the 部门 sheet: shown, not ranked
    ]
    assert [r.department for r in rows if r.idle] == ["综采一队"]
    # 综合得分 with the default weights 40/30/30: 安全科 (40·1 + 30·1 + 30·1/2) / 100
    assert {r.department: r.score for r in rows}["安全科"] == Fraction(85, 100)
    # 机电科 (40·2/3 + 30·2/3 + 30·1/3) / 100 = 17/30
    assert {r.department: r.score for r in rows}["机电科"] == Fraction(17, 30)


def test_rates_are_exact_fractions():
    rows = {r.department: r for r in assess(registers(), [], LEDGER, year(2026))}
    m = rows["机电科"]
    assert (m.satisfaction_rate, m.resolution_rate, m.implementation_rate) == \
        (Fraction(2, 3), Fraction(2, 3), Fraction(1, 3))
    s = rows["安全科"]
    assert (s.satisfaction_rate, s.resolution_rate, s.implementation_rate) == (1, 1, Fraction(1, 2))
    z = rows["综采一队"]
    assert (z.satisfaction_rate, z.resolution_rate, z.implementation_rate) == (None, None, None)


def test_idle_departments_can_be_ranked_by_the_settings_rule():
    from huitan_xl.settings import Settings

    regs = registers()
    regs.settings = Settings(idle_departments="参与排名")
    rows = assess(regs, [], LEDGER, year(2026))
    # 综采一队 keeps all its points and has no rate: after 安全科 (same points, a score), before 调度室
    assert [(r.rank, r.department) for r in rows][:3] == [(1, "安全科"), (2, "综采一队"), (3, "调度室")]
    assert not any(r.idle for r in rows)


def test_weights_come_from_the_settings():
    from huitan_xl.settings import Settings

    regs = Registers(path="t.xlsx", settings=Settings(weight_satisfaction=0, weight_resolution=100,
                                                       weight_implementation=0))
    regs.departments = [dept("甲科", "甲"), dept("丙科", "丙")]
    y = dict(assigned=D(2026, 3, 1), replied=D(2026, 3, 2), satisfaction="满意")
    regs.items = [
        item("1", "甲科", resolved=True, implemented=False, **y), item("2", "甲科", resolved=True, implemented=False, **y),
        item("5", "丙科", resolved=False, implemented=True, **y), item("6", "丙科", resolved=True, implemented=True, **y),
    ]
    rows = assess(regs, [], [], year(2026))
    # only 解决率 weighs: 甲科 2/2 before 丙科 1/2 although 丙科 implemented more
    assert [(r.rank, r.department, r.score) for r in rows] == [(1, "甲科", 1), (2, "丙科", Fraction(1, 2))]


def test_weighted_score_ranks_equal_points():
    regs = Registers(path="t.xlsx")
    regs.departments = [dept("甲科", "甲"), dept("乙科", "乙"), dept("丙科", "丙")]
    y = dict(assigned=D(2026, 3, 1), replied=D(2026, 3, 2), satisfaction="满意")
    regs.items = [
        item("1", "甲科", resolved=True, implemented=False, **y), item("2", "甲科", resolved=True, implemented=True, **y),
        item("3", "乙科", resolved=True, implemented=True, **y), item("4", "乙科", resolved=True, implemented=True, **y),
        item("5", "丙科", resolved=False, implemented=True, **y), item("6", "丙科", resolved=True, implemented=True, **y),
    ]
    rows = assess(regs, [], [], year(2026))
    # equal points; 乙科 scores 1; 甲科 (40 + 30 + 30·1/2) and 丙科 (40 + 30·1/2 + 30) both 85/100: shared rank
    assert [(r.rank, r.department, r.score) for r in rows] == [
        (1, "乙科", 1), (2, "丙科", Fraction(85, 100)), (2, "甲科", Fraction(85, 100))]


def test_a_ticket_without_department_is_not_ranked():
    """The blank 承办部门 is an R05 error and the misspelt 机电处 an R08 error elsewhere; the
    ranking lists the departments of the 部门 sheet only."""
    from datetime import date

    from huitan_xl.model import Department, Item, Registers, Src
    from huitan_xl.periods import parse_period
    from huitan_xl.reports.assessment import assess

    def item(i, dept):
        return Item(id=i, session_id="", proposer_id="", proposer="", category="职工诉求", tag="",
                    content="", on_the_spot=False, department=dept, head="", supervisor="",
                    assigned=date(2026, 3, 2), deadline=None, extended_to=None, extension_approved=None,
                    replied=date(2026, 3, 3), reply="", published=None, satisfaction="满意",
                    resolved=True, implemented=True, problem="", risk="", src=Src("诉求台账", 2))

    regs = Registers(path="x", departments=[Department("机电科", "张三", "职能科室")],
                     items=[item("T-1", "机电科"), item("T-2", "  "), item("T-3", "机电处")])
    rows = assess(regs, [], [], parse_period("2026"))
    assert [(r.department, r.tickets, r.rank) for r in rows] == [("机电科", 1, 1), ("机电处", 1, 0)]
