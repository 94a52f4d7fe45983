"""The command-line contract of SPEC §10/§11: --json keys and types, exit codes,
bad period values, --dry-run, and every command documented."""
from __future__ import annotations

import argparse
import json
import re
import shutil
from datetime import date

import pytest

from conftest import ROOT, fresh_demo, huitan, run_cli, type_rows
from huitan_xl import schema
from huitan_xl.cli import build_parser
from huitan_xl.findings import CODES

AS_OF = "2026-11-24"
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CJK = re.compile(r"[\u4e00-\u9fff]")
FINDING_KEYS = {"severity", "code", "message", "sheet", "row", "column", "value"}
TICKET_KEYS = {"id", "state", "deadline", "days_overdue", "department", "supervisor"}
DEDUCTION_KEYS = {"code", "department", "head", "points", "date", "evidence"}
REWARD_KEYS = {"suggestion", "person", "unit", "amount"}
TICKET_STATES = {"待答复", "逾期未答复", "按期答复", "逾期答复", "已办结"}
ALL_COMMANDS = {"init", "demo", "overdue", "validate", "deductions", "rewards", "report", "assess",
                "suggest-attendees", "schedule", "excel-setup", "consolidate", "gui", "forms", "notice", "minutes",
                "export"}

# command -> (options after the workbook, the period printed, the command's own list)
JOBS = {
    "overdue": ([], None, "tickets"),
    "validate": ([], "2026", None),
    "deductions": (["--period", "2026"], "2026", "deductions"),
    "rewards": (["--quarter", "2026Q3"], "2026Q3", "rewards"),
    "report": (["--month", "2026-10"], "2026-10", None),
    "assess": (["--year", "2026"], "2026", "deductions"),
    "suggest-attendees": (["--level", "班组长", "--date", "2026-12-01", "--write"], "2026-12-01", None),
    "forms": ([], None, None),
    "notice": (["--month", "2026-10"], "2026-10", None),
    "minutes": (["--session", "HT2026-053"], "HT2026-053", None),
}


def subparsers() -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def offers(option: str) -> set[str]:
    return {name for name, sp in subparsers().items()
            if any(option in a.option_strings for a in sp._actions)}


@pytest.fixture(scope="module")
def demo_base(demo_book, tmp_path_factory):
    return fresh_demo(demo_book, tmp_path_factory)


def copy_of(base, tmp_path, name="台账.xlsx"):
    path = tmp_path / name
    shutil.copy(base, path)
    return path


def run_json(*args, runner=run_cli):
    """In this process by default; `runner=huitan` for the real subprocess (smoke tests)."""
    proc = runner(*args, "--json")
    text = proc.stdout.decode("utf-8")
    return proc.returncode, json.loads(text), text


# ---- --json on the demo register: one object, stable keys, ISO dates, integer points -----------

def check_finding(f: dict) -> None:
    assert set(f) == FINDING_KEYS, f
    assert f["severity"] in ("error", "warning") and f["code"] in CODES, f
    assert isinstance(f["message"], str) and CJK.search(f["message"]), f
    assert isinstance(f["sheet"], str) and (f["row"] is None or isinstance(f["row"], int)), f
    assert f["value"] is None or isinstance(f["value"], (str, int, float, bool)), f


@pytest.mark.parametrize("command", list(JOBS))
def test_json_is_one_object_with_the_stable_keys(demo_base, tmp_path, command):
    path = copy_of(demo_base, tmp_path)
    options, period, own = JOBS[command]
    code, out, text = run_json(command, path, *options, "--as-of", AS_OF)
    assert text.lstrip().startswith("{") and text.rstrip().endswith("}")  # one object, nothing else
    assert list(out)[:6] == ["command", "workbook", "as_of", "period", "counts", "findings"]
    assert (out["command"], out["workbook"], out["as_of"], out["period"]) == (command, str(path), AS_OF, period)
    assert isinstance(out["counts"], dict) and out["counts"]
    for f in out["findings"]:
        check_finding(f)
    errors = [f for f in out["findings"] if f["severity"] == "error"]
    assert code == (1 if errors else 0)
    assert code == 1  # the demo's roster carries a planted level typo (R03), read by every job
    lists = {"tickets", "deductions", "rewards"} & set(out)
    assert lists == ({own} if own else set())


