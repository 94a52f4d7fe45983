"""What staff wrote in the 月度分析 sheet's write-in boxes, read back for the Word report.

The sheet (reports/monthly_sheet.py) ends with two labelled boxes: 「十、思想分析（由党群办填写）」
and 「十一、应对举措（由党群办填写）」, each a merged area below its label. Staff type their
analysis there; the Word report carries it into 四、原因分析 and 五、对策建议. The text is taken
only from a 月度分析 sheet built for the same month (its title in cell A1 — the mine's name,
then 「2026年10月职工思想动态分析报告」 — names the month), so last month's words never land
in this month's report.
"""
from __future__ import annotations

from pathlib import Path

BOXES = {"思想分析": "思想分析（由党群办填写）", "应对举措": "应对举措（由党群办填写）"}
SIGN_PREFIX = "制表："  # the 制表 / 审核 / 日期 line under the second box ends it


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def analysis_texts(grid: list[list], title: str) -> dict[str, str]:
    """{'思想分析': text, '应对举措': text} from the sheet's cells (row-major, from A1);
    "" for a box left blank or a sheet built for another month (A1 is not `title`)."""
    out = {key: "" for key in BOXES}
    if not grid or not grid[0] or title not in _text(grid[0][0]):  # A1: [矿井名称]title[（截至…）]
        return out
    labels = {}
    for r, row in enumerate(grid):
        first = _text(row[0]) if row else ""
        for key, label in BOXES.items():
            if first.endswith(label) and key not in labels:
                labels[key] = r
    starts = sorted(labels.values())
    starts += [r for r, row in enumerate(grid) if row and _text(row[0]).startswith(SIGN_PREFIX)
               and r > max(starts, default=len(grid))]
    starts.sort()
    for key, r in labels.items():
        stop = next((s for s in starts if s > r), len(grid))
        lines = [_text(v) for row in grid[r + 1:stop] for v in row if _text(v)]
        out[key] = "\n".join(lines)
    return out


def workbook_analysis_texts(path: Path, sheet: str, title: str, cells=None) -> dict[str, str]:
    """The same, read from the workbook file (python-calamine) — or from `cells` (a sheet's
    cells by name: the workbook open in Excel, with what staff typed and did not save yet);
    blanks when the sheet is absent."""
    from ..read import sheet_cells

    grid = (cells or (lambda name: sheet_cells(path, name)))(sheet)
    return analysis_texts(grid or [], title)


def monthly_sheet_texts(regs, month, cells=None) -> dict[str, str]:
    """The boxes of the 月度分析 sheet in the workbook `regs` was read from (`cells`: the
    workbook open in Excel; default: its file), for the sheet that replaces it (so what staff
    wrote survives every rerun of `report`): blanks when there is no file, no such sheet, or
    the sheet is another month's."""
    from .. import schema

    path = getattr(regs, "path", None)
    if cells is None and (not path or not Path(path).is_file()):
        return analysis_texts([], "")
    return workbook_analysis_texts(Path(path or ""), schema.MONTHLY_SHEET, f"{month.title}职工思想动态分析报告",
                                   cells)
