"""The documents the office files (issue 15), end to end on a register typed in code:
the real `huitan` command writes the .docx beside the workbook; python-docx reads it back.
Expected figures are hand-counted from tests/documents_register.py."""
from __future__ import annotations

import json
import os

import pytest
from conftest import huitan
from documents_register import (AS_OF, MINE, NAMES, docx_all_text, docx_paragraphs, make_register,
                                table_with)

from huitan_xl import schema

pytest.importorskip("docx")


def run_json(*args) -> dict:
    proc = huitan(*args, "--as-of", AS_OF.isoformat(), "--json")
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    return json.loads(proc.stdout.decode("utf-8"))


@pytest.fixture
def register(tmp_path):
    return make_register(tmp_path / "台账.xlsx")


# ---- 月度职工思想动态分析报告 ----------------------------------------------------------

def test_report_writes_the_word_report_beside_the_workbook(register):
    out = run_json("report", register, "--month", "2026-10")
    doc = register.with_name("台账_2026-10_月度职工思想动态分析报告.docx")
    assert out["files"] == [str(doc)] and doc.exists()
    paras = docx_paragraphs(doc)
    assert paras[0] == MINE and paras[1] == "2026年10月职工思想动态分析报告"
    headings = [p for p in paras if p[:2] in ("一、", "二、", "三、", "四、", "五、")]
    assert headings == ["一、基本情况", "二、主要思想动态", "三、存在问题和风险", "四、原因分析", "五、对策建议"]
    assert "10月份共开展慧谈2场，其中八级慧谈1场、专题慧谈1场；参会4人次，涉及职工3人。" in paras
    assert ("共收集问题意见、合理化建议和职工诉求4件，其中现场答复1件，"
            "填写《“八级慧谈”诉求承办单》转承办部门办理3件。") in paras
    assert table_with(doc, ["慧谈类型", "场次"]) == [["八级慧谈", "1"], ["专题慧谈", "1"], ["专业慧谈", "0"],
                                                  ["节点慧谈", "0"]]
    assert table_with(doc, ["诉求类别", "件数"]) == [["问题意见", "1"], ["合理化建议", "1"], ["职工诉求", "2"]]
    assert table_with(doc, ["承办部门", "承办单件数"]) == [["后勤科", "2"], ["安监处", "1"]]
    # topics with last month's counts: September had one 食堂 item
    assert table_with(doc, ["主题", "本月件数", "上月件数", "增减"]) == [
        ["食堂", "2", "1", "+1"], ["安全", "1", "0", "+1"], ["薪酬", "1", "0", "+1"]]
    # overdue at the month end: SQ2026-0003, deadline 10-23, 8 days on 10-31
    assert table_with(doc, ["编号", "承办部门", "负责人", "应答复日期", "逾期天数", "诉求内容"]) == [
        ["SQ2026-0003", "后勤科", "张三", "2026-10-23", "8", "=班中餐品种少"]]  # "=": text
    assert table_with(doc, ["编号", "承办部门", "职工满意度", "是否解决", "诉求内容"]) == [
        ["SQ2026-0004", "安监处", "不满意", "否", "采煤工作面增设喷雾"]]
    assert table_with(doc, ["编号", "风险类型", "类别", "承办部门", "办理状态", "诉求内容"]) == [
        ["SQ2026-0003", "信访风险", "职工诉求", "后勤科", "逾期未答复", "=班中餐品种少"]]
    # nothing written in the sheet's boxes yet: marked placeholders
    after = paras[paras.index("四、原因分析") + 1]
    assert after.startswith("（待填写：")
    assert paras[paras.index("五、对策建议") + 1].startswith("（待填写：")
    assert paras[-2:] == [f"{MINE}党群办", "2026年11月5日"]
    assert out["counts"]["items"] == 4
    if os.name == "posix":  # readable by whoever may read the workbook (umask), not mkstemp's 0600
        assert doc.stat().st_mode & 0o777 == register.stat().st_mode & 0o777


