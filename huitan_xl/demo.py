"""Demo data: a realistic sample mine register for `huitan demo`, tests and benchmarks.

`generate` builds every input sheet as rows of {canonical header: value} from one
random.Random(seed): no global random state, no clock (`as_of` is a parameter).
The data is clean by construction — selection rules S01–S12, dates in order,
every reference resolvable — except the errors listed in `DemoData.planted`.

How clean sessions are chosen (SPEC §4): every level's regular sessions draw, in
date order, from the members who have not attended a regular session of the
level yet, key persons (三必谈五必访) first, seeding one of each gender, each tier
(先进/一般/后进, L1–L5) and a second post. A small level is covered completely by
its first sessions ("partition"); only then may later sessions repeat people,
so nobody is invited twice while others wait (S08). The roster is drawn with
enough women and tiers for every such group (S09, S11).

Business events the rules report as warnings or deductions are part of a
realistic register, not planted errors: one extension approved after its
deadline (T01), replies rated 不满意 or 是否解决 = 否 (T04), late and open tickets
(D01), 办理问题 (D02/D03), absent invited departments (D04), a late and a missing
monthly report (D05), manual events (D06), a 合理 suggestion not adopted (D07).
"""
from __future__ import annotations

import bisect
import random
from datetime import date, timedelta
from pathlib import Path

from . import demo_vocab as V
from . import schema
from .calendar import WorkCalendar
from .demo_items import ItemsMixin
from .demo_people import PeopleMixin
from .demo_records import MIN_SIZE, DemoData, DemoSize, Planted, _Person, row_of
from .settings import PARAMETERS

__all__ = ["DemoData", "DemoSize", "Planted", "generate", "row_of", "write_demo_workbook"]


def generate(size: DemoSize = DemoSize(), seed: int = 2026, as_of: date = date(2026, 11, 24)) -> DemoData:
    """A sample register for `size`, identical for the same seed and as_of."""
    if any(have < least for have, least in zip((size.employees, size.sessions, size.items), MIN_SIZE)):
        raise ValueError(f"demo needs at least {MIN_SIZE[0]} employees, {MIN_SIZE[1]} sessions and "
                         f"{MIN_SIZE[2]} items")
    if not date(size.year, 2, 1) <= as_of:
        raise ValueError("as_of must fall after January of the demo year")
    return _Generator(size, seed, as_of).run()


def write_demo_workbook(path: Path, data: DemoData) -> Path:
    """Write the demo rows as a new register workbook at `path`."""
    from . import template, write

    wb = write.Workbook.new()
    wb.put_sheet(schema.README, template.readme_builder())
    for sheet in schema.INPUT_SHEETS:
        if sheet != schema.README:
            wb.put_sheet(sheet, template.register_builder(sheet, data.rows.get(sheet, [])))
    wb.save(Path(path))
    return Path(path)


class _Generator(PeopleMixin, ItemsMixin):
    def __init__(self, size: DemoSize, seed: int, as_of: date):
        self.size, self.seed, self.as_of = size, seed, as_of
        self.rng = random.Random(seed)
        self.cal = WorkCalendar()
        self.year = size.year
        self.start = date(self.year, 1, 5)
        self.end = min(as_of, date(self.year, 12, 31))
        d, days = self.start, []
        while d <= self.end:
            if self.cal.is_workday(d):
                days.append(d)
            d += timedelta(days=1)
        self.workdays = days
        self.names: set[str] = set()
        self.planted: list[Planted] = []
        self.typo: _Person | None = None  # the 班组长 whose level is misspelt (R03)

    # ---- small helpers --------------------------------------------------------
    def workday_in(self, lo: date, hi: date) -> date:
        i, j = bisect.bisect_left(self.workdays, lo), bisect.bisect_right(self.workdays, hi)
        if i >= j:
            return self.workdays[min(i, len(self.workdays) - 1)]
        return self.workdays[self.rng.randrange(i, j)]

    def prev_workday(self, d: date) -> date:
        while not self.cal.is_workday(d):
            d -= timedelta(days=1)
        return d

    def name(self, gender: str) -> str:
        given = V.FEMALE_GIVEN if gender == "女" else V.MALE_GIVEN
        rng = self.rng
        while True:
            g = rng.choice(given) + (rng.choice(given) if rng.random() < 0.7 else "")
            n = rng.choice(V.SURNAMES) + g
            if n not in self.names:
                self.names.add(n)
                return n

    # ---- the whole register ---------------------------------------------------
    def run(self) -> DemoData:
        self.make_departments()
        self.plan_levels()
        self.make_roster()
        self.make_sessions()
        self.select_attendees()
        roster, sessions = self.roster_rows(), self.session_rows()
        self.plant_session_errors(roster)
        self.make_items()
        self.make_suggestions()
        self.plant_item_errors()
        rows = {
            schema.LEVELS: self.level_rows(),
            schema.DEPARTMENTS: [row_of(schema.DEPARTMENTS, {"部门": n, "负责人": self.heads[n], "类型": k})
                                 for n, k in self.departments],
            schema.ROSTER: roster,
            schema.SESSIONS: sessions,
            schema.ATTENDANCE: self.attendance_rows,
            schema.ITEMS: self.items,
            schema.SUGGESTIONS: self.suggestions,
            schema.REPORTS: self.report_rows(),
            schema.MANUAL: self.manual_rows(),
            schema.SETTINGS: [row_of(schema.SETTINGS, {"参数": p.name, "值": p.default, "说明": p.description})
                              for p in PARAMETERS],
            schema.HOLIDAYS: [],
        }
        return DemoData(rows, self.planted, self.as_of, self.seed, self.size)
