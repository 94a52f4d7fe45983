"""Frozen records read from the registers.

Every record keeps ``src``: the sheet and the Excel row (as Excel shows it) it
came from, so each finding can point where a clerk would look. Names follow the
glossary in STYLE.md. Money and points are ints. Optional values are None when
the cell is empty (or could not be parsed: the parse problem is a Finding).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from fractions import Fraction
from enum import StrEnum
from typing import Iterable


class TicketState(StrEnum):
    """A ticket's 状态 (SPEC §5). The members are the Chinese strings themselves, so the
    cells, sheets, JSON and messages written stay exactly as they were."""
    ON_THE_SPOT = "现场答复"  # answered at the session: not a ticket
    PENDING = "待答复"
    OVERDUE_OPEN = "逾期未答复"
    ON_TIME = "按期答复"
    LATE = "逾期答复"
    CLOSED = "已办结"  # replied, resolved and implemented


class Hint(StrEnum):
    """A ticket's 督办提示 on the supervision ladder; no hint is the plain "" (NO_HINT)."""
    DUE_SOON = "即将到期"
    URGE = "催办"
    REPORT = "通报"
    UNSATISFACTORY = "成效不理想"


NO_HINT = ""


@dataclass(frozen=True)
class Src:
    sheet: str
    row: int  # Excel row number, 1-based, as Excel shows it


@dataclass(frozen=True)
class Level:  # 层级
    code: str  # L1..L8
    name: str  # canonical name, e.g. 群监员（青安岗）
    lead_role: str  # 牵头人岗位
    lead: str  # 牵头人 (a person's name), may be ""
    selecting_units: tuple[str, ...]  # 选人单位, e.g. ("矿党群办", "安监处")
    max_attendees: int | None  # 每场人数上限 on this row (None: use the setting)
    src: Src | None = None


@dataclass(frozen=True)
class Department:  # 部门
    name: str
    head: str  # 负责人
    kind: str  # 职能科室 / 区队 / 其他
    src: Src | None = None


@dataclass(frozen=True)
class Person:  # 职工名册
    id: str  # 工号 (always text; 00123 keeps its zeros)
    name: str
    gender: str  # 男 / 女 / ""
    unit: str  # 单位
    post: str  # 岗位
    level: str | None  # level code L1..L8, None if unknown
    key_reason: str  # 重点对象 (三必谈五必访 reason), "" if none
    violator: bool  # 三违
    new_graduate: bool  # 新入职大学生
    tier: str  # 表现档次: 先进 / 一般 / 后进 / ""
    area: str  # 所在矿区
    active: bool  # 在职状态 == 在职
    left_on: date | None  # 离职日期
    src: Src | None = None

    def active_on(self, d: date) -> bool:
        """Active on day d: 在职, or left after d (a member who left the day
        after the session was still active on the session day)."""
        if self.left_on is not None:
            return d < self.left_on
        return self.active


@dataclass(frozen=True)
class Session:  # 慧谈场次
    id: str  # 场次编号
    date: date | None
    kind: str  # 八级慧谈 / 专题慧谈 / 专业慧谈 / 节点慧谈
    level: str | None  # level code
    topic: str
    lead: str  # 牵头人
    form: str  # 现场 / 视频
    place: str
    selecting_unit: str  # 选人单位
    reviewer: str  # 名单审核人
    reviewed_on: date | None  # 审核日期
    invited_departments: tuple[str, ...]  # 邀请科室 (split on 、,，;/ and spaces)
    attending_departments: tuple[str, ...]  # 到会科室
    minutes_on: date | None  # 纪要日期
    src: Src | None = None

    @property
    def regular(self) -> bool:
        return self.kind == "八级慧谈"


@dataclass(frozen=True)
class Attendance:  # 参会人员
    session_id: str
    person_id: str  # 工号
    name: str
    note: str
    src: Src | None = None


@dataclass(frozen=True)
class Item:  # 诉求台账: one row; a ticket unless answered on the spot
    id: str  # 编号
    session_id: str
    proposer_id: str
    proposer: str
    category: str  # 问题意见 / 合理化建议 / 职工诉求
    tag: str  # 主题标签
    content: str
    on_the_spot: bool  # 现场答复 == 是
    department: str  # 承办部门
    head: str  # 承办负责人
    supervisor: str  # 督办员
    assigned: date | None  # 交办日期
    deadline: date | None  # 答复时限 as written (None: compute the default)
    extended_to: date | None  # 延期至
    extension_approved: date | None  # 延期批准日期
    replied: date | None  # 答复日期
    reply: str  # 答复意见
    published: date | None  # 公示日期
    satisfaction: str  # 满意 / 基本满意 / 不满意 / ""
    resolved: bool | None  # 是否解决 (None: blank)
    implemented: bool | None  # 是否落实
    problem: str  # 办理问题: 搪塞应付 / 推诿扯皮 / ""
    risk: str  # 风险提示: 信访风险 / 管理风险 / ""
    src: Src | None = None
    talk_date: date | None = None  # 慧谈日期 written in the row (a clerk's register has no 场次编号)
    deadline_offset: "tuple[int, bool] | None" = None  # 答复时限 written as 5个工作日: (days, workdays)
    proposer_unit: str = ""  # 提出人单位 written in the row (a clerk's 所在单位); the roster's unit comes first

    @property
    def is_ticket(self) -> bool:
        return not self.on_the_spot


