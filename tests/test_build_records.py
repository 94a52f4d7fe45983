"""model.build_records builds the frozen records read.py makes (issue 13: 100k 诉求台账 rows)
without their __init__: the same records, equal, hashing alike, still frozen."""
from __future__ import annotations

import dataclasses
from datetime import date
from itertools import repeat

import pytest

from huitan_xl import model
from huitan_xl.model import Attendance, Item, Src, build_records, records_from_rows
from huitan_xl.rules.tickets import TicketStatus

RECORD_CLASSES = (model.Level, model.Department, model.Person, model.Session, Attendance, Item,
                  model.Suggestion, model.ReportSubmission, model.ManualEvent, model.TopicRule,
                  model.DayOverride, TicketStatus)


def test_built_items_are_the_items_init_makes():
    names = [f.name for f in dataclasses.fields(Item)]
    rows = [dict(zip(names, [f"{n}-{k}" for n in names])) for k in (1, 2)]
    for r, k in zip(rows, (1, 2)):
        r.update(on_the_spot=k == 1, assigned=date(2026, 3, k), src=Src("诉求台账", k + 1), deadline_offset=None)
    columns = [[r[n] for r in rows] for n in names]
    built = build_records(Item, columns)
    made = [Item(**r) for r in rows]
    assert built == made
    assert [hash(b) for b in built] == [hash(m) for m in made]
    assert [repr(b) for b in built] == [repr(m) for m in made]
    assert built[1].assigned == date(2026, 3, 2) and built[1].src.row == 3 and built[0].is_ticket is False
    assert list(vars(built[0])) == names  # in field order, as __init__ sets them
    with pytest.raises(dataclasses.FrozenInstanceError):
        built[0].id = "x"


def test_every_record_class_read_builds_alike():
    for cls in RECORD_CLASSES:
        assert not hasattr(cls, "__post_init__") and all(f.init for f in dataclasses.fields(cls))
        columns = [[f"{f.name}{k}" for k in range(3)] for f in dataclasses.fields(cls)]
        assert build_records(cls, columns) == [cls(*row) for row in zip(*columns)], cls


def test_the_shortest_column_ends_the_records():
    built = build_records(Attendance, [["H1", "H2"], ["1001", "1002"], repeat("张三"), repeat(""),
                                       [Src("参会人员", 2), Src("参会人员", 3)]])
    assert built == [Attendance("H1", "1001", "张三", "", Src("参会人员", 2)),
                     Attendance("H2", "1002", "张三", "", Src("参会人员", 3))]


def test_records_from_rows_are_the_statuses_init_makes():
    rows = [("SQ-1", model.TicketState.OVERDUE_OPEN, date(2026, 11, 2), 22, 16, model.Hint.REPORT, "机电科", "李四",
             "王五", Src("诉求台账", 3)),
            ("SQ-2", model.TicketState.ON_THE_SPOT, None, None, None, model.NO_HINT, "通风科", "", "", None)]
    built = records_from_rows(TicketStatus, rows)
    assert built == [TicketStatus(*r) for r in rows]
    assert built[0].days_overdue == 22 and built[0].hint == "通报" and built[1].deadline is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        built[0].state = model.TicketState.ON_TIME