def test_report_rates_agree_with_the_report_object(register):
    """The document prints the rates of the same MonthlyReport the 月度分析 sheet is built from."""
    from huitan_xl import pipeline
    from huitan_xl.documents.monthly_doc import percent
    from huitan_xl.periods import parse_period
    from huitan_xl.reports.monthly import monthly_report

    run_json("report", register, "--month", "2026-10")
    doc = register.with_name("台账_2026-10_月度职工思想动态分析报告.docx")
    regs = pipeline.read(register, None, [schema.ITEMS])
    statuses, _ = pipeline._statuses(regs, AS_OF)
    rep = monthly_report(regs, statuses, parse_period("2026-10"), as_of=AS_OF)
    rows = table_with(doc, ["指标", "分子", "分母", "比率", "口径"])
    assert [r[:4] for r in rows] == [[r.name, str(r.numerator), str(r.denominator), percent(r)] for r in rep.rates]
    # hand-counted: October's rated items are SQ2026-0001 (满意) and SQ2026-0004 (不满意) -> 50.0 %
    assert rows[3][:4] == ["职工满意率", "1", "2", "50.0%"]


def box_rows(ws) -> dict[str, int]:
    """Rows of the 月度分析 sheet's write-in box labels (「十、思想分析（由党群办填写）」 …)."""
    return {key: c.row for c in ws["A"] if isinstance(c.value, str)
            for key in ("思想分析", "应对举措") if c.value.endswith(key + "（由党群办填写）")}


def type_boxes(register, analysis: str, measures: str) -> None:
    """Type into 月度分析's two write-in boxes as staff would (openpyxl), `measures` as text
    even when it begins with = ('= in Excel), never a formula."""
    import openpyxl

    wb = openpyxl.load_workbook(register)
    ws = wb[schema.MONTHLY_SHEET]
    labels = box_rows(ws)
    ws.cell(labels["思想分析"] + 1, 1).value = analysis
    box = ws.cell(labels["应对举措"] + 1, 1)
    box.value = measures
    box.data_type = "s"
    wb.save(register)


def test_report_carries_the_text_staff_wrote_in_the_sheet(register):
    run_json("report", register, "--month", "2026-10")
    type_boxes(register, "食堂问题集中，反映后勤服务短板。\n夜班职工就餐不便。", "=后勤科本月内增加夜班班中餐品种")
    run_json("report", register, "--month", "2026-10")
    paras = docx_paragraphs(register.with_name("台账_2026-10_月度职工思想动态分析报告.docx"))
    i, j = paras.index("四、原因分析"), paras.index("五、对策建议")
    assert paras[i + 1:j] == ["食堂问题集中，反映后勤服务短板。", "夜班职工就餐不便。"]
    assert paras[j + 1] == "=后勤科本月内增加夜班班中餐品种"
    assert not any(p.startswith("制表：") for p in paras)  # the sheet's sign line is not box text


def box_texts(path) -> dict:
    """The text in each write-in box of 月度分析 (the merged area's first cell) and its cell type."""
    import openpyxl

    ws = openpyxl.load_workbook(path)[schema.MONTHLY_SHEET]
    return {key: (ws.cell(r + 1, 1).value, ws.cell(r + 1, 1).data_type) for key, r in box_rows(ws).items()}


def test_the_rebuilt_sheet_keeps_the_text_staff_wrote_in_its_boxes(register):
    """Issue 15: `report` rebuilds 月度分析; what staff typed in 思想分析 / 应对举措 is carried
    into the new sheet (and the Word report), on every rerun, with or without --no-docx."""
    run_json("report", register, "--month", "2026-10")
    assert box_texts(register) == {"思想分析": (None, "n"), "应对举措": (None, "n")}
    type_boxes(register, "食堂问题集中。\n夜班职工就餐不便。", "=后勤科增加夜班班中餐品种")
    kept = {"思想分析": ("食堂问题集中。\n夜班职工就餐不便。", "s"), "应对举措": ("=后勤科增加夜班班中餐品种", "s")}
    run_json("report", register, "--month", "2026-10")
    assert box_texts(register) == kept  # in the rebuilt sheet, the = text still text
    paras = docx_paragraphs(register.with_name("台账_2026-10_月度职工思想动态分析报告.docx"))
    i, j = paras.index("四、原因分析"), paras.index("五、对策建议")
    assert paras[i + 1:j] == ["食堂问题集中。", "夜班职工就餐不便。"] and paras[j + 1] == "=后勤科增加夜班班中餐品种"
    run_json("report", register, "--month", "2026-10", "--no-docx")  # no Word report: the sheet keeps them
    assert box_texts(register) == kept
    run_json("report", register, "--month", "2026-10")  # and a third rebuild adds nothing (no sign line)
    assert box_texts(register) == kept
    run_json("report", register, "--month", "2026-09")  # another month's sheet starts blank
    assert box_texts(register) == {"思想分析": (None, "n"), "应对举措": (None, "n")}


