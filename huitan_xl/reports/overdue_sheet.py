"""逾期督办: every supervised ticket once, grouped by supervisor (SPEC §5, §9).

Supervised: overdue and unanswered (催办 / 通报), due soon (即将到期), answered but
不满意 or 未解决 (成效不理想). From the top: one summary line; the count per supervisor
(the people who act on the list); the count per department; then one detail table in
supervisor order — each ticket once, the most urgent first within its supervisor.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from ..model import Item
from ..rules.tickets import DUE_SOON, OVERDUE_OPEN, REPORT, UNSATISFACTORY, TicketStatus
from .layout import fit_width, print_setup, write_table, write_title

UNNAMED = "（未指定）"
KIND_OVERDUE, KIND_SOON, KIND_WEAK = OVERDUE_OPEN, DUE_SOON, UNSATISFACTORY  # 督办类别
KINDS = (KIND_OVERDUE, KIND_SOON, KIND_WEAK)
COUNT_HEADERS = ["逾期未答复", "其中通报", "即将到期", "成效不理想", "督办合计", "最长逾期天数"]
DETAIL_HEADERS = ["督办员", "督办类别", "编号", "承办部门", "承办负责人", "交办日期", "应答复日期", "逾期天数",
                  "逾期工作日", "督办提示", "内容", "台账行号"]
DETAIL_WIDTHS = [10, 12, 14, 12, 10, 11, 14, 9, 10, 10, 40, 9]
CONTENT_COL = 10
LINE_PT = 15  # points per line of wrapped 内容
GROUP_COLUMNS = (0, 1, 3, 4, 9)  # 督办员, 督办类别, 承办部门, 承办负责人, 督办提示: few distinct values


def supervised(statuses: list[TicketStatus]) -> list[tuple[str, TicketStatus]]:
    """(kind, status) of every supervised ticket, once; a ticket overdue and unanswered is
    never also 成效不理想 (that needs a reply), due-soon tickets are not yet overdue."""
    out = []
    for s in statuses:
        if s.state == OVERDUE_OPEN:
            out.append((KIND_OVERDUE, s))
        elif s.hint == DUE_SOON:
            out.append((KIND_SOON, s))
        elif s.hint == UNSATISFACTORY:
            out.append((KIND_WEAK, s))
    return out


def _urgency(entry: tuple[str, TicketStatus]):
    kind, s = entry
    if kind == KIND_SOON:  # the nearest deadline first
        return (1, s.deadline.toordinal() if s.deadline else 0, s.item_id)
    return (KINDS.index(kind), -(s.days_overdue or 0), s.item_id)


def count_rows(entries: list[tuple[str, TicketStatus]], key) -> list[list]:
    """[group, 逾期未答复, 其中通报, 即将到期, 成效不理想, 合计, 最长逾期天数], the largest
    overdue counts first (then the most supervised, then the name)."""
    groups = [key(s) or UNNAMED for _, s in entries]
    counts = Counter(zip(groups, (kind for kind, _ in entries)))  # (group, kind) -> tickets
    reported: Counter = Counter()
    longest: dict[str, int] = {}
    for g, (kind, s) in zip(groups, entries):
        if kind == KIND_OVERDUE:
            if s.hint == REPORT:
                reported[g] += 1
            days = s.days_overdue or 0
            if days > longest.get(g, 0):
                longest[g] = days
    rows = []
    for g in dict.fromkeys(groups):
        overdue, soon, weak = counts[g, KIND_OVERDUE], counts[g, KIND_SOON], counts[g, KIND_WEAK]
        rows.append([g, overdue, reported[g], soon, weak, overdue + soon + weak, longest.get(g, 0) if overdue else None])
    return sorted(rows, key=lambda r: (-r[1], -r[5], r[0]))


def _total(rows: list[list]) -> list:
    longest = [r[6] for r in rows if r[6] is not None]
    return ["合计", *(sum(r[i] for r in rows) for i in range(1, 6)), max(longest) if longest else None]


def _widths(details: list[list], names: list[str]) -> list[int]:
    """Every column wide enough for its detail header, the count header above it, and (in
    the columns of few distinct values) its longest value; column A also for the
    supervisors' and departments' names of the count tables."""
    widths = list(DETAIL_WIDTHS)
    for col, header in enumerate(DETAIL_HEADERS):
        widths[col] = max(widths[col], fit_width(header, bold=True))
    for col, header in enumerate(COUNT_HEADERS, start=1):
        widths[col] = max(widths[col], fit_width(header, bold=True))
    for col in GROUP_COLUMNS:
        widths[col] = max(widths[col], *(fit_width(v) for v in {d[col] for d in details}))
    widths[0] = max(widths[0], *(fit_width(v) for v in names), fit_width("合计"))
    return widths


def _heights(contents: list[str], width: float) -> list[float | None]:
    """Per row, the height that shows the whole wrapped 内容 (a CJK character is 2 units
    wide; Excel and LibreOffice do not grow rows by themselves when a file is opened)."""
    per_line = max(1, int(width - 2) // 2 - 1)  # a character short: punctuation is not broken off
    return [LINE_PT * lines if (lines := -(-len(c or "") // per_line)) > 1 else None for c in contents]


def overdue_builder(statuses: list[TicketStatus], items: list[Item], as_of: date):
    # the tables are made here, once: the builder keeps them and nothing else of the register
    # (no item, no status list), and writing the sheet makes nothing more of that size
    entries = supervised(statuses)
    n = Counter(kind for kind, _ in entries)
    reported = sum(1 for kind, s in entries if kind == KIND_OVERDUE and s.hint == REPORT)
    total = len(entries)
    by_supervisor = count_rows(entries, lambda s: s.supervisor)
    by_department = count_rows(entries, lambda s: s.department)
    details = _details(entries, items, by_supervisor)
    del entries
    widths = _widths(details, [r[0] for r in (*by_supervisor, *by_department)]) if details else DETAIL_WIDTHS
    heights = _heights([d[CONTENT_COL] for d in details], widths[CONTENT_COL])

    def build(ws, fmt):
        row = write_title(ws, fmt, f"逾期督办清单（截至 {as_of.isoformat()}）",
                          f"督办 {total} 件：逾期未答复 {n[KIND_OVERDUE]} 件（其中通报 {reported} 件），"
                          f"即将到期 {n[KIND_SOON]} 件，成效不理想仍在督办 {n[KIND_WEAK]} 件。每件只列一次，"
                          f"按督办员分组。本表由 huitan-xl 生成，每次运行重建，请勿在此表录入。")
        if not details:
            ws.write_string(row + 1, 0, "截至本日没有需要督办的承办单。")
            ws.set_column(0, 0, 14)
            print_setup(ws)
            return
        row += 1
        ws.write_string(row, 0, "一、按督办员汇总（件）", fmt.bold)
        row = write_table(ws, fmt, row + 1, ["督办员", *COUNT_HEADERS], [*by_supervisor, _total(by_supervisor)],
                          widths=DETAIL_WIDTHS) + 1
        ws.write_string(row, 0, "二、按承办部门汇总（件）", fmt.bold)
        row = write_table(ws, fmt, row + 1, ["承办部门", *COUNT_HEADERS], [*by_department, _total(by_department)],
                          widths=DETAIL_WIDTHS) + 1
        ws.write_string(row, 0, "三、督办明细（按督办员分组，每件只列一次；组内先逾期未答复、再即将到期、再成效不理想）",
                        fmt.bold)
        head = row + 1
        write_table(ws, fmt, head, DETAIL_HEADERS, details, col_formats={CONTENT_COL: fmt.wrap}, widths=widths,
                    row_heights=heights)
        ws.freeze_panes(head + 1, 0)
        print_setup(ws, repeat=(head, head))  # the detail header on every printed page

    return build


def _details(entries: list[tuple[str, TicketStatus]], items: list[Item], by_supervisor: list[list]) -> list[list]:
    """The detail rows: by supervisor in the count table's order, the most urgent first
    within a supervisor (ties in the register's order)."""
    listed = {s.src.row for _, s in entries if s.src is not None}
    by_row = {i.src.row: (i.assigned, i.content) for i in items if i.src is not None and i.src.row in listed}
    groups: dict[str, list] = {g[0]: [] for g in by_supervisor}
    for e in entries:
        groups[e[1].supervisor or UNNAMED].append(e)
    details = []
    for name, found in groups.items():
        found.sort(key=_urgency)  # (stable)
        for kind, s in found:
            assigned, content = by_row.get(s.src.row, (None, "")) if s.src else (None, "")
            details.append([name, kind, s.item_id, s.department, s.head, assigned, s.deadline, s.days_overdue,
                            s.workdays_overdue, s.hint, content, s.src.row if s.src else None])
    return details
