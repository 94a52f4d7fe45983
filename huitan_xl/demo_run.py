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
    for title, job in [("每周督办（overdue）", lambda: pipeline.overdue(path, as_of, now))]:
        result = job()
        print(f"\n== {title} ==")
        for line in result.lines:
            print(line)
        errors = sum(1 for f in result.findings if f.severity == "error")
        if result.findings:
            print(f"发现问题 {len(result.findings)} 条（错误 {errors} 条），详见工作簿。")
    print(f"\n请用 Excel 打开 {path.resolve()} 查看结果。")
    return 0
