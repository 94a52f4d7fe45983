"""Deduction ledger (SPEC §6): hand-computed events, dates, heads and points."""
import random
from dataclasses import replace

from huitan_xl.model import Registers
from huitan_xl.periods import month, parse_period, quarter, year
from huitan_xl.scoring import deductions, totals
from huitan_xl.settings import Settings

from scoring_records import D, dept, item, manual, report, session, status, suggestion

AS_OF = D(2026, 12, 1)


def registers():
    regs = Registers(path="t.xlsx")
    regs.departments = [dept("机电科", "王强", row=2), dept("通风区", "李明", "区队", row=3),
                        dept("调度室", "赵刚", row=4), dept("综采一队", "吴涛", "区队", row=5)]
    regs.items = [
        # late AND marked 推诿扯皮: D01 the day after the deadline, D03 on the reply date
        item("A01", "机电科", assigned=D(2026, 3, 2), replied=D(2026, 3, 12), problem="推诿扯皮", row=2),
        # still open, its own 承办负责人 (张伟) differs from the 部门 sheet (李明): 张伟 takes it
        item("A02", "通风区", head="张伟", assigned=D(2026, 3, 20), row=3),
        # on time but perfunctory, and the employee was not satisfied
        item("A03", "机电科", assigned=D(2026, 4, 1), replied=D(2026, 4, 3), problem="搪塞应付",
             satisfaction="不满意", row=4),
        # closed, but replied one day late
        item("A04", "机电科", assigned=D(2026, 6, 22), replied=D(2026, 7, 1), resolved=True,
             implemented=True, row=5),
        # closed on time: no event
        item("A05", "机电科", assigned=D(2026, 6, 22), replied=D(2026, 6, 25), resolved=True,
             implemented=True, row=6),
        # answered on the spot: 不满意 there is no ticket event
        item("A06", satisfaction="不满意", on_the_spot=True, row=7),
    ]
    regs.sessions = [
        session("HT-01", D(2026, 5, 8), invited=["调度室", "机电科"], attending=["机电科"], row=2),
        # planned after as_of: not an event yet
        session("HT-02", D(2026, 12, 20), invited=["通风区"], row=3),
    ]
    regs.reports = [
        report("2026-09", "综采一队", "孙亮", D(2026, 10, 5), D(2026, 10, 8), row=2),  # late
        report("2026-10", "综采一队", "孙亮", D(2026, 11, 5), None, row=3),  # never submitted
        report("2026-11", "综采一队", "孙亮", D(2026, 12, 5), None, row=4),  # not yet due on as_of
        report("2026-08", "调度室", "", D(2026, 9, 5), D(2026, 9, 5), row=5),  # on the due day: on time
    ]
    regs.manual_events = [
        manual(D(2026, 2, 10), "机电科", points=-2, reason="未按要求整改", row=3),
        manual(D(2026, 8, 15), "调度室", reason="拒不参加慧谈筹备", basis="矿党群办〔2026〕12号", row=4),
        manual(D(2026, 8, 20), "通风区", head="李明", points=3, reason="不服从督办安排", row=5),
    ]
    regs.suggestions = [
        suggestion("JY-01", ["张三"], adopted=False, reasonable=True, source_id="A03", forwarded_to="机电科"),
        suggestion("JY-02", ["李四"], adopted=False, reasonable=False, source_id="A03", forwarded_to="机电科",
                   row=3),
    ]
    return regs


def statuses():
    return [
        status("A01", "逾期答复", D(2026, 3, 9), 3, "机电科", row=2),
        status("A02", "逾期未答复", D(2026, 3, 27), 249, "通风区", "张伟", row=3),
        status("A03", "按期答复", D(2026, 4, 8), None, "机电科", row=4),
        status("A04", "已办结", D(2026, 6, 30), 1, "机电科", row=5),
        status("A05", "已办结", D(2026, 6, 29), None, "机电科", row=6),
        status("A06", "现场答复", None, None, row=7),
    ]


