"""The register workbook's input sheets and `huitan init` (SPEC §9, §10).

`register_builder` lays out one input sheet (headers in schema order, the
tool-owned columns at the far right in their own colour, drop-down lists for
every enumerated column, date formats, frozen header); `readme_builder` writes
the 说明 sheet with the input cells the Excel buttons read (README_INPUTS).
`init_workbook` creates a new register or adds only the sheets an existing one
lacks; `python -m huitan_xl.template` regenerates workbooks/huitan.xlsx.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Sequence

from xlsxwriter.utility import xl_cell_to_rowcol

from . import schema, settings, write
from .errors import WorkbookUnusable
from .jobs import JOBS
from .reports.layout import display_width, write_value
from .xlsx import encryption, file_check

INPUT_SHEET_ORDER: list[str] = list(schema.INPUT_SHEETS)  # 说明 first

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "workbooks" / "huitan.xlsx"

# Tool-owned columns per input sheet: always the last columns, in this order.
OWNED_COLUMNS: dict[str, list[str]] = {
    schema.ITEMS: list(schema.ITEM_OWNED) + list(schema.TOPIC_OWNED),
    schema.SUGGESTIONS: list(schema.SUGGESTION_OWNED),
}

# Leading columns kept in view when scrolling right (besides the header row).
FREEZE_COLUMNS: dict[str, int] = {
    schema.ROSTER: 2,  # 工号, 姓名
    schema.SESSIONS: 1,
    schema.ITEMS: 1,
    schema.SUGGESTIONS: 1,
}

VALIDATION_MIN_ROWS = 2000  # drop-downs cover Excel rows 2..max(2000, len(rows)+1000)
VALIDATION_SPARE_ROWS = 1000

# Free-text columns that hold sentences: wider, wrapped.
LONG_TEXT = {"内容", "答复意见", "建议内容", "论证说明", "主题", "事由", "依据", "说明", "备注"}
LONG_TEXT_WIDTH = 30
# Identifier columns: formatted as text so 00123 keeps its zeros.
ID_COLUMNS = {"工号", "编号", "场次编号", "提出人工号", "来源编号"}
# Tool-owned columns: wide enough for what the tool writes (逾期未答复, 即将到期, 2026Q3).
OWNED_MIN_WIDTH = {"状态": 12, "应答复日期": 12, "逾期天数": 10, "督办提示": 10, "奖励金额": 10, "奖励季度": 10,
                   "主题（自动）": 12, "主题依据": 12, "重复反映": 30}

OWNED_TYPES = {"应答复日期": "date", "逾期天数": "int", "奖励金额": "int"}  # the rest are text

# Input prompts shown when a cell of the column is selected (title, message).
PROMPTS: dict[tuple[str, str], tuple[str, str]] = {
    (schema.ROSTER, "重点对象"): ("三必谈五必访", "填写列为重点对象的原因；不是重点对象请留空。"),
    (schema.ROSTER, "离职日期"): ("离职日期", "在职状态为“离职”时填写，如 2026-03-05。"),
    (schema.SESSIONS, "场次编号"): ("场次编号", "每场慧谈唯一的编号，参会人员表和诉求台账按此编号引用。"),
    (schema.SESSIONS, "选人单位"): ("选人单位", "L1–L5：矿党群办或安监处；L6–L8：矿党群办或经管科。"),
    (schema.SESSIONS, "名单审核人"): ("名单审核", "参会名单须由该层级牵头人在慧谈当天或之前审核。"),
    (schema.SESSIONS, "邀请科室"): ("邀请科室", "多个科室用、分隔。邀请了却未到会的科室按规定扣分。"),
    (schema.SESSIONS, "到会科室"): ("到会科室", "多个科室用、分隔。"),
    (schema.ITEMS, "现场答复"): ("现场答复", "“是”= 当场已答复，不再交办；“否”或留空 = 填写承办单。"),
    (schema.ITEMS, "督办员"): ("督办员", "留空则由该场次层级的牵头人督办。"),
    (schema.ITEMS, "答复时限"): ("答复时限", "留空则按交办日期后5个工作日计算（见规则配置）。"),
    (schema.ITEMS, "延期批准日期"): ("延期批准", "须在原答复时限当天或之前批准，否则延期无效。"),
    (schema.ITEMS, "办理问题"): ("办理问题", "督办员填写：搪塞应付 或 推诿扯皮；没有问题请留空。"),
    (schema.SUGGESTIONS, "提出人"): ("提出人", "多人合提用、分隔，奖金平均分配。"),
    (schema.SUGGESTIONS, "提出人工号"): ("提出人工号", "多人合提用、分隔，顺序与提出人一致。"),
    (schema.SUGGESTIONS, "评审季度"): ("评审季度", "如 2026Q3；留空则按实施日期所在季度。"),
    (schema.REPORTS, "月份"): ("月份", "如 2026-10。"),
    (schema.MANUAL, "扣分"): ("扣分", "本事项扣几分；留空则按规则配置中的“不服从工作安排扣分”。"),
    (schema.HOLIDAYS, "类型"): ("类型", "休 = 放假；班 = 调休上班。"),
    (schema.TOPICS, "关键词"): ("关键词", "诉求内容含其中任一词即可归入本主题；多个词用、分隔。"),
    (schema.TOPICS, "排除词"): ("排除词", "诉求内容含其中任一词时不归入本主题；可留空。"),
}


def _choices(f: schema.Field) -> tuple[str, ...]:
    if f.type == "yesno":
        return tuple(schema.YES_NO)
    if f.type == "level":
        return tuple(schema.LEVEL_NAMES)
    if f.type == "enum":
        return f.choices
    return ()


def register_headers(sheet: str) -> list[str]:
    """The sheet's canonical headers in schema order, tool-owned columns last."""
    owned = OWNED_COLUMNS.get(sheet, [])
    return [f.header for f in schema.SHEETS[sheet]
            if f.header not in owned and (sheet, f.header) not in schema.NOT_IN_TEMPLATE] + owned


