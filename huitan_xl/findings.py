"""Findings: every problem the tool reports, with a stable code.

A finding points where a clerk would look: sheet, Excel row, header text and the
value, plus a Chinese sentence that names the record (场次编号, 编号 or 工号)
and says what would fix it. Rules return findings; they never raise on bad data.
"""
from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Iterable

ERROR = "error"
WARNING = "warning"
INFO = "info"

SEVERITY_ZH = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}

# code -> (severity, short Chinese title). The message of each finding is
# specific; the title is what the 校验结果 sheet counts by.
CODES: dict[str, tuple[str, str]] = {
    # Selection rules (SPEC §4)
    "S01": (ERROR, "参会人数超过上限"),
    "S02": (ERROR, "参会人员层级与场次层级不一致"),
    "S03": (ERROR, "参会人员不在名册或不在职"),
    "S04": (ERROR, "牵头人与层级规定不符"),
    "S05": (ERROR, "名单未经牵头人审核或审核晚于场次"),
    "S06": (ERROR, "选人单位不符合层级规定"),
    "S07": (ERROR, "同一场次重复参会"),
    "S08": (WARNING, "有人未参加时重复邀请"),
    "S09": (WARNING, "参会人员性别或岗位单一"),
    "S10": (WARNING, "三必谈五必访对象尚未覆盖"),
    "S11": (WARNING, "未兼顾先进、后进和中间"),
    "S12": (WARNING, "本季度该层级未召开八级慧谈"),
    # Reading the registers (SPEC §9, §11)
    "R01": (ERROR, "日期无法识别"),
    "R02": (ERROR, "是/否填写无法识别"),
    "R03": (ERROR, "层级名称无法识别"),
    "R04": (ERROR, "取值不在可选范围内"),
    "R05": (ERROR, "必填项为空"),
    "R06": (ERROR, "数字无法识别"),
    "R07": (ERROR, "编号重复"),
    "R08": (ERROR, "引用的记录不存在"),
    "R09": (ERROR, "日期先后顺序不对"),
    "R10": (WARNING, "缺少工作表或列"),
    "R11": (WARNING, "季度无法识别"),
    "R12": (WARNING, "规则配置中的参数名无法识别"),
    # Tickets (SPEC §5)
    "T01": (WARNING, "延期批准晚于原答复时限，延期无效"),
    "T02": (WARNING, "答复后5个工作日内未公示"),
    "T03": (ERROR, "无法确定答复时限"),
    "T04": (WARNING, "答复成效不理想，仍在督办"),
    # Calendar (SPEC §5)
    "C01": (WARNING, "该年度尚无官方节假日安排"),
    "C02": (ERROR, "节假日表填写有误"),
    "C03": (INFO, "该年度按「节假日」表计算工作日"),
    # Deductions and rewards (SPEC §6, §7)
    "P01": (WARNING, "符合奖励条件但未填应用效果"),
    "P02": (WARNING, "扣分找不到部门负责人"),
    # Group consolidation
    "G01": (ERROR, "矿井工作簿无法读取"),
}


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
    return Finding(code, CODES[code][0], sheet, row, column,
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
