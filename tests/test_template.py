"""The register template: sheet layouts, 说明, `huitan init`, the committed workbooks/huitan.xlsx."""
from __future__ import annotations

import shutil
import sys
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.utils import get_column_letter

from conftest import CORPUS, PROBE, ROOT, needs_corpus, parts
from huitan_xl import schema, template as sheets, write
from huitan_xl.reports.layout import display_width

HEADERS = {
    "层级": ["层级代码", "层级", "牵头人岗位", "牵头人", "选人单位", "每场人数上限"],
    "部门": ["部门", "负责人", "类型"],
    "职工名册": ["工号", "姓名", "性别", "单位", "岗位", "层级", "重点对象", "三违", "新入职大学生", "表现档次",
             "所在矿区", "在职状态", "离职日期"],
    "慧谈场次": ["场次编号", "日期", "类型", "层级", "主题", "牵头人", "形式", "地点", "选人单位", "名单审核人",
             "审核日期", "邀请科室", "到会科室", "纪要日期"],
    "参会人员": ["场次编号", "工号", "姓名", "备注"],
    "诉求台账": ["编号", "场次编号", "提出人工号", "提出人", "类别", "主题标签", "内容", "现场答复", "承办部门",
             "承办负责人", "督办员", "交办日期", "答复时限", "延期至", "延期批准日期", "答复日期", "答复意见",
             "公示日期", "职工满意度", "是否解决", "是否落实", "办理问题", "风险提示", "状态", "应答复日期", "逾期天数", "督办提示",
             "主题（自动）", "主题依据", "重复反映"],
    "合理化建议": ["编号", "来源编号", "提出人工号", "提出人", "专业类别", "建议内容", "合理性结论", "论证说明",
              "转交部门", "是否采纳", "实施情况", "实施日期", "应用效果", "创效金额", "评审季度", "奖励金额", "奖励季度"],
    "报告报送": ["月份", "单位", "负责人", "应报日期", "实报日期"],
    "考核事项": ["日期", "部门", "负责人", "事由", "依据", "扣分", "备注"],
    "规则配置": ["参数", "值", "说明"],
    "节假日": ["日期", "类型", "说明"],
    "主题词表": ["主题", "关键词", "排除词", "说明"],
}
HEADER_FILL, OWNED_FILL = "FFDDEBF7", "FFFCE4D6"
LEVEL_LIST = '"职工,党员,群监员（青安岗）,班组长,安监员,副区长（技术员）,区长书记,生产职能科室"'
YES_NO = '"是,否"'


def build_plain(path: Path, builders: dict) -> openpyxl.Workbook:
    """Run builders in a plain XlsxWriter workbook and read it back with openpyxl."""
    wb = xlsxwriter.Workbook(str(path))
    fmt = write.Formats(wb)
    for name, build in builders.items():
        build(wb.add_worksheet(name), fmt)
    wb.close()
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = tmp_path_factory.mktemp("plain") / "blank.xlsx"
    return build_plain(path, {s: sheets.sheet_builder(s) for s in sheets.INPUT_SHEET_ORDER})


def header(ws) -> list:
    return [c.value for c in ws[1]]


def list_validations(ws) -> dict[str, tuple[str, str]]:
    """sqref -> (formula1, errorStyle) of every drop-down list."""
    return {str(dv.sqref): (dv.formula1, dv.errorStyle) for dv in ws.data_validations.dataValidation
            if dv.type == "list"}


def columns(ws) -> dict[str, object]:
    """Column letter -> its dimension (XlsxWriter writes equal neighbours as one <col min max>)."""
    out = {}
    for dim in list(ws.column_dimensions.values()):
        if dim.min is not None:
            for c in range(dim.min, dim.max + 1):
                out[get_column_letter(c)] = dim
    return out


def widths(ws) -> dict[str, float]:
    return {c: dim.width for c, dim in columns(ws).items()}


# ---- layout ----------------------------------------------------------------------

def test_sheet_order_puts_readme_first():
    assert sheets.INPUT_SHEET_ORDER == ["说明", "层级", "部门", "职工名册", "慧谈场次", "参会人员", "诉求台账",
                                        "合理化建议", "报告报送", "考核事项", "规则配置", "节假日", "主题词表"]


def test_headers_in_schema_order_with_owned_columns_last(blank):
    assert blank.sheetnames == sheets.INPUT_SHEET_ORDER
    for name, expected in HEADERS.items():
        assert header(blank[name]) == expected, name


