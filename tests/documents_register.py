"""A small register typed in like a clerk would, for the document tests (hand-counted below).

October 2026: two sessions (HT-2026-10-03 八级慧谈 职工, HT-2026-10-20 专题慧谈), four items:
  SQ2026-0001 职工诉求 食堂 ticket 后勤科, replied 10-14, 满意/是/是, no 公示日期 yet;
              content begins with "=", the reply names the proposer (王五)
  SQ2026-0002 问题意见 薪酬 answered on the spot
  SQ2026-0003 职工诉求 食堂 ticket 后勤科, deadline 10-23, no reply: 8 days overdue on 10-31; 信访风险;
              content begins with "=" too
  SQ2026-0004 合理化建议 安全 ticket 安监处, replied 10-26, 不满意 / 是否解决 否 (成效不理想),
              published 11-02
September: HT-2026-09-15, SQ2026-0005 职工诉求 食堂 后勤科, replied 09-21, published 10-08.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import huitan, type_rows

from huitan_xl import schema

MINE = "赵楼煤矿"
NAMES = ["王五", "赵六", "孙七", "张三", "李四", "周八"]  # every person in the register


def make_register(path: Path, mine: str = MINE) -> Path:
    assert huitan("init", path).returncode == 0
    from huitan_xl.template import README_INPUTS
    from huitan_xl.write import Workbook
    from xlsxwriter.utility import xl_cell_to_rowcol

    if mine:
        r, c = xl_cell_to_rowcol(README_INPUTS["mine"])
        wb = Workbook.open(path)
        wb.set_cells(schema.README, {(r + 1, c + 1): mine})
        wb.save(backup=False)
    type_rows(path, schema.LEVELS, [{"层级代码": "L1", "牵头人": "周八"}])  # init's first level row: 职工
    type_rows(path, schema.DEPARTMENTS, [{"部门": "后勤科", "负责人": "张三", "类型": "职能科室"},
                                         {"部门": "安监处", "负责人": "李四", "类型": "职能科室"}])
    type_rows(path, schema.ROSTER, [
        {"工号": "E1", "姓名": "王五", "性别": "男", "单位": "综采一队", "岗位": "采煤工", "层级": "职工", "在职状态": "在职"},
        {"工号": "E2", "姓名": "赵六", "性别": "女", "单位": "掘进二队", "岗位": "掘进工", "层级": "职工", "在职状态": "在职"},
        {"工号": "E3", "姓名": "孙七", "性别": "男", "单位": "机电队", "岗位": "电工", "层级": "职工", "在职状态": "在职"},
    ])
    type_rows(path, schema.SESSIONS, [
        {"场次编号": "HT-2026-10-03", "日期": "2026-10-03", "类型": "八级慧谈", "层级": "职工", "主题": "班中餐和浴室",
         "牵头人": "周八", "形式": "现场", "地点": "职工之家", "选人单位": "矿党群办",
         "邀请科室": "后勤科、安监处", "到会科室": "后勤科"},
        {"场次编号": "HT-2026-10-20", "日期": "2026/10/20", "类型": "专题慧谈", "层级": "职工", "主题": "安全生产",
         "牵头人": "周八", "形式": "视频", "地点": "调度会议室", "选人单位": "矿党群办"},
        {"场次编号": "HT-2026-09-15", "日期": "2026年9月15日", "类型": "八级慧谈", "层级": "职工", "主题": "后勤",
         "牵头人": "周八", "形式": "现场", "地点": "职工之家", "选人单位": "矿党群办"},
    ])
    type_rows(path, schema.ATTENDANCE, [
        {"场次编号": "HT-2026-10-03", "工号": "E1", "姓名": "王五"},
        {"场次编号": "HT-2026-10-03", "工号": "E2", "姓名": "赵六"},
        {"场次编号": "HT-2026-10-20", "工号": "E1", "姓名": "王五"},
        {"场次编号": "HT-2026-10-20", "工号": "E3", "姓名": "孙七"},
        {"场次编号": "HT-2026-09-15", "工号": "E2", "姓名": "赵六"},
    ])
    type_rows(path, schema.ITEMS, [
        {"编号": "SQ2026-0001", "场次编号": "HT-2026-10-03", "提出人工号": "E1", "提出人": "王五", "类别": "职工诉求",
         "主题标签": "食堂", "内容": "=井口浴室热水不稳定", "现场答复": "否", "承办部门": "后勤科", "承办负责人": "张三",
         "交办日期": "2026-10-09", "答复时限": "2026-10-16", "答复日期": "2026-10-14",
         "答复意见": "已更换热水器，经王五确认恢复正常", "职工满意度": "满意", "是否解决": "是", "是否落实": "是"},
        {"编号": "SQ2026-0002", "场次编号": "HT-2026-10-03", "提出人工号": "E2", "提出人": "赵六", "类别": "问题意见",
         "主题标签": "薪酬", "内容": "绩效二次分配不透明", "现场答复": "是", "答复意见": "已当场解释分配办法"},
        {"编号": "SQ2026-0003", "场次编号": "HT-2026-10-20", "提出人工号": "E3", "提出人": "孙七", "类别": "职工诉求",
         "主题标签": "食堂", "内容": "=班中餐品种少", "现场答复": "否", "承办部门": "后勤科", "承办负责人": "张三",
         "交办日期": "2026-10-20", "答复时限": "2026-10-23", "风险提示": "信访风险"},
        {"编号": "SQ2026-0004", "场次编号": "HT-2026-10-20", "提出人工号": "E1", "提出人": "王五", "类别": "合理化建议",
         "主题标签": "安全", "内容": "采煤工作面增设喷雾", "现场答复": "否", "承办部门": "安监处", "承办负责人": "李四",
         "交办日期": "2026-10-20", "答复时限": "2026-10-27", "答复日期": "2026-10-26", "答复意见": "李四牵头论证后不予采纳",
         "公示日期": "2026-11-02", "职工满意度": "不满意", "是否解决": "否"},
        {"编号": "SQ2026-0005", "场次编号": "HT-2026-09-15", "提出人工号": "E2", "提出人": "赵六", "类别": "职工诉求",
         "主题标签": "食堂", "内容": "食堂排队时间长", "现场答复": "否", "承办部门": "后勤科", "承办负责人": "张三",
         "交办日期": "2026-09-15", "答复时限": "2026-09-22", "答复日期": "2026-09-21", "答复意见": "已增开一个窗口",
         "公示日期": "2026-10-08", "职工满意度": "满意", "是否解决": "是", "是否落实": "是"},
    ])
    return path


AS_OF = date(2026, 11, 5)


def docx_paragraphs(path: Path) -> list[str]:
    from docx import Document

    return [p.text for p in Document(str(path)).paragraphs]


def docx_tables(path: Path) -> list[list[list[str]]]:
    from docx import Document

    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(str(path)).tables]


def docx_all_text(path: Path) -> str:
    """Every text of the document: paragraphs, table cells, headers and footers."""
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    for s in doc.sections:
        parts += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
    return "\n".join(parts)


def table_with(path: Path, header: list[str]) -> list[list[str]]:
    """The rows (header excluded) of the first table whose header row is `header`."""
    for t in docx_tables(path):
        if t and t[0] == header:
            return t[1:]
    raise AssertionError(f"no table headed {header} in {path.name}: {[t[0] for t in docx_tables(path) if t]}")
