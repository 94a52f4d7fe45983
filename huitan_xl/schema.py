"""The register workbook's sheets and columns, declared as data (SPEC §9).

Each input sheet is a list of Fields: the canonical Chinese header, the
attribute of the record in model.py, the value type, whether it is required,
and aliases staff use for the same column. read.py is the only code that turns
cells into values using this table; write.py / template.py use it for headers.
"""
from __future__ import annotations

from dataclasses import dataclass

# ---- sheet names -----------------------------------------------------------
LEVELS = "层级"
DEPARTMENTS = "部门"
ROSTER = "职工名册"
SESSIONS = "慧谈场次"
ATTENDANCE = "参会人员"
ITEMS = "诉求台账"
SUGGESTIONS = "合理化建议"
REPORTS = "报告报送"
MANUAL = "考核事项"
SETTINGS = "规则配置"
HOLIDAYS = "节假日"
TOPICS = "主题词表"
README = "说明"

INPUT_SHEETS = [README, LEVELS, DEPARTMENTS, ROSTER, SESSIONS, ATTENDANCE, ITEMS, SUGGESTIONS,
                REPORTS, MANUAL, SETTINGS, HOLIDAYS, TOPICS]

# Tool-owned sheets, rebuilt on each run (SPEC §9)
FINDINGS_SHEET = "校验结果"
OVERDUE_SHEET = "逾期督办"
DEDUCTIONS_SHEET = "考核扣分"
REWARDS_SHEET = "季度奖励"
MONTHLY_SHEET = "月度分析"
QUARTERLY_SHEET = "季度评审"
ANNUAL_SHEET = "年度考核"
COVERAGE_SHEET = "覆盖率"
OVERVIEW_SHEET = "成效总览"
RUN_LOG_SHEET = "运行记录"

# Tool-owned columns (far right, distinct header colour)
ITEM_OWNED = ["状态", "应答复日期", "逾期天数", "督办提示"]  # 应答复日期: the effective deadline used
# the block as versions before 应答复日期 wrote it (ownership.BLOCKS recognises both)
LEGACY_ITEM_OWNED = ["状态", "逾期天数", "督办提示"]
SUGGESTION_OWNED = ["奖励金额", "奖励季度"]
# 诉求台账 columns the topic tagger and the recurring-request flagger own (rules/topics.py, recurring.py)
TOPIC_OWNED = ["主题（自动）", "主题依据", "重复反映"]

# ---- enumerations ----------------------------------------------------------
LEVEL_TABLE = [  # code, name, lead role, selecting units (SPEC §2)
    ("L1", "职工", "工会副主席", ("矿党群办", "安监处")),
    ("L2", "党员", "组织（副）科长", ("矿党群办", "安监处")),
    ("L3", "群监员（青安岗）", "群团工作骨干", ("矿党群办", "安监处")),
    ("L4", "班组长", "经管科（或劳资社保科）负责人", ("矿党群办", "安监处")),
    ("L5", "安监员", "宣传负责人", ("矿党群办", "安监处")),
    ("L6", "副区长（技术员）", "安培中心负责人", ("矿党群办", "经管科")),
    ("L7", "区长书记", "党群工作部副部长", ("矿党群办", "经管科")),
    ("L8", "生产职能科室", "人力资源部长", ("矿党群办", "经管科")),
]
LEVEL_NAMES = [row[1] for row in LEVEL_TABLE]
SESSION_KINDS = ["八级慧谈", "专题慧谈", "专业慧谈", "节点慧谈"]
CATEGORIES = ["问题意见", "合理化建议", "职工诉求"]
YES_NO = ["是", "否"]
SATISFACTION = ["满意", "基本满意", "不满意"]
PROBLEMS = ["搪塞应付", "推诿扯皮"]  # 办理问题
RISKS = ["信访风险", "管理风险"]  # 风险提示
TIERS = ["先进", "一般", "后进"]  # 表现档次
GENDERS = ["男", "女"]
EMPLOYMENT = ["在职", "离职"]
FORMS = ["现场", "视频"]
DEPARTMENT_KINDS = ["职能科室", "区队", "其他"]
SUGGESTION_FIELDS = ["7S+建模", "安全管理", "生产经营", "素能提升", "节支降耗", "其他"]
REASONABLE = ["合理", "不合理"]
IMPLEMENTATION = ["未实施", "实施中", "已实施"]
EFFECTS = ["显著", "良好", "一般"]
DAY_KINDS = ["休", "班"]

