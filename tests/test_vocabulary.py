"""Issue 18: the words clerks use — one test per alias, no two fields sharing a word — and
values as clerks write them, each with a hand-computed reading."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from huitan_xl import columnmap, convert, schema
from huitan_xl.convert import Bad, NoYear, Offset

ALIASES = [(sheet, f.header, alias) for sheet, fields in schema.SHEETS.items() for f in fields
           for alias in f.aliases]


@pytest.mark.parametrize("sheet,header,alias", ALIASES, ids=[f"{s}-{a}" for s, _h, a in ALIASES])
def test_each_alias_maps_to_its_field(sheet, header, alias):
    attr = next(f.attr for f in schema.SHEETS[sheet] if f.header == header)
    m = columnmap.map_columns(["无关的列", alias], sheet)
    assert m.col_of == {attr: 1}
    assert m.unmapped == ["无关的列"]


# the words of the issue, as a register or hotline ledger writes them -> the field's header
SPOKEN = [
    (schema.ITEMS, w, h) for h, words in {
        "编号": ["序号", "诉求编号", "登记编号"],
        "提出人": ["反映人", "诉求人", "留言人"],
        "主题标签": ["问题类别", "诉求类型"],
        "内容": ["反映问题", "问题描述", "诉求内容", "留言详情"],
        "承办部门": ["责任单位", "承办单位", "办理单位", "责任科室"],
        "承办负责人": ["责任人", "承办人", "接收人"],
        "督办员": ["督办人"],
        "交办日期": ["交办时间", "转办日期", "派单日期", "接收时间", "交办日"],
        "答复时限": ["办理时限", "完成时限", "办结时限", "截止时间", "答复期限", "办理期限", "答复时限（工作日）"],
        "答复日期": ["答复时间", "回复日期", "反馈时间", "办结时间"],
        "答复意见": ["办理结果", "办理情况", "答复内容", "解决方案"],
        "职工满意度": ["是否满意", "满意度", "满意程度", "回访结果"],
        "是否解决": ["解决情况"],
        "公示日期": ["公示时间"],
        "慧谈日期": ["慧谈时间"],
        "提出人单位": ["所在单位", "反映人单位", "诉求人单位", "所在部门"],
    }.items() for w in words
] + [
    (schema.ROSTER, w, h) for h, words in {
        "工号": ["员工编号", "职工编号", "人员编号"],
        "单位": ["所属部门", "所属单位", "所在单位"],
        "岗位": ["职位", "职务"],
        "在职状态": ["员工状态", "用工状态"],
    }.items() for w in words
]


@pytest.mark.parametrize("sheet,word,header", SPOKEN, ids=[f"{s}-{w}" for s, w, _h in SPOKEN])
def test_clerk_words_map_to_the_field(sheet, word, header):
    m = columnmap.map_columns([word], sheet)
    assert {f.header for f in schema.SHEETS[sheet] if f.attr in m.col_of} == {header}


@pytest.mark.parametrize("sheet", list(schema.SHEETS))
def test_no_two_fields_share_a_word(sheet):
    seen: dict[str, str] = {}
    for f in schema.SHEETS[sheet]:
        for name in (f.header, *f.aliases):
            s = columnmap.stem(columnmap.header_key(name))
            assert seen.setdefault(s, f.attr) == f.attr, (sheet, name, seen[s], f.attr)


def test_canonical_header_wins_over_alias_and_alias_order_decides():
    m = columnmap.map_columns(["序号", "诉求编号", "编号"], schema.ITEMS)
    assert m.col_of["id"] == 2 and m.unmapped == ["序号", "诉求编号"]
    m = columnmap.map_columns(["序号", "诉求编号"], schema.ITEMS)
    assert m.col_of["id"] == 1 and m.unmapped == ["序号"]


def test_her_state_column_is_not_a_field():
    m = columnmap.map_columns(["编号", "状态", "备注"], schema.ITEMS)
    assert m.col_of == {"id": 0} and m.unmapped == ["状态", "备注"]


# ---- values --------------------------------------------------------------------
@pytest.mark.parametrize("raw,expected", [
    ("2026.9.9", date(2026, 9, 9)), ("2026年9月9日", date(2026, 9, 9)), ("2026/10/14", date(2026, 10, 14)),
    ("20261104", date(2026, 11, 4)), (20261104.0, date(2026, 11, 4)), ("2026-03-05 00:00:00", date(2026, 3, 5)),
    ("10月22日前", NoYear(10, 22)), ("2026年10月22日前", date(2026, 10, 22)), ("9月10日", NoYear(9, 10)),
    ("11.5", NoYear(11, 5)), ("1.10", NoYear(1, 10)), (11.5, NoYear(11, 5)), (11.15, NoYear(11, 15)),
    ("2月29日", NoYear(2, 29)), ("10月22日之前", NoYear(10, 22)), ("9-10", NoYear(9, 10)),
])
def test_dates_as_clerks_write_them(raw, expected):
    assert convert.to_date(raw) == expected


@pytest.mark.parametrize("raw", [11.1, 11.2, 11.3, "13月1日", "9月31日", "待商定", "另行商定", "长期",
                                 datetime(1900, 1, 1, 2, 24), "下周"])
def test_dates_that_are_findings(raw):
    assert convert.to_date(raw).__class__ is Bad


def test_ambiguous_number_and_small_number_say_why():
    assert "11月10日" in convert.to_date(11.1).why
    assert "1900" in convert.to_date(datetime(1900, 1, 1, 2, 24)).why
    assert "尚未确定" in convert.to_date("待商定").why


@pytest.mark.parametrize("raw,expected", [
    ("5个工作日", Offset(5, True)), ("五个工作日内", Offset(5, True)), ("10工作日", Offset(10, True)),
    ("十五个工作日", Offset(15, True)), ("15天", Offset(15, False)), ("30日内", Offset(30, False)),
    ("二十天", Offset(20, False)), ("10月22日前", NoYear(10, 22)), ("2026-10-22", date(2026, 10, 22)),
])
def test_deadlines_as_spans(raw, expected):
    assert convert.to_deadline(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("已解决", True), ("解决", True), ("未解决", False), ("部分解决", False), ("是", True), ("否", False),
    ("已落实", True), ("未落实", False), ("办理中", False),
])
def test_resolved_words(raw, expected):
    assert convert.to_yesno(raw) is expected


@pytest.mark.parametrize("raw,expected", [
    ("满意", "满意"), ("非常满意", "满意"), ("比较满意", "基本满意"), ("基本满意", "基本满意"), ("一般", "基本满意"),
    ("不满意", "不满意"), ("不太满意", "不满意"), ("是", "满意"), ("否", "不满意"),
])
def test_satisfaction_words(raw, expected):
    f = next(f for f in schema.SHEETS[schema.ITEMS] if f.attr == "satisfaction")
    assert convert.converter(f)(raw) == expected
