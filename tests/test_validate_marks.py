"""validate marks offending cells where the clerk works, and the marks go once fixed."""
from __future__ import annotations

import openpyxl

from conftest import huitan, type_rows
from huitan_xl import schema

ROWS = [
    {"编号": "T-1", "类别": "职工诉求", "现场答复": "否", "承办部门": "机电科", "交办日期": "2026-11-02",
     "答复日期": "2026-13-45"},
    {"编号": "T-2", "类别": "职工诉求", "现场答复": "否", "承办部门": "机电科", "交办日期": "2026-11-03"},
]


def _marks(path):
    ws = openpyxl.load_workbook(path)["诉求台账"]
    header = [c.value for c in ws[1]]
    col = header.index("校验提示")
    notes = {r[0].row: r[col].value for r in ws.iter_rows(min_row=2) if r[0].value}
    rules = [(str(rng.sqref), [f for r in rules for f in r.formula]) for rng, rules in ws.conditional_formatting._cf_rules.items()]
    return header, notes, rules


def test_bad_cell_is_marked_then_unmarked_when_fixed(tmp_path):
    path = tmp_path / "台账.xlsx"
    assert huitan("init", path).returncode == 0
    type_rows(path, schema.ITEMS, ROWS)
    proc = huitan("validate", path, "--as-of", "2026-11-24")
    assert proc.returncode == 1  # R01 is an error
    header, notes, rules = _marks(path)
    assert header[-1] == "校验提示" and len(header) == 31
    assert notes == {2: "R01「答复日期」日期无法识别", 3: None}
    # column AE holds the notes; the rule highlights the cell whose header is named there
    assert rules == [("A2:AE3", ['AND($AE2<>"",ISNUMBER(SEARCH("「"&A$1&"」",$AE2)))'])]

    type_rows(path, schema.ITEMS, [dict(ROWS[0], 答复日期="2026-11-05", 公示日期="2026-11-06"), ROWS[1]])
    assert huitan("validate", path, "--as-of", "2026-11-24").returncode == 0
    header, notes, rules = _marks(path)
    assert notes == {2: None, 3: None}
    assert len(rules) == 1  # the same rule, not a second one
