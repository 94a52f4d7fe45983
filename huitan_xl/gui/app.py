"""`huitan gui [WB]`: a small window for staff who never open a terminal (WPS users
among them — the Excel buttons need Microsoft Excel).

Tk lives in the main thread; a job runs in a worker thread and hands its result back
through a queue the window polls (`after`), with an indeterminate progress bar
meanwhile. The jobs are the command line's (support.BUTTONS, one per job of jobs.JOBS -> jobs.run_job)."""
from __future__ import annotations

import queue
import threading
import tkinter as tk
import tkinter.font as tkfont
from datetime import date, datetime
from pathlib import Path
from tkinter import filedialog, ttk
from typing import Callable

from .. import schema
from ..errors import BadParameter, WorkbookUnusable, internal_error
from ..xlsx import encryption
from . import support

TITLE = "八级慧谈台账"
POLL_MS = 100
CJK_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "微软雅黑", "Noto Sans CJK SC", "Source Han Sans SC",
                "WenQuanYi Micro Hei", "PingFang SC", "SimHei")


def set_scaling(root: tk.Tk, scale: float | None) -> None:
    """Display scaling: 1.0 = 100 % (96 dpi), 1.5 = 150 %. Tk's scaling is pixels per
    point; fonts are given in points, so everything grows together."""
    if scale:
        root.tk.call("tk", "scaling", scale * 96 / 72)


def pick_fonts(root: tk.Tk, size: int = 10) -> None:
    """A font that has Chinese glyphs, in points (so it follows tk scaling)."""
    families = set(tkfont.families(root))
    family = next((f for f in CJK_FAMILIES if f in families), None)
    for name in ("TkDefaultFont", "TkTextFont", "TkMenuFont", "TkHeadingFont", "TkFixedFont"):
        try:
            f = tkfont.nametofont(name, root=root)
        except tk.TclError:
            continue
        f.configure(size=size, **({"family": family} if family else {}))