def default_rows(sheet: str) -> list[dict[str, object]]:
    """Rows a new register starts with: the 8 levels, every 规则配置 parameter, the 主题词表."""
    if sheet == schema.LEVELS:
        return [{"层级代码": code, "层级": name, "牵头人岗位": role, "牵头人": None,
                 "选人单位": "、".join(units), "每场人数上限": None}
                for code, name, role, units in schema.LEVEL_TABLE]
    if sheet == schema.TOPICS:
        from .rules.topic_vocabulary import DEFAULT_TOPICS

        return [{"主题": topic, "关键词": "、".join(words), "排除词": "、".join(excludes) or None, "说明": note}
                for topic, words, excludes, note in DEFAULT_TOPICS]
    if sheet == schema.SETTINGS:
        return [{"参数": p.name, "值": p.default, "说明": p.description} for p in settings.PARAMETERS]
    return []


def register_builder(sheet: str, rows: Sequence[dict[str, object]] = ()) -> write.SheetBuilder:
    """A builder (ws, fmt) for one input register sheet of schema.SHEETS; `rows`
    are dicts keyed by canonical header (empty: the sheet's default rows)."""
    headers = register_headers(sheet)
    fields = {f.header: f for f in schema.SHEETS[sheet]}
    owned = set(OWNED_COLUMNS.get(sheet, []))
    data = list(rows) or default_rows(sheet)
    for row in data:
        unknown = [k for k in row if k not in fields and k not in owned]
        if unknown:
            raise ValueError(f"{sheet}: unknown column(s) {unknown}")

    def build(ws, fmt) -> None:
        text_fmt = fmt.workbook.add_format({"num_format": "@"})
        last_row = max(VALIDATION_MIN_ROWS, len(data) + VALIDATION_SPARE_ROWS) - 1  # 0-based
        for c, header in enumerate(headers):
            f = fields.get(header)
            ftype = f.type if f else OWNED_TYPES.get(header, "str")
            ftype = "date" if ftype == "deadline" else ftype
            choices = _choices(f) if f and header not in owned else ()
            col_fmt = {"date": fmt.date, "int": fmt.int}.get(ftype)
            if header == "奖励金额":
                col_fmt = fmt.yuan
            elif header in ID_COLUMNS:
                col_fmt = text_fmt
            ws.write_string(0, c, header, fmt.owned_header if header in owned else fmt.header)
            width = display_width(header) + 2
            cell_fmt = None if col_fmt is text_fmt else col_fmt
            for r, row in enumerate(data, start=1):
                value = row.get(header)
                write_value(ws, r, c, value, fmt, cell_fmt)
                width = max(width, display_width(value) + 2)
            if choices:
                width = max(width, max(display_width(ch) for ch in choices) + 4)  # room for the arrow
            if ftype == "date":
                width = max(width, 12)
            if header in LONG_TEXT:
                width = max(width, LONG_TEXT_WIDTH)
            width = max(width, OWNED_MIN_WIDTH.get(header, 0) if header in owned else 0)
            ws.set_column(c, c, min(width, 60), col_fmt)
            if header not in owned:  # the tool fills its own columns: no drop-down, no date check
                _validate(ws, sheet, header, ftype, choices, c, last_row)
        ws.set_row(0, 20)
        ws.freeze_panes(1, FREEZE_COLUMNS.get(sheet, 0))
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)  # every register prints one page wide, however many columns
        ws.repeat_rows(0)  # the header row on every printed page
        ws.set_footer("&L&8huitan-xl 模板&C第 &P 页，共 &N 页")

    return build


