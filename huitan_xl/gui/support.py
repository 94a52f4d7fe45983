"""What the staff window needs besides Tk: the jobs behind its buttons, default
periods, the remembered workbook, lock files of Excel / WPS, opening files, the
desktop launcher. No Tk here, so all of it is testable without a display."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from .. import periods

APP_DIR = "huitan-xl"
CONFIG_NAME = "gui.json"
LAUNCHER_NAME = "八级慧谈台账"


WINDOW_FIELDS = {"level": "层级", "session": "纪要场次"}  # option -> the window's field label


@dataclass(frozen=True)
class Button:
    """One job button of the job table (jobs.JOBS): its Chinese title, the job's name,
    which period field of the window it takes ("month" / "quarter" / "year" / None)."""

    title: str
    command: str
    period: str | None
    documents: bool = False  # writes Word documents beside the workbook

    def run(self, path: Path, label: str | None, as_of: date, now: datetime, options: dict,
            password: str | None = None):
        """The job through the command line's core (jobs.run_job). `options` holds the
        window's fields (level, session); each option of the job takes its field, else the
        value an Excel button uses, else its default."""
        from ..errors import BadParameter
        from ..jobs import JOBS, front_options, run_job

        job = JOBS[self.command]
        given = front_options(job, options, lambda o: BadParameter(
            f"请先在窗口中填写“{WINDOW_FIELDS.get(o.name, o.name)}”（{o.help}），再点“{job.title}”。"))
        return run_job(job.name, path, as_of=as_of, now=now, period=label, password=password, **given)


def _jobs() -> list[Button]:
    from .. import jobs

    field_of = {periods.MONTH: "month", periods.QUARTER: "quarter", periods.YEAR: "year"}
    return [Button(j.title, j.name, field_of.get(j.period_default), j.documents)
            for j in jobs.JOBS.values() if j.button]


BUTTONS: list[Button] = _jobs()


def default_periods(today: date) -> dict[str, str]:
    """The last complete month, quarter and year before `today`."""
    return {"month": periods.previous_month(today).label,
            "quarter": periods.previous_quarter(today).label,
            "year": periods.previous_year(today).label}


# ---- the remembered workbook -------------------------------------------------------
def config_dir() -> Path:
    """%APPDATA%\\huitan-xl on Windows, $XDG_CONFIG_HOME/huitan-xl (~/.config) elsewhere."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / APP_DIR
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / APP_DIR


def load_config() -> dict:
    try:
        data = json.loads((config_dir() / CONFIG_NAME).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def remember_workbook(path: Path) -> None:
    """Only the workbook's path is kept (never a password)."""
    folder = config_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        data = load_config()
        data["workbook"] = str(Path(path).resolve())
        (folder / CONFIG_NAME).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError:
        pass  # remembering is a convenience; never fail a job over it


def remembered_workbook() -> Path | None:
    text = load_config().get("workbook")
    return Path(text) if isinstance(text, str) and text else None


# ---- is it open in Excel or WPS? ----------------------------------------------------
def lock_files(path: Path) -> list[Path]:
    """Owner / lock files beside a workbook that Excel or WPS has open:
    Excel `~$NAME`, WPS `.~NAME#` (and `~$NAME` too on Windows), LibreOffice `.~lock.NAME#`."""
    path = Path(path)
    name = path.name
    candidates = ["~$" + name, ".~" + name + "#", ".~lock." + name + "#"]
    return [path.with_name(c) for c in candidates if path.with_name(c).exists()]


def lock_message(path: Path, locks: list[Path]) -> str:
    names = "、".join(p.name for p in locks)
    return (f"工作簿 {Path(path).name} 正在 Excel 或 WPS 中打开（旁边有锁文件 {names}）。\n"
            f"请先在 Excel / WPS 中保存并关闭它，再点按钮重试。\n"
            f"如果 Excel 和 WPS 都已关闭，可以删除锁文件 {names}。")


# ---- the summary -------------------------------------------------------------------
def summary_text(result, shown: int = 20) -> str:
    """The Chinese summary a job prints on the command line, for the window."""
    return "\n".join(result.summary(shown, rest="见工作簿「校验结果」表"))


def written_files(result) -> list[Path]:
    """The files a job wrote (workbook, companion, Word documents), to offer 打开 buttons for."""
    saved = getattr(result, "saved", None)
    files = [p for p in (saved.path, saved.companion) if p is not None] if saved is not None else []
    return files + [Path(p) for p in getattr(result, "files", None) or []]


def open_file(path: Path) -> None:
    """Open with the program the system associates (Excel / WPS on Windows)."""
    if os.name == "nt":
        os.startfile(str(path))  # type: ignore[attr-defined]
    elif sys.platform == "darwin":
        subprocess.Popen(["open", str(path)])
    else:
        subprocess.Popen(["xdg-open", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---- the desktop launcher ------------------------------------------------------------
def desktop_dir() -> Path:
    """The user's desktop: XDG_DESKTOP_DIR (xdg-user-dir) on Linux, else ~/Desktop."""
    if os.name != "nt":
        try:
            out = subprocess.run(["xdg-user-dir", "DESKTOP"], capture_output=True, text=True, timeout=5)
            if out.returncode == 0 and out.stdout.strip():
                return Path(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    return Path(os.path.expanduser("~")) / "Desktop"


def write_shortcut(workbook: Path | None, desktop: Path | None = None,
                   python: str | None = None, windows: bool | None = None) -> Path:
    """A launcher for `huitan gui [WB]`: 八级慧谈台账.cmd on Windows, .desktop elsewhere."""
    desktop = Path(desktop) if desktop is not None else desktop_dir()
    desktop.mkdir(parents=True, exist_ok=True)
    windows = os.name == "nt" if windows is None else windows
    python = python or sys.executable
    wb = [str(Path(workbook).resolve())] if workbook is not None else []
    if windows:
        pythonw = Path(python).with_name("pythonw.exe")
        exe = str(pythonw) if pythonw.exists() else python  # pythonw: no console window
        args = " ".join(f'"{a}"' for a in [exe, "-m", "huitan_xl", "gui", *wb])
        target = desktop / f"{LAUNCHER_NAME}.cmd"
        text = f'@echo off\r\nrem 八级慧谈台账程序（huitan gui）\r\nstart "" {args}\r\n'
        target.write_bytes(text.encode("gbk", "replace") if _console_is_gbk() else text.encode("utf-8"))
        return target

    def q(s: str) -> str:  # Desktop Entry Exec quoting
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$") + '"'

    target = desktop / "huitan-gui.desktop"
    exec_line = " ".join(q(a) for a in [python, "-m", "huitan_xl", "gui", *wb])
    target.write_text("[Desktop Entry]\nType=Application\nVersion=1.0\n"
                      f"Name={LAUNCHER_NAME}\nComment=八级慧谈台账：校验、督办、考核、奖励、报告\n"
                      f"Exec={exec_line}\nTerminal=false\nCategories=Office;\n", encoding="utf-8")
    target.chmod(0o755)
    return target


def _console_is_gbk() -> bool:
    """cmd.exe reads a .cmd file in the console's code page (936 on Chinese Windows)."""
    if os.name != "nt":
        return True
    try:
        import ctypes

        return ctypes.windll.kernel32.GetOEMCP() == 936  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return True


def now_and_today(clock: Callable[[], datetime] | None = None) -> tuple[datetime, date]:
    if clock is None:
        from ..cli import now_cst
        clock = now_cst
    now = clock()
    return now, now.date()
