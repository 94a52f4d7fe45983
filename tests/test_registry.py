"""The one rule contract: every check `(registers, ctx) -> findings` in rules.registry.RULES,
each family naming its codes, every code documented for staff and in docs/rules.md."""
import re
from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from _selection_helpers import A, I, P, S, make_regs
from conftest import ROOT
from huitan_xl.findings import CODES
from huitan_xl.model import DayOverride, Src
from huitan_xl.rules.context import RuleContext, make_context, ticket_years
from huitan_xl.rules.registry import RULES, run_rules

AS_OF = date(2026, 3, 20)
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


def small_register():
    """One problem per family, rows as Excel shows them:
    节假日 row 3 marks 2026-05-09 班 after row 2 marked it 休 (C02); a ticket assigned in 2031,
    a year the holidays library has no schedule for (C01); 诉求台账 row 3 repeats 编号 T-1 (R07);
    参会人员 row 3 lists 1001 a second time in H1 (S07); 诉求台账 row 4 has neither 交办日期 nor
    答复时限: a ticket's required 交办日期 is blank (R05) and no deadline can be set (T03). Two people of different gender and post, so no S09."""
    regs = make_regs(persons=[P("1001"), P("1002", gender="女", post="电工")],
                     sessions=[S("H1", date(2026, 3, 5))],
                     attendances=[A("H1", "1001"), A("H1", "1001"), A("H1", "1002")],
                     items=[I("T-1", assigned=date(2026, 3, 2)), I("T-1", assigned=date(2031, 3, 3)),
                            I("T-2", assigned=None)])
    regs.day_overrides = [DayOverride(date(2026, 5, 9), "休", "", Src("节假日", 2)),
                          DayOverride(date(2026, 5, 9), "班", "", Src("节假日", 3))]
    return regs


def test_the_registry_runs_every_family_in_order():
    regs = small_register()
    found = run_rules(regs, make_context(regs, AS_OF, Q1))
    assert [(f.code, f.sheet, f.row, f.column, f.value) for f in found] == [
        ("C01", "节假日", None, "", 2031),
        ("C02", "节假日", 3, "类型", "班"),
        ("R07", "诉求台账", 3, "编号", "T-1"),
        ("R05", "诉求台账", 4, "交办日期", ""),
        ("S07", "参会人员", 3, "工号", "1001"),
        ("T03", "诉求台账", 4, "答复时限", "")]
    # each finding's code is one its rule declares
    for rule in RULES:
        assert set(rule.codes) <= set(CODES), rule.family
    declared = {c for r in RULES for c in r.codes}
    assert {f.code for f in found} <= declared


def test_the_context_is_frozen_and_carries_the_run():
    regs = small_register()
    ctx = make_context(regs, AS_OF, Q1)
    assert (ctx.as_of, ctx.period, ctx.settings.default_reply_days) == (AS_OF, Q1, 5)
    assert ctx.calendar.is_workday(date(2026, 5, 9)) is True  # the 节假日 sheet's later row: 班
    with pytest.raises(FrozenInstanceError):
        ctx.as_of = date(2027, 1, 1)
    assert ticket_years(regs, AS_OF) == {2026, 2031}
    # rules judge by ctx.as_of, never the clock: before H1 was held, its duplicate row is
    # still S07 (a record problem), and nothing else changes on this register
    earlier = RuleContext(date(2026, 3, 1), Q1, ctx.calendar, ctx.settings)
    assert [f.code for f in run_rules(regs, earlier)] == ["C01", "C02", "R07", "R05", "S07", "T03"]


def test_each_family_declares_its_codes_in_its_module():
    import importlib

    from huitan_xl.findings import FAMILIES

    tables = {name: importlib.import_module(name).CODES for name in FAMILIES}
    assert [sorted({c[0] for c in t}) for t in tables.values()] == [["S"], ["R"], ["T"], ["C"], ["P"], ["G"]]
    assert sum(len(t) for t in tables.values()) == len(CODES) == 34  # no code in two families
    assert dict(CODES) == {c: e for t in tables.values() for c, e in t.items()}
    assert CODES["T03"] == ("error", "无法确定答复时限") and CODES["C03"][0] == "info"
    codes = [c for r in RULES for c in r.codes]
    assert len(codes) == len(set(codes))
    assert RULES[0].codes == ("C01", "C02", "C03")
    assert [r.family for r in RULES] == ["calendar", "rules.integrity", "rules.selection", "rules.tickets"]


@pytest.mark.parametrize("doc", ["docs/staff.md", "docs/rules.md"])
def test_every_code_is_documented(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    codes = set(CODES) | {c for r in RULES for c in r.codes}
    if doc.endswith("staff.md"):  # the staff's table: | S01 | 错误 | title | what to do |
        missing = [c for c in sorted(codes) if not re.search(rf"^\| {c} \| (错误|警告|提示) \|", text, re.M)]
    else:
        missing = [c for c in sorted(codes) if not re.search(rf"\b{c}\b", text)]
    assert missing == []
