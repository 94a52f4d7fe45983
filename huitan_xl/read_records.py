"""Converted tables -> the records of Registers (model.py), 规则配置 -> Settings, and the
运行记录's rows (read.py)."""
from __future__ import annotations

import dataclasses
from itertools import repeat
from typing import Callable

from . import columnmap, convert, schema, settings as settings_mod
from .convert import Bad, squash
from .findings import Finding, did_you_mean, finding
from .model import (Attendance, DayOverride, Department, Item, Level, ManualEvent, Person,
                    Registers, ReportSubmission, Session, SheetLayout, Src, Suggestion, TopicRule,
                    build_records)
from .read_table import Table, _is_blank, _strip_note

HEADER_SCAN_ROWS = columnmap.HEADER_SCAN_ROWS  # rows searched for the run log's header
RUN_LOG_HEADER = "时间"  # the run log's first header ends with it (运行时间)


# ---- records -----------------------------------------------------------------
def _column(t: Table, attr: str, ftype: str) -> object:
    return t.values[attr] if attr in t.values else repeat(convert.EMPTY[ftype], len(t.rows))


def _records(cls, t: Table, fields: list[schema.Field], **override) -> list:
    """Build cls(...) for every data row, column-wise, with src=(sheet, Excel row)."""
    types = {f.attr: f.type for f in fields}
    sheet = t.sheet
    cols = [[Src(sheet, r) for r in t.rows] if a == "src" else
            override[a] if a in override else _column(t, a, types.get(a, "str"))
            for a in (fl.name for fl in dataclasses.fields(cls))]
    return build_records(cls, cols)


def _layout(regs: Registers, canonical_sheet: str, t: Table, records: list) -> None:
    regs.layouts[canonical_sheet] = SheetLayout(
        t.sheet, t.header_row, dict(t.columns), t.max_column, t.max_row,
        tuple(r.src.row for r in records), dict(t.owned), dict(t.owned_text),
        {f.header: t.headers[f.attr] for f in schema.SHEETS[canonical_sheet] if f.attr in t.headers},
        regs.marks.print_columns.get(t.sheet, 0) if regs.marks is not None else 0)


def _build_levels(regs: Registers, t: Table) -> None:
    fields = schema.SHEETS[schema.LEVELS]
    named = _column(t, "name", "level")
    written = [convert.to_level(c) for c in _column(t, "code", "str")]
    codes = [n or (w if w.__class__ is str else None) for n, w in zip(named, written)]
    recs = _records(Level, t, fields, code=codes,
                    name=[convert.LEVEL_NAME.get(c, "") for c in codes])
    regs.levels = [r for r in recs if r.code]
    _layout(regs, schema.LEVELS, t, regs.levels)


def _simple(sheet: str, cls, attr: str, **overrides: Callable[[Table], list]):
    def build(regs: Registers, t: Table) -> None:
        recs = _records(cls, t, schema.SHEETS[sheet], **{a: fn(t) for a, fn in overrides.items()})
        setattr(regs, attr, recs)
        _layout(regs, sheet, t, recs)
    return build


def _is_true(t: Table, attr: str) -> list[bool]:
    return [v is True for v in _column(t, attr, "yesno")]


def _build_persons(regs: Registers, t: Table) -> None:
    _simple(schema.ROSTER, Person, "persons",
            violator=lambda t: _is_true(t, "violator"),
            new_graduate=lambda t: _is_true(t, "new_graduate"),
            active=lambda t: [v != "离职" for v in _column(t, "active", "enum")])(regs, t)


_REASONABLE = {"合理": True, "不合理": False}


def _build_holidays(regs: Registers, t: Table) -> None:
    recs = _records(DayOverride, t, schema.SHEETS[schema.HOLIDAYS])
    regs.day_overrides = [r for r in recs if r.date is not None and r.kind]
    _layout(regs, schema.HOLIDAYS, t, regs.day_overrides)


def _build_topics(regs: Registers, t: Table) -> None:
    recs = _records(TopicRule, t, schema.SHEETS[schema.TOPICS])
    regs.topic_rules = [r for r in recs if r.topic]
    _layout(regs, schema.TOPICS, t, regs.topic_rules)


def _build_settings(regs: Registers, t: Table) -> None:
    regs.settings, found = parse_settings(t)
    regs.findings += found
    regs.layouts[schema.SETTINGS] = SheetLayout(t.sheet, t.header_row, dict(t.columns),
                                                t.max_column, t.max_row, tuple(t.rows))


