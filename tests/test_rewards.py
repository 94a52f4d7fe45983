"""Quarterly rewards (SPEC §7): hand-computed payouts in whole yuan."""
from huitan_xl.model import Registers
from huitan_xl.periods import quarter
from huitan_xl.scoring import reward_amount, rewards
from huitan_xl.settings import Settings

from scoring_records import D, item, person, suggestion

Q3 = quarter(2026, 3)


def registers():
    regs = Registers(path="t.xlsx")
    regs.persons = [person("1001", "张三", "综采一队", 2), person("1002", "李四", "机电科", 3),
                    person("1003", "王五", "通风区", 4), person("1004", "赵六", "掘进二队", 5),
                    person("1005", "钱七", "机电科", 6)]
    regs.items = [item("A10", "机电科", replied=D(2026, 8, 10)), item("A11", "机电科", replied=D(2026, 6, 30))]
    regs.suggestions = [
        # benefit exactly 10,000 -> +100: 200 + 100 = 300, two proposers 150 / 150
        suggestion("J01", ["张三", "李四"], ["1001", "1002"], effect="良好", benefit=10000,
                   review_quarter="2026Q3", row=2),
        # benefit exactly 100,000 -> +200: 300 + 200 = 500, exactly the cap
        suggestion("J02", ["王五"], ["1003"], effect="显著", benefit=100000, review_quarter="2026Q3", row=3),
        # benefit just under 10,000: 200, three proposers 68 / 66 / 66; ids by name from the roster
        suggestion("J03", ["赵六", "钱七", "孙八"], effect="良好", benefit=9999, review_quarter="2026Q3", row=4),
        # blank 评审季度, implemented in Q3, already paid in Q3 (a rerun): paid again
        suggestion("J04", ["李四"], ["1002"], effect="一般", implemented_on=D(2026, 8, 1),
                   paid_quarter="2026Q3", row=5),
        # paid in an earlier quarter: excluded
        suggestion("J05", ["张三"], ["1001"], review_quarter="2026Q3", paid_quarter="2026Q2", row=6),
        # adopted but not yet implemented: excluded
        suggestion("J06", ["张三"], ["1001"], implementation="实施中", review_quarter="2026Q3", row=7),
        # eligible but no 应用效果: P01
        suggestion("J07", ["王五"], ["1003"], effect="", review_quarter="2026Q3", row=8),
        # another quarter, by 评审季度 and by 实施日期
        suggestion("J08", ["张三"], ["1001"], review_quarter="2026Q2", row=9),
        suggestion("J09", ["张三"], ["1001"], implemented_on=D(2026, 10, 1), row=10),
        # adopted and implemented, but no way to tell the quarter: R05
        suggestion("J10", ["张三"], ["1001"], row=11),
        # 合理 but not adopted: the D07 review list, by 评审季度 or by the source item's reply date
        suggestion("J11", ["张三"], adopted=False, review_quarter="2026Q3", row=12),
        suggestion("J12", ["李四"], adopted=False, source_id="A10", row=13),
        suggestion("J13", ["李四"], adopted=False, source_id="A11", row=14),
        # 是否采纳 blank: not adopted, not eligible
        suggestion("J14", ["张三"], adopted=None, review_quarter="2026Q3", row=15),
        # 不合理 and not adopted: not for review
        suggestion("J15", ["张三"], adopted=False, reasonable=False, review_quarter="2026Q3", row=16),
    ]
    return regs


def payout_rows(payouts):
    return [(p.suggestion_id, p.person, p.person_id, p.unit, p.amount, p.base, p.bonus, p.capped, p.share_of,
             p.reward) for p in payouts]


