"""逾期督办: overdue tickets grouped by supervisor and by department (SPEC §5, §9)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..model import Item
from ..rules.tickets import DUE_SOON, OVERDUE_OPEN, REPORT, UNSATISFACTORY, TicketStatus
from .layout import print_setup, write_table, write_title

DETAIL_HEADERS = ["编号", "承办部门", "承办负责人", "督办员", "交办日期", "答复时限", "逾期天数",
                  "逾期工作日", "督办提示", "内容", "台账行号"]


def overdue_tickets(statuses: list[TicketStatus]) -> list[TicketStatus]:
    """Open tickets past their deadline, most overdue first."""
    rows = [s for s in statuses if s.state == OVERDUE_OPEN]
    return sorted(rows, key=lambda s: (-(s.days_overdue or 0), s.item_id))


def group_counts(overdue: list[TicketStatus], key) -> list[tuple[str, int, int, int]]:
    """(group, overdue count, 通报 count, longest days overdue), largest groups first."""
    groups: dict[str, list[TicketStatus]] = defaultdict(list)
    for s in overdue:
        groups[key(s) or "（未指定）"].append(s)
    out = [(g, len(v), sum(1 for s in v if s.hint == REPORT), max(s.days_overdue or 0 for s in v))
           for g, v in groups.items()]
    return sorted(out, key=lambda r: (-r[1], r[0]))


def overdue_builder(statuses: list[TicketStatus], items: list[Item], as_of: date):
    overdue = overdue_tickets(statuses)
    soon = sorted((s for s in statuses if s.hint == DUE_SOON), key=lambda s: (s.deadline or as_of, s.item_id))
    weak = [s for s in statuses if s.hint == UNSATISFACTORY]
    # what the sheet shows of the listed tickets' items (the builder keeps no other item alive)
    listed = {s.src.row for s in (*overdue, *soon, *weak) if s.src is not None}
    by_row = {i.src.row: (i.assigned, i.content[:60]) for i in items if i.src is not None and i.src.row in listed}

    def detail(s: TicketStatus) -> list:
        assigned, content = by_row.get(s.src.row, (None, "")) if s.src else (None, "")
        return [s.item_id, s.department, s.head, s.supervisor, assigned,
                s.deadline, s.days_overdue, s.workdays_overdue, s.hint, content,
                s.src.row if s.src else None]

    def build(ws, fmt):
        row = write_title(ws, fmt, f"逾期督办清单（截至 {as_of.isoformat()}）",
                          f"逾期未答复 {len(overdue)} 件，其中通报 {sum(1 for s in overdue if s.hint == REPORT)} 件；"
                          f"即将到期 {len(soon)} 件；成效不理想仍在督办 {len(weak)} 件。本表由 huitan-xl 生成，每次运行重建，请勿在此表录入。")
        row += 1
        ws.write_string(row, 0, "按督办员汇总", fmt.bold)
        row = write_table(ws, fmt, row + 1, ["督办员", "逾期件数", "其中通报", "最长逾期天数"],
                          group_counts(overdue, lambda s: s.supervisor), widths=[14, 10, 10, 12]) + 1
        ws.write_string(row, 0, "按承办部门汇总", fmt.bold)
        row = write_table(ws, fmt, row + 1, ["承办部门", "逾期件数", "其中通报", "最长逾期天数"],
                          group_counts(overdue, lambda s: s.department), widths=[14, 10, 10, 12]) + 1
        widths = [12, 14, 10, 10, 11, 11, 9, 10, 9, 40, 9]
        details = [detail(s) for s in overdue]  # each overdue ticket is listed twice: made once
        for title, key in (("按督办员分组明细", lambda s: s.supervisor), ("按承办部门分组明细", lambda s: s.department)):
            ws.write_string(row, 0, title, fmt.bold)
            row += 1
            members: dict[str, list[list]] = defaultdict(list)
            for s, values in zip(overdue, details):
                members[key(s) or "（未指定）"].append(values)
            for group, count, reported, _ in group_counts(overdue, key):
                ws.write_string(row, 0, f"{group}：逾期 {count} 件，其中通报 {reported} 件", fmt.subtitle)
                row = write_table(ws, fmt, row + 1, DETAIL_HEADERS, members[group],
                                  col_formats={4: fmt.date, 5: fmt.date}, widths=widths) + 1
        if soon:
            ws.write_string(row, 0, "即将到期（提前提醒）", fmt.bold)
            row = write_table(ws, fmt, row + 1, DETAIL_HEADERS, [detail(s) for s in soon],
                              col_formats={4: fmt.date, 5: fmt.date}, widths=widths) + 1
        if weak:
            ws.write_string(row, 0, "成效不理想（不满意或未解决，继续督办）", fmt.bold)
            write_table(ws, fmt, row + 1, DETAIL_HEADERS, [detail(s) for s in weak],
                        col_formats={4: fmt.date, 5: fmt.date}, widths=widths)
        ws.freeze_panes(2, 0)
        print_setup(ws)

    return build
