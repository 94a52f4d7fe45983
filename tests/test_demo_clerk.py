"""The clerk-kept variant of the demo reads to the same ticket states as the template-kept demo."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from huitan_xl import demo, demo_clerk, schema
from huitan_xl.pipeline import plan_overdue
from huitan_xl.read import STRICT_SHEETS, read_workbook

AS_OF = date(2026, 11, 24)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clerk")
    data = demo.generate(demo.DemoSize(employees=200, sessions=40, items=160, suggestions=20), as_of=AS_OF)
    template = demo.write_demo_workbook(folder / "template.xlsx", data)
    clerk = demo_clerk.write_clerk_register(folder / "clerk.xlsx", data)
    return data, template, clerk


def statuses(path):
    regs = read_workbook(path, strict=STRICT_SHEETS)
    result, _ = plan_overdue(regs, AS_OF)
    return regs, {t.item_id: (t.state, t.deadline, t.days_overdue) for t in result.tickets}


def test_clerk_variant_has_her_layout(both):
    _data, _template, clerk = both
    ws = openpyxl.load_workbook(clerk)[demo_clerk.SHEET]
    assert ws["A1"].value == "2026年八级慧谈诉求台账" and ws["A2"].value.startswith("填报单位")
    assert [c.value for c in ws[3]] == demo_clerk.HEADERS
    assert any(str(r).startswith("C") and ":" in str(r) for r in ws.merged_cells.ranges)  # 慧谈日期 merged
    texts = [c.value for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, str)]
    assert any(t.endswith("个工作日") for t in texts) and any(t.endswith("日前") for t in texts)
    assert any(t.startswith("合计") for t in texts) and any(t.startswith("注：") for t in texts)


def test_clerk_variant_reads_to_the_same_states_as_the_template_demo(both):
    _data, template, clerk = both
    _regs, expected = statuses(template)
    regs, got = statuses(clerk)
    assert len(got) == len(expected) > 50
    assert got == expected
    info = regs.reading[schema.ITEMS]
    assert regs.located[schema.ITEMS] == demo_clerk.SHEET and regs.located_by[schema.ITEMS] == "表头"
    assert set(info.skipped) == {"合计行", "注释行"}
    assert "状态" in info.unmapped  # her own 状态 column is hers


def test_overdue_on_the_clerk_variant_leaves_her_state_and_shows_the_deadlines(both, tmp_path):
    """Her 状态 column (待解决 / 已解决) is never written: the tool's 状态（系统） | 应答复日期 |
    逾期天数 | 督办提示 go to the right of her table; 应答复日期 holds the deadline each state was
    computed from — the template demo's, ticket by ticket; her cells are as they were."""
    import shutil

    from clerk_books import cells_of
    from conftest import assert_fidelity, run_cli

    _data, template, clerk = both
    path = tmp_path / "clerk.xlsx"
    shutil.copy(clerk, path)
    before = cells_of(path)[demo_clerk.SHEET]
    assert run_cli("overdue", path, "--as-of", AS_OF.isoformat()).returncode in (0, 1)
    ws = openpyxl.load_workbook(path)[demo_clerk.SHEET]
    heads = [c.value for c in ws[3]]
    n = len(demo_clerk.HEADERS)
    assert heads[:n] == demo_clerk.HEADERS
    assert heads[n:n + 4] == ["状态（系统）", "应答复日期", "逾期天数", "督办提示"]
    _regs, expected = statuses(template)
    got = {}
    for r in range(4, ws.max_row + 1):
        key = ws.cell(r, 2).value  # 诉求编号
        if key in expected:
            due = ws.cell(r, n + 2).value
            got[key] = (ws.cell(r, n + 1).value, due.date() if due else None, ws.cell(r, n + 3).value)
    assert got == {k: (str(s), d, days) for k, (s, d, days) in expected.items()}
    hers = {k: v for k, v in cells_of(path)[demo_clerk.SHEET].items()
            if openpyxl.utils.column_index_from_string(k.rstrip("0123456789")) <= n}
    assert hers == before
    assert_fidelity(clerk, path)