def test_owned_columns_have_the_owned_colour(blank):
    items, suggestions = blank["诉求台账"], blank["合理化建议"]
    assert [c.fill.fgColor.rgb for c in items[1][22:]] == [HEADER_FILL] + [OWNED_FILL] * 7
    assert [c.fill.fgColor.rgb for c in suggestions[1][14:]] == [HEADER_FILL, OWNED_FILL, OWNED_FILL]
    assert {c.fill.fgColor.rgb for c in blank["职工名册"][1]} == {HEADER_FILL}


def test_eight_levels_prefilled(blank):
    rows = list(blank["层级"].iter_rows(min_row=2, values_only=True))
    assert rows == [
        ("L1", "职工", "工会副主席", None, "矿党群办、安监处", None),
        ("L2", "党员", "组织（副）科长", None, "矿党群办、安监处", None),
        ("L3", "群监员（青安岗）", "群团工作骨干", None, "矿党群办、安监处", None),
        ("L4", "班组长", "经管科（或劳资社保科）负责人", None, "矿党群办、安监处", None),
        ("L5", "安监员", "宣传负责人", None, "矿党群办、安监处", None),
        ("L6", "副区长（技术员）", "安培中心负责人", None, "矿党群办、经管科", None),
        ("L7", "区长书记", "党群工作部副部长", None, "矿党群办、经管科", None),
        ("L8", "生产职能科室", "人力资源部长", None, "矿党群办、经管科", None),
    ]


