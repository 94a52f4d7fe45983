"""Issue 6: the monthly report for every month of the demo year builds with the real
`huitan report` command, agrees with an independent recount of the register rows
(tests/recount.py, no huitan_xl code), renders in LibreOffice, and an empty month
gives a clean report with every rate shown as "—"."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from conftest import DEMO_AS_OF, fresh_demo, huitan
from page_layout import HEADING, check_pagination, needs_carlito, page_layout
from recount import load, recount_month, recount_overview, recount_quarter, share

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out; `make test` runs all

AS_OF = date(2026, 11, 24)
MONTHS = [f"2026-{m:02d}" for m in range(1, 12)]
EMPTY_MONTHS = ["2026-12", "2025-12"]
REPORT_SHEETS = ("月度分析", "季度评审", "成效总览")
RATES = ("按期答复率", "问题解决率", "问题落实率", "职工满意率")


@pytest.fixture(scope="module")
def demo(demo_book, tmp_path_factory) -> Path:
    assert AS_OF == DEMO_AS_OF
    return fresh_demo(demo_book, tmp_path_factory)


@pytest.fixture(scope="module")
def reports(demo, tmp_path_factory) -> dict[str, Path]:
    """month -> a copy of the demo workbook after `huitan report --month M` (run in parallel)."""
    folder = tmp_path_factory.mktemp("months")
    paths = {}
    for month in MONTHS + EMPTY_MONTHS:
        paths[month] = folder / f"m{month}.xlsx"
        shutil.copyfile(demo, paths[month])

    def run(month):
        return month, huitan("report", paths[month], "--month", month, "--as-of", AS_OF.isoformat())

    with ThreadPoolExecutor(6) as pool:
        for month, proc in pool.map(run, paths):
            err = proc.stderr.decode("utf-8", "replace")
            out = proc.stdout.decode("utf-8", "replace")
            # exit 1: the demo carries planted error findings; the report is still written
            assert proc.returncode in (0, 1) and "Traceback" not in err, (month, out, err)
            assert "已写入" in out, (month, out)
    return paths


@pytest.fixture(scope="module")
def register(demo):
    return load(demo)


# ---- reading the 月度分析 sheet back ----------------------------------------------

def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [tuple(c.date() if isinstance(c, datetime) else c for c in r)
            for r in wb[sheet].iter_rows(values_only=True)]
    wb.close()
    return rows


def table(rows: list[tuple], headers: tuple, width: int | None = None) -> list[tuple]:
    """The body of the table whose header row starts with `headers` (down to the first blank A);
    a table continued on the next page under its （续） heading repeats its header row there,
    so every part is read, in order."""
    n = len(headers)
    matches = [i for i, r in enumerate(rows) if tuple(r[:n]) == headers]
    assert matches, headers
    out = []
    for start in matches:
        for r in rows[start + 1:]:
            if r[0] is None or tuple(r[:n]) == headers or HEADING.match(str(r[0])):  # a page's end
                break
            out.append(tuple(r[:width or n]))
    return out


def value(rows: list[tuple], label: str, col: int = 1):
    hits = [r for r in rows if r and r[0] == label]
    assert len(hits) == 1, label
    return hits[0][col]


def first_text(rows, prefix: str) -> str:
    hits = [r[0] for r in rows if isinstance(r[0], str) and r[0].startswith(prefix) and not r[0].endswith("（续）")]
    assert len(hits) == 1, prefix
    return hits[0]


def shown_rate(r):
    """A rate cell compared to its fraction: exact "—", else equal to 1e-12."""
    return r if r == "—" else round(r, 12)


def read_monthly(path: Path) -> dict:
    rows = sheet_rows(path, "月度分析")
    rate_rows = {r[0]: (r[1], r[2], r[3]) for r in table(rows, ("指标", "比率", "分子", "分母"))}
    return {
        "title": rows[0][0],
        "sessions": value(rows, "召开慧谈场次"),
        "attendee_rows": value(rows, "参会人次"),
        "distinct": value(rows, "参会人数（去重）"),
        "by_level": table(rows, ("层级代码", "层级", "场次")),
        "by_kind": dict(table(rows, ("慧谈类型", "场次"))),
        "items": value(rows, "诉求总数"),
        "on_the_spot": value(rows, "现场答复"),
        "tickets": value(rows, "转承办单"),
        "by_category": dict(table(rows, ("诉求类别", "件数"))),
        "by_topic": table(rows, ("诉求主题", "件数")) if any(r[0] == "诉求主题" for r in rows) else [],
        "hot": [r[:2] for r in table(rows, ("主题", "本月件数"), 2)] if any(r[0] == "主题" for r in rows) else [],
        "by_department": table(rows, ("承办部门", "承办单件数")) if any(r[0] == "承办部门" and r[1] == "承办单件数"
                                                                     for r in rows) else [],
        "rates": rate_rows,
        "trend": table(rows, ("月份", "诉求", "承办单", "按期答复率"), 7),
        "overdue_title": first_text(rows, "四、逾期未答复承办单"),
        "overdue": [(r[0], r[1], r[4], r[5]) for r in table(rows, ("编号", "承办部门", "承办负责人"), 7)]
        if any(r[:3] == ("编号", "承办部门", "承办负责人") for r in rows) else [],
        "suggestions": tuple(value(rows, k) for k in ("本月收集", "判定合理", "已采纳", "已实施", "本月新实施")),
        "risks_title": first_text(rows, "六、风险提示"),
        "risks": [r[0] for r in table(rows, ("编号", "场次编号", "类别", "风险提示"))]
        if any(r[:4] == ("编号", "场次编号", "类别", "风险提示") for r in rows) else [],
        "coverage_title": first_text(rows, "七、层级覆盖情况"),
        "coverage": table(rows, ("层级代码", "层级", "在职人数"), 7),
        "rows": rows,
    }


# ---- a fix found by the recount --------------------------------------------------------

def test_duplicate_attendee_row_counts_once():
    """January of the demo lists HZ10054 twice in HT2026-001 (finding S07): one attendance."""
    from huitan_xl.model import Attendance, Src
    from huitan_xl.reports.monthly import month_span, monthly_report
    from report_registers import COVERAGE, october_registers

    regs, st = october_registers()
    regs.attendances.append(Attendance("H1", "E2", "E2", "", Src("参会人员", 8)))  # E2 again in H1
    rep = monthly_report(regs, st, month_span(2026, 10), COVERAGE)
    # H1: E1 E2 E3, H2: E1 E4 -> 5 attendances of 4 persons, as without the duplicate
    assert (rep.attendee_rows, rep.distinct_attendees) == (5, 4)


# ---- 1. every month agrees with the recount -----------------------------------------

@pytest.mark.parametrize("month", MONTHS)
def test_monthly_sheet_matches_independent_recount(month, reports, register):
    y, m = map(int, month.split("-"))
    got, want = read_monthly(reports[month]), recount_month(register, y, m, AS_OF)

    assert got["title"] == want["title"]
    assert (got["sessions"], got["attendee_rows"], got["distinct"]) == \
        (want["sessions"], want["attendee_rows"], want["distinct"])
    assert got["by_level"] == want["by_level"]
    assert got["by_kind"] == want["by_kind"]
    assert sum(got["by_kind"].values()) == sum(n for _, _, n in got["by_level"]) == got["sessions"]

    assert (got["items"], got["on_the_spot"], got["tickets"]) == \
        (want["items"], want["on_the_spot"], want["tickets"])
    assert got["by_category"] == want["by_category"]
    # 二 counts topics (her 主题标签, else 主题（自动）): the same rows as 八 with a 本月件数, every
    # item once (八 orders them: this month, last month, 主题词表 order); a topic she typed is
    # counted at least as often as she typed it
    assert got["by_topic"] == [(t, n) for t, n in got["hot"] if n], month
    typed = dict(want["by_tag"])
    assert all(dict(got["by_topic"]).get(t, 0) >= n for t, n in typed.items() if t != "（未填）"), month
    assert got["by_department"] == want["by_department"]
    assert sum(got["by_category"].values()) == sum(n for _, n in got["by_topic"]) == got["items"]
    assert sum(n for _, n in got["by_department"]) == got["tickets"]

    fig = want["figures"]
    for name in RATES:
        shown, num, den = got["rates"][name]
        assert (num, den) == fig[name], (month, name)
        assert shown_rate(shown) == shown_rate(share(fig[name])), (month, name)

    assert [r[0] for r in got["trend"]] == [label for label, _ in want["trend"]]
    for row, (label, f) in zip(got["trend"], want["trend"]):
        assert row[1:3] == (f["items"], f["tickets"]), label
        assert [shown_rate(v) for v in row[3:]] == [shown_rate(share(f[n])) for n in RATES], label
    assert got["trend"][-1][1] == got["items"]

    cut = want["cutoff"].isoformat()
    assert got["overdue_title"] == f"四、逾期未答复承办单（截至 {cut}，共 {len(want['overdue'])} 件）"
    assert got["overdue"] == want["overdue"]

    assert got["suggestions"] == want["suggestions"]
    assert got["risks_title"] == f"六、风险提示（共 {len(want['risks'])} 件）"
    assert got["risks"] == want["risks"]

    assert got["coverage_title"] == f"七、层级覆盖情况（{y}-01-01 至 {want['end'].isoformat()}）"
    assert [r[:4] + (shown_rate(r[4]),) + r[5:] for r in got["coverage"]] == \
        [c[:4] + (shown_rate(share(c[4])),) + c[5:] for c in want["coverage"]]


def title_of(y: int, m: int) -> str:
    """The monthly title; a month not over on AS_OF says so."""
    ended = date(y + m // 12, m % 12 + 1, 1) <= AS_OF
    return f"{y}年{m}月职工思想动态分析报告" + ("" if ended else f"（截至 {AS_OF.isoformat()}，月份未结束）")


# ---- 季度评审 and 成效总览 ---------------------------------------------------------------

def test_quarterly_review_q3_matches_recount(reports, register):
    """The 2026-08 report writes the 2026Q3 review: months, quarter total, deductions, rewards."""
    rows = sheet_rows(reports["2026-08"], "季度评审")
    want = recount_quarter(register, 2026, 3, AS_OF)
    assert rows[0][0] == "2026年第三季度评审"
    body = table(rows, ("月份", "诉求", "承办单", "按期答复率", "职工满意率"))
    expected = [(label, f["items"], f["tickets"], share(f["按期答复率"]), share(f["职工满意率"]))
                for label, f in want["months"]]
    t = want["total"]
    expected.append(("季度合计", t["items"], t["tickets"], share(t["按期答复率"]), share(t["职工满意率"])))
    assert [r[:3] + tuple(shown_rate(v) for v in r[3:]) for r in body] == \
        [r[:3] + tuple(shown_rate(v) for v in r[3:]) for r in expected]
    # the recount itself: July 32 items, 18 tickets; 22 tickets due in July (应办), 20 answered on time
    assert (want["months"][0][1]["items"], want["months"][0][1]["tickets"],
            want["months"][0][1]["按期答复率"]) == (32, 18, (20, 22))

    assert first_text(rows, "二、考核扣分") == f"二、考核扣分（共 {want['events']} 项，合计 {want['points']} 分）"
    dept = table(rows, ("承办部门", "负责人", "扣分事项", "扣分"))
    assert dept[-1][0] == "合计" and dept[-1][2:] == (want["events"], want["points"])
    assert sum(r[2] for r in dept[:-1]) == want["events"] and sum(r[3] for r in dept[:-1]) == want["points"]

    assert first_text(rows, "三、季度奖励") == \
        f"三、季度奖励（获奖建议 {want['reward_suggestions']} 条，合计 {want['reward_yuan']} 元）"
    units = table(rows, ("单位", "获奖人次", "金额（元）"))
    assert units[-1] == ("合计", want["persons"], want["reward_yuan"])
    assert {u: y for u, _, y in units[:-1]} == want["per_unit"]


def test_overview_matches_recount(reports, register):
    want = recount_overview(register, AS_OF)
    sheets = [sheet_rows(reports[m], "成效总览") for m in MONTHS]
    assert all(s == sheets[0] for s in sheets)  # the overview does not depend on the month asked
    rows = sheets[0]
    assert rows[1][0] == f"统计期间：{want['start'].isoformat()} 至 {AS_OF.isoformat()}"
    got = {r[0]: r[1] for r in table(rows, ("指标", "数值", "说明"))}
    assert got == {
        "召开慧谈场次": want["sessions"], "收集诉求": want["items"], "现场答复": want["on_the_spot"],
        "承办单已答复": want["replied"], "解决或答复诉求": want["on_the_spot"] + want["replied"],
        "答复率": pytest.approx(share(want["answered"])), "问题已解决": want["resolved"],
        "职工满意率": pytest.approx(share(want["satisfied"])), "收集合理化建议": want["suggestions"],
        "判定合理": want["reasonable"], "已采纳": want["adopted"], "已实施": want["implemented"],
        "获得奖励（条）": want["rewarded"], "奖励金额（元）": want["rewarded_yuan"],
    }


# ---- 3. a month with nothing in it ------------------------------------------------------

@pytest.mark.parametrize("month", EMPTY_MONTHS)
def test_empty_month_is_a_clear_report_with_dashes(month, reports, register):
    y, m = map(int, month.split("-"))
    got, want = read_monthly(reports[month]), recount_month(register, y, m, AS_OF)
    rows = got["rows"]
    assert got["title"] == title_of(y, m)
    assert (got["sessions"], got["attendee_rows"], got["distinct"]) == (0, 0, 0)
    assert [n for _, _, n in got["by_level"]] == [0] * 8
    assert got["by_kind"] == {"八级慧谈": 0, "专题慧谈": 0, "专业慧谈": 0, "节点慧谈": 0}
    assert (got["items"], got["on_the_spot"], got["tickets"]) == (0, 0, 0)
    assert got["by_category"] == {"问题意见": 0, "合理化建议": 0, "职工诉求": 0}
    assert (got["by_topic"], got["by_department"]) == ([], [])
    assert ("本月无诉求。",) in [r[:1] for r in rows] and ("本月无承办单。",) in [r[:1] for r in rows]
    assert got["rates"] == {name: ("—", 0, 0) for name in RATES}
    assert got["trend"][-1] == (month, 0, 0, "—", "—", "—", "—")
    assert got["suggestions"] == (0, 0, 0, 0, 0)
    assert (got["risks_title"], got["risks"]) == ("六、风险提示（共 0 件）", [])
    # the overdue list is a snapshot at the cut-off, whatever month the tickets came from
    assert got["overdue"] == want["overdue"]
    if month == "2025-12":
        assert got["overdue_title"] == "四、逾期未答复承办单（截至 2025-12-31，共 0 件）"
        assert [r[3] for r in got["coverage"]] == [0] * 8  # nobody attended in 2025
    else:
        assert got["overdue_title"] == f"四、逾期未答复承办单（截至 2026-11-24，共 {len(want['overdue'])} 件）"
        assert len(want["overdue"]) == 12
    assert [r[:4] + (shown_rate(r[4]),) + r[5:] for r in got["coverage"]] == \
        [c[:4] + (shown_rate(share(c[4])),) + c[5:] for c in want["coverage"]]


# ---- 2. the reports render in LibreOffice ------------------------------------------------

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def report_only_copy(src: Path, dst: Path) -> None:
    """The workbook as the command wrote it, with every sheet but the three reports hidden
    (LibreOffice does not print hidden sheets; the registers would add ~110 pages)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml":
                root = etree.fromstring(data)
                sheets = root.findall(f"{{{NS}}}sheets/{{{NS}}}sheet")
                names = [s.get("name") for s in sheets]
                for s in sheets:
                    if s.get("name") not in REPORT_SHEETS:
                        s.set("state", "hidden")
                for view in root.iter(f"{{{NS}}}workbookView"):
                    view.set("activeTab", str(names.index(REPORT_SHEETS[0])))
                    view.set("firstSheet", str(names.index(REPORT_SHEETS[0])))
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(info, data)


