"""Ticket states, deadlines, extensions and the supervision ladder (SPEC §5).

Pure: records + calendar + settings + as_of -> statuses + findings. No I/O, no clock.

Choices where the SPEC is silent:
- no 答复时限 and no 交办日期 (and no approved 延期至): deadline None, T03 error; the
  ticket is 待答复 while not replied and 按期答复 / 已办结 once replied — never overdue,
  no ladder hint.
- an approved 延期至 with no other deadline becomes the deadline; an 延期至 on or
  before the current deadline never shortens it.
- 成效不理想 (不满意, or 是否解决 = 否) is shown on every replied ticket, 已办结 too.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..findings import ERROR, WARNING, finding
from ..model import NO_HINT, Hint, Src, TicketState, records_from_rows
from ..settings import Settings
from .context import RuleContext

SHEET = "诉求台账"

# finding codes of this family (findings.FAMILIES): code -> (severity, short Chinese title)
CODES = {
    "T01": (WARNING, "延期批准晚于原答复时限，延期无效"),
    "T02": (WARNING, "答复后5个工作日内未公示"),
    "T03": (ERROR, "无法确定答复时限"),
    "T04": (WARNING, "答复成效不理想，仍在督办"),
}

# the states and the supervision ladder (督办提示), by their short names
ON_THE_SPOT, PENDING, OVERDUE_OPEN, ON_TIME, LATE, CLOSED = TicketState
DUE_SOON, URGE, REPORT, UNSATISFACTORY = Hint

DISSATISFIED = "不满意"


@dataclass(frozen=True)
class TicketStatus:
    item_id: str
    state: TicketState
    deadline: date | None  # effective deadline (default, extension, rolled to a working day)
    days_overdue: int | None  # calendar days (SPEC §5); None when not overdue
    workdays_overdue: int | None
    hint: Hint | str  # NO_HINT ("") or a Hint: 即将到期 / 催办 / 通报 / 成效不理想
    department: str
    head: str
    supervisor: str  # named, else the level's lead person
    src: Src | None = None


def _memo(f):
    cache: dict = {}

    def g(d):
        r = cache.get(d)
        if r is None:
            r = cache[d] = f(d)
        return r
    return g


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def ticket_statuses(regs, calendar, settings, as_of: date) -> tuple[list[TicketStatus], list]:
    """One TicketStatus per item (on-the-spot items too, state 现场答复), plus findings
    (T01 late extension, T02 unpublished reply, T03 no deadline, T04 unsatisfactory)."""
    if settings is None:
        settings = Settings()
    reply_days = int(settings.default_reply_days)
    due_soon = int(settings.due_soon_days)
    report_after = int(settings.report_after_days)
    publish_days = int(settings.publish_days)

    # index once: session id -> level code -> lead person; department -> head
    lead_by_level = {}
    for lv in regs.levels:
        if lv.code and lv.lead and lv.code not in lead_by_level:
            lead_by_level[lv.code] = lv.lead
    lead_by_session = {}
    for s in regs.sessions:
        if s.id not in lead_by_session:
            lead_by_session[s.id] = lead_by_level.get(s.level, "")
    head_by_dept = {}
    for dp in regs.departments:
        if dp.name not in head_by_dept:
            head_by_dept[dp.name] = dp.head

    # many tickets share a date: memoise the calendar arithmetic for this run
    roll = _memo(calendar.roll_forward)
    by_default = _memo(lambda d: calendar.add_workdays(d, reply_days))
    publish_deadline = _memo(lambda d: calendar.add_workdays(d, publish_days))
    between = calendar.workdays_between
    overdue_as_of = _memo(lambda d: between(d, as_of))

    rows: list[tuple] = []  # one TicketStatus's fields per item, made into records at the end
    out: list = []
    # one finding per bad cell: no T03 on a row whose date was unreadable (R01 said so);
    # no T02 where the register has no 公示日期 column at all
    unreadable = {(f.sheet, f.row) for f in getattr(regs, "findings", ()) if f.code == "R01"}
    layout = getattr(regs, "layouts", {}).get(SHEET)
    check_published = layout is None or "公示日期" in layout.columns
    # findings name her header (办理时限, not 答复时限): 校验提示's highlight finds her cell by it
    her = layout.header if layout is not None else str
    col_approved, col_published = her("延期批准日期"), her("公示日期")
    col_deadline = her("答复时限") if layout is None or "答复时限" in layout.columns else her("交办日期")
    col_satisfied, col_resolved = her("职工满意度"), her("是否解决")
    for it in regs.items:
        supervisor = it.supervisor or lead_by_session.get(it.session_id, "")
        head = it.head or head_by_dept.get(it.department, "")
        row = it.src.row if it.src else None
        sheet = it.src.sheet if it.src else SHEET
        if it.on_the_spot:
            rows.append((it.id, ON_THE_SPOT, None, None, None, NO_HINT, it.department, head, supervisor, it.src))
            continue
        name = f"编号 {it.id}" if it.id else f"第{row}行的诉求"

        # ---- deadline --------------------------------------------------------
        offset = it.deadline_offset
        if it.deadline is not None:
            deadline = roll(it.deadline)
        elif offset is not None and it.assigned is not None:  # 答复时限 written as 5个工作日 / 15天
            deadline = (calendar.add_workdays(it.assigned, offset[0]) if offset[1]
                        else roll(it.assigned + timedelta(days=offset[0])))
        elif it.assigned is not None:
            deadline = by_default(it.assigned)
        else:
            deadline = None
        if it.extended_to is not None:
            if it.extension_approved is None:
                out.append(finding(
                    "T01", sheet, row, col_approved, "",
                    f"{name} 填写了延期至 {_iso(it.extended_to)}，但没有延期批准日期，延期不计，"
                    f"仍按答复时限 {_iso(deadline) or '（未定）'} 计算；如已批准延期，请填写延期批准日期。"))
            elif deadline is None:
                deadline = roll(it.extended_to)
            elif it.extension_approved <= deadline:
                deadline = max(deadline, roll(it.extended_to))
            else:
                out.append(finding(
                    "T01", sheet, row, col_approved, it.extension_approved,
                    f"{name} 的延期批准日期 {_iso(it.extension_approved)} 晚于原答复时限 "
                    f"{_iso(deadline)}，延期至 {_iso(it.extended_to)} 无效，仍按原答复时限计算；"
                    f"延期须在答复时限前批准，请核对批准日期。"))
        if deadline is None and (sheet, row) not in unreadable:
            out.append(finding(
                "T03", sheet, row, col_deadline, "",
                f"{name} 既没有答复时限也没有交办日期，无法确定答复时限，不作逾期判断；请填写交办日期"
                f"（按{reply_days}个工作日计算时限）或答复时限。"))

        # ---- state -----------------------------------------------------------
        replied = it.replied
        days = wdays = None
        hint = NO_HINT
        if replied is None:
            if deadline is None or as_of <= deadline:
                state = PENDING
                if deadline is not None and between(as_of, deadline) <= due_soon:
                    hint = DUE_SOON
            else:
                state = OVERDUE_OPEN
                days = (as_of - deadline).days
                wdays = overdue_as_of(deadline)
                hint = REPORT if wdays >= report_after else URGE
        else:
            if deadline is None or replied <= deadline:
                state = ON_TIME
            else:
                state = LATE
                days = (replied - deadline).days
                wdays = between(deadline, replied)
            if it.resolved is True and it.implemented is True:
                state = CLOSED
            dissatisfied = it.satisfaction == DISSATISFIED
            if dissatisfied or it.resolved is False:
                hint = UNSATISFACTORY
                if not dissatisfied:
                    why = "是否解决为否"
                elif it.resolved is False:
                    why = "职工满意度为不满意、是否解决为否"
                else:
                    why = "职工满意度为不满意"
                out.append(finding(
                    "T04", sheet, row, col_satisfied if dissatisfied else col_resolved,
                    DISSATISFIED if dissatisfied else "否",
                    f"{name} 已于 {_iso(replied)} 答复，但{why}，成效不理想，仍列入督办；"
                    f"请督办员{('（' + supervisor + '）') if supervisor else ''}督促承办部门重新办理。"))
            # ---- publication (公示) -------------------------------------------
            publish_by = publish_deadline(replied)
            if check_published and as_of > publish_by and (it.published is None or it.published > publish_by):
                if it.published is None:
                    what = "至今未填写公示日期"
                else:
                    what = f"公示日期 {_iso(it.published)} 已超过期限"
                out.append(finding(
                    "T02", sheet, row, col_published, it.published,
                    f"{name} 于 {_iso(replied)} 答复，最迟应在 {_iso(publish_by)}（答复后{publish_days}个工作日内）"
                    f"公示，{what}；请及时公示并填写公示日期。"))
        rows.append((it.id, state, deadline, days, wdays, hint, it.department, head, supervisor, it.src))
    return records_from_rows(TicketStatus, rows), out


def check(regs, ctx: RuleContext) -> list:
    """The rule contract (rules/registry.py): T01–T04 as of ctx.as_of."""
    return ticket_statuses(regs, ctx.calendar, ctx.settings, ctx.as_of)[1]