def _validate(ws, sheet: str, header: str, ftype: str, choices: Sequence[str], col: int, last_row: int) -> None:
    prompt = PROMPTS.get((sheet, header))
    options: dict[str, object]
    if choices:
        listed = "、".join(choices)
        options = {"validate": "list", "source": list(choices), "error_type": "warning",
                   "error_title": "不在可选范围内",
                   "error_message": f"“{header}”请从下拉列表中选择：{listed}。\n确需填写其他内容请点“是”。"}
        if not prompt:
            prompt = (header, f"请从下拉列表中选择：{listed}。")
    elif ftype == "date":
        options = {"validate": "date", "criteria": "between",
                   "minimum": date(2000, 1, 1), "maximum": date(2099, 12, 31), "error_type": "warning",
                   "error_title": "日期无法识别",
                   "error_message": f"“{header}”请填写日期，如 2026-03-05。\n确需保留请点“是”。"}
    elif prompt:
        options = {"validate": "any"}
    else:
        return
    if prompt:
        options["input_title"], options["input_message"] = prompt
    ws.data_validation(1, col, last_row, col, options)


# ---- 说明 ------------------------------------------------------------------

# Input cells the Excel buttons read (blank = the job's default).
README_INPUTS: dict[str, str] = {
    "month": "B4",  # 统计月份, 2026-10 (月度分析)
    "period": "B5",  # 考核期间, 2026Q3 / 2026-10 / 2026 (考核扣分)
    "quarter": "B6",  # 奖励季度, 2026Q3 (季度奖励)
    "year": "B7",  # 考核年度, 2026 (年度考核)
    "suggest_level": "B8",  # 建议层级 (推荐参会人员)
    "suggest_count": "B9",  # 建议人数 (推荐参会人员)
    "mine": "B10",  # 矿井名称 (集团汇总)
    "minutes_session": "B11",  # 纪要场次 (慧谈纪要)
}

_INPUT_ROWS = [  # key, label, hint
    ("month", "统计月份", "月度分析用，如 2026-10；留空 = 上个月。"),
    ("period", "考核期间", "考核扣分用，如 2026Q3（季度）、2026-10（月）或 2026（全年）；留空 = 上个季度。"),
    ("quarter", "奖励季度", "季度奖励用，如 2026Q3；留空 = 上个季度。"),
    ("year", "考核年度", "年度考核用，如 2026；留空 = 上一年。"),
    ("suggest_level", "建议层级", "推荐参会人员用：从下拉列表选一个层级（如 班组长）。"),
    ("suggest_count", "建议人数", "推荐参会人员用：推荐几人；留空 = 规则配置中的每场人数上限（10人）。"),
    ("mine", "矿井名称", "集团汇总时本矿显示的名称，如 ××煤矿；留空 = 用文件名。"),
    ("minutes_session", "纪要场次", "慧谈纪要用：场次编号，如 HT-2026-10-03。"),
]

