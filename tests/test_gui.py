"""The staff window (`huitan gui`), for real on a display (Xvfb when there is none), and
what it needs besides Tk (periods, lock files, remembered workbook, launcher)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from conftest import DEMO_AS_OF, fresh_demo, huitan
from huitan_xl.gui import support

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out; `make test` runs all

AS_OF = date(2026, 11, 24)
CLOCK = lambda: datetime(2026, 11, 24, 9, 30)  # noqa: E731


# ---- without a display ------------------------------------------------------------------
@pytest.mark.parametrize("today, expected", [
    (date(2026, 11, 24), {"month": "2026-10", "quarter": "2026Q3", "year": "2025"}),
    (date(2026, 1, 1), {"month": "2025-12", "quarter": "2025Q4", "year": "2025"}),
    (date(2026, 4, 1), {"month": "2026-03", "quarter": "2026Q1", "year": "2025"}),
    (date(2026, 12, 31), {"month": "2026-11", "quarter": "2026Q3", "year": "2025"}),
])
def test_periods_are_the_last_complete_ones(today, expected):
    assert support.default_periods(today) == expected


@pytest.mark.parametrize("lock", ["~$台账2026.xlsx", ".~台账2026.xlsx#", ".~lock.台账2026.xlsx#"])
def test_lock_files_of_excel_wps_and_libreoffice(tmp_path, lock):
    wb = tmp_path / "台账2026.xlsx"
    wb.write_bytes(b"PK")
    assert support.lock_files(wb) == []
    (tmp_path / lock).write_bytes(b"\0")
    assert support.lock_files(wb) == [tmp_path / lock]
    msg = support.lock_message(wb, support.lock_files(wb))
    assert msg.startswith(f"工作簿 台账2026.xlsx 正在 Excel 或 WPS 中打开（旁边有锁文件 {lock}）。")
    assert "请先在 Excel / WPS 中保存并关闭它" in msg


def test_the_workbook_is_remembered_in_the_user_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.delenv("APPDATA", raising=False)
    assert support.remembered_workbook() is None
    support.remember_workbook(tmp_path / "台账.xlsx")
    assert support.remembered_workbook() == (tmp_path / "台账.xlsx").resolve()
    saved = json.loads((tmp_path / "cfg" / "huitan-xl" / "gui.json").read_text(encoding="utf-8"))
    assert saved == {"workbook": str((tmp_path / "台账.xlsx").resolve())}


def test_desktop_launchers(tmp_path):
    wb = tmp_path / "我的 台账.xlsx"
    linux = support.write_shortcut(wb, tmp_path / "桌面", python="/opt/py/bin/python", windows=False)
    assert linux == tmp_path / "桌面" / "huitan-gui.desktop"
    text = linux.read_text(encoding="utf-8")
    assert "Name=八级慧谈台账\n" in text and "Terminal=false\n" in text
    assert f'Exec="/opt/py/bin/python" "-m" "huitan_xl" "gui" "{wb.resolve()}"\n' in text
    assert os.access(linux, os.X_OK)
    win = support.write_shortcut(wb, tmp_path / "Desktop", python=r"C:\Py\python.exe", windows=True)
    assert win.name == "八级慧谈台账.cmd"
    body = win.read_bytes().decode("gbk")
    assert body.startswith("@echo off\r\n")
    assert f'start "" "C:\\Py\\python.exe" "-m" "huitan_xl" "gui" "{wb.resolve()}"\r\n' in body


def test_gui_shortcut_command_writes_to_the_desktop(tmp_path):
    env_home = tmp_path / "home"
    env_home.mkdir()
    proc = subprocess.run([*_python(), "-m", "huitan_xl", "gui", "--shortcut"], capture_output=True,
                          env=dict(os.environ, HOME=str(env_home), PYTHONIOENCODING="utf-8",
                                   XDG_CONFIG_HOME=str(env_home / ".config")), timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode("utf-8")
    assert out.startswith("已在桌面创建启动图标：")
    made = Path(out.split("：", 1)[1].strip())
    assert made.name == "huitan-gui.desktop" and made.exists()
    assert str(env_home) in str(made)


def _python() -> list[str]:
    import sys
    return [sys.executable]


# ---- on a display -----------------------------------------------------------------------
@pytest.fixture(scope="session")
def display():
    try:
        import tkinter  # noqa: F401
    except ImportError as e:
        pytest.skip(f"this Python has no tkinter ({e})")
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    if not shutil.which("Xvfb"):
        pytest.skip("no DISPLAY and no Xvfb (apt install xvfb) to test the window on")
    r, w = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    number = b""
    with os.fdopen(r, "rb") as fh:
        while not number.endswith(b"\n"):
            chunk = fh.read(1)
            if not chunk:
                break
            number += chunk
    if not number.strip():
        proc.kill()
        pytest.skip("Xvfb did not start")
    os.environ["DISPLAY"] = ":" + number.decode().strip()
    try:
        yield os.environ["DISPLAY"]
    finally:
        del os.environ["DISPLAY"]
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def demo_workbook(demo_book, tmp_path_factory):
    assert AS_OF == DEMO_AS_OF
    return fresh_demo(demo_book, tmp_path_factory)


@pytest.fixture
def window(display, tmp_path, monkeypatch):
    import tkinter as tk

    from huitan_xl.gui.app import App, pick_fonts, set_scaling

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.delenv("HUITAN_PASSWORD", raising=False)
    made = []

    def make(workbook: Path | None, scale: float = 1.0):
        root = tk.Tk()
        set_scaling(root, scale)
        pick_fonts(root)
        app = App(root, workbook, clock=CLOCK)
        root.update()
        made.append(root)
        return app

    yield make
    for root in made:
        root.destroy()


def press(app, title: str) -> None:
    """A mouse click on the button, through Tk's own event machinery."""
    button = app.buttons[title]
    app.root.update()
    x, y = button.winfo_width() // 2, button.winfo_height() // 2
    button.event_generate("<Enter>", x=x, y=y)
    button.event_generate("<ButtonPress-1>", x=x, y=y)
    button.event_generate("<ButtonRelease-1>", x=x, y=y)
    app.root.update()