def test_boxes_of_another_month_are_not_carried(register):
    import openpyxl

    run_json("report", register, "--month", "2026-09")
    wb = openpyxl.load_workbook(register)
    ws = wb[schema.MONTHLY_SHEET]
    ws.cell(box_rows(ws)["思想分析"] + 1, 1).value = "九月的分析"
    wb.save(register)
    run_json("report", register, "--month", "2026-10")
    paras = docx_paragraphs(register.with_name("台账_2026-10_月度职工思想动态分析报告.docx"))
    assert "九月的分析" not in paras
    assert paras[paras.index("四、原因分析") + 1].startswith("（待填写：")


def test_no_docx_and_dry_run_write_no_document(register):
    out = run_json("report", register, "--month", "2026-10", "--no-docx")
    assert out["files"] == []
    out = run_json("report", register, "--month", "2026-10", "--dry-run")
    assert out["files"] == []
    assert not list(register.parent.glob("*.docx"))


def test_rerun_keeps_the_previous_document_as_backup(register):
    run_json("report", register, "--month", "2026-10")
    run_json("report", register, "--month", "2026-10")
    assert register.with_name("台账_2026-10_月度职工思想动态分析报告.bak.docx").exists()


def test_a_document_open_in_word_stops_the_run_and_nothing_is_written(register):
    doc = register.with_name("台账_2026-10_月度职工思想动态分析报告.docx")
    lock = doc.with_name("~$" + doc.name[2:])
    lock.write_bytes(b"owner")
    before = register.read_bytes()
    proc = huitan("report", register, "--month", "2026-10", "--as-of", AS_OF.isoformat())
    assert proc.returncode == 2
    assert "正在 Word / WPS 中打开" in proc.stderr.decode("utf-8")
    assert register.read_bytes() == before and not doc.exists()


# ---- 诉求承办单 ---------------------------------------------------------------------

def form_fields(table) -> dict[str, str]:
    """label -> value of one form table (4 columns: label, value, label, value; merged wide rows)."""
    out = {}
    for row in table:
        cells = [c for i, c in enumerate(row) if i == 0 or c != row[i - 1]] if row[1] == row[3] else row
        for k in range(0, len(cells) - 1, 2):
            out[cells[k]] = cells[k + 1]
    return out


def test_forms_one_page_per_ticket_with_every_field(register):
    from docx import Document

    out = run_json("forms", register, "--ids", "SQ2026-0003,SQ2026-0001")
    path = register.with_name(f"台账_诉求承办单_{AS_OF.isoformat()}.docx")
    assert out["files"] == [str(path)] and out["counts"] == {"forms": 2}
    assert out["forms"] == ["SQ2026-0003", "SQ2026-0001"]
    doc = Document(str(path))
    titles = [p for p in doc.paragraphs if p.text == "“八级慧谈”诉求承办单"]
    assert len(titles) == 2
    assert [p.paragraph_format.page_break_before for p in titles] == [False, True]  # each on its own page
    first = form_fields([[c.text for c in r.cells] for r in doc.tables[0].rows])
    assert {k: first[k] for k in ("编　　号", "类　　别", "来源场次", "慧谈日期", "层　　级", "慧谈类型", "诉 求 人",
                                  "所在单位", "诉求内容", "承办部门", "承办负责人", "督 办 员", "交办日期")} == {
        "编　　号": "SQ2026-0003", "类　　别": "职工诉求", "来源场次": "HT-2026-10-20", "慧谈日期": "2026-10-20",
        "层　　级": "职工", "慧谈类型": "专题慧谈", "诉 求 人": "孙七", "所在单位": "机电队",
        "诉求内容": "=班中餐品种少", "承办部门": "后勤科", "承办负责人": "张三", "督 办 员": "周八",
        "交办日期": "2026-10-20"}
    assert first["答复时限"].startswith("2026-10-23")
    assert [first[box] for box in ("办理结果", "承办人签字", "部门负责人签字")] == ["", "", ""]  # filled by hand
    assert first["督办意见"].strip().startswith("督办员签字：")
    assert "□ 满意" in first["诉求人评价"] and "□ 基本满意" in first["诉求人评价"] and "□ 不满意" in first["诉求人评价"]
    second = form_fields([[c.text for c in r.cells] for r in doc.tables[1].rows])
    assert second["诉求内容"] == "=井口浴室热水不稳定"  # text, as typed


