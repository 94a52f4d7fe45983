"""Findings: every problem the tool reports, with a stable code.

A finding points where a clerk would look: sheet, Excel row, header text and the
value, plus a Chinese sentence that names the record (场次编号, 编号 or 工号)
and says what would fix it. Rules return findings; they never raise on bad data.
"""
from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Iterable, Iterator, Mapping

ERROR = "error"
WARNING = "warning"
INFO = "info"

SEVERITY_ZH = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}

# code -> (severity, short Chinese title). The message of each finding is specific; the
# title is what the 校验结果 sheet counts by. One severity per code: a problem of another
# weight gets its own code. Every family declares its codes as CODES in its own module
# (FAMILIES, in the order staff.md lists them); findings.CODES is their union, gathered on
# first use, so a new code is one line beside the rule that raises it.
FAMILIES = (
    "huitan_xl.rules.selection",  # S: choosing the attendees (SPEC §4)
    "huitan_xl.read",  # R: reading the registers (SPEC §9, §11), also raised by rules.integrity
    "huitan_xl.rules.tickets",  # T: tickets (SPEC §5)
    "huitan_xl.calendar",  # C: the working-day calendar (SPEC §5)
    "huitan_xl.scoring",  # P: deductions and rewards (SPEC §6, §7)
    "huitan_xl.consolidate",  # G: group consolidation
)
_TABLE: dict[str, tuple[str, str]] = {}


def _gather() -> dict[str, tuple[str, str]]:
    import importlib

    table: dict[str, tuple[str, str]] = {}
    for name in FAMILIES:
        for code, entry in importlib.import_module(name).CODES.items():
            if code in table:
                raise RuntimeError(f"finding code {code} is declared twice ({name})")
            table[code] = entry
    _TABLE.update(table)
    return _TABLE


class _Codes(Mapping):
    """Read-only view of every family's codes: CODES["S01"] == (ERROR, "参会人数超过上限")."""

    def __getitem__(self, code: str) -> tuple[str, str]:
        return (_TABLE or _gather())[code]

    def __iter__(self) -> Iterator[str]:
        return iter(_TABLE or _gather())

    def __len__(self) -> int:
        return len(_TABLE or _gather())


CODES: Mapping[str, tuple[str, str]] = _Codes()


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # ERROR / WARNING / INFO
    sheet: str
    row: int | None  # Excel row as Excel shows it; None for sheet-level findings
    column: str  # the header text as it stands in the workbook ("" if none)
    value: object  # the offending value as read ("" if none)
    message: str  # Chinese, names the record and says what would fix it

    def to_json(self) -> dict:
        d = asdict(self)
        d["value"] = json_value(self.value)
        return d

    def text(self) -> str:
        """`sheet!row [column]: message` — one line for the terminal."""
        where = self.sheet
        if self.row:
            where += f" 第{self.row}行"
        if self.column:
            where += f" 「{self.column}」"
        return f"[{SEVERITY_ZH.get(self.severity, self.severity)} {self.code}] {where}：{self.message}"


def finding(code: str, sheet: str, row: int | None, column: str, value: object, message: str) -> Finding:
    """Build a finding with the severity its code declares in CODES: one severity per
    code, so a problem of another weight needs its own code."""
    return Finding(code, (_TABLE or _gather())[code][0], sheet, row, column,
                   "" if value is None else value, message)


def json_value(v: object) -> object:
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """' 您是不是要填「X」？' for a near miss, else ''."""
    match = difflib.get_close_matches(str(value).strip(), list(choices), n=1, cutoff=0.5)
    return f"您是不是要填「{match[0]}」？" if match else ""


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then by sheet and row (as the 校验结果 sheet lists them)."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.sheet, f.row or 0,
                                           f.column, f.code))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)
