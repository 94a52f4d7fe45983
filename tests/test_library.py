"""The library face: `import huitan_xl as hx; hx.<job>(path, ...)` for every job of the
job table, returning the same JobResult as the command line."""
from __future__ import annotations

from datetime import date, datetime

import pytest

import huitan_xl as hx
from conftest import type_rows
from huitan_xl import schema
from huitan_xl.jobs import JOBS
from huitan_xl.pipeline import JobResult
from huitan_xl.template import init_workbook

AS_OF = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, 0)


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "台账.xlsx"
    init_workbook(path)
    type_rows(path, schema.DEPARTMENTS, [{"部门": "机电科", "负责人": "沈伟", "类型": "职能科室"}])
    type_rows(path, schema.ITEMS, [{"编号": "T-1", "类别": "职工诉求", "现场答复": "否", "承办部门": "机电科",
                                    "督办员": "王督办", "交办日期": date(2026, 11, 2), "答复时限": date(2026, 11, 6)}])
    return path


def test_every_job_is_a_documented_function():
    for job in JOBS.values():
        fn = getattr(hx, job.function_name)
        assert fn.__name__ == job.function_name and job.title in fn.__doc__
        assert job.function_name in dir(hx)
    with pytest.raises(AttributeError):
        hx.no_such_job  # noqa: B018


def test_overdue_returns_the_typed_result(small):
    before = small.read_bytes()
    r = hx.overdue(str(small), as_of=AS_OF, now=NOW, dry_run=True)
    assert isinstance(r, JobResult)
    # T-1: due Fri 2026-11-06, open on 11-24: 18 days overdue (as the CLI contract test counts)
    assert [(t.item_id, t.state, t.deadline, t.days_overdue) for t in r.tickets] == [
        ("T-1", "逾期未答复", date(2026, 11, 6), 18)]
    assert small.read_bytes() == before


def test_a_period_job_with_and_without_a_period(small):
    assert hx.deductions(small, as_of=AS_OF, now=NOW, period="2026-11", dry_run=True).counts == {
        "events": 1, "points": -2, "by_code": {"D01": 1}}
    assert hx.deductions(small, as_of=AS_OF, now=NOW, dry_run=True).period == "2026Q3"  # the last complete quarter


def test_writing_through_the_library(small):
    r = hx.overdue(small, as_of=AS_OF, now=NOW)
    assert r.saved is not None and r.saved.path == small
    assert small.with_name("台账.bak.xlsx").exists()
