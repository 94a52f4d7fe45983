"""Topic tagging from the 主题词表 keyword table (issue 16): plain, explainable matching.

The rule, as staff read it on the sheet:
  * An item whose 主题标签 is filled keeps it: her tag is its topic and the tool
    writes nothing for it (主题（自动） stays blank).
  * Otherwise every topic whose keywords occur in the item's 内容 is a candidate,
    unless the content holds one of that topic's 排除词.
  * The candidate with the most matched keyword characters wins (a keyword that is
    part of a longer matched keyword of the same topic, 绩效 inside 绩效二次分配,
    is not counted twice); a tie goes to the topic listed first in the table.
  * The deciding keyword (主题依据) is the winner's longest matched keyword
    (the one met first in the text on a tie).
  * No candidate: 「未分类」, counted in the report.

Matching ignores full-/half-width, letter case and spaces (NFKC, lower case).
No segmenter and no model: what the table says is what happens.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Iterable, Sequence

from ..model import Item, Src, TopicRule
from .topic_vocabulary import DEFAULT_TOPICS

UNCLASSIFIED = "未分类"
BY_TAG = "主题标签"  # the basis shown when her own tag decided the topic

_SPACES = re.compile(r"\s+")
# What NFKC makes of the full-width punctuation clerks type most, done first with str.replace:
# the rest of a Chinese text is then usually NFKC already and is not normalised again.
_WIDE = [(c, chr(ord(c) - 0xFEE0)) for c in "，；：（）！？％"] + [("\u3000", " ")]


def fold(text: str) -> str:
    """Comparable text for keyword matching: NFKC, lower case, no whitespace."""
    t = text or ""
    for wide, narrow in _WIDE:
        t = t.replace(wide, narrow)
    if not unicodedata.is_normalized("NFKC", t):
        t = unicodedata.normalize("NFKC", t)
    return _SPACES.sub("", t).lower()


def default_rules() -> list[TopicRule]:
    return [TopicRule(topic, words, excludes, note) for topic, words, excludes, note in DEFAULT_TOPICS]


@dataclass(frozen=True)
class TopicTag:
    item_id: str
    src: Src | None
    topic: str  # her 主题标签, the matched topic, or 未分类
    keyword: str  # deciding keyword; "" for 未分类 and for her own tag
    auto: bool  # True: decided by the table (written to 主题（自动）); False: her 主题标签

    @property
    def unclassified(self) -> bool:
        return self.topic == UNCLASSIFIED


class TopicTable:
    """The 主题词表 prepared once: folded keywords per topic, in table order, and every word of
    the table (keywords and 排除词) with the topics it belongs to."""

    def __init__(self, rules: Sequence[TopicRule]):
        self.rules = []
        for r in rules:
            words = tuple(dict.fromkeys(w for w in (fold(k) for k in r.keywords) if w))
            excludes = tuple(w for w in (fold(k) for k in r.excludes) if w)
            if r.topic and words:
                self.rules.append((r.topic, words, excludes))
        self.keyword_of: dict[str, list[int]] = {}  # word -> the rules (by order) it is a keyword of
        self.exclude_of: dict[str, list[int]] = {}  # word -> the rules it excludes
        for order, (_, words, excludes) in enumerate(self.rules):
            for w in words:
                self.keyword_of.setdefault(w, []).append(order)
            for w in excludes:
                self.exclude_of.setdefault(w, []).append(order)
        self.vocabulary = list(dict.fromkeys([*self.keyword_of, *self.exclude_of]))

    def classify(self, content: str) -> tuple[str, str]:
        """(topic, deciding keyword) for an item's content; (未分类, "") if none matches."""
        return self.classify_all([content])[0]

    def classify_all(self, contents: Sequence[str]) -> list[tuple[str, str]]:
        """classify() of every content, the table's words looked for in all texts at once."""
        texts = [fold(c) for c in contents]
        return [self._decide(t, found) if t else (UNCLASSIFIED, "")
                for t, found in zip(texts, self._found(texts))]

    def _found(self, texts: list[str]) -> list[list[str]]:
        """The table's words each text contains: one scan of all texts (joined by line breaks,
        which folded texts and words never hold) per word, not one search per word per text."""
        found: list[list[str]] = [[] for _ in texts]
        big = "\n".join(texts)
        starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))  # where each text begins
        n = len(texts)
        for w in self.vocabulary:
            at = big.find(w)
            while at >= 0:
                i = bisect_right(starts, at) - 1
                found[i].append(w)
                if i + 1 == n:
                    break
                at = big.find(w, starts[i + 1])  # once per text is enough
        return found

    def _decide(self, text: str, found: list[str]) -> tuple[str, str]:
        """The rule of the module docstring, over the rules some found word is a keyword of."""
        hits_of: dict[int, list[str]] = {}
        excluded: set[int] = set()
        for w in found:
            for order in self.keyword_of.get(w, ()):
                hits_of.setdefault(order, []).append(w)
            excluded.update(self.exclude_of.get(w, ()))
        best = None  # (score, -order, topic, keyword)
        for order, hits in hits_of.items():
            if order in excluded:
                continue
            counted = [w for w in hits if not any(w != h and w in h for h in hits)]
            score = sum(len(w) for w in counted)
            if best is None or (score, -order) > best[:2]:
                keyword = min(hits, key=lambda w: (-len(w), text.index(w)))
                best = (score, -order, self.rules[order][0], keyword)
        if best is None:
            return UNCLASSIFIED, ""
        return best[2], best[3]


def rules_of(regs) -> tuple[list[TopicRule], bool]:
    """The workbook's 主题词表, or the default one when the workbook has no such sheet
    (second value False: say so)."""
    if regs.topic_rules is None:
        return default_rules(), False
    return list(regs.topic_rules), True


def tag_items(items: Iterable[Item], rules: Sequence[TopicRule]) -> list[TopicTag]:
    """One TopicTag per item, in the items' order."""
    items = list(items)
    decided = iter(TopicTable(rules).classify_all([it.content for it in items if not it.tag]))
    out = []
    for it in items:
        if it.tag:
            out.append(TopicTag(it.id, it.src, it.tag, "", False))
        else:
            topic, keyword = next(decided)
            out.append(TopicTag(it.id, it.src, topic, keyword, True))
    return out
