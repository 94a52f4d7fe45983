"""check_sessions on a 3,000-person demo register gives exactly the findings recorded in
tests/data/selection_snapshot.json, which were computed with the straightforward
(sessions x roster) implementation before it was indexed by level. The demo data is
clean apart from its planted errors, so a second case scrambles it deterministically
(attendees moved between sessions, members leaving mid-year, blanks) to exercise S02,
S03, S07, S08, S09 and S11 with leavers in the pools.

Regenerate (only when a rule deliberately changes): python tests/test_selection_snapshot.py
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from huitan_xl.demo import DemoSize, generate, write_demo_workbook
from huitan_xl.model import Registers
from huitan_xl.read import read_workbook
from huitan_xl.rules.selection import check_sessions

AS_OF = date(2026, 11, 24)
SNAPSHOT = Path(__file__).resolve().parent / "data" / "selection_snapshot.json"
Y2026 = (date(2026, 1, 1), date(2026, 12, 31))
Q3 = (date(2026, 7, 1), date(2026, 9, 30))
H2 = (date(2026, 6, 1), date(2026, 12, 31))
PERIODIC = {"S08", "S10", "S12"}  # the codes that depend on the period


def demo_registers(folder: Path) -> Registers:
    data = generate(DemoSize(employees=3000, sessions=300, items=2000), as_of=AS_OF)
    return read_workbook(write_demo_workbook(folder / "demo.xlsx", data))


def scrambled(regs: Registers) -> Registers:
    """Every 10th attendance row takes the 工号 of another row (other sessions, levels,
    duplicates), every 97th repeats the row above; every 9th member leaves on the 15th of a month of 2026, every 23rd is
    离职 without a date; some genders and tiers are blank."""
    people = []
    for i, p in enumerate(regs.persons):
        if i % 9 == 4:
            p = replace(p, left_on=date(2026, 1 + i % 12, 15), active=False)
        elif i % 23 == 5:
            p = replace(p, left_on=None, active=False)
        if i % 31 == 7:
            p = replace(p, gender="")
        if i % 7 == 2:
            p = replace(p, tier="")
        people.append(p)
    rows = regs.attendances
    n = len(rows)
    moved = [replace(a, person_id=rows[(i * 7 + 3) % n].person_id) if i % 10 == 1
             else replace(a, person_id=rows[i - 1].person_id) if i % 97 == 50 else a
             for i, a in enumerate(rows)]
    return replace(regs, persons=people, attendances=moved)


def cases(regs: Registers) -> dict[str, list[list]]:
    messy = scrambled(regs)
    runs = {"demo 2026": (regs, Y2026, AS_OF, None),
            "scrambled 2026": (messy, Y2026, AS_OF, None),
            "scrambled Q3": (messy, Q3, AS_OF, PERIODIC),
            "scrambled 2026-06..12": (messy, H2, None, PERIODIC)}
    return {name: [[f.code, f.sheet, f.row, f.column] for f in check_sessions(r, period, as_of)
                   if codes is None or f.code in codes]
            for name, (r, period, as_of, codes) in runs.items()}


@pytest.fixture(scope="module")
def got(tmp_path_factory):
    return cases(demo_registers(tmp_path_factory.mktemp("snapshot")))


@pytest.mark.parametrize("name", ["demo 2026", "scrambled 2026", "scrambled Q3", "scrambled 2026-06..12"])
def test_findings_equal_the_snapshot(got, name):
    assert got[name] == json.loads(SNAPSHOT.read_text(encoding="utf-8"))[name]


def test_the_scrambled_register_exercises_the_pool_rules(got):
    codes = {f[0] for f in got["scrambled 2026"]}
    assert {"S02", "S03", "S07", "S08", "S09", "S11"} <= codes


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        SNAPSHOT.parent.mkdir(exist_ok=True)
        found = cases(demo_registers(Path(tmp)))
        SNAPSHOT.write_text("{\n" + ",\n".join(
            json.dumps(name, ensure_ascii=False) + ": [\n" + ",\n".join(json.dumps(f, ensure_ascii=False)
                                                                     for f in rows) + "]"
            for name, rows in found.items()) + "\n}\n", encoding="utf-8")
