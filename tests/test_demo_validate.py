"""`huitan validate` on the demo workbook: exactly the planted errors; draft sessions
written by `suggest-attendees --write` break no selection rule."""
from __future__ import annotations

import json
import shutil
from datetime import date

import openpyxl
import pytest

from conftest import huitan
from huitan_xl import schema
from huitan_xl.demo import generate, write_demo_workbook
from huitan_xl.write import Workbook

AS_OF = date(2026, 11, 24)
DRAFT_DAY = "2026-12-01"
LEVELS = [name for _code, name, _role, _units in schema.LEVEL_TABLE]
KEY_COLUMNS = {schema.ITEMS: ["编号"], schema.SESSIONS: ["场次编号"], schema.ROSTER: ["工号"],
               schema.ATTENDANCE: ["场次编号", "工号"]}
SELECTION = {f"S{n:02d}" for n in range(1, 12)}  # S01–S11: the per-session rules


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = generate(as_of=AS_OF)
    path = write_demo_workbook(tmp_path_factory.mktemp("demo") / "示例矿井台账.xlsx", data)
    return data, path


def validate(path) -> tuple[int, dict]:
    proc = huitan("validate", path, "--as-of", AS_OF.isoformat(), "--json", "--dry-run")
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8")
    return proc.returncode, json.loads(proc.stdout.decode("utf-8"))


def keys_by_row(path) -> dict[tuple[str, int], str]:
    """(sheet, Excel row) -> the record's key as DemoData.planted writes it, read from the file."""
    wb = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for sheet, cols in KEY_COLUMNS.items():
        rows = wb[sheet].iter_rows(values_only=True)
        header = list(next(rows))
        idx = [header.index(c) for c in cols]
        for n, r in enumerate(rows, start=2):
            if any(r[i] is not None for i in idx):
                out[(sheet, n)] = "/".join(str(r[i]) for i in idx)
    return out


def test_validate_finds_exactly_the_planted_errors(demo):
    data, path = demo
    code, out = validate(path)
    assert code == 1
    keys = keys_by_row(path)
    errors = [f for f in out["findings"] if f["severity"] == "error"]
    found = sorted((f["code"], f["sheet"], keys[(f["sheet"], f["row"])]) for f in errors)
    planted = sorted((p.code, p.sheet, p.key) for p in data.planted if p.code)
    assert found == planted
    assert len(errors) == len(planted) == out["counts"]["errors"] == 11
    # each message names its record, so it can be found without the row number
    for f in errors:
        assert all(part in f["message"] for part in keys[(f["sheet"], f["row"])].split("/")), f
    # and the column the planted error sits in
    assert sorted((f["code"], f["column"]) for f in errors) == sorted((p.code, p.column) for p in data.planted
                                                                     if p.code)


def test_the_formula_like_text_is_not_a_finding(demo):
    data, path = demo
    [trap] = [p for p in data.planted if p.code == ""]
    keys = keys_by_row(path)
    _, out = validate(path)
    assert [f for f in out["findings"] if keys.get((f["sheet"], f["row"])) == trap.key] == []


# ---- suggested attendees, written as drafts, pass the selection rules ------------------------------

def fill_review_dates(path, review_day: date) -> list[str]:
    """What the level's lead does with a draft: review the list and date it (S05).
    Returns the draft session numbers."""
    ws = openpyxl.load_workbook(path, read_only=True)[schema.SESSIONS]
    rows = ws.iter_rows(values_only=True)
    header = list(next(rows))
    sid, reviewed = header.index("场次编号"), header.index("审核日期")
    drafts = {n: r[sid] for n, r in enumerate(rows, start=2) if str(r[sid] or "").startswith("草稿-")}
    wb = Workbook.open(path)
    wb.set_cells(schema.SESSIONS, {(n, reviewed + 1): review_day for n in drafts})
    wb.save(backup=False)
    return list(drafts.values())


@pytest.fixture(scope="module")
def drafted(demo, tmp_path_factory):
    _, base = demo
    _, before = validate(base)
    path = tmp_path_factory.mktemp("drafts") / "台账.xlsx"
    shutil.copy(base, path)
    for level in LEVELS:
        proc = huitan("suggest-attendees", path, "--level", level, "--date", DRAFT_DAY, "--write",
                      "--as-of", AS_OF.isoformat())
        assert proc.returncode in (0, 1), proc.stderr.decode("utf-8")
    _, unreviewed = validate(path)
    drafts = fill_review_dates(path, date(2026, 11, 30))
    _, after = validate(path)
    return path, drafts, before, unreviewed, after


def test_every_level_gets_a_draft_session(drafted):
    path, drafts, *_ = drafted
    assert drafts == [f"草稿-L{n}-20261201" for n in range(1, 9)]
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = wb[schema.ATTENDANCE].iter_rows(values_only=True)
    header = list(next(rows))
    per_draft = {}
    for r in rows:
        sid = r[header.index("场次编号")]
        if sid in drafts:
            per_draft.setdefault(sid, []).append(r[header.index("工号")])
    assert set(per_draft) == set(drafts)
    assert all(2 <= len(ids) <= 10 and len(set(ids)) == len(ids) for ids in per_draft.values())


def test_an_unreviewed_draft_is_s05_only(drafted):
    """A draft has 审核日期 blank until its lead reviews it: S05 says so, nothing else does."""
    _, drafts, before, unreviewed, _ = drafted
    new = [f for f in unreviewed["findings"] if f not in before["findings"]]
    assert sorted((f["code"], f["sheet"], f["column"], f["message"].split("未填写")[0]) for f in new) == sorted(
        ("S05", schema.SESSIONS, "审核日期", f"场次{sid}") for sid in drafts)


def test_reviewed_drafts_add_no_selection_finding(drafted):
    _, drafts, before, _, after = drafted
    new = [f for f in after["findings"] if f not in before["findings"]]
    assert [f for f in new if f["code"] in SELECTION] == []
    assert [f for f in after["findings"] if any(sid in f["message"] for sid in drafts)] == []
    assert after["counts"]["errors"] == before["counts"]["errors"] == 11