# ---- field types -------------------------------------------------------------
# str      text, stripped; numbers written in a text column become text ("00123" stays)
# deadline a date, or a span from 交办日期: 5个工作日 / 15天 (convert.to_deadline)
# date     Excel date, serial number or text date (2026-3-5, 2026/03/05, 2026.3.5, 2026年3月5日)
# int      whole number (also "1,000", "1000元")
# yesno    是/否 (also Y/N, √/×, 1/0, 是的) -> bool
# level    a level name or code in any common spelling -> code L1..L8
# enum     one of `choices` (near misses get "did you mean")
# list     several names split on 、 , ， ; ； / and whitespace -> tuple[str]
# month    2026-10, 2026年10月, an Excel date -> "2026-10"
# quarter  2026Q3, 2026年第三季度, 2026-Q3 -> "2026Q3"


@dataclass(frozen=True)
class Field:
    header: str
    attr: str
    type: str = "str"
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    key: bool = False  # the record's id (named in every finding about the row)


def F(header, attr, type="str", required=False, choices=(), aliases=(), key=False) -> Field:
    return Field(header, attr, type, required, tuple(choices), tuple(aliases), key)


SHEETS: dict[str, list[Field]] = {
    LEVELS: [
        F("层级代码", "code", aliases=("代码", "编码")),
        F("层级", "name", "level", required=True, key=True, aliases=("层级名称", "慧谈层级")),
        F("牵头人岗位", "lead_role", aliases=("牵头岗位",)),
        F("牵头人", "lead", aliases=("牵头人员", "牵头人姓名")),
        F("选人单位", "selecting_units", "list", aliases=("选人部门",)),
        F("每场人数上限", "max_attendees", "int", aliases=("人数上限",)),
    ],
    DEPARTMENTS: [
        F("部门", "name", required=True, key=True, aliases=("部门名称", "单位", "科室")),
        F("负责人", "head", aliases=("部门负责人",)),
        F("类型", "kind", "enum", choices=DEPARTMENT_KINDS, aliases=("部门类型",)),
    ],
    ROSTER: [
        F("工号", "id", required=True, key=True, aliases=("职工编号", "员工编号", "人员编号", "职工号", "员工号")),
        F("姓名", "name", required=True, aliases=("职工姓名", "员工姓名", "人员姓名")),
        F("性别", "gender", "enum", choices=GENDERS),
        F("单位", "unit", aliases=("所在单位", "所属单位", "部门", "所属部门")),
        F("岗位", "post", aliases=("工种", "职务", "职位", "岗位名称")),
        F("层级", "level", "level", aliases=("所属层级", "慧谈层级")),
        F("重点对象", "key_reason", aliases=("三必谈五必访", "重点对象原因")),
        F("三违", "violator", "yesno", aliases=("是否三违", "三违人员")),
        F("新入职大学生", "new_graduate", "yesno", aliases=("新入职", "新入职大学生（是/否）")),
        F("表现档次", "tier", "enum", choices=TIERS, aliases=("档次", "表现")),
        F("所在矿区", "area", aliases=("矿区",)),
        F("在职状态", "active", "enum", choices=EMPLOYMENT,
          aliases=("员工状态", "用工状态", "人员状态", "状态", "在职")),
        F("离职日期", "left_on", "date"),
    ],
    SESSIONS: [
        F("场次编号", "id", required=True, key=True, aliases=("场次", "编号")),
        F("日期", "date", "date", required=True, aliases=("慧谈日期", "召开日期")),
        F("类型", "kind", "enum", required=True, choices=SESSION_KINDS, aliases=("慧谈类型", "场次类型")),
        F("层级", "level", "level", aliases=("慧谈层级",)),
        F("主题", "topic"),
        F("牵头人", "lead", aliases=("牵头人员",)),
        F("形式", "form", "enum", choices=FORMS),
        F("地点", "place"),
        F("选人单位", "selecting_unit"),
        F("名单审核人", "reviewer", aliases=("审核人",)),
        F("审核日期", "reviewed_on", "date", aliases=("名单审核日期",)),
        F("邀请科室", "invited_departments", "list", aliases=("邀请部门",)),
        F("到会科室", "attending_departments", "list", aliases=("到会部门", "参会科室")),
        F("纪要日期", "minutes_on", "date", aliases=("会议纪要日期",)),
    ],
    ATTENDANCE: [
        F("场次编号", "session_id", required=True, aliases=("场次",)),
        F("工号", "person_id", required=True, key=True, aliases=("职工编号",)),
        F("姓名", "name"),
        F("备注", "note"),
    ],
    ITEMS: [
        F("编号", "id", required=True, key=True,
          aliases=("诉求编号", "登记编号", "承办单编号", "工单编号", "受理编号", "序号")),
        F("场次编号", "session_id", aliases=("场次", "场次号", "慧谈场次")),
        F("提出人工号", "proposer_id", aliases=("工号", "反映人工号", "职工编号")),
        F("提出人", "proposer", aliases=("提出人姓名", "反映人", "诉求人", "留言人", "来访人", "姓名")),
        F("类别", "category", "enum", choices=CATEGORIES, aliases=("诉求类别",)),
        F("主题标签", "tag", aliases=("标签", "主题", "问题类别", "诉求类型", "问题分类", "诉求分类",
                                     "问题类型")),
        F("内容", "content", aliases=("诉求内容", "问题内容", "反映问题", "问题描述", "留言详情", "反映内容",
                                   "诉求事项", "具体问题")),
        F("现场答复", "on_the_spot", "yesno", aliases=("是否现场答复",)),
        F("承办部门", "department", aliases=("责任部门", "办理部门", "主办部门")),
        F("承办负责人", "head", aliases=("负责人", "责任人", "承办人", "接收人", "办理人")),
        F("督办员", "supervisor", aliases=("督办领导",)),
        F("交办日期", "assigned", "date", aliases=("转办日期", "派单日期", "接收日期", "受理日期", "分派日期")),
        F("答复时限", "deadline", "deadline", aliases=("办理时限", "完成时限", "办结时限", "回复时限", "截止时间",
                                                             "要求完成日期")),
        F("延期至", "extended_to", "date", aliases=("延期日期", "延期时限", "延长至")),
        F("延期批准日期", "extension_approved", "date", aliases=("延期批准",)),
        F("答复日期", "replied", "date", aliases=("回复日期", "反馈日期", "办结日期", "完成日期")),
        F("答复意见", "reply", aliases=("回复意见", "答复内容", "办理结果", "办理情况", "解决方案", "回复内容",
                                     "处理结果", "处理意见", "反馈意见", "答复情况")),
        F("公示日期", "published", "date"),
        F("职工满意度", "satisfaction", "enum", choices=SATISFACTION,
          aliases=("满意度", "是否满意", "满意程度", "回访结果", "满意情况", "评价结果")),
        F("是否解决", "resolved", "yesno", aliases=("诉求是否解决", "解决情况", "是否办结")),
        F("是否落实", "implemented", "yesno", aliases=("问题是否落实", "落实情况")),
        F("办理问题", "problem", "enum", choices=PROBLEMS),
        F("风险提示", "risk", "enum", choices=RISKS),
        F("慧谈日期", "talk_date", "date", aliases=("谈话日期", "座谈日期", "召开日期")),  # not in the template
        F("提出人单位", "proposer_unit", aliases=("所在单位", "反映人单位", "诉求人单位", "提出人所在单位",
                                               "反映人所在单位", "来访人单位")),  # not in the template
    ],
    SUGGESTIONS: [
        F("编号", "id", required=True, key=True, aliases=("建议编号",)),
        F("来源编号", "source_id", aliases=("诉求编号",)),
        F("提出人工号", "proposer_ids", "list", aliases=("工号",)),
        F("提出人", "proposers", "list", required=True, aliases=("建议人",)),
        F("专业类别", "field", "enum", choices=SUGGESTION_FIELDS, aliases=("类别",)),
        F("建议内容", "content", aliases=("内容",)),
        F("合理性结论", "reasonable", "enum", choices=REASONABLE, aliases=("是否合理",)),
        F("论证说明", "argument"),
        F("转交部门", "forwarded_to"),
        F("是否采纳", "adopted", "yesno"),
        F("实施情况", "implementation", "enum", choices=IMPLEMENTATION),
        F("实施日期", "implemented_on", "date"),
        F("应用效果", "effect", "enum", choices=EFFECTS),
        F("创效金额", "benefit", "int", aliases=("创效金额（元）", "创效")),
        F("评审季度", "review_quarter", "quarter"),
        F("奖励金额", "paid_amount", "int"),
        F("奖励季度", "paid_quarter", "quarter"),
    ],
    REPORTS: [
        F("月份", "month", "month", required=True),
        F("单位", "unit", required=True, key=True, aliases=("部门",)),
        F("负责人", "head"),
        F("应报日期", "due", "date", aliases=("应报送日期",)),
        F("实报日期", "submitted", "date", aliases=("实际报送日期", "报送日期")),
    ],
    MANUAL: [
        F("日期", "date", "date", required=True),
        F("部门", "department", required=True, key=True),
        F("负责人", "head"),
        F("事由", "reason"),
        F("依据", "basis"),
        F("扣分", "points", "int"),
        F("备注", "note"),
    ],
    SETTINGS: [
        F("参数", "name", required=True, key=True, aliases=("参数名",)),
        F("值", "value", "raw", aliases=("数值", "取值")),
        F("说明", "description"),
    ],
    HOLIDAYS: [
        F("日期", "date", "date", required=True, key=True),
        F("类型", "kind", "enum", required=True, choices=DAY_KINDS),
        F("说明", "note"),
    ],
    TOPICS: [
        F("主题", "topic", required=True, key=True, aliases=("主题名称", "主题分类")),
        F("关键词", "keywords", "list", aliases=("关键字",)),
        F("排除词", "excludes", "list", aliases=("排除关键词", "排除")),
        F("说明", "note", aliases=("备注",)),
    ],
}

