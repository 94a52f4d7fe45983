"""The benchmark runs end to end at a tiny size, demo-shaped and hard-shaped, and prints
its table (not a timed test)."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from conftest import HAVE_CORPUS, ROOT

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out; `make test` runs all

JOBS = ["floor", "overdue", "validate", "deductions", "rewards", "report", "naive"]
HARD_COLUMNS = ["编号", "场次编号", "提出人工号", "提出人", "类别", "内容", "承办部门", "承办负责人", "督办员", "交办日期",
                "答复时限", "答复日期", "答复意见", "公示日期", "职工满意度", "是否解决", "是否落实"]


def test_benchmark_runs_at_a_tiny_size_and_prints_the_table(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "200,hard200",
                           "--repeat", "1", "--cache", str(tmp_path)], capture_output=True, timeout=900)
    out = proc.stdout.decode("utf-8")
    print(out)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("size "))
    assert lines[header].split() == ["size", "job", "median", "s", "runs", "peak", "MB", "x", "floor", "exit",
                                     "in", "MB", "out", "MB", "out/in"]
    assert lines[header - 1].startswith("machine while running: load average")
    probed = "0" if HAVE_CORPUS else "n/a"  # a fresh clone has no fidelity probe beside it
    body = lines[header + 2:header + 2 + 2 * (len(JOBS) + 1)]
    for shape, block in (("demo", body[:len(JOBS) + 1]), ("hard", body[len(JOBS) + 1:])):
        assert [r.split(")")[1].split()[0] for r in block[:-1]] == JOBS
        assert all(f"items / 200 roster, {shape})" in r for r in block[:-1])
        assert block[-1].split() == ["fidelity", "probe", probed]
    targets = lines[lines.index("Targets:") + 1:]
    verdict = "  [PASS" if HAVE_CORPUS else "  [n/a"
    assert [t.split("]")[0] for t in targets] == ["  [n/a", "  [n/a", "  [n/a", verdict, verdict]
    assert "fidelity probe on the overdue result (hard200)" in targets[-1]
    saved = json.loads((tmp_path / "last-results.json").read_text("utf-8"))
    assert [(t["size"], t["job"], len(t["seconds"])) for t in saved["timings"]] == \
        [(s, j, 1) for s in ("200", "hard200") for j in JOBS]
    assert {t["size"]: t["median"] for t in saved["timings"] if t["job"] == "floor"}.keys() == {"200", "hard200"}
    writes = {(t["size"], t["job"]): t["out_bytes"] for t in saved["timings"]}
    assert all(writes[(s, j)] > 0 for s in ("200", "hard200") for j in JOBS[1:-1])  # every job wrote a workbook
    assert writes[("200", "floor")] is None
    assert len(list(tmp_path.glob("register-200i-*.xlsx"))) == 1  # the registers are cached
    hard = list(tmp_path.glob("register-hard-200i-*.xlsx"))
    assert len(hard) == 1 and saved["input_bytes"]["hard200"] == hard[0].stat().st_size
    with CalamineWorkbook.from_path(str(hard[0])) as wb:
        rows = wb.get_sheet_by_name("诉求台账").to_python()
    assert rows[0] == HARD_COLUMNS and len(rows) == 201
    contents = [r[5] for r in rows[1:]]
    assert all(20 <= len(c) <= 100 for c in contents)
    assert zipfile.ZipFile(hard[0]).testzip() is None
