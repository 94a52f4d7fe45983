"""One severity per code: every finding a job raises carries the severity its code
declares in findings.CODES (C01 and R04 were once raised with another)."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from conftest import fresh_demo
from huitan_xl.calendar import WorkCalendar
from huitan_xl.findings import CODES, INFO, WARNING, finding
from huitan_xl.jobs import run_job
from huitan_xl.model import DayOverride, Src

AS_OF = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, 0)


@pytest.fixture(scope="module")
def demo(demo_book, tmp_path_factory):
    return fresh_demo(demo_book, tmp_path_factory)


def test_every_finding_on_the_demo_has_its_declared_severity(demo):
    seen = set()
    for name, period, options in [("validate", None, {}), ("overdue", None, {}), ("deductions", "2026", {}),
                                  ("rewards", "2026Q3", {}), ("report", "2026-10", {}), ("assess", "2026", {}),
                                  ("suggest-attendees", None, {"level": "班组长", "n": 8})]:
        result = run_job(name, demo, as_of=AS_OF, now=NOW, period=period, dry_run=True, **options)
        wrong = [(f.code, f.severity) for f in result.findings if f.severity != CODES[f.code][0]]
        assert wrong == [], name
        seen |= {f.code for f in result.findings}
    assert len(seen) >= 10  # the demo plants errors of many kinds: the check saw them


def test_a_code_has_one_severity():
    assert finding("R04", "慧谈场次", 2, "类型", "x", "m").severity == "error"
    with pytest.raises(TypeError):
        finding("R04", "规则配置", 6, "参数", "x", "m", severity=WARNING)  # no per-call override


def test_the_two_former_exceptions_have_their_own_codes():
    assert CODES["C03"][0] == INFO and CODES["C01"][0] == WARNING
    assert CODES["R12"][0] == WARNING and CODES["R04"][0] == "error"
    cal = WorkCalendar([DayOverride(date(2027, 2, 9), "休", "", Src("节假日", 2))])
    assert [(f.code, f.severity) for f in cal.year_findings([2027])] == [("C03", INFO)]
