"""Small groups kept private in anything meant for posting (issue 16).

Where a posted document (the 公示 list, a notice) shows figures or entries by unit
or level, a group with fewer than N people — 规则配置 `最小公示人数`, default 5 —
is shown as 「其他」, so no one can be picked out of a small team. Internal sheets
(月度分析, 逾期督办 …) keep the detail; only posting code calls this module.

A group's size is the number of distinct people in it (工号, else the name);
a group of exactly N is shown under its own name. Groups merged into 「其他」 are
merged even when 「其他」 itself stays below N: the point is that no named group is small.
"""
from __future__ import annotations

from typing import Iterable, Sequence

OTHER = "其他"


def min_group(settings) -> int:
    return max(1, int(getattr(settings, "min_public_group", 5) or 5))


def public_names(members: Iterable[tuple[str, str]], n: int) -> dict[str, str]:
    """(group, person) pairs -> {group: the name to post}: the group itself when it has
    at least `n` distinct people, else 「其他」. A blank group is posted as 「其他」."""
    people: dict[str, set[str]] = {}
    for group, person in members:
        people.setdefault(group or "", set()).add(person)
    return {g: (g if g and len(p) >= n else OTHER) for g, p in people.items()}


def merge_small(counts: Sequence[tuple[str, int]], n: int) -> list[tuple[str, int]]:
    """Rows (group, number of people) for posting: groups under `n` people are summed into
    one 「其他」 row at the end; the others keep their order."""
    kept = [(g, c) for g, c in counts if g and g != OTHER and c >= n]
    merged = sum(c for g, c in counts if not (g and g != OTHER and c >= n))
    return kept + ([(OTHER, merged)] if merged else [])
