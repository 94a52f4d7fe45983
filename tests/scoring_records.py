"""Small record builders for the scoring / assessment / ledger-sheet tests."""
from __future__ import annotations

from datetime import date

from huitan_xl.model import (Department, Item, ManualEvent, Person, ReportSubmission, Session, Src,
                             Suggestion)
from huitan_xl.rules.tickets import TicketStatus


def dept(name, head, kind="职能科室", row=2):
    return Department(name, head, kind, Src("部门", row))


def person(pid, name, unit, row=2):
    return Person(pid, name, "男", unit, "", "L1", "", False, False, "", "", True, None, Src("职工名册", row))


def item(iid, department="", head="", assigned=None, replied=None, problem="", satisfaction="",
         resolved=None, implemented=None, on_the_spot=False, session_id="", row=2):
    return Item(iid, session_id, "", "", "问题意见", "", "", on_the_spot, department, head, "", assigned, None,
                None, None, replied, "", None, satisfaction, resolved, implemented, problem, "",
                Src("诉求台账", row))


def status(iid, state, deadline, days_overdue=None, department="", head="", row=2):
    return TicketStatus(iid, state, deadline, days_overdue, None, "", department, head, "",
                        Src("诉求台账", row))


def session(sid, d, invited=(), attending=(), row=2):
    return Session(sid, d, "专题慧谈", None, "", "", "现场", "", "", "", None, tuple(invited), tuple(attending),
                   None, Src("慧谈场次", row))


def report(month, unit, head, due, submitted, row=2):
    return ReportSubmission(month, unit, head, due, submitted, Src("报告报送", row))


def manual(d, department, head="", reason="", basis="", points=None, row=2):
    return ManualEvent(d, department, head, reason, basis, points, "", Src("考核事项", row))


def suggestion(sid, proposers, proposer_ids=(), adopted=True, implementation="已实施", effect="良好",
               benefit=None, review_quarter="", implemented_on=None, paid_quarter="", reasonable=True,
               source_id="", forwarded_to="", row=2):
    return Suggestion(sid, source_id, tuple(proposer_ids), tuple(proposers), "生产经营", "", reasonable, "",
                      forwarded_to, adopted, implementation, implemented_on, effect, benefit, review_quarter,
                      None, paid_quarter, Src("合理化建议", row))


D = date