_BUILDERS: dict[str, Callable[[Registers, Table], None]] = {
    schema.LEVELS: _build_levels,
    schema.DEPARTMENTS: _simple(schema.DEPARTMENTS, Department, "departments"),
    schema.ROSTER: _build_persons,
    schema.SESSIONS: _simple(schema.SESSIONS, Session, "sessions"),
    schema.ATTENDANCE: _simple(schema.ATTENDANCE, Attendance, "attendances"),
    schema.ITEMS: _simple(schema.ITEMS, Item, "items", on_the_spot=lambda t: _is_true(t, "on_the_spot"),
                          deadline_offset=lambda t: t.values.get("deadline_offset") or repeat(None, len(t.rows))),
    schema.SUGGESTIONS: _simple(schema.SUGGESTIONS, Suggestion, "suggestions", reasonable=lambda t: [
        _REASONABLE.get(v) for v in _column(t, "reasonable", "enum")]),
    schema.REPORTS: _simple(schema.REPORTS, ReportSubmission, "reports"),
    schema.MANUAL: _simple(schema.MANUAL, ManualEvent, "manual_events"),
    schema.SETTINGS: _build_settings,
    schema.HOLIDAYS: _build_holidays,
    schema.TOPICS: _build_topics,
}


# ---- 规则配置 -----------------------------------------------------------------
def _parameter_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for name in settings_mod.BY_NAME:
        keys[squash(name)] = name
    for name in settings_mod.BY_NAME:  # also without the bracketed unit, when unique
        keys.setdefault(_strip_note(squash(name)), name)
    return keys


_PARAMETER_KEYS = _parameter_keys()


def parse_settings(t: Table) -> tuple[settings_mod.Settings, list[Finding]]:
    """Rows 参数 | 值 -> Settings. Unknown parameter: R12 warning; unreadable value:
    R06 (R01 for a date) and the default kept; blank value: the default."""
    values: dict[str, object] = {}
    found: list[Finding] = []
    names = t.values.get("name", [])
    vals = t.values.get("value", [""] * len(names))
    name_head = t.headers.get("name", "参数")
    value_head = t.headers.get("value", "值")
    for row, name, value in zip(t.rows, names, vals):
        if not name:
            continue
        param = _PARAMETER_KEYS.get(squash(name))
        if param is None:
            found.append(finding(
                "R12", t.sheet, row, name_head, name,
                f"参数 {name} 不是可识别的规则参数，已忽略；请核对参数名称。"
                f"{did_you_mean(name, settings_mod.BY_NAME)}".rstrip()))
            continue
        attr, default = settings_mod.BY_NAME[param].attr, settings_mod.BY_NAME[param].default
        if value is None or convert.text(value) == "":
            continue
        if isinstance(default, int) and not isinstance(default, bool):
            v, code, what = convert.to_int(value), "R06", f"不是整数，已按默认值 {default} 计算；请填写整数"
        elif default is None:
            v, code, what = convert.to_date(value), "R01", "不是有效日期，已按默认处理；请按 2026-3-5 的格式填写"
        else:
            v, code, what = convert.text(value), "", ""
        if v.__class__ is Bad:
            found.append(finding(code, t.sheet, row, value_head, value,
                                 f"参数 {param} 的「{value_head}」写的是“{convert.text(value)}”，{what}。"))
            continue
        lo, hi = settings_mod.RANGES.get(attr, (None, None))
        if lo is not None and isinstance(v, int) and not lo <= v <= hi:
            found.append(finding("R04", t.sheet, row, value_head, value,
                                 f"参数 {param} 的「{value_head}」写的是“{convert.text(value)}”，超出合理范围 "
                                 f"{lo}–{hi}，已按默认值 {default} 计算；请填写该范围内的整数。"))
            continue
        values[attr] = v
    return settings_mod.Settings(**values), found


# ---- 运行记录 -----------------------------------------------------------------
def read_run_log(grid: list[list]) -> list[list]:
    """The tool-owned run log's data rows, header excluded: the header row is the
    one whose cell reads 时间 (or 运行时间); rows are taken from that column on."""
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        for j, v in enumerate(row):
            if v.__class__ is str and len(v) <= 8 and squash(v).endswith(RUN_LOG_HEADER):
                end = max(k for k, h in enumerate(row) if convert.text(h)) + 1
                return [list(r[j:end]) for r in grid[i + 1:] if not _is_blank(r)]
    return []