FULL = [
    (D(2026, 2, 10), "D06", "机电科", "王强", -2, "考核事项第3行"),
    (D(2026, 3, 10), "D01", "机电科", "王强", -2, "A01"),
    (D(2026, 3, 12), "D03", "机电科", "王强", -1, "A01"),
    (D(2026, 3, 28), "D01", "通风区", "张伟", -2, "A02"),
    (D(2026, 4, 3), "D02", "机电科", "王强", -1, "A03"),
    (D(2026, 4, 3), "D07", "机电科", "王强", 0, "A03"),
    (D(2026, 4, 3), "D07", "机电科", "王强", 0, "JY-01"),
    (D(2026, 5, 8), "D04", "调度室", "赵刚", -1, "HT-01"),
    (D(2026, 7, 1), "D01", "机电科", "王强", -2, "A04"),
    (D(2026, 8, 15), "D06", "调度室", "赵刚", -1, "矿党群办〔2026〕12号"),
    (D(2026, 8, 20), "D06", "通风区", "李明", -3, "考核事项第5行"),
    (D(2026, 10, 6), "D05", "综采一队", "孙亮", -1, "2026-09 综采一队"),
    (D(2026, 11, 6), "D05", "综采一队", "孙亮", -1, "2026-10 综采一队"),
]


def rows(ledger):
    return [(e.date, e.code, e.department, e.head, e.points, e.evidence) for e in ledger]


def test_full_ledger_as_of():
    ledger, findings = deductions(registers(), statuses(), Settings(), as_of=AS_OF)
    assert rows(ledger) == FULL
    assert findings == []


def test_events_cite_their_source_rows_and_say_why():
    ledger, _ = deductions(registers(), statuses(), Settings(), as_of=AS_OF)
    assert [(e.src.sheet, e.src.row) for e in ledger] == [
        ("考核事项", 3), ("诉求台账", 2), ("诉求台账", 2), ("诉求台账", 3), ("诉求台账", 4), ("诉求台账", 4),
        ("合理化建议", 2), ("慧谈场次", 2), ("诉求台账", 5), ("考核事项", 4), ("考核事项", 5),
        ("报告报送", 2), ("报告报送", 3)]
    assert ledger[1].reason == "诉求A01答复时限2026-03-09，逾期3天答复"
    assert ledger[3].reason == "诉求A02答复时限2026-03-27，逾期未答复"
    assert ledger[7].reason == "调度室受邀参加慧谈HT-01，未派员参加"
    assert ledger[11].reason == "综采一队2026-09职工思想动态报告应于2026-10-05报送，2026-10-08迟报"
    assert ledger[12].reason == "综采一队2026-10职工思想动态报告应于2026-11-05报送，未报送"


def test_as_of_cut_off_moves_with_the_date():
    # on 2026-12-06 the November report is one day missing; the session of 12-20 is still ahead
    ledger, _ = deductions(registers(), statuses(), Settings(), as_of=D(2026, 12, 6))
    assert rows(ledger)[-1] == (D(2026, 12, 6), "D05", "综采一队", "孙亮", -1, "2026-11 综采一队")
    assert len(ledger) == 14
    # the day before the November report's event: still 13
    assert len(deductions(registers(), statuses(), Settings(), as_of=D(2026, 12, 5))[0]) == 13
    # on the session day, 通风区 did not come
    ledger, _ = deductions(registers(), statuses(), Settings(), as_of=D(2026, 12, 20))
    assert rows(ledger)[-1] == (D(2026, 12, 20), "D04", "通风区", "李明", -1, "HT-02")


def test_changed_point_values():
    s = Settings(points_d01=3, points_d04=-2, points_d07=1, points_d06=5)
    ledger, _ = deductions(registers(), statuses(), s, as_of=AS_OF)
    # D01 -3, D04 -2 (a negative setting means the same), D07 -1, D06 blank -> -5; explicit D06 points stay
    assert [e.points for e in ledger] == [-2, -3, -1, -3, -1, -1, -1, -2, -3, -5, -3, -1, -1]


def test_period_filter_month_quarter_year():
    regs, sts = registers(), statuses()
    ledger = lambda p: rows(deductions(regs, sts, Settings(), p, as_of=AS_OF)[0])  # noqa: E731
    assert ledger(parse_period("2026-04")) == FULL[4:7]
    assert ledger(month(2026, 6)) == []
    assert ledger(month(2026, 7)) == [FULL[8]]
    assert ledger(quarter(2026, 2)) == FULL[4:8]
    assert ledger(quarter(2026, 3)) == FULL[8:11]
    assert ledger(year(2026)) == FULL
    assert ledger(year(2025)) == []


