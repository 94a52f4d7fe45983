"""规则配置: every configurable number of SPEC §4–7 (and the schedule), with defaults.

The 规则配置 sheet has rows 参数 | 值 | 说明. A missing row takes the default
below; a value that cannot be read is a finding and takes the default.
"""
from __future__ import annotations

from dataclasses import dataclass

# (parameter name as in the sheet, attribute, default, Chinese description)
PARAMETERS: list[tuple[str, str, object, str]] = [
    ("每场人数上限", "max_attendees", 10, "每场慧谈参会人数上限（人）"),
    ("默认答复时限(工作日)", "default_reply_days", 5, "承办单未填答复时限时，交办日期后多少个工作日内答复"),
    ("即将到期提示(工作日)", "due_soon_days", 2, "距答复时限不超过多少个工作日时提示“即将到期”"),
    ("通报阈值(工作日)", "report_after_days", 5, "逾期达到多少个工作日时升级为“通报”"),
    ("公示时限(工作日)", "publish_days", 5, "答复后多少个工作日内应公示"),
    ("覆盖周期", "coverage_period", "自然年", "覆盖率统计周期：自然年 / 季度 / 全部"),
    ("逾期未办理扣分", "points_d01", 2, "D01 承办单逾期未办理，每件扣分"),
    ("搪塞应付扣分", "points_d02", 1, "D02 搪塞应付，每件扣分"),
    ("推诿扯皮扣分", "points_d03", 1, "D03 推诿扯皮，每件扣分"),
    ("不派员参加慧谈扣分", "points_d04", 1, "D04 受邀科室未派员参加慧谈，每次扣分"),
    ("未按时上报思想动态报告扣分", "points_d05", 1, "D05 职工思想动态报告迟报或未报，每次扣分"),
    ("不服从工作安排扣分", "points_d06", 1, "D06 其他不服从工作安排（考核事项表未填扣分时），每次扣分"),
    ("成效不理想扣分", "points_d07", 0, "D07 成效不理想或合理建议不采纳，每件扣分（默认只问责不扣分）"),
    ("应用效果-显著", "reward_effect_significant", 300, "应用效果“显著”的基础奖励（元）"),
    ("应用效果-良好", "reward_effect_good", 200, "应用效果“良好”的基础奖励（元）"),
    ("应用效果-一般", "reward_effect_fair", 100, "应用效果“一般”的基础奖励（元）"),
    ("创效一档金额", "benefit_tier1", 10000, "创效金额达到此数（元）加奖一档"),
    ("创效一档加奖", "benefit_bonus1", 100, "创效一档加奖（元）"),
    ("创效二档金额", "benefit_tier2", 100000, "创效金额达到此数（元）加奖二档"),
    ("创效二档加奖", "benefit_bonus2", 200, "创效二档加奖（元）"),
    ("单条奖励上限", "reward_cap", 500, "每条建议奖励上限（元）"),
    ("单条奖励下限", "reward_floor", 100, "每条符合条件的建议奖励下限（元）"),
    ("成效总览起始日期", "overview_start", None, "成效总览统计起始日期（空：工作簿中最早的慧谈日期）"),
    ("每周督办检查", "schedule_weekly", "星期一 08:30", "每周逾期督办检查的时间"),
    ("月度报告时间", "schedule_monthly", "1日 08:30", "每月生成上月月度分析的日期和时间"),
    ("季度奖惩时间", "schedule_quarterly", "首个工作日 09:00", "每季度首个工作日生成上季度扣分与奖励"),
    ("年度考核时间", "schedule_annual", "首个工作日 09:30", "每年一月首个工作日生成上年度考核"),
    ("通知Webhook", "notify_webhook", "", "企业微信或钉钉群机器人地址（可空）"),
    ("通知邮箱", "notify_email", "", "接收通知的邮箱，多个用分号分隔（可空）"),
    ("重复反映相似度(%)", "recurring_similarity", 40, "两条诉求内容相似度达到多少（0–100）视为同一诉求再次反映"),
    ("重复反映时间窗(天)", "recurring_window_days", 365, "与多少天内提出的诉求比对是否重复反映"),
    ("反复反映次数", "recurring_times", 3, "同一诉求反映达到多少次列入月度分析“反复反映”（老大难）"),
    ("最小公示人数", "min_public_group", 5, "公示材料中按单位或层级列示时，不足此人数的单位并入“其他”，以免认出个人"),
    ("矿井名称", "mine_name", "", "报表标题中的矿井名称（空：用“说明”表的矿井名称）"),
    ("满意率权重", "weight_satisfaction", 40,
     "年度考核综合得分中“职工是否满意”（满意率）的权重；综合得分 = Σ(权重 × 比率) ÷ Σ权重，只计有比率的项"),
    ("解决率权重", "weight_resolution", 30, "年度考核综合得分中“诉求是否解决”（解决率）的权重"),
    ("落实率权重", "weight_implementation", 30, "年度考核综合得分中“问题是否落实”（落实率）的权重"),
    ("无承办任务部门", "idle_departments", "单列",
     "年度考核中本年度无承办任务的部门：单列（列于排名之后，不参与排名）/ 参与排名"),
    ("定时任务起始日期", "schedule_start", None, "定时运行补做月度、季度、年度任务的起始日期（空：台账中最早的慧谈场次日期）"),
]