def test_forms_default_is_what_was_assigned_since_the_last_forms_run(register):
    from conftest import type_rows

    out = run_json("forms", register)  # never ran: every ticket not yet replied
    assert out["forms"] == ["SQ2026-0003"]
    type_rows(register, schema.ITEMS, [
        {"编号": "SQ2026-0006", "场次编号": "HT-2026-10-20", "提出人": "孙七", "类别": "职工诉求", "内容": "更衣柜不够",
         "现场答复": "否", "承办部门": "后勤科", "交办日期": "2026-11-05"},
        {"编号": "SQ2026-0007", "场次编号": "HT-2026-10-20", "提出人": "孙七", "类别": "职工诉求", "内容": "通勤车晚点",
         "现场答复": "否", "承办部门": "后勤科", "交办日期": "2026-11-09"}],
              header_row=6)  # below the five items of rows 2–6
    proc = huitan("forms", register, "--as-of", "2026-11-10", "--json")
    out = json.loads(proc.stdout.decode("utf-8"))
    assert out["forms"] == ["SQ2026-0006", "SQ2026-0007"]  # assigned on or after 11-05, the last run's day
    out = run_json("forms", register, "--since", "2026-11-06")
    assert out["forms"] == ["SQ2026-0007"]


def test_forms_unknown_and_on_the_spot_ids_are_reported(register):
    proc = huitan("forms", register, "--ids", "SQ2026-0002、SQ9999", "--as-of", AS_OF.isoformat())
    text = proc.stdout.decode("utf-8")
    assert "诉求 SQ2026-0002 已现场答复，不需要承办单，未打印。" in text
    assert "诉求台账中没有编号“SQ9999”的诉求，未打印。" in text
    assert not list(register.parent.glob("*承办单*.docx"))


# ---- 公示 ------------------------------------------------------------------------------

NOTICE_HEADER = ["序号", "编号", "类别", "提出人单位", "诉求内容", "承办部门", "答复意见", "答复日期", "办理状态"]


def test_notice_lists_the_months_replies_without_names(register):
    out = run_json("notice", register, "--month", "2026-10")
    path = register.with_name("台账_2026-10_诉求答复公示.docx")
    assert out["files"] == [str(path)] and out["counts"] == {"replies": 2}
    rows = table_with(path, NOTICE_HEADER)
    # each unit has one person on the roster: fewer than 最小公示人数 (5), so posted as 其他
    assert rows == [
        ["1", "SQ2026-0005", "职工诉求", "其他", "食堂排队时间长", "后勤科", "已增开一个窗口", "2026-09-21", "已办结"],
        ["2", "SQ2026-0001", "职工诉求", "其他", "=井口浴室热水不稳定", "后勤科", "已更换热水器，经××确认恢复正常",
         "2026-10-14", "已办结"]]
    text = docx_all_text(path)
    assert [n for n in NAMES if n in text] == []
    assert docx_paragraphs(path)[0] == f"{MINE}“八级慧谈”诉求答复公示"


def test_notice_names_a_unit_of_at_least_the_minimum_posting_size(register):
    from conftest import type_rows

    # 综采一队 gets 4 more members (5 = N), 掘进二队 3 more (4 = N - 1)
    more = [("综采一队", i) for i in range(4)] + [("掘进二队", i) for i in range(3)]
    type_rows(register, schema.ROSTER, [{"工号": f"X{k}", "姓名": f"员工{k}", "单位": unit, "层级": "职工",
                                         "在职状态": "在职"} for k, (unit, _) in enumerate(more)],
              header_row=3)  # below the three members of rows 2–4
    run_json("notice", register, "--month", "2026-10")
    rows = table_with(register.with_name("台账_2026-10_诉求答复公示.docx"), NOTICE_HEADER)
    assert [(r[1], r[3]) for r in rows] == [("SQ2026-0005", "其他"), ("SQ2026-0001", "综采一队")]


