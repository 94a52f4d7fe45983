"""Registers kept the way a clerk keeps them, built in code with openpyxl (issue 18).

`clerk_register` is the register of the issue: a merged title, a 填报单位 line, her
headers, 慧谈日期 merged over a talk's requests, dates in six spellings, 5个工作日 and
10月22日前 as deadlines, two empty rows, a 合计 row with COUNTA, a 注 line. EXPECTED holds
what each ticket's state and deadline are on AS_OF, computed by hand (see the comments).
"""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.workbook.protection import WorkbookProtection

AS_OF = date(2026, 11, 24)  # a Tuesday
HEADERS = ["序号", "慧谈日期", "反映人", "所在单位", "问题类别", "反映问题", "责任单位", "责任人", "交办时间",
           "办理时限", "答复时间", "办理结果", "是否满意", "是否解决", "备注"]
ROWS = [
    # 2026-09-09 (Wed) + 5 working days = 09-16; answered 09-15 -> 按期答复
    [1, "2026.9.9", "张三", "综采一队", "生活后勤", "澡堂热水不足", "后勤服务中心", "王科长", "2026.9.9",
     "5个工作日", "2026年9月15日", "已增加锅炉", "满意", "已解决", None],
    # 慧谈日期 from the merge above (2026-09-09); 交办 9月10日 -> 2026-09-10; 10月22日前 -> 2026-10-22;
    # not answered on 11-24 -> 逾期未答复, 33 days
    [2, None, "李四", "掘进二队", "安全生产", "巷道照明不足", "机电科", "赵科长", "9月10日", "10月22日前",
     None, None, None, None, None],
    # 2026-10-14 (Wed) + 5 working days (default) = 10-21 -> 逾期未答复, 34 days
    [3, None, "王五", "运输队", "薪酬待遇", "加班费未发", "劳资科", "钱科长", "2026/10/14", None, None, None,
     None, None, None],
    # 20261104 (Wed) + 5 working days = 11-11; answered 11.5 (a number) = 11-05 -> 按期答复;
    # 部分解决 = not resolved -> T04
    [4, "20261104", "赵六", "通风队", "教育培训", "培训太少", "安培中心", "孙主任", "20261104", None, 11.5,
     "已安排培训", "比较满意", "部分解决", None],
    # 慧谈日期 20261104 from the merge; 交办 "11.5" (text) = 2026-11-05 (Thu); 5个工作日 = 11-12;
    # not answered -> 逾期未答复, 12 days
    [5, None, "孙七", "机电队", "生活后勤", "食堂饭菜", "后勤服务中心", "王科长", "11.5", "5个工作日", None,
     None, None, None, None],
    # deadline written 2026-09-16, answered 2026.9.30 -> 逾期答复, 14 days late
    [6, "2026年9月9日", "周八", "综采一队", "安全生产", "防护用品", "安监处", "李处长", "2026年9月9日",
     "2026-09-16", "2026.9.30", "已发放", "一般", "已解决", None],
    # 待商定 -> R01; the default: 2026-11-20 (Fri) + 5 working days = 11-27 -> 待答复
    [7, "2026.11.20", "吴九", "掘进二队", "其他", "宿舍漏水", "后勤服务中心", "王科长", "2026.11.20", "待商定",
     None, None, None, None, None],
]
# 编号 -> (state, deadline, days overdue)
EXPECTED = {
    "1": ("按期答复", date(2026, 9, 16), None),
    "2": ("逾期未答复", date(2026, 10, 22), 33),
    "3": ("逾期未答复", date(2026, 10, 21), 34),
    "4": ("按期答复", date(2026, 11, 11), None),
    "5": ("逾期未答复", date(2026, 11, 12), 12),
    "6": ("逾期答复", date(2026, 9, 16), 14),
    "7": ("待答复", date(2026, 11, 27), None),
}
TOTAL_ROW, NOTE_ROW = 13, 14  # Excel rows: header 3, data 4-10, empty 11-12


def clerk_register(path: Path, sheet: str = "诉求台账", headers: list[str] | None = None,
                   own_state: bool | list = False, extra_sheets: dict[str, list[list]] | None = None) -> Path:
    """The register above on `sheet`; `own_state` adds her own 状态 column after 备注 (values
    已解决 / 待解决 alternating, or the seven values given — [None] * 7 for an empty column)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    heads = list(headers or HEADERS)
    if own_state:
        heads.append("状态")
    ws["A1"] = "2026年八级慧谈诉求台账"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
    ws["A2"] = "填报单位：××煤矿党群工作部"
    ws.append(heads)
    for i, r in enumerate(ROWS):
        state = own_state[i] if isinstance(own_state, list) else "已解决" if i % 2 == 0 else "待解决"
        ws.append(r + ([state] if own_state is not False else []))
    ws.merge_cells("B4:B6")
    ws.merge_cells("B7:B8")
    ws.append([])
    ws.append([])
    ws.append(["合计", None, "=COUNTA(C4:C10)"])
    ws.append(["注：办理时限按工作日计算，节假日顺延。"])
    for name, rows in (extra_sheets or {}).items():
        other = wb.create_sheet(name)
        for r in rows:
            other.append(r)
    wb.save(path)
    return path


def cells_of(path: Path) -> dict[str, dict[str, object]]:
    """Every cell value of every sheet (formulas as written), for cell-by-cell compares."""
    wb = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()))  # by content: any file name
    return {ws.title: {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
            for ws in wb.worksheets}


# every job that reads 诉求台账, with the period it needs
REGISTER_JOBS = [("overdue",), ("validate",), ("report", "--month", "2026-10", "--no-docx"),
                 ("deductions", "--period", "2026Q3"), ("rewards", "--quarter", "2026Q3"), ("assess", "--year", "2025")]


def protect(path: Path) -> Path:
    """保护工作簿结构 on a workbook file, as Excel's 审阅 → 保护工作簿 sets it."""
    wb = openpyxl.load_workbook(path)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.save(path)
    return path


def meeting_list(path: Path) -> Path:
    """An office workbook that holds no register: a meeting list."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "会议安排"
    ws.append(["会议名称", "时间", "地点"])
    ws.append(["安全例会", "2026-11-02", "三楼会议室"])
    wb.save(path)
    return path