@dataclass(frozen=True)
class Suggestion:  # 合理化建议
    id: str  # 编号
    source_id: str  # 来源编号 (the item it came from)
    proposer_ids: tuple[str, ...]  # 提出人工号, split like proposers
    proposers: tuple[str, ...]  # 提出人, split on 、 , ， ; /
    field: str  # 专业类别
    content: str
    reasonable: bool | None  # 合理性结论: 合理 -> True, 不合理 -> False
    argument: str  # 论证说明
    forwarded_to: str  # 转交部门
    adopted: bool | None  # 是否采纳
    implementation: str  # 未实施 / 实施中 / 已实施 / ""
    implemented_on: date | None  # 实施日期
    effect: str  # 应用效果: 显著 / 良好 / 一般 / ""
    benefit: int | None  # 创效金额, whole yuan
    review_quarter: str  # 评审季度 normalised to "2026Q3", "" if blank
    paid_amount: int | None  # 奖励金额 (tool-owned, from an earlier run)
    paid_quarter: str  # 奖励季度 (tool-owned), "" if never paid
    src: Src | None = None


@dataclass(frozen=True)
class ReportSubmission:  # 报告报送
    month: str  # "2026-10"
    unit: str
    head: str
    due: date | None  # 应报日期
    submitted: date | None  # 实报日期
    src: Src | None = None


@dataclass(frozen=True)
class ManualEvent:  # 考核事项 (D06)
    date: date | None
    department: str
    head: str
    reason: str  # 事由
    basis: str  # 依据
    points: int | None  # 扣分 (positive number of points deducted; None: default)
    note: str
    src: Src | None = None


@dataclass(frozen=True)
class TopicRule:  # 主题词表: one topic and the words that put an item under it
    topic: str  # 主题
    keywords: tuple[str, ...]  # 关键词 (split on 、 , ， ; / and spaces)
    excludes: tuple[str, ...]  # 排除词: an item whose content holds one is not put under this topic
    note: str  # 说明
    src: Src | None = None


@dataclass(frozen=True)
class DayOverride:  # 节假日
    date: date
    kind: str  # 休 (day off) / 班 (working day)
    note: str
    src: Src | None = None


@dataclass(frozen=True)
class SheetLayout:
    """Where a sheet's table sits, for writing tool-owned columns back."""

    name: str
    header_row: int  # Excel row of the header
    columns: dict[str, int]  # canonical header -> Excel column (1-based)
    max_column: int  # right-most used column (1-based)
    max_row: int  # last used Excel row
    data_rows: tuple[int, ...] = ()  # Excel rows that hold a record
    owned: dict = field(default_factory=dict)  # tool-owned header -> Excel column (ownership.py)
    owned_text: dict = field(default_factory=dict)  # tool-owned header -> header as it stands (状态（系统）)
    written: dict = field(default_factory=dict)  # canonical header -> her header as written (交办时间)
    print_last_column: int = 0  # right-most column of a print area she set (new owned columns go after it)

    def header(self, canonical: str) -> str:
        """The header text a finding names for a field: hers as written, else the canonical one."""
        return self.written.get(canonical) or canonical


@dataclass
class Registers:
    """Everything read from one workbook."""

    path: str
    levels: list[Level] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    reports: list[ReportSubmission] = field(default_factory=list)
    manual_events: list[ManualEvent] = field(default_factory=list)
    day_overrides: list[DayOverride] = field(default_factory=list)
    topic_rules: list[TopicRule] | None = None  # 主题词表; None: the workbook has no such sheet
    settings: "object | None" = None  # huitan_xl.settings.Settings
    run_log: list[list] = field(default_factory=list)  # existing 运行记录 rows (values), header excluded
    layouts: dict[str, SheetLayout] = field(default_factory=dict)
    sheet_names: list[str] = field(default_factory=list)
    findings: list = field(default_factory=list)  # list[Finding] from reading
    located: dict = field(default_factory=dict)  # register -> the sheet that holds it
    located_by: dict = field(default_factory=dict)  # register -> 名称 / 表头 / 列名对照
    reading: dict = field(default_factory=dict)  # register -> table_rows.SheetInfo
    source: "object | None" = None  # xlsx.save.Fingerprint of the file as read (None: values from Excel)
    marks: "object | None" = None  # ownership.Marks read from the file

    def header(self, sheet: str, canonical: str) -> str:
        """Her header for `canonical` on register `sheet` (findings name the cell she sees)."""
        layout = self.layouts.get(sheet)
        return layout.header(canonical) if layout is not None else canonical


def build_records(cls: type, columns: Iterable[Iterable]) -> list:
    """[cls(*row) for row in zip(*columns)] (one iterable per field of the frozen record class
    `cls`, in field order) without the frozen __init__, which pays a Python call and a looked-up
    object.__setattr__ per field of every record (100k 诉求台账 rows of 27 fields: 0.55 -> 0.32 s).
    Each record's attributes are put in its __dict__ in field order, as __init__ puts them, so it
    compares, hashes and prints alike and stays frozen; none of these classes has a
    __post_init__ or a field outside __init__. The cost: each record carries its own dict
    object (some 64 bytes) where __init__'s keeps the values inline, so Src (two fields, where
    __init__ is cheap) is not built here."""
    return records_from_rows(cls, zip(*columns))


def records_from_rows(cls: type, rows: Iterable[Iterable]) -> list:
    """[cls(*row) for row in rows], as build_records makes them (one value per field, in field
    order): for records worked out row by row, such as the tickets' statuses."""
    names = [f.name for f in fields(cls)]
    new = object.__new__
    records = []
    append = records.append
    for values in rows:
        record = new(cls)
        record.__dict__.update(zip(names, values))
        append(record)
    return records


@dataclass(frozen=True)
class Ratio:
    """A rate as its two counts (集团汇总's figures): the value is None when nothing was due."""

    numerator: int
    denominator: int

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None
