"""Issue 16 on the demo mine: the default 主题词表 tags its items, and the flagger finds
the requests the demo raises again in other words."""
from __future__ import annotations

from huitan_xl import schema
from huitan_xl.demo import generate
from huitan_xl.rules.topics import UNCLASSIFIED, TopicTable, default_rules


def test_default_vocabulary_tags_over_90_percent_of_the_demo_items():
    data = generate()
    items = data.rows[schema.ITEMS]
    table = TopicTable(default_rules())
    topics = [table.classify(str(it.get("内容") or ""))[0] for it in items]
    tagged = sum(t != UNCLASSIFIED for t in topics)
    assert len(items) == 300
    # every phrasing the demo draws from names a keyword; the one planted formula-like
    # text (=HYPERLINK(...)) is the only item left 未分类: 299 / 300 = 99.7 %
    assert tagged / len(items) > 0.9
    assert tagged == 299


def test_the_demo_leaves_most_tags_blank_and_repeats_requests_the_flagger_finds():
    from datetime import date

    from huitan_xl.model import Item, Src
    from huitan_xl.rules.recurring import find_recurring
    from huitan_xl.settings import Settings

    data = generate()
    rows = data.rows[schema.ITEMS]
    assert sum(1 for r in rows if r.get("主题标签")) == 60  # every fifth of 300 typed by the clerk
    sessions = {s["场次编号"]: s["日期"] for s in data.rows[schema.SESSIONS]}
    items, dates = [], []
    for n, r in enumerate(rows, start=2):
        items.append(Item(r["编号"], r.get("场次编号") or "", "", "", "", "", str(r.get("内容") or ""), False,
                          r.get("承办部门") or "", "", "", None, None, None, None, None, "", None, "", None, None,
                          "", "", Src(schema.ITEMS, n)))
        d = sessions.get(r.get("场次编号"))
        dates.append(d if isinstance(d, date) else None)
    flags, groups = find_recurring(items, dates, [""] * len(items), default_rules(), Settings())
    # the demo draws its items from 21 phrasings, so most items repeat an earlier request
    assert len(groups) >= 10 and max(g.times for g in groups) >= 3
    assert len(flags) > len(items) // 2