def test_notice_without_the_proposer_column(register):
    run_json("notice", register, "--month", "2026-10", "--proposer", "none")
    path = register.with_name("台账_2026-10_诉求答复公示.docx")
    header = [h for h in NOTICE_HEADER if h != "提出人单位"]
    assert [r[1] for r in table_with(path, header)] == ["SQ2026-0005", "SQ2026-0001"]
    assert "其他" not in docx_all_text(path)


def test_notice_of_november_has_the_published_reply(register):
    run_json("notice", register, "--month", "2026-11")
    rows = table_with(register.with_name("台账_2026-11_诉求答复公示.docx"), NOTICE_HEADER)
    assert rows == [["1", "SQ2026-0004", "合理化建议", "其他", "采煤工作面增设喷雾", "安监处", "××牵头论证后不予采纳",
                     "2026-10-26", "按期答复"]]


# ---- 慧谈纪要 --------------------------------------------------------------------------

def test_minutes_of_a_session(register):
    out = run_json("minutes", register, "--session", "HT-2026-10-03")
    path = register.with_name("台账_HT-2026-10-03_慧谈纪要.docx")
    assert out["files"] == [str(path)]
    assert out["counts"] == {"attendees": 2, "items": 2, "on_the_spot": 1}
    paras = docx_paragraphs(path)
    for line in ("时　　间：2026年10月3日", "地　　点：职工之家", "形　　式：现场", "层　　级：职工", "类　　型：八级慧谈",
                 "主持（牵头人）：周八", "邀请科室：后勤科、安监处", "到会科室：后勤科", "未到会科室：安监处",
                 "参会人员：共2人"):
        assert line in paras
    assert table_with(path, ["序号", "姓名", "单位"]) == [["1", "王五", "综采一队"], ["2", "赵六", "掘进二队"]]
    assert table_with(path, ["序号", "提出人", "类别", "内容", "答复或承办情况"]) == [
        ["1", "王五（综采一队）", "职工诉求", "=井口浴室热水不稳定",
         "转承办单 SQ2026-0001；承办部门：后勤科；答复时限：2026-10-16"],
        ["2", "赵六（掘进二队）", "问题意见", "绩效二次分配不透明", "现场答复：已当场解释分配办法"]]
    assert any(p.startswith("记录人：") for p in paras)


def test_minutes_of_an_unknown_session_is_exit_2(register):
    proc = huitan("minutes", register, "--session", "HT-2026-10-3", "--as-of", AS_OF.isoformat())
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert "没有场次编号“HT-2026-10-3”" in err and "HT-2026-10-03" in err


def test_the_schedules_monthly_run_writes_the_word_report(register):
    from datetime import datetime

    from huitan_xl import scheduler

    result = scheduler.run_job("report", register, "2026-10", datetime(2026, 11, 2, 8, 30))
    doc = register.with_name("台账_2026-10_月度职工思想动态分析报告.docx")
    assert result.files == [doc] and doc.exists()
    assert docx_paragraphs(doc)[:2] == [MINE, "2026年10月职工思想动态分析报告"]


def test_an_encrypted_register_gets_no_unencrypted_word_report(register):
    from huitan_xl.xlsx import encryption

    register.write_bytes(encryption.encrypt(register.read_bytes(), "Mima-2026"))
    proc = huitan("report", register, "--month", "2026-10", "--as-of", AS_OF.isoformat(), "--password", "Mima-2026")
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8")
    assert "工作簿已加密，未生成 Word 版报告" in proc.stdout.decode("utf-8")
    assert not list(register.parent.glob("*.docx"))
    proc = huitan("notice", register, "--month", "2026-10", "--as-of", AS_OF.isoformat(), "--password", "Mima-2026")
    assert "生成的 Word 文档未加密" in proc.stdout.decode("utf-8")
    assert [p.name for p in register.parent.glob("*.docx")] == ["台账_2026-10_诉求答复公示.docx"]
