"""The demo's tickets kept the way a clerk keeps them (issue 18): tests and the benchmark reuse it.

`write_clerk_register(path, data)` writes the 转承办 tickets of a demo (demo.generate) as one
sheet in her own layout: a merged title 「2026年八级慧谈诉求台账」, a 填报单位 line, her
headers (序号, 诉求编号, 慧谈日期, 反映人, 所在单位, 问题类别, 反映问题, 责任单位, 责任人, 交办时间,
办理时限, 答复时间, 办理结果, 是否满意, 是否解决, 落实情况, 备注, 状态), 慧谈日期 merged down over
the requests of one talk, dates in her spellings (2026.9.9 / 2026年9月9日 / 9月10日 / 2026/10/14 /
20261104 / 11.5), 办理时限 as 5个工作日 where the default applies and as 10月22日前 otherwise (an
approved extension is written as the later date), two empty rows, a 合计 row with COUNTA
formulas, a 注： line and her own 状态 column (待解决 / 已解决 — not the tool's).

Read by huitan, it must give every ticket the state the template-kept demo gives it
(tests/test_demo_clerk.py compares the two).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import xlsxwriter

from . import schema
from .a1 import column_letters

HEADERS = ["序号", "诉求编号", "慧谈日期", "反映人", "所在单位", "问题类别", "反映问题", "责任单位", "责任人",
           "交办时间", "办理时限", "答复时间", "办理结果", "是否满意", "是否解决", "落实情况", "备注", "状态"]
SHEET = "2026年"
_SATISFACTION = {"满意": "满意", "基本满意": "比较满意", "不满意": "不满意"}


def spell(d: date, i: int, with_year_in_row: bool) -> object:
    """Her spellings in turn; the yearless ones only where the row's 慧谈日期 gives the year."""
    if not isinstance(d, date):
        return d  # a planted error stays as the demo wrote it
    k = i % 6
    if k == 0:
        return f"{d.year}.{d.month}.{d.day}"
    if k == 1:
        return f"{d.year}年{d.month}月{d.day}日"
    if k == 2 and with_year_in_row:
        return f"{d.month}月{d.day}日"
    if k == 3:
        return f"{d.year}/{d.month}/{d.day}"
    if k == 4:
        return d.year * 10000 + d.month * 100 + d.day  # typed as a number
    if k == 5 and with_year_in_row:
        return f"{d.month}.{d.day:02d}" if d.day % 10 == 0 else f"{d.month}.{d.day}"
    return d.isoformat()


def _deadline_text(row: dict, i: int) -> object:
    written, ext, approved = row.get("答复时限"), row.get("延期至"), row.get("延期批准日期")
    if written is not None and not isinstance(written, date):
        return written
    if not isinstance(ext, date) or not isinstance(approved, date):
        ext = approved = None
    if written is None:
        return "5个工作日" if i % 2 == 0 else "5个工作日内"
    if ext is not None and approved is not None and approved <= written:
        written = ext
    return f"{written.month}月{written.day}日前" if i % 3 else f"{written.year}-{written.month}-{written.day}"


def clerk_rows(data) -> list[dict]:
    """The demo's tickets as her rows (dicts keyed by her headers), in the demo's order."""
    talk = {s["场次编号"]: s["日期"] for s in data.rows[schema.SESSIONS]}
    out = []
    for i, r in enumerate(x for x in data.rows[schema.ITEMS] if x.get("现场答复") != "是"):
        t = talk.get(r.get("场次编号"))
        resolved = {"是": "已解决", "否": "未解决"}.get(r.get("是否解决") or "")
        out.append({
            "序号": i + 1, "诉求编号": r["编号"], "慧谈日期": t, "_session": r.get("场次编号"),
            "反映人": r.get("提出人"), "所在单位": "", "问题类别": r.get("主题标签"), "反映问题": r.get("内容"),
            "责任单位": r.get("承办部门"), "责任人": r.get("承办负责人"),
            "交办时间": spell(r["交办日期"], i, t is not None) if r.get("交办日期") else None,
            "办理时限": _deadline_text(r, i),
            "答复时间": spell(r["答复日期"], i + 1, t is not None) if r.get("答复日期") else None,
            "办理结果": r.get("答复意见"), "是否满意": _SATISFACTION.get(r.get("职工满意度") or ""),
            "是否解决": resolved, "落实情况": {"是": "已落实", "否": "未落实"}.get(r.get("是否落实") or ""),
            "备注": "", "状态": resolved and ("已解决" if resolved == "已解决" else "待解决"),
        })
    return out


def write_clerk_register(path: Path, data, sheet: str = SHEET) -> Path:
    """Her register at `path` (a new file); returns the path."""
    rows = clerk_rows(data)
    year = data.size.year
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet(sheet)
    title = wb.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = wb.add_format({"bold": True, "border": 1, "align": "center", "text_wrap": True})
    merged = wb.add_format({"valign": "vcenter", "num_format": "yyyy-mm-dd"})
    last = len(HEADERS) - 1
    ws.merge_range(0, 0, 0, last, f"{year}年八级慧谈诉求台账", title)
    ws.write_string(1, 0, "填报单位：××煤矿党群工作部（盖章）")
    ws.write_string(1, 9, f"填报日期：{year}年{data.as_of.month}月{data.as_of.day}日")
    for c, h in enumerate(HEADERS):
        ws.write_string(2, c, h, head)
    first = 3
    talk_col = HEADERS.index("慧谈日期")
    r = first
    n = 0
    while n < len(rows):
        m = n
        while m + 1 < len(rows) and rows[m + 1]["_session"] == rows[n]["_session"] and rows[n]["_session"]:
            m += 1
        for k in range(n, m + 1):
            for c, h in enumerate(HEADERS):
                v = rows[k][h]
                if h == "慧谈日期" or v in (None, ""):
                    continue
                if isinstance(v, str):
                    ws.write_string(r + k - n, c, v)
                else:
                    ws.write_number(r + k - n, c, v)
        t = rows[n]["慧谈日期"]
        if t is not None:
            if m > n:
                ws.merge_range(r, talk_col, r + m - n, talk_col, None, merged)
            ws.write_datetime(r, talk_col, _dt(t), merged)
        r += m - n + 1
        n = m + 1
    end = r  # two empty rows, then the total and the note
    total = end + 2
    ws.write_string(total, 0, "合计")
    for name in ("反映人", "责任单位", "答复时间"):
        col = column_letters(HEADERS.index(name) + 1)
        ws.write_formula(total, HEADERS.index(name), f"=COUNTA({col}{first + 1}:{col}{end})", None,
                         sum(1 for x in rows if x[name] not in (None, "")))
    ws.write_string(total + 1, 0, "注：1. 办理时限按工作日计算，节假日顺延；2. 状态一栏由党群办填写。")
    ws.set_column(0, last, 12)
    wb.close()
    return Path(path)


def _dt(d: date):
    from datetime import datetime

    return datetime(d.year, d.month, d.day)