_SHEET_LINES = [  # sheet, who fills it, what it is for
    (schema.README, "黄色格填写", "本页：各表用途、规则要点、运行方法和按钮参数。"),
    (schema.LEVELS, "人工填写", "八个层级及其牵头人岗位、牵头人、选人单位（已预填，请补上牵头人姓名）。"),
    (schema.DEPARTMENTS, "人工填写", "承办部门及负责人、类型（职能科室/区队/其他）；扣分记到负责人名下。"),
    (schema.ROSTER, "人工填写", "职工名册：工号、层级、三必谈五必访、三违、表现档次、在职状态等。"),
    (schema.SESSIONS, "人工填写", "每场慧谈一行：编号、日期、类型、层级、牵头人、名单审核、邀请和到会科室。"),
    (schema.ATTENDANCE, "人工填写", "每位参会人员一行：场次编号、工号、姓名。"),
    (schema.ITEMS, "人工填写", "每条诉求一行；不能现场答复的填写承办部门、交办日期、答复情况。"
                              "橙色表头的“状态、应答复日期、逾期天数、督办提示、主题（自动）、主题依据、重复反映”由工具填写。"),
    (schema.SUGGESTIONS, "人工填写", "合理化建议（金点子）的论证、采纳、实施和应用效果；"
                                    "橙色表头的“奖励金额、奖励季度”由工具填写。"),
    (schema.REPORTS, "人工填写", "各单位每月职工思想动态报告的应报日期和实报日期。"),
    (schema.MANUAL, "人工填写", "其他不服从工作安排等需人工记录的考核事项。"),
    (schema.SETTINGS, "人工填写", "规则中的各项数字（人数上限、时限、扣分、奖励标准、定时任务时间），可按需修改。"),
    (schema.HOLIDAYS, "人工填写", "对国家法定节假日和调休的补充或更正：休 = 放假，班 = 调休上班。"),
    (schema.TOPICS, "人工填写", "诉求主题的关键词表（已预填常见主题，可增删改）：主题标签为空的诉求按关键词自动归类，"
                               "结果写在诉求台账的“主题（自动）”“主题依据”列，不改动主题标签。"),
    (schema.FINDINGS_SHEET, "工具生成", "每次运行的全部校验问题：表、行、列、填写值和修改建议，可点链接跳到单元格。"),
    (schema.OVERDUE_SHEET, "工具生成", "逾期和即将到期的承办单，按督办员和承办部门分组。"),
    (schema.DEDUCTIONS_SHEET, "工具生成", "考核扣分明细及按部门、负责人的合计，每行注明依据（承办单或场次编号）。"),
    (schema.REWARDS_SHEET, "工具生成", "季度合理化建议奖励发放表（人员、单位、金额、签字栏）。"),
    (schema.MONTHLY_SHEET, "工具生成", "月度职工思想动态分析（含图表；“思想分析”“应对举措”留给人工填写）。"),
    (schema.QUARTERLY_SHEET, "工具生成", "季度评审：本季度奖励和扣分。"),
    (schema.ANNUAL_SHEET, "工具生成", "年度考核：各部门扣分、满意率、解决率、落实率及排名。"),
    (schema.COVERAGE_SHEET, "工具生成", "各层级覆盖率和尚未参加慧谈的人员（重点对象在前）。"),
    (schema.OVERVIEW_SHEET, "工具生成", "成效总览：开展场次、解决答复诉求、满意率、收集建议。"),
    (schema.RUN_LOG_SHEET, "工具生成", "每次运行的记录（只追加）。"),
]

_RULE_LINES = [  # topic, key figure, explanation
    ("八个层级", "L1–L8", "、".join(f"{code} {name}" for code, name, _r, _u in schema.LEVEL_TABLE)
     + "；牵头人见“层级”表。"),
    ("选准对象", "每场≤10人", "八级慧谈的参会人员须属于本层级、在职、不重复；名单由牵头人会前审核；"
     "L1–L5由矿党群办或安监处选人，L6–L8由矿党群办或经管科选人；兼顾不同岗位、性别，抓两头、促中间。"),
    ("答复时限", "5个工作日", "承办单未填答复时限的，为交办日期后5个工作日；按国家法定节假日和调休计算"
     "（可在“节假日”表更正），落在休息日的顺延到下一个工作日。批准的延期须在原时限之前。"),
    ("应答复日期", "工具填写", "诉求台账“应答复日期”列是工具计算状态所依据的答复时限：已计入默认时限、"
     "办理时限（如 5个工作日、10月22日前）、节假日和调休、批准的延期；无法确定时限的为空（见校验结果）。"),
    ("督办提示", "即将到期→催办→通报", "距时限不超过2个工作日为“即将到期”；过了时限次日起“催办”；"
     "逾期满5个工作日“通报”。"),
    ("状态", "6种", "现场答复；待答复；逾期未答复；按期答复；逾期答复；已办结（已答复且已解决、已落实）。"),
    ("考核扣分", "D01 −2分", "承办单逾期未办理（未答复或逾期答复），每件。"),
    ("", "D02 −1分", "搪塞应付（督办员在“办理问题”列标记）。"),
    ("", "D03 −1分", "推诿扯皮（同上）。"),
    ("", "D04 −1分", "受邀科室未派员参加慧谈，每次。"),
    ("", "D05 −1分", "未按时上报职工思想动态报告，每次。"),
    ("", "D06 −1分", "其他不服从工作安排（“考核事项”表）。"),
    ("", "D07 0分", "成效不理想或合理建议不采纳：问责，默认不扣分。"),
    ("季度奖励", "100–500元", "已采纳且已实施的建议：应用效果显著300、良好200、一般100元；创效≥1万元加100、"
     "≥10万元加200；每条不超过500元、不少于100元；多人合提平均分配，余数归第一提出人。"),
    ("修改规则", "规则配置", "以上数字都可在“规则配置”表修改，改后下次运行即生效。"),
]

