"""Issue 13: the 重复反映 check is bounded — an item is compared with at most
COMPARED_PER_WORD recent earlier items per shared concept word (and per same text), the
scores of all candidates are computed together, and the requests are the connected
groups of linked items. Items are built by hand; expectations counted by hand."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from huitan_xl.model import Item, Src
from huitan_xl.rules import recurring
from huitan_xl.rules.recurring import (COMPARED_PER_WORD, concept_words, find_recurring, normalise,
                                       similarity)
from huitan_xl.rules.topics import default_rules
from huitan_xl.settings import Settings
from recurring_pairs import PAIRS

D0 = date(2026, 1, 5)
WORDS = concept_words(default_rules())


def item(iid, content, dept="后勤服务中心", row=2):
    return Item(iid, "", "E1", "提出人", "职工诉求", "", content, False, dept, "", "", None,
                None, None, None, None, "", None, "", None, None, "", "", Src("诉求台账", row))


def flags_of(entries, settings=None):
    """entries: (id, content, day offset, department) -> {id: 重复反映 text} of the flagged."""
    items = [item(i, c, d, row=n) for n, (i, c, _, d) in enumerate(entries, start=2)]
    dates = [D0 + timedelta(days=off) for _, _, off, _ in entries]
    flags, _ = find_recurring(items, dates, [""] * len(items), default_rules(), settings or Settings())
    return {items[i].id: r.text for i, r in flags.items()}


@pytest.mark.parametrize("a, b, same", PAIRS)
def test_batch_scores_are_the_pairwise_similarity(a, b, same):
    """Every labelled pair as a two-item register: the later is flagged exactly when the
    one-pair similarity() reaches 40 (or the normalised texts are equal)."""
    na, nb = normalise(a), normalise(b)
    expected = na == nb or similarity(na, nb, WORDS) >= Settings().recurring_similarity
    got = flags_of([("A", a, 0, "后勤服务中心"), ("B", b, 3, "后勤服务中心")])
    assert got == ({"B": "第2次反映（前次：A）"} if expected else {})


FIRST = "井口浴室热水不稳定"
AGAIN = "浴室夜班没有热水"
# shares 浴室 and 热水 with both, but is not similar to either: normalised to 26 characters
# with 浴室热水 in common, 2*4/(9+26) = 23 % and 2*4/(7+26) = 24 %, + 10 for two words = 33, 34 < 40
OTHER = "浴室热水更衣柜门锁坏了好几处，需要更换新锁具并安排专人管理"


def test_the_cap_preconditions():
    f, a, o = normalise(FIRST), normalise(AGAIN), normalise(OTHER)
    assert similarity(f, a, WORDS) == 60  # 浴室热水 in common: 2*4/(9+7) = 50 %, + 10 for two words
    assert (similarity(f, o, WORDS), similarity(a, o, WORDS)) == (33, 34)
    assert {w for w in WORDS if w in f and w in a} == {"浴室", "热水"}
    assert COMPARED_PER_WORD == 30


@pytest.mark.parametrize("others, flagged", [(COMPARED_PER_WORD - 1, True), (COMPARED_PER_WORD, False)])
def test_only_the_most_recent_per_concept_word_are_compared(others, flagged):
    """FIRST, then `others` requests that have both of its concept words (浴室, 热水), then
    AGAIN: AGAIN reaches FIRST while FIRST is among the 30 most recent items with 浴室 or
    热水 — with 29 newer ones it is the 30th, with 30 newer ones it is the 31st."""
    entries = [("F", FIRST, 0, "后勤服务中心")]
    entries += [(f"O{n}", OTHER, 1 + n // 4, "后勤服务中心") for n in range(others)]
    entries.append(("A", AGAIN, 40, "后勤服务中心"))
    got = flags_of(entries)
    assert got.get("A") == ("第2次反映（前次：F）" if flagged else None)
    # the others are one request among themselves (the same text), never joined to F
    assert got["O1"] == "第2次反映（前次：O0）"
    assert "F" not in got


def test_items_link_through_an_on_the_spot_answer():
    """Q1 (后勤服务中心) and Q2 (机电科) are unrelated departments; Q3 has no 承办部门
    (answered on the spot), so it relates to both, and Q4 (机电科) to Q2 and Q3: one
    request of four."""
    got = flags_of([("Q1", "食堂饭菜太咸", 0, "后勤服务中心"), ("Q2", "食堂饭菜太咸", 10, "机电科"),
                    ("Q3", "食堂饭菜太咸", 20, ""), ("Q4", "食堂饭菜太咸", 30, "机电科")])
    assert got == {"Q2": "第2次反映（前次：Q1）", "Q3": "第3次反映（前次：Q1、Q2）",
                   "Q4": "第4次反映（前次：Q1、Q2、Q3）"}
    # without Q3 the two departments stay apart: Q4 repeats Q2 only
    got = flags_of([("Q1", "食堂饭菜太咸", 0, "后勤服务中心"), ("Q2", "食堂饭菜太咸", 10, "机电科"),
                    ("Q4", "食堂饭菜太咸", 30, "机电科")])
    assert got == {"Q4": "第2次反映（前次：Q2）"}


def test_the_flag_shows_the_five_latest_earlier_ids():
    got = flags_of([(f"Q{n}", "食堂饭菜太咸", n, "后勤服务中心") for n in range(1, 9)])
    assert got["Q6"] == "第6次反映（前次：Q1、Q2、Q3、Q4、Q5）"
    assert got["Q7"] == "第7次反映（前次：…、Q2、Q3、Q4、Q5、Q6）"
    assert got["Q8"] == "第8次反映（前次：…、Q3、Q4、Q5、Q6、Q7）"


def test_pairs_compared_grow_with_the_items_not_their_square(monkeypatch):
    """2,000 items that all share 浴室 and 热水: every item is compared with at most
    30 earlier ones per concept word it has (and 30 of its own text), whatever the size."""
    seen = []
    real = recurring._candidates

    def counting(*args):
        later, earlier = real(*args)
        seen.append(len(later))
        return later, earlier

    monkeypatch.setattr(recurring, "_candidates", counting)
    clauses = ["浴室热水不稳定", "浴室夜班没有热水", "下夜班浴室热水时冷时热", "浴室热水供应时间太短"]
    entries = [(f"Q{n}", f"{clauses[n % 4]}第{n}次", n // 10, "后勤服务中心") for n in range(2000)]
    texts = [normalise(c) for _, c, _, _ in entries]
    assert all({w for w in WORDS if w in t} == {"浴室", "热水"} for t in texts)
    got = flags_of(entries)
    # every text differs and has exactly 浴室 and 热水: item n is compared with the
    # min(n, 30) items before it — 0 + 1 + ... + 29 + 1,970 x 30 = 435 + 59,100
    assert sum(seen) == 59_535
    # all one request (each within 30 of a similar one); the last is the 2000th raising
    assert got["Q1999"] == "第2000次反映（前次：…、Q1994、Q1995、Q1996、Q1997、Q1998）"
