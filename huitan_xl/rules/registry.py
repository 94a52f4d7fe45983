"""Every check `validate` runs, in one list (beancount's list of validations).

A Rule names its family (the module it lives in), the finding codes it may raise (declared
as CODES in the family's module, findings.FAMILIES), and its check, `(registers, ctx) -> list[Finding]` (rules/context.py). `run_rules` runs them in
order; the reader's own findings (R01–R11 while reading) come before them in a job.

Adding a rule family: declare its CODES and write `check(regs, ctx)` in its module, list the
module in findings.FAMILIES and add a Rule here, document its codes in docs/staff.md and
docs/rules.md (tests/test_registry.py and test_docs.py check both).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .. import calendar
from ..findings import Finding
from ..model import Registers
from . import integrity, selection, tickets
from .context import RuleContext


@dataclass(frozen=True)
class Rule:
    family: str  # the module the check lives in
    codes: tuple[str, ...]  # every code the check may raise
    check: Callable[[Registers, RuleContext], list[Finding]]


RULES: tuple[Rule, ...] = (
    Rule("calendar", tuple(calendar.CODES), calendar.check),
    Rule("rules.integrity", ("R05", "R07", "R08", "R09"), integrity.check),  # codes of the reading family
    Rule("rules.selection", tuple(selection.CODES), selection.check),
    Rule("rules.tickets", tuple(tickets.CODES), tickets.check),
)


def run_rules(regs: Registers, ctx: RuleContext, rules: tuple[Rule, ...] = RULES) -> list[Finding]:
    """The findings of every rule on `regs`, rule by rule in the registry's order."""
    out: list[Finding] = []
    for rule in rules:
        out += rule.check(regs, ctx)
    return out
