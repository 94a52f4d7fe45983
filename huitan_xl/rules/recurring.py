"""Recurring requests (重复反映, 老大难): the same request raised again in other words.

Two items are "the same request" when all of these hold:
  * their normalised contents (see `normalise`) share at least one concept word —
    a 主题词表 keyword, after the synonyms below (澡堂 = 浴室, 通勤车 = 班车 …);
  * similarity = rapidfuzz `fuzz.ratio` of the normalised texts + 5 per shared
    concept word (at most 15), capped at 100, reaches 规则配置 `重复反映相似度(%)`;
  * the later was raised within `重复反映时间窗(天)` days after the earlier;
  * same or related department: the same 承办部门, or the proposers' 单位 (职工名册)
    are the same, or one of the two has no 承办部门 (answered on the spot).
Identical normalised contents are the same request whatever their concept words.
Items linked this way, directly or through each other, form one request; its n-th
item is flagged 「第n次反映」 with the latest earlier 编号s. Items without a date (no
session date and no 交办日期) are not compared.

Bounded comparison (the cost grows with the number of items, not with its square): an
item is compared only with earlier items that share a concept word with it or have the
same normalised text, and per concept word of it (and for its own text) only with the
`COMPARED_PER_WORD` (30) most recent of them. A request raised again after 30 newer
requests that have every one of its concept words is not linked to its earlier raising
directly — only through those newer ones, if they are similar. The candidate pairs of
many items are scored together: rapidfuzz.process.cpdist in C, the concept bonus from
bit sets in numpy; the requests are the connected groups of the linked pairs.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Sequence

import numpy as np

from ..model import Item, TopicRule
from .topics import fold

CONCEPT_BONUS = 5  # similarity points per shared concept word
MAX_BONUS = 15
SHOWN_EARLIER = 5  # earlier 编号s written into 重复反映 (the count says how many in all)
COMPARED_PER_WORD = 30  # most recent earlier items compared per shared concept word (and per same text)

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
    return normalise_all([text])[0]


def normalise_all(texts: Sequence[str]) -> list[str]:
    """normalise() of every text: the synonyms and fillers replaced in all texts at once (joined
    by line breaks, which no folded text, synonym or filler holds, so no replacement crosses one)."""
    if not texts:
        return []
    t = "\n".join(_PUNCT.sub("", fold(text)) for text in texts)
    for a, b in SYNONYMS:
        t = t.replace(a, b)
    for w in FILLERS:
        t = t.replace(w, "")
    return t.split("\n")


def concept_words(rules: Sequence[TopicRule]) -> list[str]:
    """The table's keywords, normalised like the texts, longest first."""
    words = set(normalise_all([k for r in rules for k in r.keywords]))
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
    earlier: tuple[str, ...]  # 编号s of the SHOWN_EARLIER latest earlier items of the request, oldest first

    @property
    def text(self) -> str:
        more = "…、" if self.nth - 1 > len(self.earlier) else ""
        return f"第{self.nth}次反映（前次：{more}{'、'.join(self.earlier)}）"


@dataclass(frozen=True)
class RecurringGroup:
    """One request raised several times: its items in date order."""

    items: tuple[Item, ...]
    dates: tuple[date, ...]

    @property
    def times(self) -> int:
        return len(self.items)


def _concept_words_of(texts: list[str], words: Sequence[str]) -> tuple[np.ndarray, list[list[int]]]:
    """Which concept words each normalised text contains (one scan of all texts per word):
    texts x words/8 bytes (bit c set when the text has word c), and the word numbers per text."""
    found = np.zeros((len(texts), max(1, len(words))), dtype=bool)
    if texts and words:
        big = "\n".join(texts)  # normalised texts and words hold no line breaks
        starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
        for c, w in enumerate(words):
            hits, at = [], big.find(w)
            while at >= 0:
                hits.append(at)
                at = big.find(w, at + len(w))
            if hits:
                found[np.searchsorted(starts, hits, side="right") - 1, c] = True
    rows, cols = np.nonzero(found)
    per_text: list[list[int]] = [[] for _ in texts]
    for r, c in zip(rows.tolist(), cols.tolist()):
        per_text[r].append(c)
    return np.packbits(found, axis=1, bitorder="little"), per_text


def _inside_pairs(words: Sequence[str]) -> list[tuple[int, int]]:
    """(w, v) for every concept word w that is part of the longer word v."""
    joined = "\n".join(words)
    starts = np.cumsum([0] + [len(w) + 1 for w in words[:-1]]).tolist()  # where each word begins
    pairs = set()
    for a, w in enumerate(words):
        at = joined.find(w)
        while at >= 0:
            b = bisect_right(starts, at) - 1
            if b != a:
                pairs.add((a, b))
            at = joined.find(w, at + 1)
    return sorted(pairs)


def _bit(rows: np.ndarray, c: int) -> np.ndarray:
    return (rows[:, c >> 3] >> (c & 7)) & 1


def _shared_counts(both: np.ndarray, inside: list[tuple[int, int]]) -> np.ndarray:
    """Per row of shared concept bits: the shared words, less those inside a longer shared one."""
    count = np.bitwise_count(both).sum(axis=1, dtype=np.int64)
    for w in sorted({w for w, _ in inside}):
        has_w = _bit(both, w).astype(bool)
        longer = np.zeros(len(both), dtype=bool)
        for x, v in inside:
            if x == w:
                longer |= _bit(both, v).astype(bool)
        count -= has_w & longer
    return count