def wait_done(app, limit: float = 600) -> None:
    """Let the Tk loop run until the worker has reported (a hang guard, not a timing test)."""
    end = time.monotonic() + limit
    while app.busy and time.monotonic() < end:
        app.root.update()
        time.sleep(0.02)
    assert not app.busy, "the job did not finish"
    app.root.update()


def states_in(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path, read_only=True)["诉求台账"]
    rows = ws.iter_rows(values_only=True)
    header = list(next(rows))
    i, s, d, h = (header.index(k) for k in ("编号", "状态", "逾期天数", "督办提示"))
    return [(r[i], r[s], r[d], r[h]) for r in rows if r and r[i]]


def test_overdue_button_on_the_demo_workbook(window, demo_workbook, tmp_path):
    path = tmp_path / "台账.xlsx"
    shutil.copy(demo_workbook, path)
    ref = tmp_path / "ref" / "台账.xlsx"
    ref.parent.mkdir()
    shutil.copy(demo_workbook, ref)
    assert huitan("overdue", ref, "--as-of", AS_OF.isoformat()).returncode in (0, 1)

    app = window(path)
    assert [b.cget("text") for b in app.buttons.values()] == [
        "校验", "逾期督办", "考核扣分", "季度奖励", "月度分析", "年度考核", "推荐参会人员", "诉求承办单", "答复公示", "慧谈纪要"]
    assert {k: v.get() for k, v in app.period.items()} == {"month": "2026-10", "quarter": "2026Q3", "year": "2025"}
    press(app, "逾期督办")
    assert app.busy and "正在运行：逾期督办" in app.status.get()  # progress shown while it runs
    assert app.buttons["校验"].instate(["disabled"])
    wait_done(app)

    got = states_in(path)
    assert got == states_in(ref)  # the same core as the command line
    states = Counter(s for _id, s, _d, _h in got if s)
    tickets = sum(n for s, n in states.items() if s != "现场答复")
    overdue = states["逾期未答复"]
    reported = sum(1 for *_x, h in got if h == "通报")
    assert overdue > 0 and reported > 0
    lines = app.summary_value().splitlines()
    assert lines[0] == f"截至 2026-11-24：承办单 {tickets} 件，逾期未答复 {overdue} 件（通报 {reported} 件）。"
    assert lines[1:1 + len(states)] == [f"  {k}：{v} 件" for k, v in sorted(states.items())]
    assert lines[-1] == f"已写入：{path}（原文件已备份为 台账.bak.xlsx）"
    assert app.status.get().startswith("“逾期督办”已完成。")
    assert app.opened == [path] and app.open_written.instate(["!disabled"])
    assert "逾期督办" in openpyxl.load_workbook(path, read_only=True).sheetnames
    assert support.remembered_workbook() == path.resolve()


