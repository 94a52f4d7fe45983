"""The hard benchmark register: a register shaped like a big mine's after two years of
clerk work, beside the demo-shaped one (issue 13).

Every 诉求台账 row is a ticket (no 现场答复 column), in the 17 columns a clerk keeps, assigned
over two years up to the cut-off, contents of 20–100 Chinese characters, and the
outcomes that make the weekly job work hard: about a quarter overdue and unanswered at
the cut-off, about a third answered but 不满意 or 未解决 (still supervised as 成效不理想),
most replies late. The other sheets (roster, sessions, attendance, suggestions ...) come
from the demo generator at the same size; their item references are kept valid.

Seeded: the same size, seed and cut-off give the same workbook.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

HARD_COLUMNS = ["编号", "场次编号", "提出人工号", "提出人", "类别", "内容", "承办部门", "承办负责人",
                "督办员", "交办日期", "答复时限", "答复日期", "答复意见", "公示日期", "职工满意度",
                "是否解决", "是否落实"]
OVERDUE_OPEN = 0.25  # overdue and unanswered at the cut-off
WEAK = 0.34  # answered, but 不满意 or 未解决
LATE_REPLY = 0.7  # of the answered: replied after the deadline

_OPENINGS = ["{unit}职工反映", "{unit}{post}提出", "据{unit}班组反映", "职工代表提出", "{unit}多名职工反映",
             "在{month}月慧谈会上，{unit}职工提出"]
_CLAUSES = ["井下一线岗位津贴标准多年未调整", "夜班补助发放时间不固定", "绩效工资二次分配办法没有公开",
            "工作面顶板支护材料到位不及时", "运输巷行人与车辆混行存在隐患", "井下安全培训实操内容偏少",
            "职工食堂夜班饭菜品种少", "单身公寓热水供应时间太短", "通勤班车发车时间与交接班衔接不上",
            "技能等级晋升的条件和时间安排不明确", "技术岗位竞聘信息公开不够及时", "风镐和手持钻机老化故障多",
            "采煤机截齿更换时间过长", "皮带机托辊更换频次高", "防尘口罩透气性差", "劳保用品发放标准与实际磨损不符",
            "电工取证培训需要到外地参加", "澡堂更衣柜数量不足", "井口候车室冬季取暖不足", "矿灯充电架损坏多处未修"]
_ASKS = ["希望尽快研究解决", "请相关科室给予答复", "希望按新办法重新核定", "建议增设专人负责并定期检查",
         "希望公开办理进度", "请在下月前落实", "希望和工资一起按月发放", "建议纳入年度计划统一安排"]
_REPLIES = ["已按诉求办理完毕，并向提出人当面反馈", "已制定整改方案，分步实施", "经研究，按现行制度执行并作解释说明",
            "已协调相关单位落实，后续纳入日常管理", "已列入下季度计划，资金落实后实施"]
_POSTS = ["采煤工", "掘进工", "电工", "班长", "技术员", "安监员"]
_UNITS = ["综采一队", "综采二队", "掘进一队", "掘进二队", "机电队", "运输区", "通风区"]


def _content(rng: random.Random) -> str:
    """20–100 characters of clerk prose."""
    target = rng.randint(20, 100)
    text = rng.choice(_OPENINGS).format(unit=rng.choice(_UNITS), post=rng.choice(_POSTS),
                                        month=rng.randint(1, 12)) + "，"
    while len(text) < target:
        text += rng.choice(_CLAUSES) + "，" + rng.choice(_ASKS) + "；"
    return text[:target - 1] + "。"


def hard_items(n: int, pool: list[dict], as_of: date, cal, seed: int) -> list[dict]:
    """`n` ticket rows (dicts keyed by HARD_COLUMNS); who and where come from `pool`
    (the demo's ticket rows: session, proposer, category, department, head, supervisor),
    row k < len(pool) keeps pool row k's 编号 (so references to it stay valid)."""
    rng = random.Random(seed)
    start = date(as_of.year - 2, as_of.month, as_of.day) + timedelta(days=1)
    days = [start + timedelta(days=i) for i in range((as_of - start).days + 1)]
    workdays = [d for d in days if cal.is_workday(d)]
    width = max(6, len(str(n)))
    rows = []
    for k in range(n):
        src = pool[k % len(pool)]
        assigned = workdays[rng.randrange(len(workdays))]
        deadline = cal.add_workdays(assigned, 5)
        row = {"编号": src["编号"] if k < len(pool) else f"SQ{assigned.year}-{k + 1:0{width}d}",
               "场次编号": src["场次编号"], "提出人工号": src["提出人工号"], "提出人": src["提出人"],
               "类别": src["类别"], "内容": _content(rng),
               "承办部门": src["承办部门"], "承办负责人": src["承办负责人"], "督办员": src["督办员"],
               "交办日期": assigned, "答复时限": deadline}
        x = rng.random()
        if deadline < as_of and x < OVERDUE_OPEN:
            pass  # overdue, no reply
        elif deadline >= as_of and x < 0.5:
            pass  # still within its deadline
        else:
            late = rng.random() < LATE_REPLY
            reply = (cal.add_workdays(deadline, rng.randint(1, 20)) if late
                     else cal.add_workdays(assigned, rng.randint(0, 4)))
            if reply <= as_of:
                weak = rng.random() < WEAK / (1 - OVERDUE_OPEN)
                unsatisfied = weak and rng.random() < 0.5
                resolved = not weak or unsatisfied
                published = cal.add_workdays(reply, rng.randint(0, 3))
                row.update({"答复日期": reply, "答复意见": rng.choice(_REPLIES),
                            "公示日期": published if published <= as_of else None,
                            "职工满意度": "不满意" if unsatisfied else rng.choice(["满意", "满意", "基本满意"]),
                            "是否解决": "是" if resolved else "否",
                            "是否落实": ("是" if rng.random() < 0.8 else "否") if resolved else None})
        rows.append(row)
    return rows


def items_builder(rows: list[dict]):
    """The 17-column 诉求台账 as a clerk keeps it: a bold header row, dates formatted."""
    from huitan_xl.reports.layout import write_value

    def build(ws, fmt) -> None:
        for c, header in enumerate(HARD_COLUMNS):
            ws.write_string(0, c, header, fmt.header)
        for r, row in enumerate(rows, start=1):
            for c, header in enumerate(HARD_COLUMNS):
                write_value(ws, r, c, row.get(header), fmt)
        ws.set_column(0, 4, 12)
        ws.set_column(5, 5, 60)
        ws.set_column(6, 16, 11)
        ws.freeze_panes(1, 0)

    return build


def generate_hard_register(items: int, employees: int, sessions: int, suggestions: int, as_of: date,
                           path: Path, seed: int) -> Path:
    from huitan_xl import demo, schema, template, write
    from huitan_xl.calendar import WorkCalendar

    data = demo.generate(demo.DemoSize(employees=employees, sessions=sessions, items=min(items, 20_000),
                                       suggestions=suggestions, year=as_of.year), seed=seed, as_of=as_of)
    pool = [r for r in data.rows[schema.ITEMS] if r.get("现场答复") != "是"]
    # suggestions may point at items answered on the spot: keep those ids too, as tickets
    spot = [r for r in data.rows[schema.ITEMS] if r.get("现场答复") == "是"]
    heads = pool[0]
    for r in spot:
        r.update({"承办部门": heads["承办部门"], "承办负责人": heads["承办负责人"], "督办员": heads["督办员"]})
    pool += spot
    cal = WorkCalendar()
    rows = hard_items(items, pool, as_of, cal, seed)
    wb = write.Workbook.new()
    wb.put_sheet(schema.README, template.readme_builder())
    for sheet in schema.INPUT_SHEETS:
        if sheet == schema.ITEMS:
            wb.put_sheet(sheet, items_builder(rows))
        elif sheet != schema.README:
            wb.put_sheet(sheet, template.register_builder(sheet, data.rows.get(sheet, [])))
    wb.save(Path(path))
    return Path(path)
