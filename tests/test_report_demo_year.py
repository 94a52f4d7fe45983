"""Issue 6: the monthly report for the demo year (the recount tests follow)."""
from __future__ import annotations


# ---- a fix found by the recount --------------------------------------------------------

def test_duplicate_attendee_row_counts_once():
    """January of the demo lists HZ10054 twice in HT2026-001 (finding S07): one attendance."""
    from huitan_xl.model import Attendance, Src
    from huitan_xl.reports.monthly import month_span, monthly_report
    from report_registers import COVERAGE, october_registers

    regs, st = october_registers()
    regs.attendances.append(Attendance("H1", "E2", "E2", "", Src("参会人员", 8)))  # E2 again in H1
    rep = monthly_report(regs, st, month_span(2026, 10), COVERAGE)
    # H1: E1 E2 E3, H2: E1 E4 -> 5 attendances of 4 persons, as without the duplicate
    assert (rep.attendee_rows, rep.distinct_attendees) == (5, 4)