def test_quarter_payouts():
    payouts, findings, not_adopted = rewards(registers(), Settings(), Q3)
    assert payout_rows(payouts) == [
        ("J01", "张三", "1001", "综采一队", 150, 200, 100, False, 2, 300),
        ("J01", "李四", "1002", "机电科", 150, 200, 100, False, 2, 300),
        ("J02", "王五", "1003", "通风区", 500, 300, 200, False, 1, 500),
        ("J03", "赵六", "1004", "掘进二队", 68, 200, 0, False, 3, 200),
        ("J03", "钱七", "1005", "机电科", 66, 200, 0, False, 3, 200),
        ("J03", "孙八", "", "", 66, 200, 0, False, 3, 200),
        ("J04", "李四", "1002", "机电科", 100, 100, 0, False, 1, 100),
    ]
    assert sum(p.amount for p in payouts) == 300 + 500 + 200 + 100
    assert [(f.code, f.sheet, f.row, f.column, f.value) for f in findings] == [
        ("P01", "合理化建议", 8, "应用效果", ""),
        ("R05", "合理化建议", 11, "评审季度", ""),
    ]
    assert "J07" in findings[0].message and "J10" in findings[1].message
    assert [s.id for s in not_adopted] == ["J11", "J12"]


def test_explanations():
    payouts, _, _ = rewards(registers(), Settings(), Q3)
    assert [p.explanation for p in payouts] == [
        "应用效果良好 200 + 创效≥1万 100 = 300 元，2人平分：本人 150 元",
        "应用效果良好 200 + 创效≥1万 100 = 300 元，2人平分：本人 150 元",
        "应用效果显著 300 + 创效≥10万 200 = 500 元",
        "应用效果良好 200 元，3人平分：本人 68 元（含尾差 2 元）",
        "应用效果良好 200 元，3人平分：本人 66 元",
        "应用效果良好 200 元，3人平分：本人 66 元",
        "应用效果一般 100 元",
    ]


def test_cap_with_custom_settings():
    s = Settings(reward_effect_significant=450)
    assert reward_amount("显著", 100000, s) == (450, 200, 500, "应用效果显著 450 + 创效≥10万 200 = 650 元，超过上限按 500 元")
    regs = registers()
    regs.suggestions = [suggestion("K1", ["王五"], ["1003"], effect="显著", benefit=150000, review_quarter="2026Q3")]
    payouts, _, _ = rewards(regs, s, Q3)
    assert payout_rows(payouts) == [("K1", "王五", "1003", "通风区", 500, 450, 200, True, 1, 500)]


def test_floor_with_custom_settings():
    s = Settings(reward_effect_fair=50, benefit_bonus1=30)
    assert reward_amount("一般", None, s) == (50, 0, 100, "应用效果一般 50 元，低于下限按 100 元")
    assert reward_amount("一般", 10000, s) == (50, 30, 100, "应用效果一般 50 + 创效≥1万 30 = 80 元，低于下限按 100 元")
    regs = registers()
    regs.suggestions = [suggestion("K2", ["张三", "李四", "王五"], ["1001", "1002", "1003"], effect="一般",
                                   benefit=20000, review_quarter="2026Q3")]
    payouts, _, _ = rewards(regs, s, Q3)
    assert [(p.person, p.amount) for p in payouts] == [("张三", 34), ("李四", 33), ("王五", 33)]


def test_changed_tiers():
    s = Settings(benefit_tier1=5000, benefit_bonus1=50, benefit_tier2=50000, benefit_bonus2=150)
    assert [reward_amount("良好", b, s)[2] for b in (None, 4999, 5000, 49999, 50000)] == [200, 200, 250, 250, 350]


def test_other_quarter_and_rerun():
    regs = registers()
    # Q2: J08 by 评审季度, and J05: its 奖励季度 records it as paid in Q2, so a rerun of Q2
    # keeps it in Q2's payout although its 评审季度 now says Q3 (it is never paid twice)
    payouts, _, not_adopted = rewards(regs, Settings(), quarter(2026, 2))
    assert [(p.suggestion_id, p.amount) for p in payouts] == [("J05", 200), ("J08", 200)]
    # Q4: J09 by 实施日期
    payouts, _, _ = rewards(regs, Settings(), quarter(2026, 4))
    assert [(p.suggestion_id, p.amount) for p in payouts] == [("J09", 200)]
    assert [s.id for s in not_adopted] == ["J13"]
    # the same inputs twice: the same payout
    assert rewards(regs, Settings(), Q3) == rewards(registers(), Settings(), Q3)
