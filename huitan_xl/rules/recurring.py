"""Recurring requests (重复反映, 老大难): the same request raised again in other words.

Two items are "the same request" when all of these hold:
  * their normalised contents (see `normalise`) share at least one concept word —
    a 主题词表 keyword, after the synonyms below (澡堂 = 浴室, 通勤车 = 班车 …);
  * similarity = rapidfuzz `fuzz.ratio` of the normalised texts + 5 per shared
    concept word (at most 15), capped at 100, reaches 规则配置 `重复反映相似度(%)`;
  * the later was raised within `重复反映时间窗(天)` days after the earlier;
  * same or related department: the same 承办部门, or the proposers' 单位 (职工名册)
    are the same, or one of the two has no 承办部门 (answered on the spot).
Items linked this way, directly or through each other, form one request; its n-th
item is flagged 「第n次反映」 with the earlier 编号s. Items without a date (no session
date and no 交办日期) are not compared.

Identical normalised texts are scored once: similarity is computed between distinct
texts (rapidfuzz.process.cdist, in C), then items are linked through their texts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from ..model import Item, TopicRule
from .topics import fold

CONCEPT_BONUS = 5  # similarity points per shared concept word
MAX_BONUS = 15
SHOWN_EARLIER = 5  # earlier 编号s written into 重复反映 (the count says how many in all)

# Synonyms folded to one spelling before comparing (applied in order, longer first).
SYNONYMS: list[tuple[str, str]] = [
    ("井下班中餐", "班中餐"), ("井下餐", "班中餐"), ("澡堂", "浴室"), ("澡塘", "浴室"), ("洗澡", "浴室"),
    ("淋浴", "浴室"), ("浴池", "浴室"), ("通勤班车", "班车"), ("通勤车", "班车"), ("交通车", "班车"),
    ("水靴", "胶靴"), ("单身公寓", "单身宿舍"), ("公寓", "宿舍"), ("薪酬", "工资"), ("薪资", "工资"),
    ("没有", "无"), ("没", "无"), ("不够", "少"), ("太少", "少"), ("不足", "少"), ("单一", "少"),
    ("太旧", "老化"), ("旧", "老化"), ("坏", "故障"), ("大巷", "巷"), ("灯太暗", "照明少"), ("暗", "照明少"),
]
# Words that carry no meaning of their own in a request.
FILLERS = ("希望", "建议", "要求", "能否", "能不能", "尽快", "及时", "一下", "问题", "反映", "我们", "大家",
           "经常", "总是", "的", "了", "太", "很", "比较", "存在", "情况", "解决", "职工", "好几", "一点",
           "越来越", "什么")
_PUNCT = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Comparable request text: folded (NFKC, lower case), no punctuation or spaces,
    synonyms to one spelling, filler words dropped."""
    t = _PUNCT.sub("", fold(text))
    for a, b in SYNONYMS:
        t = t.replace(a, b)
    for w in FILLERS:
        t = t.replace(w, "")
    return t


def concept_words(rules: Sequence[TopicRule]) -> list[str]:
    """The table's keywords, normalised like the texts, longest first."""
    words = {normalise(k) for r in rules for k in r.keywords}
    return sorted((w for w in words if w), key=lambda w: (-len(w), w))


def shared_concepts(a: str, b: str, words: Sequence[str]) -> set[str]:
    """Concept words in both normalised texts (one inside a longer shared one not counted)."""
    both = {w for w in words if w in a and w in b}
    return {w for w in both if not any(w != v and w in v for v in both)}


def similarity(a: str, b: str, words: Sequence[str]) -> int:
    """0..100 for two normalised texts; 0 when they share no concept word."""
    from rapidfuzz import fuzz

    shared = shared_concepts(a, b, words)
    if not shared:
        return 0
    return min(100, round(fuzz.ratio(a, b)) + min(MAX_BONUS, CONCEPT_BONUS * len(shared)))