INPUT_LABELS = {key: label for key, label, _hint in _INPUT_ROWS}

_RUN_LINES = [  # job, button, command line: one row per job of the job table, then the tools
    *((job.title, job.title if job.button else "", job.usage) for job in JOBS.values()),
    ("定时运行", "", "huitan schedule 台账.xlsx：每周一 08:30 逾期督办；每月1日 08:30 上月月度分析；"
     "每季度首个工作日 09:00 上季度扣分和奖励；每年1月首个工作日 09:30 上年度考核"
     "（时间在“规则配置”表修改；停机期间错过的任务开机后补做）。"),
    ("操作窗口", "", "huitan gui 台账.xlsx：WPS 用户和不用命令行的同事在窗口中点按钮运行以上任务"
     "（huitan gui --shortcut 在桌面创建启动图标）。"),
    ("加密台账", "", "有打开密码的台账：加 --password 密码，或设置环境变量 HUITAN_PASSWORD，或在窗口中填写；"
     "结果和备份仍用同一密码加密。"),
    ("新建台账", "", "huitan init 台账.xlsx（已有工作簿只补上缺少的表，不改动其他内容）"),
    ("常用选项", "", "--as-of 2026-10-31 指定“今天”；--dry-run 只检查不写入；--json 输出给程序读取。"),
    ("注意", "", "运行前请先保存并关闭台账（命令行和定时运行时）；每次写入前自动备份为 台账.bak.xlsx。"),
]

README_WIDTHS = (14, 22, 84)  # A: label, B: input / key figure, C: explanation


