"""`huitan init` on an existing workbook: find her registers, propose the column map,
print it in Chinese and record it in the tool-owned sheet 列名对照 (columnmap.py).

The proposal is what every job would read on its own (the same columnmap functions);
recording it lets the clerk see and correct it. Near misses (difflib) are listed as
proposals with an empty 对应字段 — never applied until she fills it in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from . import columnmap, ownership, schema, table_rows
from .convert import squash, text

HEAD_ROWS = 40
# registers worth a line in the map when found (the parameter sheets are the tool's template's)
MAPPED_REGISTERS = [schema.ITEMS, schema.ROSTER, schema.SESSIONS, schema.ATTENDANCE, schema.SUGGESTIONS,
                    schema.REPORTS, schema.DEPARTMENTS, schema.MANUAL]


@dataclass
class RegisterMap:
    register: str
    sheet: str
    how: str  # 名称 / 表头 / 列名对照
    header_row: int
    mapped: list[tuple[str, str, str]] = field(default_factory=list)  # (her header, field, how)
    unmapped: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # fields not found
    proposals: dict[str, list[str]] = field(default_factory=dict)  # field -> her headers

    @property
    def trivial(self) -> bool:
        """Her sheet is the template's: its name, every header canonical."""
        return (self.sheet == self.register and not self.unmapped and not self.ignored
                and all(h == f for h, f, _ in self.mapped))


@dataclass
class Proposal:
    registers: list[RegisterMap]
    located: dict[str, str]
    has_map_sheet: bool
    kept_rows: list[list[str]] = field(default_factory=list)  # 列名对照 rows of registers not found
    recorded_rows: list[list[str]] = field(default_factory=list)  # 列名对照 as it stands

    @property
    def worth_recording(self) -> bool:
        """Something to record that 列名对照 does not already say (an identical map is not rewritten,
        so a second init with nothing new changes nothing)."""
        if not (self.has_map_sheet or any(not r.trivial for r in self.registers)):
            return False
        return map_rows(self) != self.recorded_rows


def propose(path: Path) -> Proposal:
    try:
        from .xlsx import encryption

        wb = encryption.open_calamine(path)  # by content, as the jobs read
    except (CalamineError, OSError, ValueError):
        return Proposal([], {}, False)  # the writer has opened it: nothing of hers to map
    with wb:
        names = list(wb.sheet_names)
        heads: dict[str, list[list]] = {}

        def head(name: str) -> list[list]:
            if name not in heads:
                try:
                    sheet = wb.get_sheet_by_name(name)
                    heads[name] = sheet.to_python(skip_empty_area=False, nrows=HEAD_ROWS)
                except CalamineError:
                    heads[name] = []
            return heads[name]

        actual = {squash(n): n for n in reversed(names)}
        map_name = actual.get(squash(columnmap.COLUMN_MAP_SHEET))
        cmap = columnmap.ColumnMap()
        if map_name:
            cmap = columnmap.parse_column_map(wb.get_sheet_by_name(map_name).to_python(skip_empty_area=False))
        located, how = columnmap.locate(names, head, cmap)
        marks = ownership.read_marks(path)
        out = []
        for reg in MAPPED_REGISTERS:
            if reg not in located:
                continue
            grid = head(located[reg])
            h, _n = columnmap.find_header(grid, reg)
            if h is None:
                continue
            m = columnmap.map_columns(grid[h], reg, None, cmap.columns.get(reg))
            fields = schema.SHEETS[reg]
            rm = RegisterMap(reg, located[reg], how[reg], h + 1)
            for f in fields:
                if f.attr in m.col_of:
                    her = m.written[f.attr]
                    kind = "列名对照" if f.attr in m.by_map else (
                        "列名相同" if squash(her) == squash(f.header) else "同义列名")
                    rm.mapped.append((her, f.header, kind))
                else:
                    rm.missing.append(f.header)
            rm.unmapped = [u for u in m.unmapped if u not in _tool_headers(grid[h], reg, marks.columns.get(located[reg]))]
            rm.ignored = list(m.ignored)
            rm.proposals = columnmap.near_misses(rm.unmapped, reg, rm.missing)
            rm.mapped.sort(key=lambda t: [text(v) for v in grid[h]].index(t[0]) if t[0] in
                           [text(v) for v in grid[h]] else 999)
            out.append(rm)
        kept = [r for r in cmap.rows if r[0] not in located]
        return Proposal(out, located, map_name is not None, kept, [list(r) for r in cmap.rows])


def _tool_headers(header: list, reg: str, marked: dict[str, int] | None) -> set[str]:
    """The header texts of the columns the tool writes on `reg`'s sheet, which are not hers to
    map: the ones its mark names, and (not yet marked) those the migration rule takes as the
    tool's (ownership.legacy_owned: a lone 状态 of hers stays hers)."""
    cols = {c - 1 for c in (marked or {}).values()}
    cols |= {j for j, h in ownership.legacy_owned(header, reg).items() if h not in (marked or {})}
    return {text(header[j]) for j in cols if 0 <= j < len(header)}