def test_document_buttons_write_the_word_files_and_offer_them(window, demo_workbook, tmp_path):
    """答复公示 for the prefilled month and 慧谈纪要 for the session typed in the window: the same
    .docx the command line writes, listed in the summary and offered by 打开写入的文件."""
    from docx import Document

    path = tmp_path / "台账.xlsx"
    shutil.copy(demo_workbook, path)
    session = next(r[0] for r in openpyxl.load_workbook(path, read_only=True)["慧谈场次"].iter_rows(
        min_row=2, values_only=True) if r[0])
    app = window(path)
    press(app, "答复公示")
    wait_done(app)
    notice = tmp_path / "台账_2026-10_诉求答复公示.docx"
    assert notice.exists(), app.summary_value()
    assert app.summary_value().splitlines()[0].startswith("2026年10月诉求答复公示：")
    assert f"已生成文档：{notice}" in app.summary_value().splitlines()
    assert notice in app.opened
    press(app, "慧谈纪要")  # no session typed: a message, nothing written
    wait_done(app)
    assert app.summary_value() == ("无法运行“慧谈纪要”：\n请先在窗口中填写“纪要场次”（场次编号，如 HT-2026-10-03），"
                                   "再点“慧谈纪要”。")
    app.session.set(session)
    press(app, "慧谈纪要")
    wait_done(app)
    minutes = tmp_path / f"台账_{session}_慧谈纪要.docx"
    assert minutes.exists(), app.summary_value()
    assert any(session in p.text for p in Document(str(minutes)).paragraphs)
    assert minutes in app.opened


def test_a_bug_is_one_chinese_line_and_a_log(window, demo_workbook, tmp_path, monkeypatch):
    from huitan_xl import pipeline

    def broken(regs, as_of):
        raise KeyError("状态")

    monkeypatch.setattr(pipeline, "plan_overdue", broken)
    path = tmp_path / "台账.xlsx"
    shutil.copy(demo_workbook, path)
    before = path.read_bytes()
    app = window(path)
    press(app, "逾期督办")
    wait_done(app)
    log = tmp_path / "台账.huitan.log"
    assert app.summary_value() == ("“逾期督办”运行出错，工作簿未作改动。\n"
                                   f"程序内部出错（KeyError），任务未完成；详细信息已写入 {log}，请发给管理员。")
    assert "Traceback (most recent call last)" in log.read_text(encoding="utf-8")
    assert path.read_bytes() == before


def test_overdue_button_on_a_clerk_kept_register(window, tmp_path):
    """Her layout and headers (demo_clerk): the window says what the command line says, and the
    tool's states go into 状态（系统） beside her own 状态 column."""
    from huitan_xl import demo, demo_clerk

    data = demo.generate(demo.DemoSize(employees=150, sessions=24, items=90, suggestions=12), as_of=AS_OF)
    (tmp_path / "ref").mkdir()
    path = demo_clerk.write_clerk_register(tmp_path / "台账.xlsx", data)
    ref = tmp_path / "ref" / "台账.xlsx"
    shutil.copy(path, ref)
    proc = huitan("overdue", ref, "--as-of", AS_OF.isoformat())
    assert proc.returncode in (0, 1), proc.stderr.decode()
    app = window(path)
    press(app, "逾期督办")
    wait_done(app)
    assert app.summary_value().splitlines()[0] == proc.stdout.decode("utf-8").splitlines()[0]
    assert app.summary_value().splitlines()[0].startswith("截至 2026-11-24：承办单 ")
    ws = openpyxl.load_workbook(path, read_only=True)[demo_clerk.SHEET]
    heads = [v for row in ws.iter_rows(max_row=5, values_only=True) for v in row]
    assert "状态" in heads and "状态（系统）" in heads


