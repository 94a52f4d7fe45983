"""suggest-attendees' plan: the suggested list (rules/suggest.py), and with --write the draft
session written into 慧谈场次 and 参会人员."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from . import schema
from .errors import BadParameter, WorkbookUnusable
from .model import Registers
from .pipeline import JobResult, Writes, span_of


def plan_suggest(regs: Registers, level_text: str, n: int, on: date, as_of: date,
                 write: bool = False, period_text: str | None = None) -> tuple[JobResult, Writes]:
    from .convert import Bad, to_level
    from .rules.suggest import draft_session_rows, suggest_attendees

    code = to_level(level_text)
    if code is None or isinstance(code, Bad):
        from .findings import did_you_mean

        raise BadParameter(f"无法识别层级“{level_text}”。{did_you_mean(level_text, schema.LEVEL_NAMES)}")
    period = span_of(regs.settings, on, period_text)
    picked = suggest_attendees(regs, code, n, on=on, period=period)
    name = dict((c, nm) for c, nm, _r, _u in schema.LEVEL_TABLE)[code]
    writes = Writes()
    result = JobResult("suggest-attendees", Path(regs.path), as_of, period=on.isoformat(),
                       findings=list(regs.findings), counts={"level": code, "picked": len(picked)})
    result.extra["attendees"] = [{"id": s.person.id, "name": s.person.name, "reasons": list(s.reasons)}
                                 for s in picked]
    result.lines = [f"{name}层级 {on.isoformat()} 慧谈建议名单（{len(picked)} 人）："] + [
        f"  {s.person.id} {s.person.name}（{s.person.unit} {s.person.post}）：{'；'.join(s.reasons)}"
        for s in picked]
    if write and picked:
        session_row, attendance_rows = draft_session_rows(regs, code, picked, on)
        _put_rows(regs, writes, schema.SESSIONS,
                  [s.src.row for s in regs.sessions if s.id == session_row["场次编号"] and s.src], [session_row])
        _put_rows(regs, writes, schema.ATTENDANCE,
                  [a.src.row for a in regs.attendances if a.session_id == session_row["场次编号"] and a.src],
                  attendance_rows)
        result.lines.append(f"草稿场次 {session_row['场次编号']} 已写入「慧谈场次」和「参会人员」，请牵头人审核后填写审核日期。")
    return result, writes


def _put_rows(regs: Registers, writes: Writes, sheet: str, reuse: list[int], rows: list[dict]) -> None:
    """Write records into an input sheet: into the rows listed in `reuse` first (a draft
    written before), then below the last used row; surplus reused rows are cleared."""
    if sheet not in regs.layouts:
        raise WorkbookUnusable(f"工作簿中没有「{sheet}」工作表，无法写入草稿；请先运行 huitan init 补齐。")
    layout = regs.layouts[sheet]
    cells = writes.cells.setdefault(sheet, {})
    targets = list(reuse) + list(range(layout.max_row + 1, layout.max_row + 1 + max(0, len(rows) - len(reuse))))
    for r, row in zip(targets, rows):
        for header, value in row.items():
            if header in layout.columns:
                cells[(r, layout.columns[header])] = value if value != "" else None
    for r in targets[len(rows):]:
        for col in layout.columns.values():
            cells[(r, col)] = None