class App:
    def __init__(self, root: tk.Tk, workbook: Path | None = None,
                 clock: Callable[[], datetime] | None = None, remember: bool = True):
        self.root = root
        self.clock = clock
        self.remember = remember
        self.busy = False
        self.results: queue.Queue = queue.Queue()
        self.last_result = None
        self.opened: list[Path] = []  # files offered to open (tests read this)
        now, today = support.now_and_today(clock)
        self.today = today
        defaults = support.default_periods(today)
        workbook = workbook or support.remembered_workbook()

        root.title(TITLE)
        root.minsize(560, 420)
        frame = ttk.Frame(root, padding="10p")
        frame.pack(fill="both", expand=True)
        frame.columnconfigure(1, weight=1)

        ttk.Label(frame, text="台账工作簿：").grid(row=0, column=0, sticky="w")
        self.workbook = tk.StringVar(value=str(workbook) if workbook else "")
        ttk.Entry(frame, textvariable=self.workbook).grid(row=0, column=1, sticky="ew", padx="4p")
        ttk.Button(frame, text="选择…", command=self.choose).grid(row=0, column=2, sticky="e")

        fields = ttk.Frame(frame)
        fields.grid(row=1, column=0, columnspan=3, sticky="w", pady="6p")
        self.period = {k: tk.StringVar(value=v) for k, v in defaults.items()}
        self.level = tk.StringVar(value=schema.LEVEL_NAMES[0])
        self.password = tk.StringVar(value="")
        self.session = tk.StringVar(value="")
        for i, (key, label) in enumerate([("month", "月份"), ("quarter", "季度"), ("year", "年度")]):
            ttk.Label(fields, text=label + "：").grid(row=0, column=2 * i, sticky="w")
            ttk.Entry(fields, textvariable=self.period[key], width=9).grid(row=0, column=2 * i + 1,
                                                                           sticky="w", padx=("0", "10p"))
        ttk.Label(fields, text="层级：").grid(row=1, column=0, sticky="w", pady="4p")
        ttk.Combobox(fields, textvariable=self.level, values=schema.LEVEL_NAMES, width=16,
                     state="readonly").grid(row=1, column=1, columnspan=3, sticky="w")
        ttk.Label(fields, text="打开密码：").grid(row=1, column=4, sticky="w")
        ttk.Entry(fields, textvariable=self.password, show="●", width=14).grid(row=1, column=5, sticky="w")
        ttk.Label(fields, text="纪要场次：").grid(row=2, column=0, sticky="w")
        ttk.Entry(fields, textvariable=self.session, width=16).grid(row=2, column=1, columnspan=3, sticky="w")
        ttk.Label(frame, text="月份如 2026-10，季度如 2026Q3，年度如 2026；默认是上一个完整的月、季、年。\n"
                               "纪要场次填场次编号（如 HT-2026-10-03），只有“慧谈纪要”用到；有打开密码的工作簿才需填写密码。",
                  foreground="#555555").grid(row=2, column=0, columnspan=3, sticky="w")

        jobs = ttk.LabelFrame(frame, text="运行", padding="6p")
        jobs.grid(row=3, column=0, columnspan=3, sticky="ew")
        self.buttons: dict[str, ttk.Button] = {}
        for i, b in enumerate(support.BUTTONS):
            w = ttk.Button(jobs, text=b.title, command=lambda b=b: self.start(b))
            w.grid(row=i // 4, column=i % 4, padx="3p", pady="3p", sticky="ew")
            self.buttons[b.title] = w
        for c in range(4):
            jobs.columnconfigure(c, weight=1)

        self.progress = ttk.Progressbar(frame, mode="determinate", value=0)  # indeterminate while a job runs
        self.progress.grid(row=4, column=0, columnspan=3, sticky="ew", pady=("8p", "2p"))
        self.status = tk.StringVar(value="请选择台账工作簿，然后点击要运行的任务。")
        ttk.Label(frame, textvariable=self.status).grid(row=5, column=0, columnspan=3, sticky="w")

        box = ttk.Frame(frame)
        box.grid(row=6, column=0, columnspan=3, sticky="nsew", pady="4p")
        frame.rowconfigure(6, weight=1)
        self.summary = tk.Text(box, height=9, wrap="word", state="disabled", relief="solid", borderwidth=1)
        bar = ttk.Scrollbar(box, command=self.summary.yview)
        self.summary.configure(yscrollcommand=bar.set)
        self.summary.pack(side="left", fill="both", expand=True)
        bar.pack(side="right", fill="y")

        opens = ttk.Frame(frame)
        opens.grid(row=7, column=0, columnspan=3, sticky="w")
        ttk.Button(opens, text="打开台账", command=self.open_workbook).pack(side="left")
        self.open_written = ttk.Button(opens, text="打开写入的文件", command=self.open_results, state="disabled")
        self.open_written.pack(side="left", padx="6p")
        ttk.Label(frame, text="WPS 用户请用本窗口（或命令行）运行；工作簿中的按钮需要 Microsoft Excel。",
                  foreground="#555555").grid(row=8, column=0, columnspan=3, sticky="w", pady=("6p", "0"))

    # -- actions -----------------------------------------------------------------
    def choose(self) -> None:
        name = filedialog.askopenfilename(title="选择台账工作簿",
                                          filetypes=[("Excel 工作簿", "*.xlsx *.xlsm"), ("所有文件", "*.*")])
        if name:
            self.workbook.set(name)

    def show(self, text: str) -> None:
        self.summary.configure(state="normal")
        self.summary.delete("1.0", "end")
        self.summary.insert("1.0", text)
        self.summary.configure(state="disabled")

    def summary_value(self) -> str:
        return self.summary.get("1.0", "end").rstrip("\n")

    def start(self, button: support.Button) -> None:
        """Check the inputs here (Tk thread), then run the job in a worker thread."""
        if self.busy:
            return
        text = self.workbook.get().strip().strip('"')
        if not text:
            self.show("请先选择台账工作簿（点击“选择…”）。")
            return
        path = Path(text)
        if not path.is_file():
            self.show(f"找不到工作簿 {path.name}（{path}）。请检查文件名和所在文件夹。")
            return
        locks = support.lock_files(path)
        if locks:
            self.show(support.lock_message(path, locks))
            self.status.set("工作簿正在使用中，未运行。")
            return
        label = self.period[button.period].get().strip() if button.period else None
        password = self.password.get() or encryption.password_from_env()
        if self.remember:
            support.remember_workbook(path)
        self.busy = True
        for w in self.buttons.values():
            w.state(["disabled"])
        self.open_written.state(["disabled"])
        self.progress.configure(mode="indeterminate")
        self.progress.start(15)
        self.status.set(f"正在运行：{button.title}（{path.name}）……")
        self.show(f"正在运行“{button.title}”，请稍候……")
        options = {"level": self.level.get(), "session": self.session.get().strip()}
        worker = threading.Thread(target=self._work, args=(button, path, label, password, options), daemon=True)
        worker.start()
        self.root.after(POLL_MS, self._poll)

    def _work(self, button, path: Path, label, password, options) -> None:
        now, today = support.now_and_today(self.clock)
        try:
            result = button.run(path, label, today, now, options, password)
            self.results.put(("done", button, result))
        except (WorkbookUnusable, BadParameter) as e:  # unusable, or a bad month / quarter / year
            self.results.put(("unusable", button, e.message))
        except Exception as e:  # noqa: BLE001 - a bug: one Chinese line, the traceback in the log
            self.results.put(("failed", button, internal_error(path, e, f"gui {button.command}")))

    def _poll(self) -> None:
        try:
            kind, button, payload = self.results.get_nowait()
        except queue.Empty:
            self.root.after(POLL_MS, self._poll)
            return
        self.progress.stop()
        self.progress.configure(mode="determinate", value=0)
        self.busy = False
        for w in self.buttons.values():
            w.state(["!disabled"])
        if kind == "done":
            self.last_result = payload
            self.show(support.summary_text(payload))
            self.opened = support.written_files(payload)
            if self.opened:
                self.open_written.state(["!disabled"])
            self.status.set(f"“{button.title}”已完成。" + ("有需要处理的错误，见下方。" if payload.exit_code else ""))
        elif kind == "unusable":
            self.show(f"无法运行“{button.title}”：\n{payload}")
            self.status.set("未运行，工作簿未作改动。")
        else:
            self.show(f"“{button.title}”运行出错，工作簿未作改动。\n{payload}")
            self.status.set("运行出错。")

    def open_workbook(self) -> None:
        text = self.workbook.get().strip()
        if text and Path(text).is_file():
            support.open_file(Path(text))
        else:
            self.show("请先选择台账工作簿。")

    def open_results(self) -> None:
        for p in self.opened:
            if p.exists():
                support.open_file(p)


def main(workbook: Path | None = None, scale: float | None = None) -> int:
    try:  # crisp text on Windows at 125 % / 150 % display scaling
        import ctypes

        ctypes.windll.shcore.SetProcessDpiAwareness(1)  # type: ignore[attr-defined]
    except (AttributeError, OSError, ImportError):
        pass
    try:
        root = tk.Tk()
    except tk.TclError as e:
        import sys

        print(f"错误：无法打开窗口（没有图形界面？）：{e}", file=sys.stderr)
        return 2
    set_scaling(root, scale)
    pick_fonts(root)
    App(root, workbook)
    root.mainloop()
    return 0
