"""Group consolidation: every mine workbook in a folder -> one NEW group workbook.

Each mine is read and computed with the same core as the per-mine jobs
(pipeline.plan_overdue / plan_validate / plan_deductions / plan_rewards), in
parallel across cores; the group workbook is built with write.Workbook.new().

Figures per mine, as of `as_of` (decided here, shown on the sheet):
  * 承办单 / 逾期未答复 / 逾期答复 / 通报: every ticket in the register, as
    `huitan overdue` counts them;
  * 按期答复率 / 问题解决率 / 职工满意率: as_of's year up to as_of with the monthly
    report's definitions (the tickets due in it whose deadline had passed; satisfaction
    of the items dated in it);
  * 考核扣分: the year's deduction ledger up to as_of (`huitan deductions --period YYYY`);
  * 奖励金额: the payouts of the year's quarters that have ended by as_of
    (`huitan rewards --quarter YYYYQn`, summed);
  * 覆盖率: as `huitan validate` (覆盖周期 setting, default the calendar year);
  * 错误 / 警告: the findings of `huitan validate`.
"""
from __future__ import annotations

import os
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

from . import schema
from .errors import WorkbookUnusable
from .findings import ERROR, finding
from .model import Hint, Ratio, Registers, TicketState

# finding codes of this family (findings.FAMILIES): code -> (severity, short Chinese title)
CODES = {
    "G01": (ERROR, "矿井工作簿无法读取"),
}

MINE_SUFFIXES = (".xlsx", ".xlsm")
# spreadsheet names whose content decides (an .xlsx saved as 东山.xls is read; a real .xls or
# .et is listed as unreadable with the 另存为 advice, never skipped without a word)
SPREADSHEET_SUFFIXES = MINE_SUFFIXES + (".xls", ".et", ".ett", ".xlt", ".ods")


@dataclass(frozen=True)
class MineFigures:
    """One mine's figures (see the module docstring for what each counts)."""

    items: int
    tickets: int
    overdue_open: int  # 逾期未答复
    overdue_replied: int  # 逾期答复
    reported: int  # 督办提示 = 通报
    on_time: Ratio  # 按期答复率
    resolved: Ratio  # 问题解决率
    satisfied: Ratio  # 职工满意率
    deduction_points: int  # negative or 0
    deduction_events: int
    rewards_paid: int  # yuan
    covered: int
    active: int
    errors: int
    warnings: int
    error_codes: tuple[tuple[str, int], ...]  # error findings per code, by code

    @property
    def coverage(self) -> Ratio:
        return Ratio(self.covered, self.active)


@dataclass(frozen=True)
class Mine:
    file: Path
    name: str  # as shown on the group sheets (distinguished when two mines share a name)
    figures: MineFigures | None
    unreadable: str = ""  # the reason, when the workbook could not be used
    rank: int = 0


# ---- the per-mine core (pure: Registers -> figures) ------------------------------

def ended_quarters(as_of: date) -> list:
    from .periods import quarter

    return [q for q in (quarter(as_of.year, n) for n in range(1, 5)) if q.end <= as_of]


def mine_figures(regs: Registers, as_of: date) -> MineFigures:
    """A mine's figures from its registers, with the per-mine jobs' own plan functions."""
    from . import pipeline
    from .reports.monthly import period_figures, session_index, status_lookup

    overdue, _ = pipeline.plan_overdue(regs, as_of)
    validated, _ = pipeline.plan_validate(regs, as_of)
    year = str(as_of.year)
    ded, _ = pipeline.plan_deductions(regs, year, as_of)
    paid = 0
    for q in ended_quarters(as_of):
        rew, _ = pipeline.plan_rewards(regs, q.label, as_of)
        paid += rew.counts["amount"]

    # overdue.tickets are the statuses of every ticket: all the rates look up
    fig = period_figures(regs, status_lookup(overdue.tickets), session_index(regs), year,
                         date(as_of.year, 1, 1), as_of, as_of)
    states = overdue.counts
    errors = [f for f in validated.findings if f.severity == ERROR]
    cov = validated.extra["coverage"]
    return MineFigures(
        items=len(regs.items), tickets=len(overdue.tickets),
        overdue_open=states.get(TicketState.OVERDUE_OPEN, 0), overdue_replied=states.get(TicketState.LATE, 0),
        reported=sum(1 for t in overdue.tickets if t.hint == Hint.REPORT),
        on_time=Ratio(fig.on_time.numerator, fig.on_time.denominator),
        resolved=Ratio(fig.resolved.numerator, fig.resolved.denominator),
        satisfied=Ratio(fig.satisfied.numerator, fig.satisfied.denominator),
        deduction_points=ded.counts["points"], deduction_events=ded.counts["events"],
        rewards_paid=paid,
        covered=sum(c["covered"] for c in cov), active=sum(c["active"] for c in cov),
        errors=len(errors), warnings=len(validated.findings) - len(errors),
        error_codes=tuple(sorted(Counter(f.code for f in errors).items())),
    )


