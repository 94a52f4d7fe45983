"""GB/T 9704 page and type of the documents, the write-in box read-back, the name mask,
the chart fallback — pure, on records built in code — and the LibreOffice render (slow)."""
from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest

pytest.importorskip("docx")

from docx import Document  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from huitan_xl.documents import charts, official  # noqa: E402
from huitan_xl.documents.forms import FormTicket, forms_document  # noqa: E402
from huitan_xl.documents.monthly_doc import percent  # noqa: E402
from huitan_xl.documents.notice import NameMask, NoticeRow, notice_document  # noqa: E402
from huitan_xl.documents.readback import analysis_texts  # noqa: E402
from huitan_xl.errors import BadParameter  # noqa: E402
from huitan_xl.reports.monthly import Rate  # noqa: E402


def reopen(doc) -> Document:
    return Document(io.BytesIO(doc.to_bytes()))


def east_asia(run) -> str:
    return run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def sample_report_document():
    doc = official.OfficialDocument()
    doc.title("赵楼煤矿", "2026年10月职工思想动态分析报告")
    doc.heading1("一、基本情况")
    doc.heading2("（一）慧谈开展情况")
    doc.para("正文")
    doc.signature("赵楼煤矿党群办", date(2026, 11, 5))
    return reopen(doc)


def test_page_is_a4_with_the_standard_margins():
    s = sample_report_document().sections[0]
    mm = [round(v.mm) for v in (s.page_width, s.page_height, s.top_margin, s.left_margin, s.bottom_margin,
                                s.right_margin)]
    assert mm == [210, 297, 37, 28, 35, 26]


def test_title_headings_body_fonts_and_sizes():
    d = sample_report_document()
    runs = {p.text: p.runs[0] for p in d.paragraphs if p.runs}
    title = runs["2026年10月职工思想动态分析报告"]
    assert (title.font.size.pt, east_asia(title)) == (22, official.font_for("title"))
    assert official.font_for("title") in ("方正小标宋简体", "华文中宋", "宋体")
    assert (runs["一、基本情况"].font.size.pt, east_asia(runs["一、基本情况"])) == (16, "黑体")
    assert east_asia(runs["（一）慧谈开展情况"]) in ("楷体_GB2312", "楷体")
    assert east_asia(runs["正文"]) in ("仿宋_GB2312", "仿宋") and runs["正文"].font.size.pt == 16
    normal = d.styles["Normal"]
    assert (normal.font.size.pt, normal.paragraph_format.line_spacing.pt) == (16, 28)
    assert [p.text for p in d.paragraphs][-2:] == ["赵楼煤矿党群办", "2026年11月5日"]


def test_fallback_is_the_last_font_of_each_chain_when_none_is_installed(monkeypatch):
    official.font_for.cache_clear()
    monkeypatch.setattr(official, "installed_font_names", lambda: frozenset())
    try:
        assert [official.font_for(r) for r in ("title", "body", "h1", "h2")] == ["宋体", "仿宋", "黑体", "楷体"]
        monkeypatch.setattr(official, "installed_font_names", lambda: frozenset({"STZhongsong", "FangSong_GB2312"}))
        official.font_for.cache_clear()
        assert [official.font_for(r) for r in ("title", "body")] == ["华文中宋", "仿宋_GB2312"]
    finally:
        official.font_for.cache_clear()


def test_footer_has_a_page_field_between_dashes():
    footer = sample_report_document().sections[0].footer.paragraphs[0]
    xml = footer._p.xml
    assert "PAGE" in xml and 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
    assert footer.text.startswith("— ") and footer.text.endswith(" —")


def test_text_beginning_with_equals_is_a_plain_run():
    doc = official.OfficialDocument()
    doc.para("=SUM(A1:A3)")
    doc.table(["内容"], [["=1+1"]])
    d = reopen(doc)
    assert "=SUM(A1:A3)" in [p.text for p in d.paragraphs]
    assert d.tables[0].rows[1].cells[0].text == "=1+1"
    assert "fldSimple" not in d.element.xml and "instrText" not in d.element.xml


def test_percent_is_shown_as_the_sheet_shows_it():
    assert [percent(Rate("x", n, d)) for n, d in ((2, 3), (1, 8), (0, 0), (5, 5))] == ["66.7%", "12.5%", "—", "100.0%"]
    assert percent(Rate("x", 1, 16)) == "6.3%"  # 6.25 rounds half up, as Excel's 0.0% does


def test_readback_takes_the_boxes_of_the_same_month_only():
    title = "2026年10月职工思想动态分析报告"
    grid = [[title, ""], ["", ""], ["八、思想分析（由党群办填写）", ""], ["第一行", ""], ["", "第二行"],
            ["九、应对举措（由党群办填写）", ""], ["", ""], [12, ""]]
    assert analysis_texts(grid, title) == {"思想分析": "第一行\n第二行", "应对举措": "12"}
    assert analysis_texts(grid, "2026年9月职工思想动态分析报告") == {"思想分析": "", "应对举措": ""}
    assert analysis_texts([], title) == {"思想分析": "", "应对举措": ""}
    grid[0][0] = "赵楼煤矿" + title + "（截至2026-10-20，月份未结束）"  # the sheet's title carries the mine
    assert analysis_texts(grid, title)["思想分析"] == "第一行\n第二行"


