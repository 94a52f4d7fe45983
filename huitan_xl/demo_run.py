"""`huitan demo [DIR]`: build a sample mine workbook and run every job on it."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

DEMO_NAME = "示例矿井台账.xlsx"


def build_demo_workbook(folder: Path, as_of: date, seed: int = 2026, size=None, name: str = DEMO_NAME) -> Path:
    from .demo import DemoSize, generate, write_demo_workbook

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if path.exists():
        path.unlink()
    data = generate(size or DemoSize(), seed=seed, as_of=as_of)
    write_demo_workbook(path, data)
    return path


def demo_period(job, as_of: date) -> str | None:
    """The period the demo runs a job for: the month and quarter before `as_of`, and
    for year-long figures the year of `as_of` (the demo's register spans it)."""
    from .jobs import ANY
    from .periods import MONTH, QUARTER, YEAR, previous_month, previous_quarter

    if job.period_default is None:
        return None
    return {MONTH: previous_month(as_of).label, QUARTER: previous_quarter(as_of).label,
            YEAR: str(as_of.year)}[YEAR if job.period_kind in (YEAR, ANY) else job.period_kind]


def demo_jobs(as_of: date) -> list[tuple[object, str | None]]:
    """(job, period) for every job of the job table that runs without a required option."""
    from .jobs import JOBS

    return [(job, demo_period(job, as_of)) for job in JOBS.values()
            if job.demo and not any(o.required for o in job.options)]


def run_demo(folder: Path, as_of: date, now: datetime, mines: int = 1) -> int:
    from .jobs import run_job

    folder = Path(folder)
    path = build_demo_workbook(folder, as_of)
    print(f"示例矿井台账已生成：{path.resolve()}（基准日期 {as_of.isoformat()}）")
    jobs = []
    for job, period in demo_jobs(as_of):
        flag = f" --{job.period_flag} {period}" if period else ""
        jobs.append((f"{job.title}（{job.name}{flag}）",
                     lambda job=job, period=period: run_job(job.name, path, as_of=as_of, now=now, period=period)))
    if mines > 1:
        from .consolidate import consolidate

        group = folder / "各矿台账"
        make_mines(group, mines, as_of)
        jobs.append((f"集团汇总（consolidate，{mines} 个矿）",
                     lambda: consolidate(group, folder / "集团汇总.xlsx", as_of, now, progress=False)))
    for title, job in jobs:
        result = job()
        print(f"\n== {title} ==")
        for line in result.lines:
            print(line)
        errors = sum(1 for f in result.findings if f.severity == "error")
        if result.findings:
            print(f"发现问题 {len(result.findings)} 条（错误 {errors} 条），详见工作簿。")
    print(f"\n请用 Excel 打开 {path.resolve()} 查看结果。")
    return 0


# ---- several demo mines, for 集团汇总 (`huitan demo --mines N`, the benchmark) ----------------
MINE_NAMES = ["东山煤矿", "西峰煤矿", "南岭煤矿", "北塬煤矿", "青龙煤矿", "白虎山煤矿", "金鸡岭煤矿", "红石煤矿",
              "黑石沟煤矿", "柳林煤矿", "桃园煤矿", "杨庄煤矿", "李家沟煤矿", "王家岭煤矿", "赵庄煤矿", "新疆哈密煤矿",
              "内蒙古准格尔煤矿", "大佛寺煤矿", "小保当煤矿", "石圪台煤矿"]


def mine_name(i: int) -> str:
    """The i-th demo mine's name (0-based); beyond the list, numbered: 东山煤矿21 ..."""
    base = MINE_NAMES[i % len(MINE_NAMES)]
    n = i // len(MINE_NAMES)
    return base if n == 0 else f"{base.removesuffix('煤矿')}{n + 1}号煤矿"


def make_mines(folder: Path, mines: int, as_of: date, size=None, seed: int = 100) -> list[Path]:
    """Write `mines` demo mine workbooks (different seeds and mine names) into
    `folder`, named <矿井名称>.xlsx; returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [build_demo_workbook(folder, as_of, seed=seed + i, size=size, name=f"{mine_name(i)}.xlsx")
            for i in range(mines)]