def lines(p: Proposal, recorded: bool = True) -> list[str]:
    """The proposal in Chinese, one register after another; `recorded`: 列名对照 holds it
    (not so in a structure-protected workbook without that sheet: template._init_protected)."""
    out: list[str] = []
    for r in p.registers:
        if r.trivial:
            continue
        found = {"名称": "按工作表名称", "表头": "按表头识别", "列名对照": "按「列名对照」"}[r.how]
        out.append(f"{r.register} → 工作表「{r.sheet}」（{found}，表头在第{r.header_row}行）")
        renamed = [f"{h}→{f}" for h, f, kind in r.mapped if kind != "列名相同"]
        same = [f for h, f, kind in r.mapped if kind == "列名相同"]
        if renamed:
            out.append("  按对应字段读取：" + "、".join(renamed))
        if same:
            out.append("  列名相同：" + "、".join(same))
        if r.unmapped or r.ignored:
            out.append("  保持原样、不读取的列：" + "、".join(r.unmapped + r.ignored))
        if r.missing:
            out.append("  未找到的字段：" + "、".join(r.missing))
        for f, cands in r.proposals.items():
            out.append(f"  可能对应（未采用，请确认）：{'、'.join(f'「{c}」' for c in cands)} → 「{f}」？"
                       f"如是，请在「{columnmap.COLUMN_MAP_SHEET}」表中该行填上对应字段。")
    if out and recorded:
        out.append(f"以上对照已记录在「{columnmap.COLUMN_MAP_SHEET}」表中，可直接修改“对应字段”一列"
                   f"（留空 = 不读取该列），各任务按此读取。")
    return out


def map_rows(p: Proposal) -> list[list[str]]:
    """The 列名对照 rows: 台账, 工作表, 原列名, 对应字段, 说明."""
    rows: list[list[str]] = []
    for r in p.registers:
        if r.trivial:
            continue
        for her, f, kind in r.mapped:
            rows.append([r.register, r.sheet, her, f, kind])
        for her in r.unmapped:
            hint = [f for f, cands in r.proposals.items() if her in cands]
            note = f"可能是「{'」或「'.join(hint)}」？如是请填写对应字段" if hint else "未识别，保持原样"
            rows.append([r.register, r.sheet, her, "", note])
        for her in r.ignored:
            rows.append([r.register, r.sheet, her, "", "不读取（列名对照）"])
        for f in r.missing:
            rows.append([r.register, r.sheet, "", f, "未找到此列"])
    return rows + p.kept_rows


def map_builder(rows: list[list[str]]):
    """A builder (ws, fmt) for the 列名对照 sheet."""
    widths = (12, 16, 18, 14, 40)

    def build(ws, fmt) -> None:
        ws.write_string(0, 0, "列名对照：各台账所在的工作表，以及每一列对应的字段", fmt.title)
        ws.write_string(1, 0, "“对应字段”可以修改：填写字段名（见“说明”表或 docs/staff.md），留空表示不读取该列；"
                              "改后下次运行生效。重新运行 huitan init 会保留这里的修改。", fmt.subtitle)
        for c, (h, w) in enumerate(zip(columnmap.COLUMN_MAP_HEADERS, widths)):
            ws.write_string(3, c, h, fmt.header)
            ws.set_column(c, c, w)
        for r, row in enumerate(rows, start=4):
            for c, v in enumerate(row):
                if v:
                    ws.write_string(r, c, v)
        ws.freeze_panes(4, 0)
        ws.autofilter(3, 0, 3 + max(1, len(rows)), len(columnmap.COLUMN_MAP_HEADERS) - 1)

    return build


def skipped_lines(reading: dict) -> list[str]:
    """What reading did not take as data, for every job's summary."""
    out = []
    for reg, info in reading.items():
        if info is None:
            continue
        parts = [f"{why} {len(rows)} 行（第{'、'.join(map(str, rows[:6]))}{'…' if len(rows) > 6 else ''}行）"
                 for why in table_rows.REASONS if (rows := info.skipped.get(why))]
        if parts:
            out.append(f"「{info.sheet}」跳过非记录行：" + "；".join(parts) + "。")
        if info.unmapped and reg in MAPPED_REGISTERS:
            shown = "、".join(info.unmapped[:12]) + ("…" if len(info.unmapped) > 12 else "")
            out.append(f"「{info.sheet}」未识别、未读取的列：{shown}"
                       f"（如有需要读取的，请在「{columnmap.COLUMN_MAP_SHEET}」表中指定）。")
    return out
