"""SPEC §11: running a job twice with the same inputs gives the same workbook, apart from
the new line in 运行记录; rewards are paid once."""
from __future__ import annotations

import json
import posixpath
import shutil
from datetime import date

import openpyxl
import pytest
from lxml import etree

from conftest import fresh_demo, huitan, parts
from huitan_xl import schema
from huitan_xl.jobs import title_of
from huitan_xl.write import Workbook

AS_OF = "2026-11-24"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
JOBS = {
    "overdue": [],
    "validate": [],
    "deductions": ["--period", "2026"],
    "rewards": ["--quarter", "2026Q3"],
    "report": ["--month", "2026-10"],
    "assess": ["--year", "2026"],
}


@pytest.fixture(scope="module")
def demo_base(demo_book, tmp_path_factory):
    return fresh_demo(demo_book, tmp_path_factory)


def sheet_part(zparts: dict[str, bytes], name: str) -> str:
    """The zip part of sheet `name`, found through xl/workbook.xml and its relationships."""
    wb = etree.fromstring(zparts["xl/workbook.xml"])
    [rid] = wb.xpath("//m:sheets/m:sheet[@name=$n]/@r:id", namespaces=NS, n=name)
    rels = etree.fromstring(zparts["xl/_rels/workbook.xml.rels"])
    [target] = rels.xpath("//rel:Relationship[@Id=$i]/@Target", namespaces=NS, i=rid)
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def content_types(zparts: dict[str, bytes]) -> tuple[dict, dict]:
    root = etree.fromstring(zparts["[Content_Types].xml"])
    return ({e.get("Extension"): e.get("ContentType") for e in root.xpath("ct:Default", namespaces=NS)},
            {e.get("PartName"): e.get("ContentType") for e in root.xpath("ct:Override", namespaces=NS)})


def run(command: str, path, *options: str) -> dict:
    proc = huitan(command, path, *options, "--as-of", AS_OF, "--json")
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8")
    return json.loads(proc.stdout.decode("utf-8"))


def log_rows(path) -> list[tuple]:
    ws = openpyxl.load_workbook(path, read_only=True)[schema.RUN_LOG_SHEET]
    return [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]


@pytest.fixture(scope="module")
def twice(demo_base, tmp_path_factory):
    """Each job run twice on its own copy of the demo: (parts, JSON, run log) after each run."""
    out = {}
    for command, options in JOBS.items():
        path = tmp_path_factory.mktemp(command) / "台账.xlsx"
        shutil.copy(demo_base, path)
        runs = []
        for _ in range(2):
            js = run(command, path, *options)
            runs.append((parts(path), js, log_rows(path)))
        out[command] = runs
    return out


@pytest.mark.parametrize("command", list(JOBS))
def test_second_run_changes_nothing_but_the_run_log(twice, command):
    (first, js1, log1), (second, js2, log2) = twice[command]
    log_part = sheet_part(second, schema.RUN_LOG_SHEET)
    assert sheet_part(first, schema.RUN_LOG_SHEET) == log_part
    assert sorted(first) == sorted(second)
    assert [n for n in first if first[n] != second[n]] == [log_part]
    # the run log: every earlier line kept, exactly one more, naming this command
    assert log2[:len(log1)] == log1 and len(log2) == len(log1) + 1
    assert log2[-1][1:4] == log1[-1][1:4] and log2[-1][1] == title_of(command)
    assert js1 == js2


def test_job_repeated_after_another_job_is_byte_identical(demo_base, tmp_path):
    path = tmp_path / "台账.xlsx"
    shutil.copy(demo_base, path)
    run("overdue", path)  # adds 逾期督办 and 运行记录
    run("validate", path)  # adds 校验结果 and 覆盖率 after them
    first = parts(path)
    run("validate", path)
    second = parts(path)
    assert content_types(first) == content_types(second)  # the same parts with the same types
    assert [n for n in first if first[n] != second[n]] == [sheet_part(second, schema.RUN_LOG_SHEET)]


@pytest.mark.parametrize("command", ["deductions", "rewards", "assess"])
def test_ledger_and_payouts_identical_between_runs(twice, command):
    (_, js1, _), (_, js2, _) = twice[command]
    key = "rewards" if command == "rewards" else "deductions"
    assert js1[key] and js1[key] == js2[key]
    assert js1["counts"] == js2["counts"]


