"""Ticket states and hints are one enum each (model.TicketState, model.Hint), str-valued so
that every cell, sheet, message and JSON key written stays the Chinese string it was."""
import json
from datetime import date

from huitan_xl import ownership
from huitan_xl.calendar import WorkCalendar
from huitan_xl.model import NO_HINT, Hint, Item, Registers, Src, TicketState
from huitan_xl.notify import overdue_by_department
from huitan_xl.rules import tickets
from huitan_xl.rules.tickets import ticket_statuses
from huitan_xl.scoring import deductions
from huitan_xl.settings import Settings

D = date


def item(id, row, **kw):
    base = dict(id=id, session_id="", proposer_id="", proposer="", category="职工诉求", tag="",
                content="", on_the_spot=False, department="机电科", head="李科长", supervisor="",
                assigned=None, deadline=None, extended_to=None, extension_approved=None,
                replied=None, reply="", published=None, satisfaction="", resolved=None,
                implemented=None, problem="", risk="", src=Src("诉求台账", row))
    base.update(kw)
    return Item(**base)


def test_the_members_are_the_strings_staff_see():
    assert [s.value for s in TicketState] == ["现场答复", "待答复", "逾期未答复", "按期答复", "逾期答复", "已办结"]
    assert [h.value for h in Hint] == ["即将到期", "催办", "通报", "成效不理想"]
    assert TicketState.OVERDUE_OPEN == "逾期未答复" and f"{TicketState.LATE}" == "逾期答复"
    assert json.dumps({TicketState.PENDING: 1}, ensure_ascii=False) == '{"待答复": 1}'
    assert TicketState("已办结") is TicketState.CLOSED and not NO_HINT
    # the short names in rules.tickets are the members themselves
    assert (tickets.OVERDUE_OPEN, tickets.REPORT) == (TicketState.OVERDUE_OPEN, Hint.REPORT)
    assert tickets.CLOSED is TicketState.CLOSED and tickets.URGE is Hint.URGE


def test_ticket_statuses_carry_the_enum_and_scoring_notify_read_it():
    # 2026-03-02 (Mon) + 5 working days -> due Mon 03-09; as of Fri 03-20: 11 calendar days,
    # 9 working days overdue (>= 5: 通报)
    regs = Registers(path="", items=[
        item("T-1", 2, assigned=D(2026, 3, 2)),
        item("T-2", 3, assigned=D(2026, 3, 2), replied=D(2026, 3, 11)),  # late by 2 days
        item("T-3", 4, assigned=D(2026, 3, 16)),  # due 03-23: 1 working day left -> 即将到期
        item("Q-1", 5, on_the_spot=True),
    ])
    statuses, _ = ticket_statuses(regs, WorkCalendar([]), Settings(), D(2026, 3, 20))
    assert [(s.item_id, s.state, s.days_overdue, s.hint) for s in statuses] == [
        ("T-1", TicketState.OVERDUE_OPEN, 11, Hint.REPORT),
        ("T-2", TicketState.LATE, 2, NO_HINT),
        ("T-3", TicketState.PENDING, None, Hint.DUE_SOON),
        ("Q-1", TicketState.ON_THE_SPOT, None, NO_HINT)]
    assert all(type(s.state) is TicketState for s in statuses)
    assert overdue_by_department(statuses) == [("机电科", 1)]
    ledger, _ = deductions(regs, statuses, Settings(), as_of=D(2026, 3, 20))
    # D01 the day after each missed deadline: T-1 (open) and T-2 (replied late), 2 points each
    assert [(d.code, d.date, d.evidence, d.points) for d in ledger] == [
        ("D01", D(2026, 3, 10), "T-1", -2), ("D01", D(2026, 3, 10), "T-2", -2)]


def test_ownership_recognises_the_states_it_wrote():
    assert ownership._STATES == {"现场答复", "待答复", "逾期未答复", "按期答复", "逾期答复", "已办结"}
    assert ownership._HINTS == {"即将到期", "催办", "通报", "成效不理想"}
