"""Benchmark registers: mine workbooks of a given size and shape, cached by size, shape,
seed and the generators' source (benchmarks/.cache/, gitignored).

Three shapes: the demo generator's register ("100k"), the hard one ("hard100k",
benchmarks/hard_register.py: every row a ticket over two years, long contents, many
overdue and unsatisfactory) and the demo's tickets kept the way a clerk keeps them
("clerkmine", huitan_xl/demo_clerk.py: her headers on a sheet named 2026年, a title, merged
慧谈日期, dates in her spellings, 5个工作日, a 合计 and a 注 row, her own 状态 column)."""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(__file__).resolve().parent / ".cache"
SEED = 2026


@dataclass(frozen=True)
class Size:
    label: str  # as given on the command line: 1k, 10k, 100k, mine, 200 ...
    items: int  # 诉求台账 rows (tickets and items answered on the spot)
    employees: int  # 职工名册 rows
    shape: str = "demo"  # "demo" or "hard"

    @property
    def sessions(self) -> int:  # about ten items per session, as in a mine's year
        return max(12, self.items // 10)

    @property
    def suggestions(self) -> int:
        return max(10, self.items // 20)


NAMED = {
    "1k": Size("1k", 1_000, 1_000),
    "10k": Size("10k", 10_000, 5_000),
    "100k": Size("100k", 100_000, 20_000),
    "mine": Size("mine", 5_000, 3_000),  # a large mine: 5,000 tickets, 3,000 on the roster
}
DEFAULT_SIZES = ["1k", "10k", "100k", "mine", "hardmine", "clerkmine", "hard100k"]
HARD = "hard"
CLERK = "clerk"


def parse_size(text: str) -> Size:
    """1k / 10k / 100k / mine, or a number of items (200, 2k, 50000): roster = items / 5, at
    least 200; with the prefix "hard" (hard100k, hardmine, hard200) the hard shape, with
    "clerk" (clerkmine, clerk2k) the clerk-kept one."""
    text = text.strip().lower()
    for shape in (HARD, CLERK):
        if text.startswith(shape):
            base = parse_size(text[len(shape):])
            return Size(text, base.items, base.employees, shape)
    if text in NAMED:
        return NAMED[text]
    m = re.fullmatch(r"(\d+)(k?)", text)
    if not m:
        raise ValueError(f"unknown size {text!r}: use 1k, 10k, 100k, mine or a number of items, "
                         f"optionally prefixed with hard")
    items = int(m.group(1)) * (1000 if m.group(2) else 1)
    return Size(text, max(30, items), max(200, items // 5))


def _source_hash(shape: str = "demo") -> str:
    h = hashlib.sha256()
    pkg = ROOT / "huitan_xl"
    for p in sorted(pkg.glob("demo*.py")) + [pkg / "template.py"]:  # the generator, however it is split
        if p.exists():
            h.update(p.read_bytes())
    if shape == HARD:
        h.update((Path(__file__).resolve().parent / "hard_register.py").read_bytes())
    return h.hexdigest()[:10]


def cache_path(size: Size, as_of: date, cache: Path = CACHE) -> Path:
    return cache / (f"{_stem(size)}-seed{SEED}-{as_of.isoformat()}-{_source_hash(size.shape)}.xlsx")


def _stem(size: Size) -> str:
    shape = "" if size.shape == "demo" else f"{size.shape}-"
    return f"register-{shape}{size.items}i-{size.employees}e-{size.sessions}s"


def generate_register(size: Size, as_of: date, path: Path) -> Path:
    """Generate the register for `size` at `path` (in this process)."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from huitan_xl.demo import DemoSize, generate, write_demo_workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("tmp-" + path.name)
    if size.shape == HARD:
        from hard_register import generate_hard_register

        generate_hard_register(size.items, size.employees, size.sessions, size.suggestions, as_of, tmp, SEED)
    else:
        data = generate(DemoSize(employees=size.employees, sessions=size.sessions, items=size.items,
                                 suggestions=size.suggestions, year=as_of.year), seed=SEED, as_of=as_of)
        if size.shape == CLERK:
            from huitan_xl.demo_clerk import write_clerk_register

            write_clerk_register(tmp, data)
        else:
            write_demo_workbook(tmp, data)
    tmp.replace(path)
    return path


def register(size: Size, as_of: date, cache: Path = CACHE, log=print) -> Path:
    """The cached demo register for `size`, generated on first use in a child process
    (so the benchmark's own process stays small: a child inherits its memory high-water
    mark into ru_maxrss)."""
    path = cache_path(size, as_of, cache)
    if not path.exists():
        for stale in cache.glob(f"{_stem(size)}-*.xlsx"):
            stale.unlink()  # made by an older generator
        log(f"generating {path.name} ...")
        subprocess.run([sys.executable, __file__, size.label, as_of.isoformat(), str(path)], check=True)
    return path


if __name__ == "__main__":
    label, as_of, out = sys.argv[1:4]
    generate_register(parse_size(label), date.fromisoformat(as_of), Path(out))