def test_name_mask_replaces_every_known_name_longest_first():
    mask = NameMask(["王五", "欧阳明月", "李", ""])
    assert mask("王五和欧阳明月反映；李科长答复") == "××和××反映；李科长答复"  # one-character names are kept
    assert NameMask([])("原文") == "原文"


def test_notice_rejects_an_unknown_proposer_mode():
    with pytest.raises(BadParameter, match="提出人显示方式"):
        notice_document([], mine="", month_label="2026-10", issuer="矿党群办", day=date(2026, 11, 5), proposer="name")


def test_notice_unit_label_seam_for_small_group_privacy():
    rows = [NoticeRow("SQ1", "职工诉求", "机电队", "内容", "后勤科", "答复", date(2026, 10, 5), "已办结")]
    d = reopen(notice_document(rows, mine="", month_label="2026-10", issuer="矿党群办", day=date(2026, 11, 5),
                               unit_label=lambda u: "其他"))
    assert d.tables[0].rows[1].cells[3].text == "其他"
    assert d.sections[0].page_width > d.sections[0].page_height  # landscape for the board


def test_chart_fallback_without_a_cjk_font(monkeypatch):
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    assert charts.bar_chart("标题", ["后勤科"], [3]) is None
    assert charts.line_chart("标题", ["2026-10"], [3]) is None


def test_chart_is_a_png_when_a_cjk_font_is_installed():
    if charts.cjk_font() is None:
        pytest.skip("no font with Chinese glyphs installed (fonts-noto-cjk)")
    png = charts.bar_chart("本月承办单按承办部门", ["后勤科", "安监处"], [2, 1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert charts.bar_chart("空", ["后勤科"], [0]) is None  # nothing to draw


# ---- LibreOffice: each document converts to PDF and its text is there ------------------

def ticket(i: int) -> FormTicket:
    return FormTicket(f"SQ2026-{i:04d}", "职工诉求", "HT-2026-10-03", date(2026, 10, 3), "职工", "八级慧谈", "王五",
                      "综采一队", "=井口浴室热水不稳定", "后勤科", "张三", "周八", date(2026, 10, 9), date(2026, 10, 16))


def pdf_of(tmp_path, name: str, data: bytes) -> tuple[str, int]:
    src = tmp_path / name
    src.write_bytes(data)
    proc = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                          capture_output=True, timeout=300)
    pdf = src.with_suffix(".pdf")
    assert pdf.exists(), proc.stderr.decode("utf-8", "replace")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True).stdout.decode("utf-8")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True).stdout.decode("utf-8")
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return text, pages


@pytest.mark.slow
def test_forms_render_one_page_per_ticket(tmp_path):
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("LibreOffice (soffice) or poppler-utils not installed")
    text, pages = pdf_of(tmp_path, "forms.docx", forms_document([ticket(1), ticket(2), ticket(3)],
                                                                mine="赵楼煤矿").to_bytes())
    assert pages == 3
    squeezed = text.replace(" ", "")
    for words in ("诉求承办单", "SQ2026-0002", "=井口浴室热水不稳定", "办理结果", "部门负责人签字", "督办意见", "基本满意"):
        assert words in squeezed, words


@pytest.mark.slow
def test_every_document_of_the_register_renders_with_its_text(tmp_path):
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("LibreOffice (soffice) or poppler-utils not installed")
    import json

    from conftest import huitan
    from documents_register import AS_OF, make_register

    wb = make_register(tmp_path / "台账.xlsx")
    files = []
    for args in (["report", "--month", "2026-10"], ["forms", "--ids", "SQ2026-0003"],
                 ["notice", "--month", "2026-10"], ["minutes", "--session", "HT-2026-10-03"]):
        proc = huitan(args[0], wb, *args[1:], "--as-of", AS_OF.isoformat(), "--json")
        files += json.loads(proc.stdout.decode("utf-8"))["files"]
    assert len(files) == 4
    expect = {"月度职工思想动态分析报告": ["2026年10月职工思想动态分析报告", "一、基本情况", "五、对策建议", "=班中餐品种少",
                                  "赵楼煤矿党群办", "— 1 —"],
              "诉求承办单": ["SQ2026-0003", "=班中餐品种少", "孙七"],
              "诉求答复公示": ["诉求答复公示", "SQ2026-0005", "已更换热水器，经××确认恢复正常"],
              "慧谈纪要": ["纪要", "职工之家", "转承办单SQ2026-0001"]}
    from pathlib import Path

    for f in files:
        key = next(k for k in expect if k in f)
        text, pages = pdf_of(tmp_path, Path(f).name, Path(f).read_bytes())
        squeezed = text.replace(" ", "").replace("\n", "")
        for words in expect[key]:
            assert words.replace(" ", "") in squeezed, (key, words)
        assert pages >= 1


def test_readback_stops_at_the_sign_line_under_the_second_box():
    from huitan_xl.reports.layout import SIGN_LINE

    title = "2026年10月职工思想动态分析报告"
    grid = [[title, ""], ["十、思想分析（由党群办填写）", ""], ["", ""],
            ["十一、应对举措（由党群办填写）", ""], ["加强夜班就餐保障", ""], ["", ""], [SIGN_LINE, ""]]
    assert analysis_texts(grid, title) == {"思想分析": "", "应对举措": "加强夜班就餐保障"}
    grid[4][0] = ""  # an empty box stays empty: the sign line is never taken for her text
    assert analysis_texts(grid, title) == {"思想分析": "", "应对举措": ""}
