"""The benchmark runs end to end at a tiny size and prints its table (not a timed test)."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import HAVE_CORPUS, ROOT

JOBS = ["floor", "overdue", "validate", "deductions", "rewards", "report", "naive"]


def test_benchmark_runs_at_a_tiny_size_and_prints_the_table(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "200", "--repeat", "1",
                           "--cache", str(tmp_path)], capture_output=True, timeout=600)
    out = proc.stdout.decode("utf-8")
    print(out)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("size "))
    assert lines[header].split() == ["size", "job", "median", "s", "runs", "peak", "MB", "x", "floor", "exit"]
    rows = [line.split() for line in lines[header + 2:header + 2 + len(JOBS)]]
    assert [r[6] for r in rows] == JOBS  # "200 (200 items / 200 roster) JOB ..."
    assert [r[-4] for r in rows] == ["1"] * len(JOBS)  # one run each
    assert rows[0][-2] == "1.00"  # the floor is its own unit
    assert rows[0][-1] == rows[-1][-1] == "0"
    assert {r[-1] for r in rows[1:-1]} <= {"0", "1"}  # 1: done, with error findings (the demo plants some)
    probed = "0" if HAVE_CORPUS else "n/a"  # a fresh clone has no fidelity probe beside it
    assert lines[header + 2 + len(JOBS)].split() == ["fidelity", "probe", probed]
    targets = lines[lines.index("Targets:") + 1:]
    assert [t.split("]")[0] for t in targets] == ["  [n/a", "  [n/a", "  [n/a", "  [PASS" if HAVE_CORPUS else "  [n/a"]
    assert "fidelity probe on the overdue result (200) exits 0" in targets[-1]
    saved = json.loads((tmp_path / "last-results.json").read_text("utf-8"))
    assert [(t["job"], len(t["seconds"])) for t in saved["timings"]] == [(j, 1) for j in JOBS]
    assert len(list(tmp_path.glob("register-200i-*.xlsx"))) == 1  # the register is cached