# Other words clerks write for a choice (by canonical header): 比较满意 is 基本满意, 一般 is
# counted as 基本满意 (neither 满意 nor 不满意), 是/否 in a 是否满意 column.
VALUE_SYNONYMS: dict[str, dict[str, str]] = {
    "职工满意度": {"非常满意": "满意", "很满意": "满意", "十分满意": "满意", "是": "满意", "满意度高": "满意",
                "比较满意": "基本满意", "较满意": "基本满意", "还算满意": "基本满意", "一般": "基本满意",
                "不太满意": "不满意", "很不满意": "不满意", "非常不满意": "不满意", "否": "不满意"},
}

# Header words clerks use interchangeably: after squashing, a header's ending is replaced by
# the stem (longest first) on both sides of a comparison, so 交办时间 = 交办日期 = 交办日,
# 责任单位 = 责任部门 = 责任科室, 督办人 = 督办员, 办理期限 = 办理截止 = 办理时限 (columnmap.stem).
HEADER_ENDINGS: tuple[tuple[str, str], ...] = (
    ("截止时间", "时限"), ("截止日期", "时限"), ("截止日", "时限"), ("期限", "时限"), ("截止", "时限"),
    ("时间", "日期"), ("日期", "日期"), ("日", "日期"),
    ("单位", "部门"), ("科室", "部门"),
    ("员", "人"),
)

# Other sheet names clerks give the register sheets (besides the canonical one)
SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    ITEMS: ("诉求台帐", "八级慧谈诉求台账", "慧谈诉求台账", "诉求登记表", "诉求清单", "问题台账", "问题清单",
            "职工诉求台账", "诉求办理台账"),
    ROSTER: ("职工花名册", "花名册", "人员名册", "员工名册", "职工名单"),
    SESSIONS: ("慧谈记录", "场次"),
    SUGGESTIONS: ("合理化建议台账", "金点子"),
}

# Fields read from a clerk's register that the template does not lay out (it has 场次编号)
NOT_IN_TEMPLATE = {(ITEMS, "慧谈日期"), (ITEMS, "提出人单位")}

# Sheets a job needs before it can run at all (missing -> exit 2)
REQUIRED_COLUMNS: dict[str, list[str]] = {
    ITEMS: ["编号"],
}
