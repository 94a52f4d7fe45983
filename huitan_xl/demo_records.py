"""The demo's data records and constants: sizes, planted errors, the generated rows, and the
generator's internal person / session / level-plan records (demo.py puts them together)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from . import schema

REGULAR = "八级慧谈"
LEVEL_CODES = [row[0] for row in schema.LEVEL_TABLE]
LEVEL_NAME = {row[0]: row[1] for row in schema.LEVEL_TABLE}
LEVEL_ROLE = {row[0]: row[2] for row in schema.LEVEL_TABLE}
LEVEL_UNITS = {row[0]: row[3] for row in schema.LEVEL_TABLE}
TIERED = set(LEVEL_CODES[:5])
TIERS = tuple(schema.TIERS)
HEADERS = {sheet: [f.header for f in fields] for sheet, fields in schema.SHEETS.items()}
MIN_SIZE = (60, 12, 30)  # employees, sessions, items below which the planted errors do not fit

# special sessions: theme -> (kind, organising level, topic)
THEMES = {
    "cloud": ("专题慧谈", "L1", "云上慧谈（{area}）"),
    "safety": ("专题慧谈", "L5", "安全慧谈（三违人员帮教）"),
    "career": ("节点慧谈", "L6", "职业规划慧谈（新入职大学生）"),
    "trade": ("专业慧谈", "L6", "机电专业慧谈"),
}
THEME_CYCLE = ["cloud", "safety", "cloud", "career", "trade"]


@dataclass
class DemoSize:
    employees: int = 400
    sessions: int = 60
    items: int = 300
    suggestions: int = 60
    year: int = 2026


@dataclass(frozen=True)
class Planted:
    """One deliberate data error (code "" : a trap that must stay harmless)."""

    code: str
    sheet: str
    key: str  # 编号 / 场次编号 / 工号 / "场次编号/工号" for 参会人员
    column: str
    note: str


@dataclass
class DemoData:
    rows: dict[str, list[dict[str, object]]]
    planted: list[Planted]
    as_of: date
    seed: int
    size: DemoSize = field(default_factory=DemoSize)


def row_of(sheet: str, values: dict[str, object]) -> dict[str, object]:
    """A row with every canonical header of `sheet` (blank = None)."""
    return {h: values.get(h) for h in HEADERS[sheet]}


# ---- internal records ---------------------------------------------------------

class _Person:
    __slots__ = ("idx", "id", "name", "gender", "unit", "post", "level", "key", "violator", "grad",
                 "tier", "area", "left_on")

    def __init__(self, idx, name, gender, level):
        self.idx, self.name, self.gender, self.level = idx, name, gender, level
        self.id = self.unit = self.post = self.key = self.tier = ""
        self.area = "本部"
        self.violator = self.grad = False
        self.left_on: date | None = None

    def active_on(self, d: date) -> bool:
        return self.left_on is None or d < self.left_on


class _Session:
    __slots__ = ("date", "kind", "level", "theme", "topic", "area", "group", "id", "form", "place")

    def __init__(self, d, kind, level, theme="", topic="", area=""):
        self.date, self.kind, self.level, self.theme, self.topic, self.area = d, kind, level, theme, topic, area
        self.group: list[_Person] = []
        self.id = self.form = self.place = ""


@dataclass
class _LevelPlan:
    code: str
    n: int  # roster members
    sizes: list[int] = field(default_factory=list)  # regular sessions in date order
    fresh: int = 0  # leading sessions drawn from members not yet covered
    leavers: int = 0
    members: list = field(default_factory=list)  # selectable members (_Person)
    order: list = field(default_factory=list)  # preference order for fresh picks
    start: int = 0
    taken: set = field(default_factory=set)  # idx attended a regular session of the level
    done: int = 0
    counts: dict = field(default_factory=dict)  # (attr, value) -> untaken members
    genders: set = field(default_factory=set)
    posts: set = field(default_factory=set)
    tiers: set = field(default_factory=set)
