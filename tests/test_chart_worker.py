"""documents/chart_worker.py: the Word report drawn with the chart worker is the report drawn
in this process, byte for byte (same charts, same fonts); a worker that fails is replaced by
drawing here."""
from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from report_registers import COVERAGE, october_registers

pytest.importorskip("docx")
pytest.importorskip("matplotlib")


def report_bytes() -> bytes:
    from huitan_xl.documents.monthly_doc import monthly_document
    from huitan_xl.reports.monthly import month_span, monthly_report

    regs, statuses = october_registers()
    rep = monthly_report(regs, statuses, month_span(2026, 10), COVERAGE)
    return monthly_document(rep, mine="赵楼煤矿", issuer="赵楼煤矿党群办", day=rep.end).to_bytes()


def parts(data: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(BytesIO(data))
    return {n: z.read(n) for n in z.namelist() if n.startswith("word/")}


def test_the_worker_draws_what_this_process_draws():
    from huitan_xl.documents import chart_worker, charts

    here = parts(report_bytes())
    chart_worker.start()
    try:
        assert chart_worker.font_names() == charts.installed_fonts()
        there = parts(report_bytes())
    finally:
        chart_worker.stop()
    assert there == here
    assert len([n for n in here if n.startswith("word/media/")]) == (3 if charts.cjk_font() else 0)  # 承办部门, 近12个月, 主题


def test_a_broken_worker_is_replaced_by_drawing_here(monkeypatch):
    from huitan_xl.documents import chart_worker, charts

    here = parts(report_bytes())

    class Broken:
        def submit(self, *args):
            raise RuntimeError("the worker process is gone")

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(chart_worker, "_worker", Broken())
    assert chart_worker.request("bar", "标题", ["甲"], [1])() == charts.bar_chart("标题", ["甲"], [1])
    assert parts(report_bytes()) == here
    chart_worker.stop()
    assert chart_worker._worker is None and chart_worker.font_names() is None
