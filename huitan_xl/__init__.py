"""huitan-xl: Excel register automation for the 八级慧谈 employee-dialogue process.

The library face: one function per job of the job table (huitan_xl.jobs.JOBS), each
running the same core as the command line and returning the typed JobResult::

    import huitan_xl as hx
    result = hx.overdue("台账.xlsx", as_of=date(2026, 11, 24), dry_run=True)
    result.counts, result.tickets, result.findings, result.exit_code
    hx.deductions("台账.xlsx", period="2026Q3")
    hx.suggest_attendees("台账.xlsx", level="班组长", n=8)
    hx.frames("台账.xlsx", as_of=date(2026, 11, 24))["诉求台账"]   # pandas DataFrames, for analysts

Keywords: as_of (default: today in China Standard Time), now, period (a label such as
2026-10 / 2026Q3 / 2026; default: the job's last complete period), dry_run, password,
and the job's options. The functions are made from the job table on first use, so
`import huitan_xl` stays light.
"""

__version__ = "0.1.0"


def _job_function(job):
    from datetime import date, datetime
    from pathlib import Path

    def run(path: "str | Path", *, as_of: "date | None" = None, now: "datetime | None" = None,
            period: "str | None" = None, dry_run: bool = False, password: "str | None" = None, **options):
        from .clock import now_cst
        from .jobs import run_job

        now = now or now_cst()
        return run_job(job.name, Path(path), as_of=as_of or now.date(), now=now, period=period,
                       dry_run=dry_run, password=password, **options)

    run.__name__ = run.__qualname__ = job.function_name
    run.__module__ = __name__
    options = "".join(f"\n      {o.name}: {o.help}" for o in job.options)
    run.__doc__ = (f"{job.title}: {job.summary}. Runs `huitan {job.name}` on the workbook at `path`"
                   f" and returns its JobResult." + (f"\n    Options:{options}" if options else ""))
    return run


def frames(path, *, as_of=None, password=None):
    """The registers of the workbook at `path` as pandas DataFrames keyed by sheet name, with
    what the jobs compute for `as_of` (default: today in China Standard Time): 诉求台账 with
    状态, 应答复日期, 逾期天数, 逾期工作日, 督办提示, 扣分; 合理化建议 with 奖励金额 / 奖励季度;
    the 考核扣分 ledger and 校验结果. Nothing is written (see huitan_xl.dataframes)."""
    from .clock import now_cst
    from .dataframes import frames as tables

    return tables(path, as_of=as_of or now_cst().date(), password=password)


def _job_names() -> list[str]:
    from .jobs import JOBS

    return [job.function_name for job in JOBS.values()]


def __getattr__(name: str):
    from pathlib import Path

    here = Path(__file__).parent
    if name.startswith("_") or (here / f"{name}.py").exists() or (here / name).is_dir():
        # a submodule being imported (`from huitan_xl import schema`): not a job
        raise AttributeError(f"module 'huitan_xl' has no attribute {name!r}")
    from .jobs import JOBS

    for job in JOBS.values():
        if job.function_name == name:
            fn = _job_function(job)
            globals()[name] = fn
            return fn
    raise AttributeError(f"module 'huitan_xl' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_job_names()))
