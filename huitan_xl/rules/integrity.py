"""Data checks across the registers (SPEC §5, §9, §11): R05, R07, R08, R09.

Pure: Registers -> findings. Checks owned elsewhere are not repeated here: an
attendee not on the roster is S03, a list reviewed after the session is S05.
A cell the reader already reported (e.g. an unreadable date, R01) gets no
second finding for being blank.
"""
from __future__ import annotations

from typing import Iterable

from .. import schema
from ..convert import split_list
from ..findings import Finding, did_you_mean, finding
from ..model import Registers
from .context import RuleContext
from .selection import squeeze



def check_records(regs: Registers) -> list[Finding]:
    out: list[Finding] = []
    out += _duplicates(regs)
    out += _references(regs)
    out += _date_order(regs)
    out += _ticket_required(regs)
    return out


def _where(rec, default_sheet: str) -> tuple[str, int | None]:
    return (rec.src.sheet, rec.src.row) if rec.src else (default_sheet, None)


def _dups(records: Iterable, sheet: str, column: str, label: str) -> list[Finding]:
    first: dict[str, int | None] = {}
    out = []
    for rec in records:
        key = (rec.id or "").strip()
        if not key:
            continue
        sh, row = _where(rec, sheet)
        if key in first:
            at = f"第{first[key]}行" if first[key] else "前面"
            out.append(finding("R07", sh, row, column, rec.id,
                               f"{label}{key}与{at}重复；请改为唯一的{label}，或删除重复的这一行。"))
        else:
            first[key] = row
    return out


def _duplicates(regs: Registers) -> list[Finding]:
    return (_dups(regs.sessions, schema.SESSIONS, "场次编号", "场次编号")
            + _dups(regs.items, schema.ITEMS, regs.header(schema.ITEMS, "编号"), "诉求编号")
            + _dups(regs.persons, schema.ROSTER, "工号", "工号")
            + _dups(regs.suggestions, schema.SUGGESTIONS, "编号", "建议编号"))


def _references(regs: Registers) -> list[Finding]:
    out: list[Finding] = []
    sessions = {s.id for s in regs.sessions if s.id}
    for a in regs.attendances:
        if a.session_id and a.session_id not in sessions:
            sh, row = _where(a, schema.ATTENDANCE)
            out.append(finding("R08", sh, row, "场次编号", a.session_id,
                               f"参会人员工号{a.person_id}所在的场次{a.session_id}不在慧谈场次表中；"
                               f"请核对场次编号，或先登记该场次。"))
    departments = {squeeze(d.name) for d in regs.departments if squeeze(d.name)}
    names = sorted(departments)
    hints: dict[str, str] = {}  # unknown department -> did_you_mean (difflib is slow; names repeat)
    for it in regs.items:
        sh, row = _where(it, schema.ITEMS)
        if it.session_id and it.session_id not in sessions:
            out.append(finding("R08", sh, row, "场次编号", it.session_id,
                               f"诉求{it.id}的场次编号{it.session_id}不在慧谈场次表中；请核对场次编号。"))
        if departments and squeeze(it.department) and squeeze(it.department) not in departments:
            unknown = [p for p in (squeeze(x) for x in split_list(it.department)) if p and p not in departments]
            if unknown:
                hint = hints.get(unknown[0])
                if hint is None:
                    hint = hints[unknown[0]] = did_you_mean(unknown[0], names)
                out.append(finding("R08", sh, row, regs.header(schema.ITEMS, "承办部门"), it.department,
                                   f"诉求{it.id}的承办部门「{'、'.join(unknown)}」不在部门表中；"
                                   f"请改为部门表中的名称，或先在部门表登记。{hint}"))
    items = {it.id for it in regs.items if it.id}
    for sg in regs.suggestions:
        if sg.source_id and sg.source_id not in items:
            sh, row = _where(sg, schema.SUGGESTIONS)
            out.append(finding("R08", sh, row, "来源编号", sg.source_id,
                               f"合理化建议{sg.id}的来源编号{sg.source_id}不在诉求台账中；请核对来源编号。"))
    return out


def _date_order(regs: Registers) -> list[Finding]:
    out: list[Finding] = []
    col = lambda canonical: regs.header(schema.ITEMS, canonical)  # noqa: E731 - her header
    for it in regs.items:
        sh, row = _where(it, schema.ITEMS)
        if it.replied and it.assigned and it.replied < it.assigned:
            out.append(finding("R09", sh, row, col("答复日期"), it.replied,
                               f"诉求{it.id}的答复日期{it.replied.isoformat()}早于交办日期"
                               f"{it.assigned.isoformat()}；请核对这两个日期。"))
        if it.published and it.replied and it.published < it.replied:
            out.append(finding("R09", sh, row, col("公示日期"), it.published,
                               f"诉求{it.id}的公示日期{it.published.isoformat()}早于答复日期"
                               f"{it.replied.isoformat()}；请核对这两个日期。"))
        if it.extended_to and it.deadline and it.extended_to < it.deadline:
            out.append(finding("R09", sh, row, col("延期至"), it.extended_to,
                               f"诉求{it.id}的延期至{it.extended_to.isoformat()}早于原答复时限"
                               f"{it.deadline.isoformat()}；延期日期应晚于答复时限，请核对。"))
    return out


def _ticket_required(regs: Registers) -> list[Finding]:
    reported = {(f.sheet, f.row, f.column) for f in regs.findings}
    out: list[Finding] = []
    col_dept, col_assigned = regs.header(schema.ITEMS, "承办部门"), regs.header(schema.ITEMS, "交办日期")
    for it in regs.items:
        if not it.is_ticket:
            continue
        sh, row = _where(it, schema.ITEMS)
        if not squeeze(it.department) and (sh, row, col_dept) not in reported:
            out.append(finding("R05", sh, row, col_dept, "",
                               f"诉求{it.id}不是现场答复，须交办承办部门；请填写承办部门。"))
        if it.assigned is None and (sh, row, col_assigned) not in reported:
            out.append(finding("R05", sh, row, col_assigned, "",
                               f"诉求{it.id}不是现场答复，须填写交办日期（答复时限据此计算）。"))
    return out


def check(regs: Registers, ctx: RuleContext) -> list[Finding]:
    """The rule contract (rules/registry.py): R05, R07, R08, R09."""
    return check_records(regs)
