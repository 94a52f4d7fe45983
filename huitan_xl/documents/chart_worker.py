"""The Word report's charts drawn in a second process while the report is still being counted.

On a mine-sized register, importing matplotlib (~0.25 s) and drawing the report's three charts
(~0.1 s each) were a third of `huitan report`. The report job calls `start()` before it counts
anything: one worker process (concurrent.futures, as consolidate uses) imports matplotlib at once
and lists the installed fonts. `request(kind, …)` hands it a chart as soon as the figures are
known and returns a function that gives the PNG when the document needs it; `stop()` lets the
worker go. Without a started worker — or when it cannot be started, dies or does not answer —
the chart is drawn in this process, so the document is the same either way (same matplotlib,
same fonts: the same PNG bytes).
"""
from __future__ import annotations

from typing import Callable

from . import charts

ANSWER_S = 120  # seconds to wait for one chart before drawing it here instead
_worker = None  # the ProcessPoolExecutor, while started
_fonts = None  # Future of the worker's charts.warm_up(): the installed fonts' names


def start() -> None:
    """Open the worker (once) and let it import matplotlib now; never raises."""
    global _worker, _fonts
    if _worker is not None:
        return
    try:
        from concurrent.futures import ProcessPoolExecutor

        _worker = ProcessPoolExecutor(max_workers=1)
        _fonts = _worker.submit(charts.warm_up)
    except Exception:  # noqa: BLE001 - no second process here: charts are drawn in this one
        _worker = _fonts = None


def stop() -> None:
    global _worker, _fonts
    if _worker is not None:
        _worker.shutdown(wait=False, cancel_futures=True)
    _worker = _fonts = None


def font_names() -> frozenset[str] | None:
    """The installed fonts' family names as the worker's matplotlib lists them, or None when
    there is no worker (or it failed): the caller lists them itself."""
    if _fonts is None:
        return None
    try:
        return _fonts.result(timeout=ANSWER_S)
    except Exception:  # noqa: BLE001 - a broken worker: the caller asks matplotlib here
        return None


def request(kind: str, *args) -> Callable[[], bytes | None]:
    """Chart `kind` ("bar": charts.bar_chart, "line": charts.line_chart) of `args`, drawn by the
    worker when there is one; the function returned gives its PNG (or None: no chart)."""
    draw = {"bar": charts.bar_chart, "line": charts.line_chart}[kind]
    future = None
    if _worker is not None:
        try:
            future = _worker.submit(draw, *args)
        except Exception:  # noqa: BLE001 - the worker is gone: draw here
            future = None
    if future is None:
        png = draw(*args)
        return lambda: png

    def result() -> bytes | None:
        try:
            return future.result(timeout=ANSWER_S)
        except Exception:  # noqa: BLE001 - died or too slow: the same chart drawn here
            return draw(*args)

    return result
