"""One list-splitting rule (convert.split_list) for every cell that holds several names:
提出人, 邀请科室/到会科室, 选人单位, 承办部门 (R08), 关键词, 通知邮箱."""
from datetime import date

import pytest

from _selection_helpers import D, I, make_regs
from huitan_xl import notify
from huitan_xl.convert import split_list, to_list
from huitan_xl.rules.integrity import check_records
from huitan_xl.settings import Settings


@pytest.mark.parametrize("text, parts", [
    ("张三、李四", ("张三", "李四")),
    ("张三,李四，王五", ("张三", "李四", "王五")),
    ("机电科;通风区；运输队", ("机电科", "通风区", "运输队")),
    ("机电科/通风区／运输队", ("机电科", "通风区", "运输队")),
    ("  张三   李四\n王五 ", ("张三", "李四", "王五")),
    ("张三、、 ,李四", ("张三", "李四")),  # empty parts dropped
    ("张三", ("张三",)),
    ("", ()),
    (None, ()),
])
def test_split_list(text, parts):
    assert split_list(text) == parts


def test_cells_take_the_same_rule():
    assert to_list(" 张三、李四 ") == ("张三", "李四") and to_list(None) == ()
    t = notify.targets(Settings(notify_email="a@mine.cn；b@mine.cn、c@mine.cn d@mine.cn"), {})
    assert t.emails == ("a@mine.cn", "b@mine.cn", "c@mine.cn", "d@mine.cn")


def test_two_departments_separated_by_a_space_are_both_known():
    """承办部门 "机电科 通风区" names two known departments: no R08; one unknown part is R08."""
    regs = make_regs(departments=[D("机电科"), D("通风区")],
                     items=[I("T-1", sid="", department="机电科 通风区"), I("T-2", sid="", department="机电科、运输队")])
    found = [(f.code, f.row, f.value) for f in check_records(regs)]
    assert found == [("R08", 3, "机电科、运输队")]


@pytest.mark.parametrize("text, ids", [
    ("SQ2026-0012,SQ2026-0013", ["SQ2026-0012", "SQ2026-0013"]),
    ("2026/015、2026/016 SQ-3", ["2026/015", "2026/016", "SQ-3"]),  # a 编号 may hold a /
    ("SQ-1；SQ-2;SQ-3，SQ-4", ["SQ-1", "SQ-2", "SQ-3", "SQ-4"]),
    (" ", None),
])
def test_ids_split_on_everything_but_the_slash(text, ids):
    from huitan_xl.jobs import parse_ids

    assert parse_ids(text) == ids


def test_forms_by_an_id_with_a_slash(tmp_path):
    from conftest import huitan
    from documents_register import make_register
    from openpyxl import load_workbook

    path = make_register(tmp_path / "台账.xlsx")
    wb = load_workbook(path)
    ws = wb["诉求台账"]
    ws["A4"] = "2026/015"  # 编号 of the third item
    wb.save(path)
    proc = huitan("forms", path, "--ids", "2026/015", "--as-of", "2026-11-24", "--dry-run")
    text = proc.stdout.decode("utf-8")
    assert "按编号选取 1 件" in text and "没有编号" not in text, text