def readme_builder() -> write.SheetBuilder:
    """A builder (ws, fmt) for the 说明 sheet: input cells for the buttons at the
    top (README_INPUTS), then what each sheet is for, the rules, how to run."""

    def build(ws, fmt) -> None:
        wb = fmt.workbook
        # Text cells, so Excel keeps 2026-10 / 2026Q3 as typed; 建议人数 stays a number.
        input_fmt = wb.add_format({"num_format": "@", "bg_color": "#FFF2CC", "border": 1})
        number_input_fmt = wb.add_format({"bg_color": "#FFF2CC", "border": 1})
        section = wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E78", "bottom": 1})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        top = wb.add_format({"valign": "top"})
        top_bold = wb.add_format({"bold": True, "valign": "top"})
        for c, w in enumerate(README_WIDTHS):
            ws.set_column(c, c, w)
        ws.write_string(0, 0, "八级慧谈台账 使用说明", fmt.title)
        ws.write_string(1, 0, "白色表头的列由人工填写；橙色表头的列和“工具生成”的表由工具在每次运行时重写，"
                              "请勿手工修改。", fmt.subtitle)
        row = 2
        ws.write_string(row, 0, "按钮参数", section)
        ws.write_string(row, 1, "在此填写", section)
        ws.write_string(row, 2, "说明（留空 = 默认）", section)
        for key, label, hint in _INPUT_ROWS:
            r, c = _cell(README_INPUTS[key])
            assert c == 1, key
            ws.write_string(r, 0, label, fmt.bold)
            ws.write_blank(r, c, None, number_input_fmt if key == "suggest_count" else input_fmt)
            ws.write_string(r, 2, hint, wrap)
        r_level, c_level = _cell(README_INPUTS["suggest_level"])
        ws.data_validation(r_level, c_level, r_level, c_level, {
            "validate": "list", "source": list(schema.LEVEL_NAMES), "error_type": "warning",
            "error_title": "不在可选范围内", "error_message": "请从下拉列表中选择一个层级。"})
        r_count, c_count = _cell(README_INPUTS["suggest_count"])
        ws.data_validation(r_count, c_count, r_count, c_count, {
            "validate": "integer", "criteria": "between", "minimum": 1, "maximum": 100,
            "error_type": "warning", "error_title": "人数无法识别", "error_message": "请填写1到100之间的整数。"})
        row = max(_cell(a)[0] for a in README_INPUTS.values()) + 2
        row = _section(ws, row, ("工作表", "填写", "用途"), _SHEET_LINES, section, top_bold, top, wrap)
        row = _section(ws, row, ("规则要点", "标准", "说明"), _RULE_LINES, section, top_bold, top, wrap)
        row = _section(ws, row, ("运行", "Excel按钮", "命令行（在台账所在文件夹打开命令窗口）"),
                       _RUN_LINES, section, top_bold, top, wrap)
        ws.write_string(row, 0, "Excel 按钮：在启用宏的台账中点击对应按钮，参数取自本页黄色单元格；"
                                "结果直接写入打开的台账。按钮需要 Microsoft Excel，WPS 中不能使用，"
                                "WPS 用户请用操作窗口（huitan gui）或命令行。", fmt.subtitle)
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)  # one page wide

    return build


