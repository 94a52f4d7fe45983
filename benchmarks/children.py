"""The two baselines the benchmark times as whole processes:

    python benchmarks/children.py floor WORKBOOK   # python-calamine read of 诉求台账 (else the first sheet)
    python benchmarks/children.py naive WORKBOOK   # openpyxl load -> set the state column -> save

`naive` is what a script writer would do: load the whole workbook with openpyxl,
work out each ticket's state from its dates (no working-day calendar, no
extensions: less than `huitan overdue` does), write it into a 状态 column and
save over the file.
"""
from __future__ import annotations

import sys
from datetime import date, datetime

ITEMS = "诉求台账"
AS_OF = date(2026, 11, 24)


def floor(path: str) -> int:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(path) as wb:
        name = ITEMS if ITEMS in wb.sheet_names else wb.sheet_names[0]  # a clerk's register: her one sheet
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return len(rows)


def _day(v):
    if isinstance(v, datetime):
        return v.date()
    return v if isinstance(v, date) else None


def naive(path: str) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb[ITEMS]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header) if h}
    state_col = col["状态"] + 1 if "状态" in col else len(header) + 1
    ws.cell(1, state_col, "状态")
    n = 0
    for r, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if not row[col["编号"]]:
            continue
        if "现场答复" in col and row[col["现场答复"]] == "是":
            state = "现场答复"
        else:
            deadline, replied = _day(row[col["答复时限"]]), _day(row[col["答复日期"]])
            if replied is None:
                state = "逾期未答复" if deadline and AS_OF > deadline else "待答复"
            else:
                state = "逾期答复" if deadline and replied > deadline else "按期答复"
        ws.cell(r, state_col, state)
        n += 1
    wb.save(path)
    return n


if __name__ == "__main__":
    job, workbook = sys.argv[1], sys.argv[2]
    print({"floor": floor, "naive": naive}[job](workbook))