def test_each_event_falls_in_exactly_one_month_and_one_quarter():
    regs, sts = registers(), statuses()
    by_month = [rows(deductions(regs, sts, Settings(), month(2026, m), as_of=AS_OF)[0]) for m in range(1, 13)]
    by_quarter = [rows(deductions(regs, sts, Settings(), quarter(2026, q), as_of=AS_OF)[0]) for q in range(1, 5)]
    assert sorted(r for part in by_month for r in part) == sorted(FULL)
    assert sorted(r for part in by_quarter for r in part) == sorted(FULL)
    assert [len(p) for p in by_quarter] == [4, 4, 3, 2]


def test_same_inputs_twice_and_shuffled_give_the_same_ledger():
    first = deductions(registers(), statuses(), Settings(), as_of=AS_OF)
    second = deductions(registers(), statuses(), Settings(), as_of=AS_OF)
    assert first == second
    regs, sts = registers(), statuses()
    rnd = random.Random(7)
    for lst in (regs.items, regs.sessions, regs.reports, regs.manual_events, sts):
        rnd.shuffle(lst)
    assert deductions(regs, sts, Settings(), as_of=AS_OF) == first


def test_totals_by_head_and_department():
    ledger, _ = deductions(registers(), statuses(), Settings(), as_of=AS_OF)
    assert totals(ledger, "head") == [
        ("王强", "机电科", -8, 7),
        ("李明", "通风区", -3, 1),
        ("孙亮", "综采一队", -2, 2),
        ("张伟", "通风区", -2, 1),
        ("赵刚", "调度室", -2, 2),
    ]
    assert totals(ledger, "department") == [
        ("机电科", "机电科", -8, 7),
        ("通风区", "通风区", -5, 2),
        ("综采一队", "综采一队", -2, 2),
        ("调度室", "调度室", -2, 2),
    ]


def test_head_comes_from_department_sheet_when_the_record_names_none():
    regs = registers()
    regs.reports = [report("2026-09", "综采一队", "", D(2026, 10, 5), None)]
    ledger, _ = deductions(regs, [], Settings(), month(2026, 10), as_of=AS_OF)
    assert rows(ledger) == [(D(2026, 10, 6), "D05", "综采一队", "吴涛", -1, "2026-09 综采一队")]


def test_unknown_department_is_a_p02_finding_once_and_undatable_events_are_r05():
    regs = Registers(path="t.xlsx")
    regs.sessions = [session("HT-09", D(2026, 5, 8), invited=["安全科"], row=6),
                     session("HT-10", D(2026, 5, 9), invited=["安全科"], row=7)]
    regs.items = [item("B01", "机电科", head="王强", problem="推诿扯皮", row=9)]
    regs.reports = [report("2026-09", "综采一队", "孙亮", None, None, row=4)]
    ledger, findings = deductions(regs, [], Settings(), as_of=AS_OF)
    assert rows(ledger) == [(D(2026, 5, 8), "D04", "安全科", "", -1, "HT-09"),
                            (D(2026, 5, 9), "D04", "安全科", "", -1, "HT-10")]
    assert [(f.code, f.sheet, f.row, f.column, f.value) for f in findings] == [
        ("R05", "诉求台账", 9, "交办日期", ""),
        ("R05", "报告报送", 4, "应报日期", ""),
        ("P02", "慧谈场次", 6, "负责人", "安全科"),
    ]
    assert "B01" in findings[0].message and "请填写交办日期" in findings[0].message
    assert "请在部门表中填写“安全科”的负责人" in findings[2].message


def test_d02_d03_without_reply_use_the_assignment_date():
    regs = registers()
    regs.items = [item("C01", "机电科", assigned=D(2026, 5, 6), problem="推诿扯皮")]
    ledger, _ = deductions(regs, [], Settings(), month(2026, 5), as_of=AS_OF)
    assert rows(ledger) == [(D(2026, 5, 6), "D03", "机电科", "王强", -1, "C01"),
                            (D(2026, 5, 8), "D04", "调度室", "赵刚", -1, "HT-01")]


def test_tickets_not_late_give_no_d01():
    sts = [replace(s, state=st) for s, st in zip(statuses()[:3], ["待答复", "按期答复", "现场答复"])]
    ledger, _ = deductions(registers(), sts, Settings(), month(2026, 3), as_of=AS_OF)
    assert rows(ledger) == [(D(2026, 3, 12), "D03", "机电科", "王强", -1, "A01")]