def _section(ws, row, titles, lines, section, first_fmt, top, wrap) -> int:
    for c, t in enumerate(titles):
        ws.write_string(row, c, t, section)
    row += 1
    for first, second, third in lines:
        if first:
            ws.write_string(row, 0, first, first_fmt)
        if second:
            ws.write_string(row, 1, second, top)
        ws.write_string(row, 2, third, wrap)
        n = -(-display_width(third) // (README_WIDTHS[2] - 2))  # wrapped lines
        if n > 1:
            ws.set_row(row, 16 * n)
        row += 1
    return row + 1


def _cell(address: str) -> tuple[int, int]:
    """'B4' -> (3, 1), 0-based as XlsxWriter counts."""
    return xl_cell_to_rowcol(address)


def sheet_builder(sheet: str) -> write.SheetBuilder:
    """The builder of a blank input sheet (说明 or a register)."""
    return readme_builder() if sheet == schema.README else register_builder(sheet)


# ---- init --------------------------------------------------------------------

@dataclass(frozen=True)
class InitResult:
    path: Path
    created: bool
    added: list[str] = field(default_factory=list)
    companion: Path | None = None  # always None today (an older init filled NAME.huitan.xlsx)
    lines: list[str] = field(default_factory=list)  # the column map and what init did, in Chinese
    not_added: list[str] = field(default_factory=list)  # structure protected: sheets it could not add
    map_updated: bool = False  # 列名对照 rewritten in place


REFUSED_SUFFIXES = file_check.OLD_FORMATS  # init on such a name refuses unless the content is an .xlsx

# Registers init must find in a structure-protected workbook, where it cannot add them.
PROTECTED_NEEDED = (schema.ITEMS,)


def _xlsx_content(path: Path) -> bool:
    """An existing file whose content is a usable .xlsx package, whatever its name says
    (the jobs read by content too: xlsx/file_check.py)."""
    if not path.is_file():
        return False
    try:
        file_check.check_usable(path)
    except WorkbookUnusable:
        return False
    return True


def init_workbook(path: Path) -> InitResult:
    """A new register workbook at a new path; for an existing workbook, find the sheets
    that hold her registers (by name or by headers, init_map.py), add only the input
    sheets no sheet holds, record the column map in 列名对照 when her sheets differ from
    the template, and change nothing else; nothing to add -> nothing written. A workbook
    whose structure is protected gets no sheet at all (_init_protected)."""
    from . import init_map
    from .columnmap import COLUMN_MAP_SHEET

    path = Path(path)
    if path.suffix.lower() in REFUSED_SUFFIXES and not _xlsx_content(path):
        # an .xlsx under an .xls name is read, as by the jobs; anything else: the jobs' refusal
        if path.exists():
            file_check.check_usable(path)  # says what the file is (old binary, text, damaged ...)
        raise WorkbookUnusable(file_check.old_format_message(path, exists=path.exists()))
    if not path.exists():
        wb = write.Workbook.new()
        for sheet in INPUT_SHEET_ORDER:
            wb.put_sheet(sheet, sheet_builder(sheet))
        saved = wb.save(path, backup=False)
        return InitResult(saved.path, True, list(INPUT_SHEET_ORDER), saved.companion)
    wb = write.Workbook.open(path)
    proposal = init_map.propose(path)
    present = {name.strip() for name in wb.sheet_names}
    missing = [s for s in INPUT_SHEET_ORDER if s not in present and s not in proposal.located]
    if wb.structure_protected and (missing or COLUMN_MAP_SHEET not in present and proposal.worth_recording):
        return _init_protected(path, wb, proposal, missing)
    lines = init_map.lines(proposal)
    record = proposal.worth_recording
    if not missing and not record:
        return InitResult(path, False, [], lines=lines)
    for sheet in missing:
        wb.put_sheet(sheet, sheet_builder(sheet))
    if record:
        wb.put_sheet(COLUMN_MAP_SHEET, init_map.map_builder(init_map.map_rows(proposal)))
    saved = wb.save(path)
    return InitResult(saved.path, False, missing, saved.companion, lines, map_updated=record)


def _init_protected(path: Path, wb, proposal, missing: list[str]) -> InitResult:
    """保护工作簿结构: no sheet can be added (and one put in NAME.huitan.xlsx would never be
    read). Without 诉求台账 among her sheets: exit 2, nothing written. Else: say which sheets
    could not be added and that the jobs read hers as mapped; 列名对照 is rewritten only
    where it already exists — otherwise every job maps her sheets the same way on its own."""
    from . import init_map, read
    from .columnmap import COLUMN_MAP_SHEET

    lacking = [s for s in PROTECTED_NEEDED if s in missing]
    if lacking:
        with encryption.open_calamine(path) as book:
            def head(name: str) -> list[list]:
                return book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=read.HEAD_ROWS)

            shown = read.sheets_shown(list(book.sheet_names), head)
        listed = "、".join(lacking)
        raise WorkbookUnusable(
            f"工作簿「{path.name}」中找不到{listed}：没有名为「{lacking[0]}」的工作表，也没有哪张表的表头像{listed}"
            f"（{read.header_need(lacking[0])}）。现有工作表：{shown}。"
            + read.protected_advice(path.name))
    has_map = proposal.has_map_sheet
    record = has_map and proposal.worth_recording
    lines = init_map.lines(proposal, recorded=has_map)
    not_added = [s for s in missing if s != COLUMN_MAP_SHEET]
    if not_added:
        lines.append(f"工作簿「{path.name}」的结构受保护（保护工作簿结构），不能添加工作表，以下工作表未添加："
                     f"{'、'.join(not_added)}。各任务读取您已有的工作表（按上面的对照）；未添加的表按空表处理，"
                     f"层级和规则配置用默认值。如需添加，请在 Excel 或 WPS 中“审阅 → 保护工作簿”取消结构保护后"
                     f"重新运行 huitan init。")
    if not has_map and proposal.worth_recording:
        lines.append(f"「{COLUMN_MAP_SHEET}」表也不能添加：各任务每次运行时按同样的方法自动识别工作表和列，"
                     f"读取的与上面的对照相同；如需修改对照，请取消结构保护后重新运行 huitan init。")
    if record:
        wb.put_sheet(COLUMN_MAP_SHEET, init_map.map_builder(init_map.map_rows(proposal)))
        wb.save(path)
    return InitResult(path, False, [], None, lines, not_added, map_updated=record)


def build_template(path: Path = Path("workbooks/huitan.xlsx")) -> InitResult:
    """(Re)write the blank template register: built beside `path`, then replaced."""
    path = Path(path)
    tmp = path.with_name(path.stem + ".tmp" + path.suffix)
    if tmp.exists():
        tmp.unlink()
    result = init_workbook(tmp)
    os.replace(tmp, path)
    return InitResult(path, True, result.added, result.companion)


if __name__ == "__main__":
    print(build_template(TEMPLATE_PATH).path)