def read_mine(path: Path, as_of: date, password: str | None = None
              ) -> tuple[Path, str, MineFigures | None, str]:
    """(file, name from 说明 or "", figures, "") or (file, "", None, reason). Runs in a
    worker process: a workbook that cannot be used is reported, never raised. An
    encrypted one is decrypted in memory with the folder's one `password`."""
    from .read import read_workbook
    from .xlsx import encryption

    try:
        with encryption.unlocked(path, password):
            regs = read_workbook(path, sheets=None, required=[schema.ITEMS])
            figures = mine_figures(regs, as_of)
            from .read import readme_mine_name

            name = readme_mine_name(path)
    except WorkbookUnusable as exc:
        return path, "", None, exc.message
    except Exception as exc:  # one broken workbook must not stop the group
        return path, "", None, f"{type(exc).__name__}: {exc}"
    return path, name, figures, ""


# ---- folder -> mines -----------------------------------------------------------

def mine_files(folder: Path, out: Path | None = None) -> list[Path]:
    """Mine workbooks in `folder`: every spreadsheet name (*.xlsx / *.xlsm, and *.xls / *.et /
    *.ods, whose content decides whether they can be read), without ~$ lock files, *.bak.*
    backups, NAME.huitan.xlsx companions and the output itself; sorted by name."""
    skip = out.resolve() if out is not None else None
    files = []
    for p in sorted(Path(folder).iterdir()):
        if not p.is_file() or p.suffix.lower() not in SPREADSHEET_SUFFIXES:
            continue
        if p.name.startswith("~$") or ".bak." in p.name or p.name.endswith(".huitan.xlsx"):
            continue
        if skip is not None and p.resolve() == skip:
            continue
        files.append(p)
    return files


def name_mines(results: list[tuple[Path, str, MineFigures | None, str]]) -> list[Mine]:
    """Name each mine (说明's 矿井名称, else the file stem); a name two files share
    becomes 名称（文件名）."""
    names = [name or path.stem for path, name, _, _ in results]
    twice = {n for n, k in Counter(names).items() if k > 1}
    return [Mine(path, f"{n}（{path.name}）" if n in twice else n, figures, reason)
            for n, (path, _, figures, reason) in zip(names, results)]


def _merit(m: Mine) -> tuple:
    """Smaller is better: on-time, resolution and satisfaction rates (higher first,
    none last), then fewer open overdue tickets, then fewer points deducted."""
    f = m.figures

    def rate(r: Ratio) -> tuple:
        return (1, Fraction(0)) if r.value is None else (0, -r.value)

    return (rate(f.on_time), rate(f.resolved), rate(f.satisfied), f.overdue_open, -f.deduction_points)


def rank_mines(mines: list[Mine]) -> list[Mine]:
    """Readable mines ranked by _merit (equal merit, equal rank), then the unreadable ones."""
    good = sorted((m for m in mines if m.figures is not None), key=lambda m: (_merit(m), m.name))
    out, prev, rank = [], None, 0
    for i, m in enumerate(good, 1):
        if _merit(m) != prev:
            rank, prev = i, _merit(m)
        out.append(replace(m, rank=rank))
    return out + sorted((m for m in mines if m.figures is None), key=lambda m: m.name)


def _compute(files: list[Path], as_of: date, progress: bool, password: str | None = None) -> list:
    show = progress and sys.stdout.isatty()
    results: dict[Path, tuple] = {}
    bar = task = None
    if show:
        from rich.progress import Progress

        bar = Progress(transient=False)
        bar.start()
        task = bar.add_task("汇总各矿台账", total=len(files))
    try:
        if len(files) == 1:
            results[files[0]] = read_mine(files[0], as_of, password)
            if bar is not None:
                bar.advance(task)
        else:
            workers = min(os.cpu_count() or 1, len(files))
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(read_mine, p, as_of, password) for p in files]
                for fut in as_completed(futures):
                    r = fut.result()
                    results[r[0]] = r
                    if bar is not None:
                        bar.advance(task)
    finally:
        if bar is not None:
            bar.stop()
    return [results[p] for p in files]