def pdf_pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


@pytest.fixture(scope="module")
def rendered(reports, tmp_path_factory) -> dict[str, list[str]]:
    """month -> the PDF pages of its report-only copy, all months in one LibreOffice run."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    tmp = tmp_path_factory.mktemp("render")
    months = MONTHS + EMPTY_MONTHS
    copies = []
    for month in months:
        copies.append(tmp / f"r{month}.xlsx")
        report_only_copy(reports[month], copies[-1])
    out = tmp / "pdf"
    proc = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp / 'lo'}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(out), *map(str, copies)],
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return {month: pdf_pages(out / f"r{month}.pdf") for month in months}


def monthly_pages(pages: list[str], month: str) -> list[str]:
    y, m = map(int, month.split("-"))
    return [p for p in pages if f"{y}年{m}月职工思想动态分析报告" in p]


def test_every_month_renders_to_pdf(rendered, register):
    for month, pages in rendered.items():
        y, m = map(int, month.split("-"))
        monthly = monthly_pages(pages, month)
        items = recount_month(register, y, m, AS_OF)["items"]
        assert re.search(rf"诉求总数\s+{items}\b", monthly[0]), month
        text = "".join(monthly)
        assert all(h in text for h in ("七、层级覆盖情况", "十、思想分析", "十一、应对举措")), month
        assert sum(f"{y}年第{'一二三四'[(m - 1) // 3]}季度评审" in p for p in pages) == 1, month
        assert sum("八级慧谈成效总览" in p for p in pages) == 1, month


@needs_carlito
def test_every_month_prints_on_the_sheets_pages(rendered, reports):
    """LibreOffice (with Carlito, so as wide as Excel) breaks the pages where the sheet's
    manual breaks are and nowhere else. Four to six pages each month at 66 % (48 plain rows a
    page; a month whose overdue or risk tickets' 诉求内容 wraps over two or three lines, as
    November's twelve overdue tickets do, takes the sixth): in 2026-01..11 page 1 holds the title, 一 and 二's totals and categories (rows
    1-40, 630 pt of 723); tags and departments beside a department chart of at least 13
    rows (195 pt) do not fit under them, so page 2 opens with 二（续）. In the empty months
    二 ends in two one-line notes on page 1 and page 2 opens with 三. The write-in boxes
    have the last page to themselves."""
    for month, pages in rendered.items():
        y, m = map(int, month.split("-"))
        title = title_of(y, m)
        monthly = monthly_pages(pages, month)
        assert len(monthly) == len(page_layout(reports[month]).pages) in (4, 5, 6), month
        assert len(pages) == len(monthly) + 2, month  # 季度评审 and 成效总览 one page each
        firsts = [[line.strip() for line in p.splitlines() if line.strip()][1] for p in monthly]
        assert firsts[0] == title, month
        assert firsts[1].startswith("三、" if month in EMPTY_MONTHS else "二、诉求收集情况（续）"), month
        assert firsts[-1] == "十、思想分析（由党群办填写）" and "十一、应对举措" in monthly[-1], month
        assert "七、层级覆盖情况" in "".join(monthly[:3 if len(monthly) < 6 else 4]), month
        assert all(h in "".join(monthly[:-1]) for h in ("八、职工关注热点", "九、反复反映的诉求")), month
        # every page after the first opens with a section heading, no page of tables ends with one
        for page in monthly[:-1]:
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            assert lines[0] == title and not re.match(r"(十[一二]?|[一二三四五六七八九])、", lines[-2]), (month, lines[-2])
        for page in monthly[1:]:
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            assert re.match(r"(十[一二]?|[一二三四五六七八九])、", lines[1]), (month, lines[1])


@pytest.mark.parametrize("month", MONTHS + EMPTY_MONTHS)
def test_monthly_report_pages_keep_sections_whole(month, reports):
    """Read from the xlsx: a fixed print scale, every page within A4 landscape, each page
    after the first opening with a section heading, no heading at a page foot, no chart
    across a break; the coverage chart is titled from the coverage span (自然年 in the demo:
    January 1 to the month end, the whole year for December)."""
    layout = page_layout(reports[month])
    check_pagination(layout)
    topics = "本月诉求按主题" in layout.chart_titles  # when this or last month had items
    assert topics or month in EMPTY_MONTHS
    assert len(layout.charts) == (4 if month in EMPTY_MONTHS else 5) + topics  # no department chart when empty
    y, m = map(int, month.split("-"))
    span = f"{y}年" if m == 12 else f"{y}年1月" if m == 1 else f"{y}年1—{m}月"
    assert layout.chart_titles[-1 - topics] == f"{span}各层级覆盖率"
    assert layout.pages[-1][0] in layout.headings and layout.headings[layout.pages[-1][0]] == "十、思想分析（由党群办填写）"