# The sane range of every configurable number (inclusive): a value outside it is an R04
# finding naming the 规则配置 cell, and the default is used (10^20 working days would
# otherwise walk the calendar for millennia).
RANGES: dict[str, tuple[int, int]] = {
    "max_attendees": (1, 500),
    "default_reply_days": (1, 250),  # working days: about a year
    "due_soon_days": (0, 60),
    "report_after_days": (1, 250),
    "publish_days": (1, 250),
    **{f"points_d0{i}": (-100, 100) for i in range(1, 8)},  # written as -2 or 2: the same deduction
    "reward_effect_significant": (0, 100_000),
    "reward_effect_good": (0, 100_000),
    "reward_effect_fair": (0, 100_000),
    "benefit_tier1": (0, 10_000_000_000),
    "benefit_bonus1": (0, 100_000),
    "benefit_tier2": (0, 10_000_000_000),
    "benefit_bonus2": (0, 100_000),
    "reward_cap": (0, 1_000_000),
    "reward_floor": (0, 1_000_000),
    "recurring_similarity": (0, 100),
    "recurring_window_days": (1, 3660),
    "recurring_times": (2, 1000),
    "min_public_group": (1, 10_000),
    "weight_satisfaction": (0, 100),
    "weight_resolution": (0, 100),
    "weight_implementation": (0, 100),
}


@dataclass
class Settings:
    max_attendees: int = 10
    default_reply_days: int = 5
    due_soon_days: int = 2
    report_after_days: int = 5
    publish_days: int = 5
    coverage_period: str = "自然年"
    points_d01: int = 2
    points_d02: int = 1
    points_d03: int = 1
    points_d04: int = 1
    points_d05: int = 1
    points_d06: int = 1
    points_d07: int = 0
    reward_effect_significant: int = 300
    reward_effect_good: int = 200
    reward_effect_fair: int = 100
    benefit_tier1: int = 10000
    benefit_bonus1: int = 100
    benefit_tier2: int = 100000
    benefit_bonus2: int = 200
    reward_cap: int = 500
    reward_floor: int = 100
    overview_start: object = None  # date | None
    schedule_weekly: str = "星期一 08:30"
    schedule_monthly: str = "1日 08:30"
    schedule_quarterly: str = "首个工作日 09:00"
    schedule_annual: str = "首个工作日 09:30"
    recurring_similarity: int = 40
    recurring_window_days: int = 365
    recurring_times: int = 3
    min_public_group: int = 5
    mine_name: str = ""
    weight_satisfaction: int = 40
    weight_resolution: int = 30
    weight_implementation: int = 30
    idle_departments: str = "单列"
    schedule_start: object = None  # date | None
    notify_webhook: str = ""
    notify_email: str = ""

    def points(self, code: str) -> int:
        """Points deducted for a D-code, as a positive int (the ledger shows it negative)."""
        return abs(int(getattr(self, "points_" + code.lower())))


BY_NAME = {name: (attr, default, desc) for name, attr, default, desc in PARAMETERS}