@dataclass(frozen=True)
class Recurrence:
    """An item that repeats an earlier request."""

    item_id: str
    nth: int  # 第n次反映 (the first raising is 1 and is not flagged)
    earlier: tuple[str, ...]  # 编号s of the earlier items of the same request, oldest first

    @property
    def text(self) -> str:
        shown = self.earlier[-SHOWN_EARLIER:]
        more = "…、" if len(self.earlier) > len(shown) else ""
        return f"第{self.nth}次反映（前次：{more}{'、'.join(shown)}）"


@dataclass(frozen=True)
class RecurringGroup:
    """One request raised several times: its items in date order."""

    items: tuple[Item, ...]
    dates: tuple[date, ...]

    @property
    def times(self) -> int:
        return len(self.items)


def _similar_texts(texts: list[str], words: Sequence[str], threshold: int) -> dict[int, set[int]]:
    """Index of each distinct text -> indexes of the texts it is similar to (itself included)."""
    from rapidfuzz import fuzz, process

    similar = {i: {i} for i in range(len(texts))}
    if len(texts) < 2:
        return similar
    cutoff = max(0, threshold - MAX_BONUS)
    step = 2000
    for lo in range(0, len(texts), step):
        block = process.cdist(texts[lo:lo + step], texts, scorer=fuzz.ratio, score_cutoff=cutoff,
                              dtype="uint8", workers=-1)
        for k, j in zip(*block.nonzero()):
            i, j = lo + int(k), int(j)
            if i < j and similarity(texts[i], texts[j], words) >= threshold:
                similar[i].add(j)
                similar[j].add(i)
    return similar


def find_recurring(items: Sequence[Item], dates: Sequence[date | None], units: Sequence[str],
                   rules: Sequence[TopicRule], settings) -> tuple[dict[int, Recurrence], list[RecurringGroup]]:
    """Recurrences by item index (only for items that repeat an earlier one) and every
    request raised 2 or more times, as groups. `dates[i]` places item i in time,
    `units[i]` is its proposer's 单位 ("" if unknown)."""
    threshold = int(settings.recurring_similarity)
    window = int(settings.recurring_window_days)
    words = concept_words(rules)
    order = sorted((i for i, d in enumerate(dates) if d is not None and items[i].content),
                   key=lambda i: (dates[i], items[i].src.row if items[i].src else 0, items[i].id))
    norm = {i: normalise(items[i].content) for i in order}
    distinct = list(dict.fromkeys(t for t in norm.values() if t))
    text_index = {t: k for k, t in enumerate(distinct)}
    similar = _similar_texts(distinct, words, threshold)

    parent = {i: i for i in order}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def related(i: int, j: int) -> bool:
        a, b = items[i].department, items[j].department
        if not a or not b or a == b:
            return True
        return bool(units[i]) and units[i] == units[j]

    recent: dict[int, list[int]] = {}  # text index -> items with that text, in date order
    for i in order:
        t = norm[i]
        if not t:
            continue
        k = text_index[t]
        for other in similar[k]:
            seen = recent.get(other, ())
            for j in reversed(seen[-50:]):  # the most recent first; older ones are linked already
                if (dates[i] - dates[j]).days > window:
                    break
                if related(i, j):
                    parent[root(i)] = root(j)
                    break
        recent.setdefault(k, []).append(i)

    members: dict[int, list[int]] = {}
    for i in order:
        members.setdefault(root(i), []).append(i)
    flags: dict[int, Recurrence] = {}
    groups: list[RecurringGroup] = []
    for group in members.values():
        if len(group) < 2:
            continue
        ids = [items[i].id for i in group]
        for n, i in enumerate(group[1:], start=2):
            flags[i] = Recurrence(items[i].id, n, tuple(ids[:n - 1]))
        groups.append(RecurringGroup(tuple(items[i] for i in group), tuple(dates[i] for i in group)))
    groups.sort(key=lambda g: (g.dates[0], g.items[0].id))
    return flags, groups