def _candidates(tk: np.ndarray, words_of: list[list[int]], first: int, last: int, by_word: dict, by_text: dict):
    """(later, earlier) position pairs for positions first..last-1: per concept word of the
    later item (and for its own text) the COMPARED_PER_WORD most recent earlier items."""
    cap = COMPARED_PER_WORD
    later: list[int] = []
    earlier: list[int] = []
    for p in range(first, last):
        k = int(tk[p])
        if k < 0:
            continue
        ws = words_of[k]
        pool = set(by_text[k][-cap:])
        for w in ws:
            pool.update(by_word[w][-cap:])
        later.extend([p] * len(pool))
        earlier.extend(pool)
        by_text[k].append(p)
        for w in ws:
            by_word[w].append(p)
    return np.array(later, dtype=np.int64), np.array(earlier, dtype=np.int64)


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of positions 0..n-1 under the edges (a, b): each position's
    smallest member (hooking and pointer jumping, all in numpy)."""
    lab = np.arange(n)
    while len(a):
        la, lb = lab[a], lab[b]
        keep = la != lb
        if not keep.any():
            break
        a, b, la, lb = a[keep], b[keep], la[keep], lb[keep]
        np.minimum.at(lab, np.maximum(la, lb), np.minimum(la, lb))
        while True:
            jumped = lab[lab]
            if np.array_equal(jumped, lab):
                break
            lab = jumped
    return lab


def _link(texts: list[str], words: Sequence[str], tk: np.ndarray, days: np.ndarray, deps: np.ndarray,
          units: np.ndarray, threshold: int, window: int) -> np.ndarray:
    """Positions in date order -> the first position of their request."""
    from rapidfuzz import fuzz, process

    n = len(tk)
    bits, words_of = _concept_words_of(texts, words)
    inside = _inside_pairs(words)
    by_word: dict[int, list[int]] = defaultdict(list)
    by_text: dict[int, list[int]] = defaultdict(list)
    lab = np.arange(n)  # position -> the first position of its request so far
    chunk = 4000  # positions per batch: bounds the pair arrays
    for first in range(0, n, chunk):
        p, q = _candidates(tk, words_of, first, min(n, first + chunk), by_word, by_text)
        d = deps[p]
        keep = (days[p] - days[q] <= window) & (
            (deps[q] == d) | (deps[q] == 0) | (d == 0) | ((units[p] != 0) & (units[q] == units[p])))
        p, q = p[keep], q[keep]
        same = tk[p] == tk[q]  # the same normalised text: the same request
        edges_a, edges_b = [p[same]], [q[same]]
        p, q = p[~same], q[~same]
        shared = _shared_counts(bits[tk[p]] & bits[tk[q]], inside)
        p, q, shared = p[shared > 0], q[shared > 0], shared[shared > 0]
        if len(p):
            ratio = process.cpdist([texts[k] for k in tk[p].tolist()], [texts[k] for k in tk[q].tolist()],
                                   scorer=fuzz.ratio, score_cutoff=max(0, threshold - MAX_BONUS),
                                   dtype=np.float64, workers=-1)
            score = np.minimum(100, np.rint(ratio) + np.minimum(MAX_BONUS, CONCEPT_BONUS * shared))
            edges_a.append(p[score >= threshold])
            edges_b.append(q[score >= threshold])
        # join this batch's links to the requests found so far (labels are request roots)
        lab = _components(n, lab[np.concatenate(edges_a)], lab[np.concatenate(edges_b)])[lab]
    return lab


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
    norm = dict(zip(order, normalise_all([items[i].content for i in order])))
    distinct = list(dict.fromkeys(t for t in norm.values() if t))
    text_index = {t: k for k, t in enumerate(distinct)}
    codes: dict[str, int] = {"": 0}  # departments and units as numbers; 0 = none
    number = lambda name: codes.setdefault(name or "", len(codes))  # noqa: E731
    first = _link(distinct, words, np.array([text_index[norm[i]] if norm[i] else -1 for i in order], dtype=np.int64),
                  np.array([dates[i].toordinal() for i in order], dtype=np.int64),
                  np.array([number(items[i].department) for i in order], dtype=np.int64),
                  np.array([number(units[i]) for i in order], dtype=np.int64), threshold, window)
    first = {i: order[int(r)] for i, r in zip(order, first)}

    members: dict[int, list[int]] = {}
    for i in order:
        members.setdefault(first[i], []).append(i)
    flags: dict[int, Recurrence] = {}
    groups: list[RecurringGroup] = []
    for group in members.values():
        if len(group) < 2:
            continue
        ids = [items[i].id for i in group]
        for n, i in enumerate(group[1:], start=2):
            flags[i] = Recurrence(items[i].id, n, tuple(ids[max(0, n - 1 - SHOWN_EARLIER):n - 1]))
        groups.append(RecurringGroup(tuple(items[i] for i in group), tuple(dates[i] for i in group)))
    groups.sort(key=lambda g: (g.dates[0], g.items[0].id))
    return flags, groups
