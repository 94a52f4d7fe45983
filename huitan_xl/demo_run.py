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


def run_demo(folder: Path, as_of: date, now: datetime, mines: int = 1) -> int:
    from . import pipeline

    folder = Path(folder)
    path = build_demo_workbook(folder, as_of)
    print(f"示例矿井台账已生成：{path.resolve()}（基准日期 {as_of.isoformat()}）")
    from .periods import previous_month, previous_quarter

    month, quarter, year = previous_month(as_of).label, previous_quarter(as_of).label, str(as_of.year)
    jobs = [
        ("校验（validate）", lambda: pipeline.validate(path, as_of, now)),
        ("每周督办（overdue）", lambda: pipeline.overdue(path, as_of, now)),
        (f"考核扣分（deductions --period {year}）", lambda: pipeline.deductions(path, year, as_of, now)),
        (f"季度奖励（rewards --quarter {quarter}）", lambda: pipeline.rewards(path, quarter, as_of, now)),
        (f"月度分析（report --month {month}）", lambda: pipeline.report(path, month, as_of, now)),
        (f"年度考核（assess --year {year}）", lambda: pipeline.assess(path, year, as_of, now)),
    ]
    if mines > 1:
        from .consolidate import consolidate, make_mines

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