# ---- rewards are written once and paid once -------------------------------------------------------

def paid_cells(path) -> dict[str, tuple]:
    """编号 -> (奖励金额, 奖励季度) for every 合理化建议 row that has either filled."""
    ws = openpyxl.load_workbook(path, read_only=True)[schema.SUGGESTIONS]
    rows = ws.iter_rows(values_only=True)
    header = list(next(rows))
    i, a, q = header.index("编号"), header.index("奖励金额"), header.index("奖励季度")
    return {r[i]: (r[a], r[q]) for r in rows if r[a] is not None or r[q] is not None}


def suggestion_row(path, sid: str) -> int:
    ws = openpyxl.load_workbook(path, read_only=True)[schema.SUGGESTIONS]
    for n, r in enumerate(ws.iter_rows(values_only=True), start=1):
        if r[0] == sid:
            return n
    raise KeyError(sid)


def totals(payouts: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in payouts:
        out[p["suggestion"]] = out.get(p["suggestion"], 0) + p["amount"]
    return out


@pytest.fixture
def paid_q3(twice, demo_base, tmp_path):
    """A copy of the demo with 2026Q3 paid: (path, {suggestion: yuan})."""
    (_, js, _), _ = twice["rewards"]
    q3 = totals(js["rewards"])
    path = tmp_path / "台账.xlsx"
    shutil.copy(demo_base, path)
    assert paid_cells(path) == {}
    assert totals(run("rewards", path, "--quarter", "2026Q3")["rewards"]) == q3
    return path, q3


def move_review(path, sid: str, quarter: str) -> None:
    """A clerk re-dates a suggestion's review (评审季度)."""
    col = [f.header for f in schema.SHEETS[schema.SUGGESTIONS]].index("评审季度") + 1
    wb = Workbook.open(path)
    wb.set_cells(schema.SUGGESTIONS, {(suggestion_row(path, sid), col): quarter})
    wb.save(backup=False)


def test_reward_columns_filled_for_exactly_the_paid_suggestions(paid_q3):
    path, q3 = paid_q3
    # demo: ten suggestions reviewed in 2026Q3 plus JY2026-034 (评审季度 blank, implemented 2026-08-20)
    assert len(q3) == 11 and "JY2026-034" in q3
    assert paid_cells(path) == {s: (amount, "2026Q3") for s, amount in q3.items()}
    # the next quarter pays other suggestions and keeps the Q3 record
    q4 = totals(run("rewards", path, "--quarter", "2026Q4", "--force")["rewards"])
    # 2026Q4: six suggestions reviewed in Q4 plus JY2026-046 and JY2026-055 (blank, implemented in November)
    assert len(q4) == 8 and not set(q4) & set(q3)
    both = {s: (a, "2026Q3") for s, a in q3.items()} | {s: (a, "2026Q4") for s, a in q4.items()}
    assert paid_cells(path) == both
    # re-running the earlier quarter pays the same again and touches no Q4 payment
    assert totals(run("rewards", path, "--quarter", "2026Q3")["rewards"]) == q3
    assert paid_cells(path) == both


def test_a_paid_suggestion_moved_to_a_later_review_is_not_paid_again(paid_q3):
    path, q3 = paid_q3
    moved = "JY2026-024"
    move_review(path, moved, "2026Q4")
    q4 = totals(run("rewards", path, "--quarter", "2026Q4", "--force")["rewards"])
    assert moved in q3 and moved not in q4 and len(q4) == 8
    assert paid_cells(path)[moved] == (q3[moved], "2026Q3")


def test_rerunning_the_paid_quarter_after_a_move_does_not_lead_to_a_second_payment(paid_q3):
    path, q3 = paid_q3
    moved = "JY2026-024"
    move_review(path, moved, "2026Q4")
    run("rewards", path, "--quarter", "2026Q3")
    q4 = totals(run("rewards", path, "--quarter", "2026Q4", "--force")["rewards"])
    assert moved not in q4
    assert paid_cells(path)[moved] == (q3[moved], "2026Q3")
