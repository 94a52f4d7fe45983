"""The 校验结果 sheet: a count per code, then every finding with a link to its cell."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from .. import schema
from ..a1 import cell, quote_sheet
from ..findings import CODES, ERROR, SEVERITY_ORDER, SEVERITY_ZH, WARNING, Finding, sort_findings
from ..model import SheetLayout
from .layout import print_setup, write_table, write_title
from ..write import SheetBuilder
from ..xlsx.rows import Link, Styled

COUNT_HEADERS = ["代码", "严重程度", "问题", "数量"]
HEADERS = ["严重程度", "代码", "说明", "工作表", "行号", "列", "值", "定位"]
LINK_TEXT = "跳转"
MAX_LINKS = 65530  # Excel's limit of hyperlinks per worksheet (XlsxWriter ignores the rest, warning each)


def column_index_from_layouts(layouts: dict[str, SheetLayout]) -> dict[tuple[str, str], int]:
    """(sheet, header) -> 1-based Excel column, from the reader's layouts."""
    return {(name, header): col for name, lay in layouts.items() for header, col in lay.columns.items()}


def link_target(f: Finding, workbook_sheets: set[str],
                column_index: dict[tuple[str, str], int] | None = None) -> str | None:
    """'internal:'诉求台账'!C12' for a finding's cell; column A when the column is not
    known, A1 when the row is not; None when the sheet is not in the workbook."""
    if f.sheet not in workbook_sheets:
        return None
    col = (column_index or {}).get((f.sheet, f.column), 1) if f.row else 1
    return f"internal:{quote_sheet(f.sheet)}!{cell(f.row or 1, col)}"


def findings_builder(findings: Iterable[Finding], workbook_sheets: set[str],
                     column_index: dict[tuple[str, str], int] | None = None) -> SheetBuilder:
    ordered = sort_findings(findings)
    sheets = set(workbook_sheets)

    def build(ws, fmt) -> None:
        counts = Counter(f.code for f in ordered)
        errors = sum(1 for f in ordered if f.severity == ERROR)
        warnings = sum(1 for f in ordered if f.severity == WARNING)
        sub = (f"共 {len(ordered)} 条：错误 {errors} 条，警告 {warnings} 条，其他 {len(ordered) - errors - warnings} 条"
               if ordered else "未发现问题")
        row = write_title(ws, fmt, schema.FINDINGS_SHEET, sub)
        if not ordered:
            print_setup(ws)
            return
        row += 1

        def sev(code: str) -> str:
            return CODES.get(code, ("", ""))[0] or next(f.severity for f in ordered if f.code == code)

        codes = sorted(counts, key=lambda c: (SEVERITY_ORDER.get(sev(c), 9), c))
        count_rows = [[c, SEVERITY_ZH.get(sev(c), sev(c)), CODES.get(c, ("", ""))[1], counts[c]] for c in codes]
        row = write_table(ws, fmt, row, COUNT_HEADERS, count_rows, col_formats={3: fmt.int})
        for i, c in enumerate(codes):
            ws.write_string(row - len(codes) + i, 1, count_rows[i][1], _sev_format(fmt, sev(c)))
        row += 1
        head = row
        # every data cell goes in with the table (as sheet XML when transplanted): the severity
        # with its colour, 跳转 with its hyperlink; past Excel's limit a HYPERLINK formula
        targets = [link_target(f, sheets, column_index) for f in ordered]
        linked = [t is not None for t in targets]
        for i in [i for i, t in enumerate(linked) if t][MAX_LINKS:]:
            linked[i] = False
        rows = [[Styled(SEVERITY_ZH.get(f.severity, f.severity), _sev_format(fmt, f.severity)), f.code,
                 f.message, f.sheet, f.row, f.column, f.value,
                 Link(LINK_TEXT, fmt.link, targets[i]) if linked[i] else ""]
                for i, f in enumerate(ordered)]
        row = write_table(ws, fmt, head, HEADERS, rows, col_formats={2: fmt.wrap}, autofilter=True,
                          max_width=80)
        for i, target in enumerate(targets):
            if target and not linked[i]:  # past the limit: the same jump as a HYPERLINK formula
                place = target.removeprefix("internal:").replace('"', '""')
                ws.write_formula(head + 1 + i, 7, f'=HYPERLINK("#{place}","{LINK_TEXT}")', fmt.link, LINK_TEXT)
        ws.freeze_panes(head + 1, 0)  # the findings' header row only, no column
        print_setup(ws, repeat=(head, head))

    return build


def _sev_format(fmt, severity: str):
    return fmt.error if severity == ERROR else fmt.warning if severity == WARNING else None
