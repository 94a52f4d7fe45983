"""规则配置: every configurable number of SPEC §4–7 (and the schedule), with defaults.

The 规则配置 sheet has rows 参数 | 值 | 说明. A missing row takes the default
below; a value that cannot be read is a finding and takes the default.

One table of records, PARAMETERS: the sheet's name, the attribute, the default, the
说明 text and, for a number, its sane range. The Settings dataclass, BY_NAME and RANGES
are derived from it, so a new parameter is one line here.
"""
from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass


@dataclass(frozen=True)
class Parameter:
    name: str  # as in the 规则配置 sheet
    attr: str  # the Settings attribute
    default: object  # int, str, or None for a date left blank
    description: str  # the sheet's 说明 (Chinese)
    # inclusive sane range of an integer: outside it an R04 finding naming the 规则配置 cell,
    # and the default is used (10^20 working days would otherwise walk the calendar for millennia)
    range: tuple[int, int] | None = None


P = Parameter
POINTS = (-100, 100)
YUAN = (0, 100_000)
BENEFIT = (0, 10_000_000_000)
WEIGHT = (0, 100)

PARAMETERS: list[Parameter] = [
    P("每场人数上限", "max_attendees", 10, "每场慧谈参会人数上限（人）", (1, 500)),
    P("默认答复时限(工作日)", "default_reply_days", 5,  # up to 250 working days: about a year
      "承办单未填答复时限时，交办日期后多少个工作日内答复", (1, 250)),
    P("即将到期提示(工作日)", "due_soon_days", 2, "距答复时限不超过多少个工作日时提示“即将到期”", (0, 60)),
    P("通报阈值(工作日)", "report_after_days", 5, "逾期达到多少个工作日时升级为“通报”", (1, 250)),
    P("公示时限(工作日)", "publish_days", 5, "答复后多少个工作日内应公示", (1, 250)),
    P("覆盖周期", "coverage_period", "自然年", "覆盖率统计周期：自然年 / 季度 / 全部"),
    # points may be written as -2 or 2: the same deduction
    P("逾期未办理扣分", "points_d01", 2, "D01 承办单逾期未办理，每件扣分", POINTS),
    P("搪塞应付扣分", "points_d02", 1, "D02 搪塞应付，每件扣分", POINTS),
    P("推诿扯皮扣分", "points_d03", 1, "D03 推诿扯皮，每件扣分", POINTS),
    P("不派员参加慧谈扣分", "points_d04", 1, "D04 受邀科室未派员参加慧谈，每次扣分", POINTS),
    P("未按时上报思想动态报告扣分", "points_d05", 1, "D05 职工思想动态报告迟报或未报，每次扣分", POINTS),
    P("不服从工作安排扣分", "points_d06", 1, "D06 其他不服从工作安排（考核事项表未填扣分时），每次扣分", POINTS),
    P("成效不理想扣分", "points_d07", 0, "D07 成效不理想或合理建议不采纳，每件扣分（默认只问责不扣分）", POINTS),
    P("应用效果-显著", "reward_effect_significant", 300, "应用效果“显著”的基础奖励（元）", YUAN),
    P("应用效果-良好", "reward_effect_good", 200, "应用效果“良好”的基础奖励（元）", YUAN),
    P("应用效果-一般", "reward_effect_fair", 100, "应用效果“一般”的基础奖励（元）", YUAN),
    P("创效一档金额", "benefit_tier1", 10000, "创效金额达到此数（元）加奖一档", BENEFIT),
    P("创效一档加奖", "benefit_bonus1", 100, "创效一档加奖（元）", YUAN),
    P("创效二档金额", "benefit_tier2", 100000, "创效金额达到此数（元）加奖二档", BENEFIT),
    P("创效二档加奖", "benefit_bonus2", 200, "创效二档加奖（元）", YUAN),
    P("单条奖励上限", "reward_cap", 500, "每条建议奖励上限（元）", (0, 1_000_000)),
    P("单条奖励下限", "reward_floor", 100, "每条符合条件的建议奖励下限（元）", (0, 1_000_000)),
    P("成效总览起始日期", "overview_start", None, "成效总览统计起始日期（空：工作簿中最早的慧谈日期）"),
    P("每周督办检查", "schedule_weekly", "星期一 08:30", "每周逾期督办检查的时间"),
    P("月度报告时间", "schedule_monthly", "1日 08:30", "每月生成上月月度分析的日期和时间"),
    P("季度奖惩时间", "schedule_quarterly", "首个工作日 09:00", "每季度首个工作日生成上季度扣分与奖励"),
    P("年度考核时间", "schedule_annual", "首个工作日 09:30", "每年一月首个工作日生成上年度考核"),
    P("通知Webhook", "notify_webhook", "", "企业微信或钉钉群机器人地址（可空）"),
    P("通知邮箱", "notify_email", "", "接收通知的邮箱，多个用分号分隔（可空）"),
    P("重复反映相似度(%)", "recurring_similarity", 40, "两条诉求内容相似度达到多少（0–100）视为同一诉求再次反映", (0, 100)),
    P("重复反映时间窗(天)", "recurring_window_days", 365, "与多少天内提出的诉求比对是否重复反映", (1, 3660)),
    P("反复反映次数", "recurring_times", 3, "同一诉求反映达到多少次列入月度分析“反复反映”（老大难）", (2, 1000)),
    P("最小公示人数", "min_public_group", 5, "公示材料中按单位或层级列示时，不足此人数的单位并入“其他”，以免认出个人", (1, 10_000)),
    P("矿井名称", "mine_name", "", "报表标题中的矿井名称（空：用“说明”表的矿井名称）"),
    P("满意率权重", "weight_satisfaction", 40,
      "年度考核综合得分中“职工是否满意”（满意率）的权重；综合得分 = Σ(权重 × 比率) ÷ Σ权重，只计有比率的项", WEIGHT),
    P("解决率权重", "weight_resolution", 30, "年度考核综合得分中“诉求是否解决”（解决率）的权重", WEIGHT),
    P("落实率权重", "weight_implementation", 30, "年度考核综合得分中“问题是否落实”（落实率）的权重", WEIGHT),
    P("无承办任务部门", "idle_departments", "单列", "年度考核中本年度无承办任务的部门：单列（列于排名之后，不参与排名）/ 参与排名"),
    P("定时任务起始日期", "schedule_start", None, "定时运行补做月度、季度、年度任务的起始日期（空：台账中最早的慧谈场次日期）"),
]
del P

BY_NAME: dict[str, Parameter] = {p.name: p for p in PARAMETERS}
RANGES: dict[str, tuple[int, int]] = {p.attr: p.range for p in PARAMETERS if p.range is not None}


def _points(self, code: str) -> int:
    """Points deducted for a D-code, as a positive int (the ledger shows it negative)."""
    return abs(int(getattr(self, "points_" + code.lower())))


# The settings of one workbook: one attribute per parameter, its default from the table.
Settings = make_dataclass(
    "Settings",
    [(p.attr, type(p.default) if p.default is not None else object, field(default=p.default))
     for p in PARAMETERS],
    namespace={"points": _points, "__doc__": "规则配置 values of one workbook (defaults: PARAMETERS)."})
Settings.__module__ = __name__  # pickled by name (consolidate's worker processes)