def test_overdue_tickets_json(demo_base, tmp_path):
    _, out, _ = run_json("overdue", copy_of(demo_base, tmp_path), "--as-of", AS_OF, "--dry-run")
    tickets = out["tickets"]
    assert tickets and all(set(t) == TICKET_KEYS for t in tickets)
    assert all(t["state"] in TICKET_STATES for t in tickets)  # 现场答复 is not a ticket
    assert all(t["deadline"] is None or ISO.match(t["deadline"]) for t in tickets)
    assert all(t["days_overdue"] is None or (isinstance(t["days_overdue"], int) and t["days_overdue"] > 0)
               for t in tickets)
    assert all(t["days_overdue"] for t in tickets if t["state"] in ("逾期未答复", "逾期答复"))
    assert {k: v for k, v in out["counts"].items() if k != "现场答复"} == {
        s: sum(1 for t in tickets if t["state"] == s) for s in TICKET_STATES if any(t["state"] == s for t in tickets)}


@pytest.mark.parametrize("command,options", [("deductions", ["--period", "2026"]), ("assess", ["--year", "2026"])])
def test_deductions_json(demo_base, tmp_path, command, options):
    _, out, _ = run_json(command, copy_of(demo_base, tmp_path), *options, "--as-of", AS_OF, "--dry-run")
    ledger = out["deductions"]
    assert ledger and all(set(d) == DEDUCTION_KEYS for d in ledger)
    assert all(type(d["points"]) is int for d in ledger)
    assert all(d["points"] < 0 for d in ledger if d["code"] != "D07")
    assert all(d["points"] == 0 for d in ledger if d["code"] == "D07")
    assert {d["code"] for d in ledger} == {"D01", "D02", "D03", "D04", "D05", "D06", "D07"}
    assert all(ISO.match(d["date"]) and d["date"].startswith("2026-") for d in ledger)
    assert all(isinstance(d["evidence"], str) and d["evidence"] for d in ledger)
    assert out["counts"]["points"] == sum(d["points"] for d in ledger)


def test_rewards_json(demo_base, tmp_path):
    _, out, _ = run_json("rewards", copy_of(demo_base, tmp_path), "--quarter", "2026Q3", "--as-of", AS_OF,
                         "--dry-run")
    payouts = out["rewards"]
    assert payouts and all(set(r) == REWARD_KEYS for r in payouts)
    assert all(type(r["amount"]) is int and r["amount"] > 0 for r in payouts)
    per_suggestion = {}
    for r in payouts:
        per_suggestion[r["suggestion"]] = per_suggestion.get(r["suggestion"], 0) + r["amount"]
    assert all(100 <= v <= 500 for v in per_suggestion.values())
    assert out["counts"] == {"suggestions": len(per_suggestion), "people": len(payouts),
                             "amount": sum(r["amount"] for r in payouts)}


# ---- exact JSON on a register typed by hand -----------------------------------------------------

@pytest.fixture
def small(tmp_path):
    """One overdue ticket, one joint suggestion; everything hand-computed below."""
    path = tmp_path / "小台账.xlsx"
    assert run_cli("init", path).returncode == 0
    type_rows(path, schema.DEPARTMENTS, [{"部门": "机电科", "负责人": "沈伟", "类型": "职能科室"},
                                         {"部门": "综采一队", "负责人": "周强", "类型": "区队"}])
    type_rows(path, schema.ROSTER, [{"工号": "HZ1", "姓名": "张三", "单位": "综采一队", "层级": "职工"},
                                    {"工号": "HZ2", "姓名": "李四", "单位": "机电队", "层级": "职工"},
                                    {"工号": "HZ3", "姓名": "王五", "单位": "通风队", "层级": "职工"}])
    type_rows(path, schema.ITEMS, [{"编号": "T-1", "类别": "职工诉求", "现场答复": "否", "承办部门": "机电科",
                                    "督办员": "王督办", "交办日期": date(2026, 11, 2), "答复时限": date(2026, 11, 6)}])
    type_rows(path, schema.SUGGESTIONS, [{"编号": "JY-1", "提出人": "张三、李四、王五", "提出人工号": "HZ1",
                                          "合理性结论": "合理", "是否采纳": "是", "实施情况": "已实施",
                                          "实施日期": date(2026, 8, 10), "应用效果": "一般", "创效金额": 10000}])
    return path


