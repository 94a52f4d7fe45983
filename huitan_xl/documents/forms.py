"""《“八级慧谈”诉求承办单》: one printable A4 page per ticket (a .docx).

A Word document rather than a print sheet in the workbook: the form is filled in by hand
and signed by people outside the office (承办人, 部门负责人, the employee), so it is printed
and handed out; a document prints the same on every PC, needs no print-area setup, and
leaves the register workbook untouched. Each ticket starts a new page; the boxes to fill by
hand are tall empty cells. A very long 诉求内容 pushes the form onto a second page rather
than being cut.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt

from .official import SIZE_S4, OfficialDocument, _cell_text, cell_text, set_run_font, set_widths

TITLE = "“八级慧谈”诉求承办单"
SATISFACTION_BOXES = "□ 满意　　　□ 基本满意　　　□ 不满意"
WIDTHS_MM = (34, 44, 34, 44)  # label | value | label | value: the 156 mm text block


@dataclass(frozen=True)
class FormTicket:
    """What one printed 承办单 shows (built from the registers and the ticket statuses)."""

    id: str
    category: str
    session_id: str
    session_date: date | None
    level: str  # level name, e.g. 班组长
    kind: str  # 八级慧谈 / 专题慧谈 …
    proposer: str
    unit: str
    content: str
    department: str
    head: str
    supervisor: str
    assigned: date | None
    deadline: date | None  # effective deadline (extensions, working days) from the statuses


def _row(table, height_mm: float, exact: bool = False):
    row = table.add_row()
    row.height = Mm(height_mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell, w in zip(row.cells, WIDTHS_MM):  # before any merge: a merged cell sums its widths
        cell.width = Mm(w)
    return row


def _label(cell, text: str) -> None:
    _cell_text(cell, text, "h1", SIZE_S4, WD_ALIGN_PARAGRAPH.CENTER)


def _value(cell, text) -> None:
    _cell_text(cell, cell_text(text), "table", SIZE_S4)


def _pair_row(table, a: str, av, b: str, bv, height=10) -> None:
    cells = _row(table, height).cells
    _label(cells[0], a)
    _value(cells[1], av)
    _label(cells[2], b)
    _value(cells[3], bv)


def _wide_row(table, label: str, value="", height=10.0) -> None:
    cells = _row(table, height).cells
    _label(cells[0], label)
    merged = cells[1].merge(cells[3])
    _value(merged, value)


def add_form(doc: OfficialDocument, t: FormTicket, mine: str, first: bool, publish_days: int) -> None:
    p = doc.doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.page_break_before = not first
    set_run_font(p.add_run(TITLE), "title", Pt(20))
    p = doc.doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(0)
    set_run_font(p.add_run(f"单位：{mine}" if mine else ""), "body", SIZE_S4)
    set_run_font(p.add_run(f"　　　　　　　　　　　　　编号：{t.id}"), "body", SIZE_S4)

    table = doc.doc.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _pair_row(table, "编　　号", t.id, "类　　别", t.category)
    _pair_row(table, "来源场次", t.session_id, "慧谈日期", t.session_date)
    _pair_row(table, "层　　级", t.level, "慧谈类型", t.kind)
    _pair_row(table, "诉 求 人", t.proposer, "所在单位", t.unit)
    _wide_row(table, "诉求内容", t.content, height=34)
    _pair_row(table, "承办部门", t.department, "承办负责人", t.head)
    _pair_row(table, "督 办 员", t.supervisor, "交办日期", t.assigned)
    _wide_row(table, "答复时限", f"{cell_text(t.deadline)}前（遇节假日顺延，已计入）" if t.deadline else "")
    _wide_row(table, "办理结果", "", height=40)
    _pair_row(table, "承办人签字", "", "日　　期", "", height=11)
    _pair_row(table, "部门负责人签字", "", "日　　期", "", height=11)
    _wide_row(table, "诉求人评价", SATISFACTION_BOXES + "\n\n诉求人签字：　　　　　　　日期：", height=18)
    _wide_row(table, "督办意见", "\n\n\n\n督办员签字：　　　　　　　日期：", height=26)
    set_widths(table, list(WIDTHS_MM), cells=False)
    note = doc.doc.add_paragraph()
    note.paragraph_format.first_line_indent = Pt(0)
    note.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    note.paragraph_format.space_before = Pt(4)
    set_run_font(note.add_run(f"注：承办部门应在答复时限内办结并填写办理结果，交矿党群办存档；答复意见在答复后"
                              f"{publish_days}个工作日内公示，接受职工监督。"), "body", Pt(10.5))


def forms_document(tickets: list[FormTicket], *, mine: str, publish_days: int = 5) -> OfficialDocument:
    """One page per ticket, in the order given."""
    doc = OfficialDocument(page_numbers=False)
    section = doc.doc.sections[0]
    # a form needs the room: the standard's side margins, 25 mm top and bottom
    section.top_margin = section.bottom_margin = Mm(25)
    for i, t in enumerate(tickets):
        add_form(doc, t, mine, i == 0, publish_days)
    if not tickets:
        doc.para("没有需要打印的承办单。", indent=False)
    return doc