def consolidate(folder: Path, out: Path, as_of: date, now: datetime, progress: bool = True,
                password: str | None = None):
    """Consolidate every mine workbook in `folder` into the new group workbook `out`.
    An empty folder (or a missing one) is not a usable input: WorkbookUnusable."""
    from .pipeline import JobResult
    from .reports.group_sheets import errors_builder, summary_builder
    from .write import Workbook

    folder, out = Path(folder), Path(out)
    if not folder.is_dir():
        raise WorkbookUnusable(f"找不到存放各矿台账的文件夹「{folder}」，请检查路径。")
    files = mine_files(folder, out)
    if not files:
        raise WorkbookUnusable(f"文件夹「{folder}」中没有矿井台账工作簿（.xlsx / .xlsm），"
                               f"请把各矿的台账放进这个文件夹后再汇总。")
    mines = rank_mines(name_mines(_compute(files, as_of, progress, password)))

    # figures of a mine read with the folder's password stay behind it: the group workbook is
    # encrypted with the same password (never a plaintext copy of an encrypted register)
    from .xlsx import encryption

    sealed = bool(password) and any(encryption.is_encrypted(f) for f in files)
    wb = Workbook.new(password=password if sealed else None)
    wb.put_sheet(GROUP_SHEET, summary_builder(mines, as_of, now))
    wb.put_sheet(GROUP_ERRORS_SHEET, errors_builder(mines))
    out.parent.mkdir(parents=True, exist_ok=True)
    saved = wb.save(out)

    good = [m for m in mines if m.figures is not None]
    broken = [m for m in mines if m.figures is None]
    findings = [finding("G01", "", None, "", m.file.name,
                        f"矿井工作簿「{m.file.name}」无法读取：{m.unreadable.rstrip('。')}；其余矿井已汇总，"
                        f"请修复该文件后重新汇总。") for m in broken]
    counts = {"mines": len(mines), "unreadable": len(broken),
              "tickets": sum(m.figures.tickets for m in good),
              "overdue": sum(m.figures.overdue_open for m in good),
              "points": sum(m.figures.deduction_points for m in good),
              "rewards": sum(m.figures.rewards_paid for m in good),
              "errors": sum(m.figures.errors for m in good)}
    result = JobResult("consolidate", out, as_of, period=str(as_of.year), counts=counts,
                       findings=findings, saved=saved)
    result.extra["mines"] = [mine_json(m) for m in mines]
    result.lines = [f"集团汇总：{len(mines)} 个矿井（无法读取 {len(broken)} 个），承办单 {counts['tickets']} 件，"
                    f"逾期未答复 {counts['overdue']} 件，考核扣分 {counts['points']} 分，"
                    f"奖励 {counts['rewards']} 元。"]
    result.lines += [f"  第{m.rank}名 {m.name}" for m in good[:10]]
    result.lines += [f"  {m.name}：无法读取：{m.unreadable}" for m in broken]
    if sealed:
        result.lines.append("  集团汇总工作簿已用同一打开密码加密（因为有加密的矿井台账）。")
    return result


def mine_json(m: Mine) -> dict:
    out = {"file": m.file.name, "name": m.name, "rank": m.rank or None, "unreadable": m.unreadable or None}
    f = m.figures
    if f is not None:
        def ratio(r: Ratio) -> list[int]:
            return [r.numerator, r.denominator]

        out.update(items=f.items, tickets=f.tickets, overdue_open=f.overdue_open,
                   overdue_replied=f.overdue_replied, reported=f.reported, on_time=ratio(f.on_time),
                   resolved=ratio(f.resolved), satisfied=ratio(f.satisfied), points=f.deduction_points,
                   deduction_events=f.deduction_events, rewards=f.rewards_paid, covered=f.covered,
                   active=f.active, errors=f.errors, warnings=f.warnings, error_codes=dict(f.error_codes))
    return out


GROUP_SHEET = "集团汇总"
GROUP_ERRORS_SHEET = "各矿校验"

# ---- demo mines ------------------------------------------------------------------
