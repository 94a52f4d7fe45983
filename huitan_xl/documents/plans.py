"""The document jobs: plan_X(regs, …) -> (JobResult, Writes) like every other job, with the
documents as bytes in `writes.files` (path -> bytes), written beside the workbook by the
pipeline's write step after the workbook (which gets its 运行记录 line) is saved.

`mine` is the 说明 sheet's 矿井名称 (the caller reads it; "" = not filled in): it heads every
document and names the issuing office (「××煤矿党群办」, else 「矿党群办」).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from .. import schema
from ..errors import BadParameter
from ..pipeline import JobResult, Writes, _statuses, period_of
from . import records
from .files import beside
from .forms import forms_document
from .minutes import minutes_document
from .monthly_doc import monthly_document
from .notice import NameMask, notice_document

MONTHLY_NAME = "月度职工思想动态分析报告"
FORMS_NAME = "诉求承办单"
NOTICE_NAME = "诉求答复公示"
MINUTES_NAME = "慧谈纪要"


def issuer_of(mine: str) -> str:
    return f"{mine}党群办" if mine else "矿党群办"


def _mine_of(regs, mine: str) -> str:
    """规则配置's 矿井名称 when filled in, else the 说明 sheet's (`mine`)."""
    return str(getattr(regs.settings, "mine_name", "") or "").strip() or mine


def mine_name(path: Path, cells=None) -> str:
    """说明's 矿井名称 of a workbook file, or of `cells` (the workbook open in Excel); "" when
    blank or unreadable."""
    from ..read import readme_mine_name

    try:
        return readme_mine_name(Path(path), cells)
    except Exception:  # a 说明 sheet we cannot read only loses the name in the heading
        return ""


def _sealed_note(regs, lines: list[str]) -> None:
    """Documents asked for by name are written even for an encrypted register: say they are not."""
    from ..xlsx.encryption import is_encrypted

    try:
        sealed = is_encrypted(regs.path)
    except OSError:
        sealed = False
    if sealed:
        lines.append("注意：工作簿已加密，生成的 Word 文档未加密，请妥善保管。")


# ---- 月度职工思想动态分析报告 ----------------------------------------------------------

def monthly_docx(regs, statuses, rep, month, as_of: date, *, mine: str = "",
                 texts: dict[str, str] | None = None, drawn: dict | None = None):
    """The Word report of a monthly report object (the one the 月度分析 sheet is built from):
    (path, a function that makes its bytes). The document is made when it is written
    (files.write_document), after the workbook is saved: the chart worker draws `drawn` (its
    charts, asked for earlier: monthly_doc.request_charts) while the sheets are built. What it is
    made from is taken now, so the registers need not stay in memory."""
    mine = _mine_of(regs, mine)
    from ..periods import last_months
    from ..reports.monthly import monthly_report

    previous = None
    if getattr(rep, "topics", None) is None:  # no topic figures: 主题标签 counts of the month before
        previous = monthly_report(regs, statuses, last_months(month.start, 2)[0], coverage_rows=(), as_of=as_of)
    weak = records.weak_tickets(regs, statuses, month.start, month.end)

    def make() -> bytes:
        from . import chart_worker

        try:
            return monthly_document(rep, mine=mine, issuer=issuer_of(mine), day=as_of, texts=texts,
                                    previous=previous, weak=weak, drawn=drawn if previous is None else None).to_bytes()
        finally:
            chart_worker.stop()  # the report's charts are all in

    return beside(Path(regs.path), month.label, MONTHLY_NAME), make


def monthly_docx_inputs(path: Path, month_text: str, cells=None) -> dict:
    """{"mine", "texts"} for plan_report, read from the workbook before it is rewritten: its
    file, or `cells` (a sheet's cells by name from the workbook open in Excel)."""
    from ..periods import parse_period
    from .readback import workbook_analysis_texts

    texts: dict[str, str] = {}
    try:
        month = parse_period(month_text)
    except ValueError:
        month = None  # plan_report says what is wrong with the month
    if month is not None and month.kind == "month":
        texts = workbook_analysis_texts(Path(path), schema.MONTHLY_SHEET, f"{month.title}职工思想动态分析报告", cells)
    return {"mine": mine_name(path, cells), "texts": texts}


# ---- 诉求承办单 ---------------------------------------------------------------------

def plan_forms(regs, as_of: date, ids: list[str] | None = None, since: date | None = None,
               mine: str = "") -> tuple[JobResult, Writes]:
    statuses, findings = _statuses(regs, as_of)
    mine = _mine_of(regs, mine)
    if since is None and not ids:
        since = records.last_forms_run(regs.run_log)
    items, problems, how = records.select_form_items(regs, ids, since)
    tickets = records.form_tickets(regs, statuses, items)
    writes = Writes()
    _sealed_note(regs, problems)
    if tickets:
        doc = forms_document(tickets, mine=mine, publish_days=int(regs.settings.publish_days))
        writes.files[beside(Path(regs.path), FORMS_NAME, as_of.isoformat())] = doc.to_bytes()
    result = JobResult("forms", Path(regs.path), as_of, findings=regs.findings + findings,
                       counts={"forms": len(tickets)})
    result.extra["forms"] = [t.id for t in tickets]
    result.lines = [f"诉求承办单：{how}，共 {len(tickets)} 件，每件一页。"] + problems
    if not tickets:
        result.lines.append("没有需要打印的承办单，未生成文档。可用 --ids 或 --since 指定。")
    return result, writes


# ---- 公示 ----------------------------------------------------------------------------

def plan_notice(regs, month_text: str, as_of: date, proposer: str = "unit", mine: str = "",
                unit_label=None) -> tuple[JobResult, Writes]:
    mine = _mine_of(regs, mine)
    month = period_of(month_text, "month", "公示清单请填写月份，例如 2026-10")
    statuses, findings = _statuses(regs, as_of)
    rows = records.notice_rows(regs, statuses, month.start, month.end)
    if unit_label is None:  # small-group privacy: a unit of fewer than 最小公示人数 is posted as 其他
        from ..privacy import min_group, public_names

        posted = public_names(((p.unit, p.id or p.name) for p in regs.persons), min_group(regs.settings))
        unit_label = lambda u: posted.get(u, "其他") if u else ""  # noqa: E731
    doc = notice_document(rows, mine=mine, month_label=month.label, issuer=issuer_of(mine), day=as_of,
                          proposer=proposer, mask=NameMask(records.person_names(regs)),
                          unit_label=unit_label)
    writes = Writes()
    writes.files[beside(Path(regs.path), month.label, NOTICE_NAME)] = doc.to_bytes()
    result = JobResult("notice", Path(regs.path), as_of, period=month.label, findings=regs.findings + findings,
                       counts={"replies": len(rows)})
    result.extra["notice"] = [r.id for r in rows]
    result.lines = [f"{month.title}诉求答复公示：{len(rows)} 件（不含个人姓名）。"]
    _sealed_note(regs, result.lines)
    return result, writes


# ---- 慧谈纪要 --------------------------------------------------------------------------

def plan_minutes(regs, session_id: str, as_of: date, mine: str = "") -> tuple[JobResult, Writes]:
    mine = _mine_of(regs, mine)
    session_id = session_id.strip()
    statuses, findings = _statuses(regs, as_of)
    s = records.minutes_session(regs, statuses, session_id)
    if s is None:
        known = [x.id for x in regs.sessions if x.id]
        from ..findings import did_you_mean

        raise BadParameter(f"「{schema.SESSIONS}」中没有场次编号“{session_id}”。{did_you_mean(session_id, known)}")
    doc = minutes_document(s, mine=mine, issuer=issuer_of(mine), day=as_of)
    writes = Writes()
    writes.files[beside(Path(regs.path), session_id, MINUTES_NAME)] = doc.to_bytes()
    result = JobResult("minutes", Path(regs.path), as_of, period=session_id, findings=regs.findings + findings,
                       counts={"attendees": len(s.attendees), "items": len(s.items),
                               "on_the_spot": sum(i.on_the_spot for i in s.items)})
    result.lines = [f"慧谈纪要 {session_id}：参会 {len(s.attendees)} 人，诉求 {len(s.items)} 件。"]
    _sealed_note(regs, result.lines)
    return result, writes
