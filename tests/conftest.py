"""Shared test helpers: run the real command, type rows into a register like a clerk."""
from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def find_shared() -> Path | None:
    """The folder holding the real-Excel and WPS corpora and the fidelity probe: $HUITAN_CORPUS
    (that folder, or its excel-corpus/ inside it), else ../shared beside the repository."""
    env = os.environ.get("HUITAN_CORPUS")
    candidates = [Path(env), Path(env).parent] if env else []
    for folder in candidates + [ROOT.parent / "shared"]:
        if (folder / "tools" / "fidelity_probe.py").is_file() and (folder / "excel-corpus").is_dir():
            return folder
    return None


SHARED = find_shared()
HAVE_CORPUS = SHARED is not None
SHARED = SHARED or ROOT.parent / "shared"
CORPUS = SHARED / "excel-corpus"
WPS_CORPUS = SHARED / "wps-corpus"
PROBE = SHARED / "tools" / "fidelity_probe.py"
NO_CORPUS = ("needs the real-Excel/WPS corpora and tools/fidelity_probe.py, which are not in this clone: "
             "set HUITAN_CORPUS to the project's shared/ folder (it holds excel-corpus/, wps-corpus/ and "
             "tools/), or put that folder beside the repository as ../shared (CI does)")
needs_corpus = pytest.mark.skipif(not HAVE_CORPUS, reason=NO_CORPUS)


def assert_fidelity(before: Path, after: Path) -> None:
    """`fidelity_probe.py BEFORE AFTER` exits 0; skips with NO_CORPUS where the probe is absent
    (a fresh clone). Call it last: a skip ends the test."""
    if not PROBE.exists():
        pytest.skip(NO_CORPUS)
    probe = subprocess.run([sys.executable, str(PROBE), str(before), str(after)], capture_output=True)
    assert probe.returncode == 0, probe.stdout.decode("utf-8", "replace")


def corpus_files(kind: str = "excel") -> list:
    """The corpus workbooks, for parametrize; one skipped parameter (with the reason) when absent."""
    folder = {"excel": CORPUS, "wps": WPS_CORPUS}[kind]
    files = sorted(folder.glob("*.xls*")) if HAVE_CORPUS else []
    return files or [pytest.param(None, marks=pytest.mark.skip(reason=NO_CORPUS), id=f"no-{kind}-corpus")]


def huitan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real `huitan` command (as `python -m huitan_xl`) and capture UTF-8 output."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "huitan_xl", *map(str, args)], capture_output=True,
                          cwd=cwd, env=env, timeout=600)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The same command in this process (cli.main), with stdout / stderr captured as UTF-8
    bytes like `huitan` — much faster; a few smoke tests keep the real subprocess."""
    from huitan_xl import cli

    out, err = io.BytesIO(), io.BytesIO()
    streams = io.TextIOWrapper(out, encoding="utf-8", write_through=True), \
        io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = streams
    try:
        with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
            try:
                code = cli.main([str(a) for a in args])
            except SystemExit as e:  # argparse: a usage error
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    finally:
        for stream in streams:
            stream.flush()
        sys.stdout, sys.stderr = saved
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def huitan_json(*args: str) -> tuple[int, dict]:
    proc = huitan(*args, "--json")
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    return proc.returncode, json.loads(proc.stdout.decode("utf-8"))


def type_rows(path: Path, sheet: str, rows: list[dict], header_row: int = 1) -> None:
    """Put records into an input sheet made by `huitan init` (canonical header order),
    as a clerk would type them."""
    from huitan_xl import schema
    from huitan_xl.write import Workbook

    headers = [f.header for f in schema.SHEETS[sheet]]
    cells = {}
    for i, row in enumerate(rows):
        for h, v in row.items():
            cells[(header_row + 1 + i, headers.index(h) + 1)] = v
    wb = Workbook.open(path)
    wb.set_cells(sheet, cells)
    wb.save(backup=False)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture
def d():
    return date


DEMO_AS_OF = date(2026, 11, 24)


@pytest.fixture(scope="session")
def demo_book(tmp_path_factory) -> Path:
    """The demo mine workbook (as of 2026-11-24), built once per test session. Never write
    into it: take `fresh_demo(demo_book, tmp_path_factory)` for a copy of your own."""
    from huitan_xl.demo_run import build_demo_workbook

    return build_demo_workbook(tmp_path_factory.mktemp("demo-book"), as_of=DEMO_AS_OF)


def fresh_demo(demo_book: Path, tmp_path_factory, name: str = "demo") -> Path:
    """A copy of the session's demo workbook in a folder of its own (same file name)."""
    import shutil

    target = tmp_path_factory.mktemp(name) / demo_book.name
    shutil.copy(demo_book, target)
    return target
