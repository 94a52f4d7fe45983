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