def test_topic_vocabulary_prefilled(blank):
    """主题词表 starts with the mine's topics and the words employees use (issue 16)."""
    rows = list(blank["主题词表"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["安全生产", "薪酬待遇", "劳动保护", "生活后勤", "教育培训", "职业发展",
                                    "经营管理", "设备物资", "党群工作"]
    words = {r[0]: r[1].split("、") for r in rows}
    for topic, word in [("生活后勤", "热水"), ("生活后勤", "班中餐"), ("生活后勤", "通勤车"), ("生活后勤", "澡堂"),
                        ("生活后勤", "宿舍"), ("生活后勤", "食堂"), ("薪酬待遇", "绩效二次分配")]:
        assert word in words[topic], (topic, word)
    assert rows[0][2] == "安全帽、安全带、安全鞋" and rows[1][2] is None


def test_every_setting_with_its_default(blank):
    from huitan_xl import settings

    rows = list(blank["规则配置"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 39
    assert rows[0] == ("每场人数上限", 10, "每场慧谈参会人数上限（人）")
    assert rows[1][:2] == ("默认答复时限(工作日)", 5)
    assert rows[5][:2] == ("覆盖周期", "自然年")
    assert rows[6][:2] == ("逾期未办理扣分", 2)
    assert rows[12][:2] == ("成效不理想扣分", 0)  # 0 is a value, not a blank
    assert rows[22][:2] == ("成效总览起始日期", None)
    assert rows[23][:2] == ("每周督办检查", "星期一 08:30")
    assert rows[28][:2] == ("通知邮箱", None)  # "" -> blank cell
    assert [r[:2] for r in rows[29:]] == [("重复反映相似度(%)", 40), ("重复反映时间窗(天)", 365), ("反复反映次数", 3),
                                         ("最小公示人数", 5), ("矿井名称", None), ("满意率权重", 40), ("解决率权重", 30),
                                         ("落实率权重", 30), ("无承办任务部门", "单列"), ("定时任务起始日期", None)]
    assert rows == [(n, None if d in (None, "") else d, desc) for n, d, desc in
                    ((p.name, p.default, p.description) for p in settings.PARAMETERS)]


def test_other_registers_start_empty(blank):
    for name in ("部门", "职工名册", "慧谈场次", "参会人员", "诉求台账", "合理化建议", "报告报送", "考核事项", "节假日"):
        assert blank[name].max_row == 1, name


def test_drop_down_lists_on_the_right_columns(blank):
    assert list_validations(blank["诉求台账"]) == {
        "E2:E2000": ('"问题意见,合理化建议,职工诉求"', "warning"),
        "H2:H2000": (YES_NO, "warning"),
        "S2:S2000": ('"满意,基本满意,不满意"', "warning"),
        "T2:T2000": (YES_NO, "warning"),
        "U2:U2000": (YES_NO, "warning"),
        "V2:V2000": ('"搪塞应付,推诿扯皮"', "warning"),
        "W2:W2000": ('"信访风险,管理风险"', "warning"),
    }
    assert list_validations(blank["职工名册"]) == {
        "C2:C2000": ('"男,女"', "warning"),
        "F2:F2000": (LEVEL_LIST, "warning"),
        "H2:H2000": (YES_NO, "warning"),
        "I2:I2000": (YES_NO, "warning"),
        "J2:J2000": ('"先进,一般,后进"', "warning"),
        "L2:L2000": ('"在职,离职"', "warning"),
    }
    assert list_validations(blank["慧谈场次"]) == {
        "C2:C2000": ('"八级慧谈,专题慧谈,专业慧谈,节点慧谈"', "warning"),
        "D2:D2000": (LEVEL_LIST, "warning"),
        "G2:G2000": ('"现场,视频"', "warning"),
    }
    assert list_validations(blank["合理化建议"]) == {
        "E2:E2000": ('"7S+建模,安全管理,生产经营,素能提升,节支降耗,其他"', "warning"),
        "G2:G2000": ('"合理,不合理"', "warning"),
        "J2:J2000": (YES_NO, "warning"),
        "K2:K2000": ('"未实施,实施中,已实施"', "warning"),
        "M2:M2000": ('"显著,良好,一般"', "warning"),
    }
    assert list_validations(blank["层级"]) == {"B2:B2000": (LEVEL_LIST, "warning")}
    assert list_validations(blank["部门"]) == {"C2:C2000": ('"职能科室,区队,其他"', "warning")}
    assert list_validations(blank["节假日"]) == {"B2:B2000": ('"休,班"', "warning")}
    for name in ("参会人员", "报告报送", "考核事项", "规则配置"):
        assert list_validations(blank[name]) == {}, name


def test_drop_down_has_chinese_error_and_prompt(blank):
    dv = next(dv for dv in blank["诉求台账"].data_validations.dataValidation if str(dv.sqref) == "V2:V2000")
    assert dv.error == "“办理问题”请从下拉列表中选择：搪塞应付、推诿扯皮。\n确需填写其他内容请点“是”。"
    assert (dv.promptTitle, dv.prompt) == ("办理问题", "督办员填写：搪塞应付 或 推诿扯皮；没有问题请留空。")
    assert dv.showErrorMessage and dv.showInputMessage


def test_date_columns_validate_dates_and_show_prompts(blank):
    dates = {str(dv.sqref): dv.promptTitle for dv in blank["诉求台账"].data_validations.dataValidation
             if dv.type == "date"}
    assert dates == {"L2:L2000": None, "M2:M2000": "答复时限", "N2:N2000": None, "O2:O2000": "延期批准",
                     "P2:P2000": None, "R2:R2000": None}
    prompts_only = {str(dv.sqref): dv.promptTitle for dv in blank["诉求台账"].data_validations.dataValidation
                    if dv.type is None}  # validate 'any': an input prompt only
    assert prompts_only == {"K2:K2000": "督办员"}


def test_validation_range_grows_with_rows(tmp_path):
    rows = [{"编号": f"T-{i}"} for i in range(1500)]
    wb = build_plain(tmp_path / "big.xlsx", {"诉求台账": sheets.register_builder("诉求台账", rows)})
    assert list_validations(wb["诉求台账"])["E2:E2500"] == ('"问题意见,合理化建议,职工诉求"', "warning")


def test_freeze_panes(blank):
    assert {name: blank[name].freeze_panes for name in HEADERS} == {
        "层级": "A2", "部门": "A2", "职工名册": "C2", "慧谈场次": "B2", "参会人员": "A2", "诉求台账": "B2",
        "合理化建议": "B2", "报告报送": "A2", "考核事项": "A2", "规则配置": "A2", "节假日": "A2", "主题词表": "A2"}


def test_date_columns_are_formatted_for_the_data_range(blank):
    ws = blank["诉求台账"]
    cols = columns(ws)
    assert {c: cols[c].number_format for c in "KLMNOPQR"} == {
        "K": "General", "L": "yyyy-mm-dd", "M": "yyyy-mm-dd", "N": "yyyy-mm-dd", "O": "yyyy-mm-dd",
        "P": "yyyy-mm-dd", "Q": "General", "R": "yyyy-mm-dd"}
    assert columns(blank["职工名册"])["A"].number_format == "@"  # 工号 keeps 00123


def test_column_widths_fit_chinese_headers(blank):
    for name, headers in HEADERS.items():
        got = widths(blank[name])
        for i, h in enumerate(headers):
            assert got[get_column_letter(i + 1)] >= display_width(h), (name, h)
    items = widths(blank["诉求台账"])
    assert items["L"] >= 12 and items["G"] >= 30 and items["X"] >= 12  # date, 内容, 状态 (逾期未答复)
    assert items["E"] >= display_width("合理化建议") + 2  # the longest choice fits beside the arrow


def test_rows_written_by_type_and_text_never_a_formula(tmp_path):
    rows = [{"编号": "00123", "内容": "=HYPERLINK(\"http://x\",\"点我\")", "交办日期": date(2026, 10, 9),
             "现场答复": "否", "应答复日期": date(2026, 10, 16), "逾期天数": 3}]
    wb = build_plain(tmp_path / "rows.xlsx", {"诉求台账": sheets.register_builder("诉求台账", rows)})
    ws = wb["诉求台账"]
    assert [(c.value, c.data_type) for c in (ws["A2"], ws["G2"], ws["H2"], ws["Z2"])] == [
        ("00123", "s"), ("=HYPERLINK(\"http://x\",\"点我\")", "s"), ("否", "s"), (3, "n")]
    assert (ws["L2"].value, ws["L2"].number_format) == (datetime(2026, 10, 9), "yyyy-mm-dd")
    assert (ws["Y1"].value, ws["Y2"].value, ws["Y2"].number_format) == (
        "应答复日期", datetime(2026, 10, 16), "yyyy-mm-dd")  # the tool's deadline column: a real date
    assert widths(ws)["G"] >= display_width("=HYPERLINK(\"http://x\",\"点我\")")


def test_unknown_row_key_is_refused():
    with pytest.raises(ValueError, match="问题描述"):
        sheets.register_builder("诉求台账", [{"编号": "T-1", "问题描述": "x"}])


# ---- 说明 --------------------------------------------------------------------

def test_readme_input_cells(blank):
    ws = blank["说明"]
    assert sheets.README_INPUTS == {"month": "B4", "period": "B5", "quarter": "B6", "year": "B7",
                                    "suggest_level": "B8", "suggest_count": "B9", "mine": "B10",
                                    "minutes_session": "B11"}
    labels = {k: ws.cell(row=ws[a].row, column=1).value for k, a in sheets.README_INPUTS.items()}
    assert labels == {"month": "统计月份", "period": "考核期间", "quarter": "奖励季度", "year": "考核年度",
                      "suggest_level": "建议层级", "suggest_count": "建议人数", "mine": "矿井名称",
                      "minutes_session": "纪要场次"}
    assert [(ws[a].value, ws[a].number_format) for a in sheets.README_INPUTS.values()] == (
        [(None, "@")] * 5 + [(None, "General"), (None, "@"), (None, "@")])
    assert list_validations(ws) == {"B8": (LEVEL_LIST, "warning")}
    assert ws["C4"].value == "月度分析用，如 2026-10；留空 = 上个月。"


def test_readme_names_every_sheet_and_how_to_run(blank):
    ws = blank["说明"]
    col_a = [c.value for c in ws["A"]]
    everything = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v)
    for name in sheets.INPUT_SHEET_ORDER + ["校验结果", "逾期督办", "考核扣分", "季度奖励", "月度分析", "季度评审",
                                            "年度考核", "覆盖率", "成效总览", "运行记录"]:
        assert col_a.count(name) >= 1, name
    for text in ("huitan overdue 台账.xlsx", "huitan schedule 台账.xlsx", "huitan init 台账.xlsx",
                 "D01 −2分", "5个工作日", "已办结", "100–500元", "L6 副区长（技术员）", "状态、应答复日期、逾期天数、督办提示"):
        assert text in everything, text


# ---- init (logic, with a stand-in writer) --------------------------------------

class FakeWorkbook:
    log: list = []

    def __init__(self, names):
        self._names = list(names)

    @classmethod
    def new(cls):
        cls.log.append(("new",))
        return cls([])

    @classmethod
    def open(cls, path):
        cls.log.append(("open", path.name))
        return cls(FakeWorkbook.existing)

    @property
    def sheet_names(self):
        return self._names

    structure_protected = False

    def put_sheet(self, name, build, *, after=None):
        assert callable(build)
        self.log.append(("put", name))
        self._names.append(name)

    def save(self, path=None, *, backup=True):
        self.log.append(("save", backup))
        return write.SaveResult(path, None, None)


@pytest.fixture
def fake(monkeypatch):
    FakeWorkbook.log = []
    monkeypatch.setattr(sheets.write, "Workbook", FakeWorkbook)
    return FakeWorkbook


def test_init_new_path_puts_every_sheet_readme_first(fake, tmp_path):
    res = sheets.init_workbook(tmp_path / "台账.xlsx")
    assert (res.created, res.added) == (True, sheets.INPUT_SHEET_ORDER)
    assert fake.log == [("new",)] + [("put", s) for s in sheets.INPUT_SHEET_ORDER] + [("save", False)]


def test_init_existing_adds_only_missing_sheets(fake, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"")
    fake.existing = ["Sheet1", " 诉求台账 ", "层级", "说明", "职工名册", "慧谈场次", "参会人员", "部门",
                     "报告报送", "考核事项", "节假日", "主题词表"]
    res = sheets.init_workbook(path)
    assert (res.path, res.created, res.added) == (path, False, ["合理化建议", "规则配置"])
    assert fake.log == [("open", "台账.xlsx"), ("put", "合理化建议"), ("put", "规则配置"), ("save", True)]


def test_init_existing_complete_writes_nothing(fake, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"")
    fake.existing = list(sheets.INPUT_SHEET_ORDER)
    res = sheets.init_workbook(path)
    assert (res.created, res.added) == (False, [])
    assert fake.log == [("open", "台账.xlsx")]


# ---- init with the real writer ---------------------------------------------------

def writer_works() -> bool:
    try:
        write.Workbook.new()
    except NotImplementedError:
        return False
    return True


needs_writer = pytest.mark.skipif(not writer_works(), reason="write.Workbook not implemented yet")


@needs_writer
@needs_corpus
def test_init_on_a_real_workbook_adds_only_missing_and_keeps_the_rest(tmp_path):
    path = tmp_path / "tealeg_v3.xlsx"
    shutil.copy(CORPUS / "tealeg_v3.xlsx", path)
    before = parts(path)
    original = openpyxl.load_workbook(path).sheetnames
    res = sheets.init_workbook(path)
    assert (res.created, res.added) == (False, sheets.INPUT_SHEET_ORDER)
    assert openpyxl.load_workbook(path).sheetnames == original + sheets.INPUT_SHEET_ORDER
    after = parts(path)
    for name, data in before.items():
        if name.startswith("xl/worksheets/") or name.startswith(("xl/comments", "xl/drawings/")):
            assert after[name] == data, name
    probe = subprocess.run([sys.executable, str(PROBE), str(CORPUS / "tealeg_v3.xlsx"), str(path)],
                           capture_output=True, text=True)
    assert probe.returncode == 0, probe.stdout

    again = path.read_bytes()
    res2 = sheets.init_workbook(path)
    assert (res2.created, res2.added) == (False, [])
    assert path.read_bytes() == again


@needs_writer
def test_init_new_workbook_reads_back(tmp_path):
    path = tmp_path / "新台账.xlsx"
    res = sheets.init_workbook(path)
    assert (res.created, res.added) == (True, sheets.INPUT_SHEET_ORDER)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == sheets.INPUT_SHEET_ORDER
    for name, expected in HEADERS.items():
        assert header(wb[name]) == expected, name
    assert wb["诉求台账"].freeze_panes == "B2"
    assert list_validations(wb["诉求台账"])["S2:S2000"] == ('"满意,基本满意,不满意"', "warning")
    assert wb["诉求台账"]["X1"].fill.fgColor.rgb == OWNED_FILL
    assert sheets.init_workbook(path).added == []


@needs_writer
def test_committed_template_is_what_the_code_makes(tmp_path):
    committed = ROOT / "workbooks" / "huitan.xlsx"
    made = tmp_path / "huitan.xlsx"
    sheets.build_template(made)
    if made.read_bytes() != committed.read_bytes():
        assert parts(made) == parts(committed)  # same parts, same bytes (zip metadata may differ)


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice not installed")
def test_template_renders_chinese_in_libreoffice(tmp_path):
    """Print to PDF as staff would: the Chinese text must come out as text, not boxes."""
    src = tmp_path / "blank.xlsx"
    build_plain(src, {s: sheets.sheet_builder(s) for s in ("说明", "诉求台账")})
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(src)], capture_output=True, timeout=180, check=True)
    text = subprocess.run(["pdftotext", str(tmp_path / "blank.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    for phrase in ("八级慧谈台账 使用说明", "统计月份", "huitan overdue 台账.xlsx", "延期批准日期", "督办提示"):
        assert phrase in text, phrase