def test_exact_json_of_a_small_register(small):
    # T-1: deadline Fri 2026-11-06, open on 11-24 -> 18 days overdue; D01 dated the day after (11-07)
    code, out, _ = run_json("overdue", small, "--as-of", AS_OF, "--dry-run", runner=huitan)
    assert (code, out["period"], out["counts"], out["findings"]) == (0, None, {"逾期未答复": 1}, [])
    assert out["tickets"] == [{"id": "T-1", "state": "逾期未答复", "deadline": "2026-11-06", "days_overdue": 18,
                               "department": "机电科", "supervisor": "王督办"}]
    code, out, _ = run_json("deductions", small, "--period", "2026-11", "--as-of", AS_OF, "--dry-run")
    assert (code, out["period"], out["counts"]) == (0, "2026-11", {"events": 1, "points": -2, "by_code": {"D01": 1}})
    assert out["deductions"] == [{"code": "D01", "department": "机电科", "head": "沈伟", "points": -2,
                                  "date": "2026-11-07", "evidence": "T-1"}]
    # JY-1: 一般 100 + 创效 10,000 -> +100 = 200 yuan, split three ways: 66 each, remainder 2 to the first
    code, out, _ = run_json("rewards", small, "--quarter", "2026Q3", "--as-of", AS_OF, "--dry-run")
    assert (code, out["period"], out["counts"]) == (0, "2026Q3", {"suggestions": 1, "people": 3, "amount": 200})
    assert out["rewards"] == [{"suggestion": "JY-1", "person": "张三", "unit": "综采一队", "amount": 68},
                              {"suggestion": "JY-1", "person": "李四", "unit": "机电队", "amount": 66},
                              {"suggestion": "JY-1", "person": "王五", "unit": "通风队", "amount": 66}]


def test_exit_codes_validate(demo_base, small, tmp_path):
    assert run_cli("validate", small, "--as-of", AS_OF).returncode == 0  # warnings only
    assert run_cli("validate", copy_of(demo_base, tmp_path), "--as-of", AS_OF).returncode == 1  # planted errors
    assert run_cli("validate", tmp_path / "没有.xlsx", "--as-of", AS_OF).returncode == 2


# ---- bad period values: exit 2, a Chinese message naming the value, nothing written -------------

BAD_VALUES = [
    ("deductions", "--period", "2026-13"), ("deductions", "--period", "2026Q5"), ("deductions", "--period", "十月"),
    ("rewards", "--quarter", "2026"), ("rewards", "--quarter", "2026-10"), ("rewards", "--quarter", "2026Q0"),
    ("report", "--month", "2026Q3"), ("report", "--month", "2026-00"), ("report", "--month", "10月"),
    ("assess", "--year", "2026-10"), ("assess", "--year", "20266"),
    ("validate", "--period", "2026-13"),
    ("suggest-attendees", "--level", "L9"),
]


@pytest.mark.parametrize("command,option,value", BAD_VALUES)
def test_bad_period_exits_2_and_writes_nothing(demo_base, tmp_path, command, option, value):
    path = copy_of(demo_base, tmp_path)
    before = path.read_bytes()
    for extra in ([], ["--json"]):
        proc = run_cli(command, path, option, value, "--as-of", AS_OF, *extra)
        err = proc.stderr.decode("utf-8")
        assert proc.returncode == 2, err
        assert proc.stdout == b""
        assert err.startswith("错误：") and value in err and "Traceback" not in err
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no backup, no temporary file


@pytest.mark.parametrize("value", ["0", "-3", "十"])
def test_bad_attendee_count_exits_2_and_writes_nothing(demo_base, tmp_path, value):
    path = copy_of(demo_base, tmp_path)
    before = path.read_bytes()
    proc = run_cli("suggest-attendees", path, "--level", "班组长", "--n", value, "--write", "--as-of", AS_OF, "--json")
    assert proc.returncode == 2 and proc.stdout == b""
    assert f"人数应为正整数，收到“{value}”" in proc.stderr.decode("utf-8")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


