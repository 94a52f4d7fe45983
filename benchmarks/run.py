"""`make bench`: huitan's jobs on 1k / 10k / 100k-item registers (and a mine-sized
one), demo-shaped and hard-shaped (hardmine, hard100k: benchmarks/hard_register.py),
timed as whole processes, beside two baselines measured in the same run.

    .venv/bin/python benchmarks/run.py [--sizes 1k,10k,100k,mine,hardmine,clerkmine,hard100k] [--repeat 3]

For every size: the floor (a python-calamine read of the file's 诉求台账 in its own
process), `huitan overdue / validate / deductions / rewards / report` (--as-of
fixed, each on a fresh copy of the register), and the naive baseline (openpyxl
load -> set the state column -> save). Each is a child process, interpreter start
included; the table shows the median wall time, the child's peak memory
(ru_maxrss), the time as a multiple of the floor, the input's size and the size of
the workbook each job wrote. The overdue result is checked with the fidelity probe.
Then the targets, each PASS / FAIL.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from registers import CACHE, CLERK, DEFAULT_SIZES, Size, parse_size, register  # noqa: E402



def _probe_path() -> Path | None:
    """tools/fidelity_probe.py from $HUITAN_CORPUS (the shared/ folder) or ../shared; None if absent."""
    env = os.environ.get("HUITAN_CORPUS")
    for folder in ([Path(env), Path(env).parent] if env else []) + [ROOT.parent / "shared"]:
        if (folder / "tools" / "fidelity_probe.py").is_file():
            return folder / "tools" / "fidelity_probe.py"
    return None


PROBE = _probe_path()
AS_OF = date(2026, 11, 24)
COMMANDS = {
    "overdue": [],
    "validate": [],
    "deductions": ["--period", str(AS_OF.year)],
    "rewards": ["--quarter", f"{AS_OF.year}Q3"],
    "report": ["--month", f"{AS_OF.year}-10"],
}
FLOOR, NAIVE = "floor", "naive"

# targets
OVERDUE_VS_FLOOR = 2.5
PEAK_MB = 400
NAIVE_SPEEDUP = 10
GROWTH = 11
MINE_SECONDS = 1.5
OUT_VS_IN = 1.6  # written workbook vs input, overdue on hard100k
VALIDATE_VS_FLOOR = 3.0


@dataclass
class Timing:
    size: str
    job: str
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    out_bytes: int | None = None  # the written workbook (first run), for jobs that write

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mb) if self.peak_mb else float("nan")

    @property
    def failed(self) -> bool:
        return any(c not in (0, 1) for c in self.exit_codes)  # 1: done, with error findings


TIME = Path("/usr/bin/time")  # GNU time: its child's peak RSS is not inflated by this process


def run_child(argv: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS (MB) and exit code of one child process; stderr tail.
    Peak memory: GNU time's %M when it is installed, else the child's ru_maxrss."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    # A user's Python writes and reuses .pyc files: a PYTHONDONTWRITEBYTECODE inherited from the
    # environment this script runs in would make every child recompile and time that (+0.1 s).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        rss_file = Path(tmp) / "rss"
        use_time = TIME.exists()
        full = [str(TIME), "-f", "%M", "-o", str(rss_file), *argv] if use_time else argv
        with open(Path(tmp) / "out", "wb") as out, open(Path(tmp) / "err", "wb") as err:
            t = time.perf_counter()
            proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=out, stderr=err)
            if hasattr(os, "wait4"):
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = code = os.waitstatus_to_exitcode(status)
                peak = usage.ru_maxrss / 1024  # KiB on Linux
            else:
                code, peak = proc.wait(), float("nan")
            secs = time.perf_counter() - t
        if use_time:
            peak = int(rss_file.read_text().split()[-1]) / 1024
        tail = (Path(tmp) / "err").read_bytes().decode("utf-8", "replace")[-2000:]
    return secs, peak, code, tail


def job_argv(job: str, workbook: Path) -> list[str]:
    if job in (FLOOR, NAIVE):
        return [sys.executable, str(HERE / "children.py"), job, str(workbook)]
    return [sys.executable, "-m", "huitan_xl", job, str(workbook), "--as-of", AS_OF.isoformat(),
            *COMMANDS[job]]


def measure(size: Size, job: str, source: Path, work: Path, repeat: int, log) -> tuple[Timing, Path | None]:
    """Run `job` `repeat` times, each on a fresh copy of `source`; returns the timing and,
    for overdue, the first result file (for the fidelity probe)."""
    timing = Timing(size.label, job)
    kept = None
    for i in range(repeat):
        target = work / f"{job}-{i}{source.suffix}"
        if job != FLOOR:  # the floor only reads: the cached file itself
            shutil.copyfile(source, target)
        secs, peak, code, tail = run_child(job_argv(job, source if job == FLOOR else target), work)
        timing.seconds.append(secs)
        timing.peak_mb.append(peak)
        timing.exit_codes.append(code)
        if code not in (0, 1):
            log(f"  !! {job} on {size.label} exited {code}:\n{tail}")
        if job not in (FLOOR, NAIVE) and timing.out_bytes is None and target.exists():
            timing.out_bytes = target.stat().st_size
        if job == "overdue" and kept is None:
            kept = target
        elif job != FLOOR:
            target.unlink(missing_ok=True)
    return timing, kept


def probe(before: Path, after: Path) -> tuple[int | None, str]:
    if PROBE is None:
        return None, "fidelity_probe.py not found (set HUITAN_CORPUS to the shared/ folder)"
    proc = subprocess.run([sys.executable, str(PROBE), str(before), str(after)], capture_output=True)
    text = proc.stdout.decode("utf-8", "replace")
    losses = [line for line in text.splitlines() if "LOSS" in line]
    return proc.returncode, "; ".join(losses[:5])


def fmt_row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.rjust(w) if i > 1 else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))


def table(timings: dict[tuple[str, str], Timing], sizes: list[Size], fidelity: dict[str, tuple[int, str]],
          inputs: dict[str, int] | None = None) -> list[str]:
    headers = ["size", "job", "median s", "runs", "peak MB", "x floor", "exit", "in MB", "out MB", "out/in"]
    rows = []
    inputs = inputs or {}
    for size in sizes:
        floor = timings[(size.label, FLOOR)].median
        size_in = inputs.get(size.label)
        for job in [FLOOR, *COMMANDS, NAIVE]:
            t = timings.get((size.label, job))
            if t is None:
                continue
            out = t.out_bytes
            rows.append([f"{size.label} ({size.items:,} items / {size.employees:,} roster, {size.shape})", job,
                         f"{t.median:.3f}", str(len(t.seconds)), f"{t.peak:.0f}", f"{t.median / floor:.2f}",
                         ",".join(sorted(set(map(str, t.exit_codes)))),
                         f"{size_in / 1e6:.1f}" if size_in and job == FLOOR else "",
                         f"{out / 1e6:.1f}" if out else "", f"{out / size_in:.2f}" if out and size_in else ""])
        code, _ = fidelity.get(size.label, (None, ""))
        rows.append(["", "fidelity probe", "", "", "", "", "n/a" if code is None else str(code), "", "", ""])
    widths = [max(len(r[i]) for r in rows + [headers]) for i in range(len(headers))]
    out = [fmt_row(headers, widths), fmt_row(["-" * w for w in widths], widths)]
    out += [fmt_row(r, widths) for r in rows]
    return out


def targets(timings: dict[tuple[str, str], Timing], sizes: list[Size],
            fidelity: dict[str, tuple[int, str]], inputs: dict[str, int] | None = None
            ) -> list[tuple[str, str, str]]:
    """(PASS / FAIL / n/a, target, measured)."""
    labels = {s.label for s in sizes}
    inputs = inputs or {}
    res = []

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    def vs_floor(label: str, job: str, limit: float) -> None:
        """job on `label` within `limit` times the calamine read, and its peak memory."""
        t, floor = timings[(label, job)], timings[(label, FLOOR)]
        ratio = t.median / floor.median
        res.append((verdict(ratio <= limit and not t.failed), f"{job} on {label} <= {limit}x the calamine read",
                    f"{t.median:.2f}s / {floor.median:.2f}s = {ratio:.2f}x"))
        res.append((verdict(t.peak <= PEAK_MB), f"{job} on {label} peak memory <= {PEAK_MB} MB",
                    f"{t.peak:.0f} MB"))

    if "100k" in labels:
        vs_floor("100k", "overdue", OVERDUE_VS_FLOOR)
        over, naive = timings[("100k", "overdue")], timings[("100k", NAIVE)]
        speed = naive.median / over.median
        res.append((verdict(speed >= NAIVE_SPEEDUP), f"overdue on 100k >= {NAIVE_SPEEDUP}x faster than openpyxl",
                    f"{naive.median:.1f}s / {over.median:.2f}s = {speed:.1f}x"))
    else:
        res.append(("n/a", "overdue on 100k vs floor, memory, naive", "100k not run"))
    if "hard100k" in labels:
        vs_floor("hard100k", "overdue", OVERDUE_VS_FLOOR)
        over = timings[("hard100k", "overdue")]
        size_in = inputs.get("hard100k")
        if over.out_bytes and size_in:
            res.append((verdict(over.out_bytes <= OUT_VS_IN * size_in),
                        f"overdue on hard100k: written workbook <= {OUT_VS_IN}x the input",
                        f"{over.out_bytes / 1e6:.1f} MB / {size_in / 1e6:.1f} MB = {over.out_bytes / size_in:.2f}x"))
        vs_floor("hard100k", "validate", VALIDATE_VS_FLOOR)
    if {"10k", "100k"} <= labels:
        for job in COMMANDS:
            big, small = timings[("100k", job)].median, timings[("10k", job)].median
            res.append((verdict(big <= GROWTH * small), f"{job}: 100k <= {GROWTH}x 10k",
                        f"{big:.2f}s / {small:.2f}s = {big / small:.1f}x"))
    else:
        res.append(("n/a", f"growth 100k <= {GROWTH}x 10k", "10k and 100k not both run"))
    mines = [m for m in ("mine", "hardmine", "clerkmine") if m in labels]
    for mine in mines:
        for job in COMMANDS:
            t = timings.get((mine, job))
            if t is None:  # rewards on clerkmine: her register keeps no 合理化建议
                continue
            res.append((verdict(t.median < MINE_SECONDS and not t.failed),
                         f"{job} on {mine} (5,000 tickets, 3,000 roster) < {MINE_SECONDS}s", f"{t.median:.2f}s"))
    if not mines:
        res.append(("n/a", f"every command on a mine-sized workbook < {MINE_SECONDS}s", "mine not run"))
    for size in sizes:
        code, losses = fidelity[size.label]
        if code is None:
            res.append(("n/a", f"fidelity probe on the overdue result ({size.label}) exits 0", losses))
            continue
        res.append((verdict(code == 0), f"fidelity probe on the overdue result ({size.label}) exits 0",
                    f"exit {code}" + (f": {losses}" if losses else "")))
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=",".join(DEFAULT_SIZES),
                    help="comma-separated: 1k,10k,100k,mine or numbers of items, optionally prefixed "
                         "with hard (default: all)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per job (naive at 100k: 1)")
    ap.add_argument("--cache", type=Path, default=CACHE, help="where generated registers are kept")
    ap.add_argument("--jobs", default=",".join([FLOOR, *COMMANDS, NAIVE]), help="subset of jobs to time")
    args = ap.parse_args(argv)
    args.cache = args.cache.resolve()  # the floor child runs in a temporary folder
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    jobs = [j for j in [FLOOR, *COMMANDS, NAIVE] if j in args.jobs.split(",")]
    if FLOOR not in jobs:
        jobs.insert(0, FLOOR)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    print(f"huitan-xl benchmark {datetime.now():%Y-%m-%d %H:%M} — Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {platform.platform()}; as of {AS_OF}; median of {args.repeat} runs")
    timings: dict[tuple[str, str], Timing] = {}
    fidelity: dict[str, tuple[int, str]] = {}
    inputs: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="huitan-bench-") as tmp:
        work = Path(tmp)
        for size in sizes:
            source = register(size, AS_OF, args.cache, log)
            inputs[size.label] = source.stat().st_size
            for job in jobs:
                if size.shape == CLERK and job in (NAIVE, "rewards"):
                    continue  # naive expects the template's header row; her register keeps no 合理化建议
                repeat = 1 if (job == NAIVE and size.items >= 100_000) else args.repeat
                log(f"{size.label}: {job} x{repeat}")
                timing, kept = measure(size, job, source, work, repeat, log)
                timings[(size.label, job)] = timing
                if kept is not None:
                    fidelity[size.label] = probe(source, kept)
                    kept.unlink(missing_ok=True)
                for p in work.iterdir():  # backups the jobs left beside their copies
                    p.unlink()
            fidelity.setdefault(size.label, (None, "overdue not run"))
    print()
    try:
        load = "load average %.1f / %.1f / %.1f" % os.getloadavg()
    except OSError:
        load = "load average n/a"
    print(f"machine while running: {load}")
    for line in table(timings, sizes, fidelity, inputs):
        print(line)
    print()
    print("Targets:")
    verdicts = targets(timings, sizes, fidelity, inputs) if set(COMMANDS) <= set(jobs) and NAIVE in jobs else []
    for v, what, got in verdicts:
        print(f"  [{v}] {what}: {got}")
    results = {"as_of": AS_OF.isoformat(), "when": datetime.now().isoformat(timespec="seconds"),
               "cpus": os.cpu_count(), "timings": [asdict(t) | {"median": t.median} for t in timings.values()],
               "fidelity": fidelity, "targets": verdicts, "input_bytes": inputs}
    args.cache.mkdir(parents=True, exist_ok=True)
    (args.cache / "last-results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    return 1 if any(t.failed for t in timings.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
