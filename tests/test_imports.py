"""Start-up cost (issue 13): a job imports only the libraries it uses. Each command runs in a
fresh interpreter on a small register and reports which heavy libraries ended up loaded.

The weekly and quarterly jobs write sheets (XlsxWriter) and nothing else heavy: no pandas
(the library face only), no matplotlib / python-docx (the Word documents), no rapidfuzz /
numpy (recurring requests, in the monthly report), no openpyxl (tests and the baseline).
The monthly report's charts are drawn by the chart worker (documents/chart_worker.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from documents_register import make_register

HEAVY = ["pandas", "matplotlib", "matplotlib.pyplot", "docx", "rapidfuzz", "numpy", "openpyxl", "xlsxwriter"]
PROBE = """
import json, sys
from huitan_xl import cli
code = None
if len(sys.argv) > 1:
    code = cli.main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": [m for m in %r if m in sys.modules]}))
""" % HEAVY


def loaded(*argv: str) -> tuple[int | None, list[str]]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    out = json.loads(proc.stdout.decode("utf-8").strip().splitlines()[-1])
    return out["code"], out["loaded"]


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    return make_register(tmp_path_factory.mktemp("imports") / "台账.xlsx")


def test_the_command_line_alone_loads_no_heavy_library_but_xlsxwriter():
    assert loaded() == (None, ["xlsxwriter"])


@pytest.mark.parametrize("job, period", [("overdue", []), ("validate", []), ("deductions", ["--period", "2026Q3"]),
                                         ("rewards", ["--quarter", "2026Q3"])])
def test_weekly_and_quarterly_jobs_load_only_xlsxwriter(register, job, period):
    code, libs = loaded(job, str(register), "--as-of", "2026-11-05", "--json", *period)
    assert code in (0, 1)
    assert libs == ["xlsxwriter"]


def test_the_monthly_report_leaves_matplotlib_to_the_chart_worker(register):
    """matplotlib is imported (Figure on the Agg canvas, never pyplot) by the chart worker
    process only; the document still carries the charts it drew."""
    pytest.importorskip("matplotlib")
    import zipfile

    from huitan_xl.documents.charts import cjk_font

    code, libs = loaded("report", str(register), "--as-of", "2026-11-05", "--month", "2026-10", "--json")
    assert code in (0, 1)
    assert libs == ["docx", "rapidfuzz", "numpy", "xlsxwriter"]
    doc = register.with_name("台账_2026-10_月度职工思想动态分析报告.docx")
    media = [n for n in zipfile.ZipFile(doc).namelist() if n.startswith("word/media/")]
    assert len(media) == (3 if cjk_font() else 0)  # 承办部门, 近12个月, 主题