# ---- --dry-run: byte-identical, no backup; without it the same run does write -------------------

DRY_RUN_ARGS = {**{c: opts for c, (opts, _p, _l) in JOBS.items()}}


def test_dry_run_is_offered_only_where_it_is_honoured():
    # demo makes a new workbook, schedule runs jobs for real, consolidate writes a new group file
    assert offers("--dry-run") == set(DRY_RUN_ARGS)


@pytest.mark.parametrize("command", list(DRY_RUN_ARGS))
def test_dry_run_leaves_the_file_byte_identical(demo_base, tmp_path, command):
    path = copy_of(demo_base, tmp_path)
    before = path.read_bytes()
    for extra in ([], ["--json"]):
        proc = run_cli(command, path, *DRY_RUN_ARGS[command], "--as-of", AS_OF, "--dry-run", *extra)
        assert proc.returncode in (0, 1), proc.stderr.decode("utf-8")
        assert path.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == [path.name]
    proc = run_cli(command, path, *DRY_RUN_ARGS[command], "--as-of", AS_OF)  # the real run writes
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8")
    assert path.read_bytes() != before
    documents = {"report": ["台账_2026-10_月度职工思想动态分析报告.docx"], "forms": [f"台账_诉求承办单_{AS_OF}.docx"],
                 "notice": ["台账_2026-10_诉求答复公示.docx"], "minutes": ["台账_HT2026-053_慧谈纪要.docx"]}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["台账.bak.xlsx", "台账.xlsx"]
                                                                + documents.get(command, []))
    assert (tmp_path / "台账.bak.xlsx").read_bytes() == before


# ---- --json on the commands that do not work on one register ------------------------------------

def test_demo_json_is_one_object(tmp_path):
    folder = tmp_path / "演示"
    code, out, text = run_json("demo", folder, runner=huitan)  # the real command, in its own process
    assert code == 0
    assert list(out)[:6] == ["command", "workbook", "as_of", "period", "counts", "findings"]
    assert (out["command"], out["workbook"], out["as_of"]) == ("demo", str(folder / "示例矿井台账.xlsx"), AS_OF)
    assert out["counts"]["errors"] == 11  # the planted errors (tests/test_demo.py lists them)
    for f in out["findings"]:
        check_finding(f)


def test_consolidate_json_is_one_object(demo_base, tmp_path):
    folder = tmp_path / "各矿台账"
    folder.mkdir()
    copy_of(demo_base, folder, "东山煤矿.xlsx")
    out_path = tmp_path / "集团汇总.xlsx"
    code, out, _ = run_json("consolidate", folder, "-o", out_path, "--as-of", AS_OF)
    assert code == 0
    assert list(out)[:6] == ["command", "workbook", "as_of", "period", "counts", "findings"]
    assert (out["command"], out["workbook"], out["as_of"], out["period"]) == ("consolidate", str(out_path), AS_OF,
                                                                               "2026")
    assert (out["counts"]["mines"], out["counts"]["errors"]) == (1, 11)


def test_json_is_offered_where_it_is_tested():
    assert offers("--json") == set(JOBS) | {"demo", "consolidate", "export"}  # export: tests/test_export.py


# ---- every command in --help and in README.md ------------------------------------------------------

def test_every_command_is_listed_in_help_and_readme():
    assert set(subparsers()) == ALL_COMMANDS
    proc = run_cli("--help")
    assert proc.returncode == 0
    help_text = proc.stdout.decode("utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [c for c in sorted(ALL_COMMANDS) if not re.search(rf"^\s+{c}\b", help_text, re.M)] == []
    assert [c for c in sorted(ALL_COMMANDS) if f"huitan {c} " not in readme] == []


def test_validate_period_labels_match_the_other_commands():
    from datetime import date

    from huitan_xl.pipeline import span_label

    assert span_label((date(2026, 1, 1), date(2026, 12, 31))) == "2026"
    assert span_label((date(2026, 7, 1), date(2026, 9, 30))) == "2026Q3"
    assert span_label((date(2026, 10, 1), date(2026, 10, 31))) == "2026-10"
    assert span_label((date(2026, 1, 1), date(2026, 6, 30))) == "2026-01-01..2026-06-30"
    assert span_label((date.min, date.max)) == "全部"