def test_a_workbook_open_in_wps_is_left_alone(window, demo_workbook, tmp_path):
    path = tmp_path / "台账.xlsx"
    shutil.copy(demo_workbook, path)
    (tmp_path / ".~台账.xlsx#").write_bytes(b"\0")  # WPS's lock file
    before = path.read_bytes()
    app = window(path)
    press(app, "逾期督办")
    assert not app.busy
    assert app.summary_value().startswith("工作簿 台账.xlsx 正在 Excel 或 WPS 中打开（旁边有锁文件 .~台账.xlsx#）。")
    assert app.status.get() == "工作簿正在使用中，未运行。"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [".~台账.xlsx#", "台账.xlsx"]


def test_an_encrypted_workbook_with_and_without_its_password(window, demo_workbook, tmp_path):
    from test_encrypted import decrypt

    from huitan_xl.xlsx.encryption import encrypt

    path = tmp_path / "台账.xlsx"
    path.write_bytes(encrypt(demo_workbook.read_bytes(), "密码123"))
    before = path.read_bytes()
    app = window(path)
    app.password.set("错的")
    press(app, "季度奖励")
    wait_done(app)
    assert app.summary_value().startswith("无法运行“季度奖励”：\n台账.xlsx：密码不正确")
    assert path.read_bytes() == before
    app.password.set("密码123")
    press(app, "季度奖励")
    wait_done(app)
    assert app.summary_value().splitlines()[-1] == f"已写入：{path}（原文件已备份为 台账.bak.xlsx）"
    assert "密码123" not in app.summary_value()
    import io
    assert "季度奖励" in openpyxl.load_workbook(io.BytesIO(decrypt(path.read_bytes(), "密码123"))).sheetnames


def test_a_bad_quarter_is_a_message_not_a_crash(window, demo_workbook, tmp_path):
    path = tmp_path / "台账.xlsx"
    shutil.copy(demo_workbook, path)
    before = path.read_bytes()
    app = window(path)
    app.period["quarter"].set("2026Q5")
    press(app, "季度奖励")
    wait_done(app)
    assert app.summary_value().startswith("无法运行“季度奖励”：\n")
    assert "2026Q5" in app.summary_value()
    assert path.read_bytes() == before


def test_the_window_grows_with_display_scaling(window, demo_workbook):
    small = window(demo_workbook, scale=1.0)
    w1, h1 = small.root.winfo_reqwidth(), small.root.winfo_reqheight()
    big = window(demo_workbook, scale=1.5)
    w2, h2 = big.root.winfo_reqwidth(), big.root.winfo_reqheight()
    assert 1.3 < w2 / w1 < 1.7 and 1.3 < h2 / h1 < 1.7, (w1, h1, w2, h2)


def test_a_protected_workbook_without_its_register_gets_the_command_line_s_advice(window, tmp_path):
    from openpyxl.workbook.protection import WorkbookProtection

    from conftest import run_cli

    path = tmp_path / "会议.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "会议安排"
    wb.active.append(["会议名称", "时间", "地点"])
    wb.security = WorkbookProtection(lockStructure=True)
    wb.save(path)
    before = path.read_bytes()
    app = window(path)
    press(app, "逾期督办")
    wait_done(app)
    said = run_cli("overdue", path).stderr.decode("utf-8").removeprefix("错误：").rstrip("\n")
    assert "结构受保护（保护工作簿结构），程序不能在其中添加工作表。" in said
    assert app.summary_value() == f"无法运行“逾期督办”：\n{said}"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["会议.xlsx"]
