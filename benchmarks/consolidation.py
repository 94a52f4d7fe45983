"""Group consolidation benchmark (issue 13): `huitan consolidate` over 100 mine workbooks of
1,000 tickets each, wall time including start-up, against the 60 s target.

    python benchmarks/consolidation.py [--mines 100] [--items 1000] [--cache DIR]

The mines (demo generator, one seed per mine) are generated once into the cache, keyed
by the count, the size and the generators' source, and reused by later runs."""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from registers import CACHE, _source_hash  # noqa: E402

AS_OF = date(2026, 11, 24)
TARGET_SECONDS = 60.0


def mines_folder(mines: int, items: int, cache: Path) -> Path:
    """The cached folder of `mines` demo mines with `items` 诉求台账 rows each."""
    folder = cache / f"mines-{mines}x{items}-{AS_OF.isoformat()}-{_source_hash()}"
    done = folder / ".complete"
    if not done.exists():
        from huitan_xl.demo_run import make_mines
        from huitan_xl.demo import DemoSize

        size = DemoSize(employees=max(400, items // 2), sessions=max(12, items // 10), items=items,
                        suggestions=max(10, items // 20), year=AS_OF.year)
        print(f"generating {mines} mines x {items} items into {folder} ...", file=sys.stderr, flush=True)
        make_mines(folder, mines, AS_OF, size=size)
        done.write_text("ok", "utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mines", type=int, default=100)
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--cache", type=Path, default=CACHE)
    args = ap.parse_args(argv)
    folder = mines_folder(args.mines, args.items, args.cache.resolve())
    with tempfile.TemporaryDirectory(prefix="huitan-group-") as tmp:
        out = Path(tmp) / "集团汇总.xlsx"
        cmd = [sys.executable, "-m", "huitan_xl.cli", "consolidate", str(folder), "-o", str(out),
               "--as-of", AS_OF.isoformat()]
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace")
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size = out.stat().st_size / 1e6 if out.exists() else 0.0
    load = "load average %.1f / %.1f / %.1f" % os.getloadavg()
    verdict = "PASS" if proc.returncode in (0, 1) and seconds <= TARGET_SECONDS else "FAIL"
    print(f"consolidate {args.mines} mines x {args.items} items: {seconds:.1f} s wall, peak {peak:.0f} MB "
          f"(largest process), exit {proc.returncode}, output {size:.2f} MB; {load}")
    print(f"[{verdict}] consolidation <= {TARGET_SECONDS:.0f} s")
    if proc.returncode not in (0, 1):
        print(proc.stderr[-2000:], file=sys.stderr)
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
