"""Chart images for the Word documents (matplotlib, Agg), with a CJK font found here.

Charts are drawn on matplotlib's Figure with the Agg canvas, imported when the first chart is
drawn (documents/chart_worker.py may draw them in a second process). A chart is drawn only when
a font that has Chinese glyphs is installed (Noto Sans CJK,
Source Han Sans, Microsoft YaHei, SimHei, …, found through matplotlib.font_manager);
without one — or without matplotlib — `cjk_font()` is None and no image is made: the
tables beside each chart carry the same numbers, so nothing is lost but the picture.
"""
from __future__ import annotations

import functools
import io
from typing import Sequence

# family names with Chinese glyphs, best first (sans for charts)
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei",
                "PingFang SC", "WenQuanYi Micro Hei", "Noto Serif CJK SC", "SimSun")
BAR_COLOR = "#4472C4"


@functools.lru_cache(maxsize=1)
def _font_files() -> dict[str, str] | None:
    """Family name -> file of every font matplotlib's font manager lists (the first file of a
    family), or None without matplotlib. Looked up once per process."""
    try:
        from matplotlib import font_manager
    except ImportError:
        return None
    by_name: dict[str, str] = {}
    for f in font_manager.fontManager.ttflist:
        by_name.setdefault(f.name, f.fname)
    return by_name


def installed_fonts() -> frozenset[str]:
    """Family names of the fonts installed here (empty without matplotlib)."""
    return frozenset(_font_files() or ())


def warm_up() -> frozenset[str]:
    """What drawing needs, imported and looked up now (chart_worker's first task in its
    process); returns installed_fonts()."""
    if cjk_font() is not None:
        import matplotlib.backends.backend_agg  # noqa: F401
        import matplotlib.figure  # noqa: F401
    return installed_fonts()


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The path of an installed font with Chinese glyphs, or None."""
    by_name = _font_files()
    if by_name is None:
        return None
    for family in CJK_FAMILIES:
        if family in by_name:
            return by_name[family]
    for name, path in sorted(by_name.items()):  # any other CJK family matplotlib knows
        if "CJK" in name or "Hei" in name or "Song" in name:
            return path
    return None


def _figure(width_in: float, height_in: float):
    """A Figure on its own Agg canvas (never pyplot: no global figure state, no GUI backend)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=150)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def bar_chart(title: str, labels: Sequence[str], values: Sequence[int], unit: str = "件") -> bytes | None:
    """Horizontal bars, one per label, the count written at each bar's end; None when no
    CJK font (or matplotlib) is available or there is nothing to draw."""
    path = cjk_font()
    if path is None or not labels or not any(values):
        return None
    from matplotlib.font_manager import FontProperties

    fp = FontProperties(fname=path, size=10)
    n = len(labels)
    fig = _figure(6.2, max(1.6, 0.38 * n + 0.9))
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(n))[::-1]
    ax.barh(ys, values, color=BAR_COLOR, height=0.6)
    ax.set_yticks(ys)
    ax.set_yticklabels(list(labels), fontproperties=fp)
    top = max(values) or 1
    for y, v in zip(ys, values):
        ax.text(v + top * 0.01, y, f"{v}", va="center", fontproperties=fp)
    ax.set_xlim(0, top * 1.15)
    ax.set_title(title, fontproperties=FontProperties(fname=path, size=12))
    ax.set_xlabel(unit, fontproperties=fp)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return _png(fig)


def line_chart(title: str, labels: Sequence[str], values: Sequence[int], unit: str = "件") -> bytes | None:
    """One line over months (labels like 2026-10), the value at each point."""
    path = cjk_font()
    if path is None or not labels:
        return None
    from matplotlib.font_manager import FontProperties

    fp = FontProperties(fname=path, size=9)
    fig = _figure(6.2, 2.4)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(labels)))
    ax.plot(xs, values, marker="o", color=BAR_COLOR)
    for x, v in zip(xs, values):
        ax.annotate(f"{v}", (x, v), textcoords="offset points", xytext=(0, 5), ha="center", fontproperties=fp)
    ax.set_xticks(xs)
    ax.set_xticklabels([label[2:] if len(label) == 7 else label for label in labels], fontproperties=fp)
    ax.set_title(title, fontproperties=FontProperties(fname=path, size=12))
    ax.set_ylabel(unit, fontproperties=fp)
    ax.set_ylim(0, (max(values) if values else 0) * 1.25 + 1)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
