"""`huitan COMMAND WORKBOOK [options]` — a thin face over pipeline.py (SPEC §10).

Exit codes: 0 done; 1 done with error findings; 2 the workbook cannot be used.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from .errors import WorkbookUnusable
from .findings import json_value
from .xlsx import encryption
from .xlsx.encryption import PASSWORD_ENV

CST = timezone(timedelta(hours=8), "CST")  # China Standard Time; China keeps no DST


def now_cst() -> datetime:
    return datetime.now(CST).replace(tzinfo=None)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，收到“{text}”") from None


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"人数应为正整数，收到“{text}”")
    return n


def add_password(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--password", default=None, metavar="PASSWORD",
                    help=f"加密工作簿的打开密码（也可用环境变量 {PASSWORD_ENV}；在终端中运行时不提供则提示输入）")


def resolve_password(args: argparse.Namespace, targets: list[Path]) -> str | None:
    """--password, else HUITAN_PASSWORD, else — when one of `targets` is encrypted and
    this is an interactive terminal — a hidden prompt. Never printed."""
    password = getattr(args, "password", None) or encryption.password_from_env()
    if password or not sys.stdin.isatty() or not any(encryption.is_encrypted(t) for t in targets):
        return password
    import getpass

    try:
        return getpass.getpass("工作簿已加密，请输入打开密码（输入时不显示）：") or None
    except (EOFError, KeyboardInterrupt):
        return None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="huitan", description="八级慧谈台账自动化：校验、督办、考核、奖励、报告。")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def job(name: str, help: str, workbook: bool = True, dry_run: bool = True) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        if workbook:
            sp.add_argument("workbook", type=Path, help="台账工作簿 (.xlsx / .xlsm)")
        sp.add_argument("--as-of", type=_date, default=None, help="基准日期 YYYY-MM-DD（默认：今天，北京时间）")
        sp.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        if dry_run:  # offered only where a dry run is honoured
            sp.add_argument("--dry-run", action="store_true", help="只计算，不写入工作簿")
        if name != "demo":
            add_password(sp)
        return sp

    sp = sub.add_parser("init", help="新建台账工作簿，或为已有工作簿补齐缺少的台账表")
    sp.add_argument("workbook", type=Path)
    add_password(sp)
    sp = job("demo", "生成示例矿井台账并运行全部任务", workbook=False, dry_run=False)
    sp.add_argument("dir", type=Path, nargs="?", default=Path("huitan-demo"), help="输出目录（默认 huitan-demo）")
    sp.add_argument("--mines", type=int, default=1, help="生成多个矿井的工作簿（用于集团汇总）")
    job("overdue", "每周督办：计算承办单状态、逾期天数和督办提示，生成逾期督办表")
    sp = job("validate", "校验全部台账（选人规则、引用、日期），生成校验结果和覆盖率表；有错误时退出码为 1")
    sp.add_argument("--period", help="覆盖率统计期间，如 2026、2026Q3（默认按规则配置：自然年）")
    sp = job("deductions", "考核扣分台账：按月、季度或年度汇总")
    sp.add_argument("--period", required=True, help="期间：2026-10 / 2026Q3 / 2026")
    sp = job("rewards", "季度合理化建议奖励发放表")
    sp.add_argument("--quarter", required=True, help="季度，如 2026Q3")
    sp.add_argument("--force", action="store_true", help="季度尚未结束也核算奖励（默认拒绝）")
    sp = job("report", "月度职工思想动态分析（含图表）、季度评审和成效总览；另存 Word 版分析报告")
    sp.add_argument("--month", required=True, help="月份，如 2026-10")
    sp.add_argument("--no-docx", action="store_true", help="不生成 Word 版《月度职工思想动态分析报告》")
    sp = job("forms", "打印《“八级慧谈”诉求承办单》（Word，每件一页）")
    sp.add_argument("--ids", help="承办单编号，多个用逗号分隔（默认：上次打印以来交办的承办单）")
    sp.add_argument("--since", type=_date, default=None, help="打印交办日期在此日期及以后的承办单 YYYY-MM-DD")
    sp = job("notice", "本月诉求答复公示清单（Word，不含个人姓名）")
    sp.add_argument("--month", required=True, help="月份，如 2026-10")
    sp.add_argument("--proposer", choices=["unit", "none"], default="unit",
                    help="提出人显示方式：unit 只显示单位（默认），none 不显示")
    sp = job("minutes", "慧谈纪要（Word）：一场慧谈的基本情况、参会人员和诉求答复情况")
    sp.add_argument("--session", required=True, help="场次编号，如 HT-2026-10-03")
    sp = job("assess", "年度考核：各部门扣分、满意率、解决率、落实率和排名")
    sp.add_argument("--year", required=True, help="年份，如 2026")
    sp = job("suggest-attendees", "为下一场八级慧谈推荐参会人员（不违反选人规则）")
    sp.add_argument("--level", required=True, help="层级，如 班组长")
    sp.add_argument("--n", type=_count, default=10, help="人数（默认 10）")
    sp.add_argument("--date", type=_date, default=None, help="拟召开日期（默认：基准日期）")
    sp.add_argument("--write", action="store_true", help="把名单作为草稿场次写入慧谈场次和参会人员")
    # the schedule runs its jobs for real on the clock: no --as-of, --json or --dry-run
    sp = sub.add_parser("schedule", help="按计划自动运行：每周督办、每月报告、每季奖惩、每年考核")
    sp.add_argument("workbook", type=Path, help="台账工作簿 (.xlsx / .xlsm)")
    sp.add_argument("--once", action="store_true", help="只运行当前到期的任务后退出（供任务计划程序/cron 使用）")
    sp.add_argument("--password-file", type=Path, default=None,
                    help=f"加密台账的密码文件（第一行为密码，仅本用户可读）；也可用环境变量 {PASSWORD_ENV}")
    sp = sub.add_parser("gui", help="打开操作窗口（适合 WPS 用户和不用命令行的同事）")
    sp.add_argument("workbook", type=Path, nargs="?", default=None, help="台账工作簿（默认：上次使用的）")
    sp.add_argument("--shortcut", action="store_true", help="在桌面创建启动图标（Windows: .cmd，Linux: .desktop）")
    sp.add_argument("--scale", type=float, default=None, help="显示缩放，如 1.5 表示 150%%（默认：按系统设置）")
    sp = sub.add_parser("excel-setup", help="（Windows）把按钮宏和 xlwings 配置导入工作簿")
    sp.add_argument("workbook", type=Path)
    sp = job("consolidate", "集团汇总：合并一个文件夹中所有矿井的台账", workbook=False, dry_run=False)
    sp.add_argument("folder", type=Path, help="存放各矿台账的文件夹")
    sp.add_argument("-o", "--output", type=Path, required=True, help="集团汇总工作簿")
    return p


def _documents():
    from .documents import plans  # python-docx is imported only by the document commands

    return plans


def _ids(text: str | None) -> list[str] | None:
    """--ids SQ2026-0012,SQ2026-0013 (commas, 、 or spaces) -> the 编号 list."""
    if not text:
        return None
    import re

    return [t for t in re.split(r"[,，、;；\s]+", text) if t]


def emit_json(result) -> None:
    out = {
        "command": result.command,
        "workbook": str(result.workbook),
        "as_of": result.as_of.isoformat(),
        "period": result.period,
        "counts": result.counts,
        "findings": [f.to_json() for f in result.findings],
    }
    if result.tickets is not None:
        out["tickets"] = [{"id": t.item_id, "state": t.state, "deadline": json_value(t.deadline),
                           "days_overdue": t.days_overdue, "department": t.department,
                           "supervisor": t.supervisor} for t in result.tickets]
    if result.deductions is not None:
        out["deductions"] = [{"code": d.code, "department": d.department, "head": d.head,
                              "points": d.points, "date": json_value(d.date), "evidence": d.evidence}
                             for d in result.deductions]
    if result.rewards is not None:
        out["rewards"] = [{"suggestion": r.suggestion_id, "person": r.person, "unit": r.unit,
                           "amount": r.amount} for r in result.rewards]
    out["files"] = [str(p) for p in getattr(result, "files", None) or []]
    out.update(result.extra)
    text = json.dumps(out, ensure_ascii=False, indent=2)
    # a file name that is not valid UTF-8 (GBK bytes on Linux) arrives as surrogates: replaced
    sys.stdout.buffer.write(text.encode("utf-8", "replace") + b"\n")
    sys.stdout.flush()


def emit_text(result) -> None:
    for line in result.lines:
        print(line)
    shown = result.findings[:30]
    if shown:
        print(f"发现问题 {len(result.findings)} 条：")
        for f in shown:
            print("  " + f.text())
        if len(result.findings) > len(shown):
            print(f"  ……其余 {len(result.findings) - len(shown)} 条见工作簿「校验结果」表或 --json 输出。")
    saved = result.saved
    if saved is not None:
        print(f"已写入：{saved.path}" + (f"（原文件已备份为 {saved.backup.name}）" if saved.backup else ""))
        if saved.companion:
            print(f"工作簿结构受保护，新增的工作表已写入：{saved.companion}")
    for doc in getattr(result, "files", None) or []:
        print(f"已生成文档：{doc}")


def run(args: argparse.Namespace) -> int:
    from . import pipeline

    as_of = getattr(args, "as_of", None) or now_cst().date()
    if args.command == "init":
        from .template import init_workbook

        with encryption.unlocked(args.workbook, resolve_password(args, [args.workbook])):
            res = init_workbook(args.workbook)
        for line in res.lines:
            print(line)
        if res.created:
            print(f"已新建台账工作簿：{res.path}")
        elif res.added and res.companion is not None:
            print(f"{res.path} 的结构受保护，缺少的工作表已放入 {res.companion}：{'、'.join(res.added)}")
        elif res.added:
            print(f"已为 {res.path} 补充工作表：{'、'.join(res.added)}")
        else:
            print(f"{res.path} 已包含全部台账工作表，未作改动。")
        return 0
    if args.command == "demo":
        from .demo_run import DEMO_NAME, run_demo

        demo_as_of = args.as_of or date(2026, 11, 24)
        if not args.json:
            return run_demo(args.dir, as_of=demo_as_of, now=now_cst(), mines=args.mines)
        # --json: the summary for people goes to stderr; stdout gets one object, the
        # demo workbook's findings after every job has run
        with contextlib.redirect_stdout(sys.stderr):
            code = run_demo(args.dir, as_of=demo_as_of, now=now_cst(), mines=args.mines)
        result = pipeline.validate(args.dir / DEMO_NAME, demo_as_of, now_cst(), dry_run=True)
        result.command = "demo"
        emit_json(result)
        return code
    if args.command == "schedule":
        from .scheduler import run_schedule

        return run_schedule(args.workbook, once=args.once, password_file=args.password_file)
    if args.command == "gui":
        if args.shortcut:
            from .gui.support import write_shortcut

            print(f"已在桌面创建启动图标：{write_shortcut(args.workbook)}")
            return 0
        from .gui.app import main as gui_main

        return gui_main(args.workbook, args.scale)
    if args.command == "excel-setup":
        from .excel import setup_workbook

        return setup_workbook(args.workbook)
    now = now_cst()
    wb = getattr(args, "workbook", None)
    jobs = {
        "overdue": lambda: pipeline.overdue(wb, as_of, now, args.dry_run),
        "validate": lambda: pipeline.validate(wb, as_of, now, args.dry_run, args.period),
        "deductions": lambda: pipeline.deductions(wb, args.period, as_of, now, args.dry_run),
        "rewards": lambda: pipeline.rewards(wb, args.quarter, as_of, now, args.dry_run, force=args.force),
        "report": lambda: pipeline.report(wb, args.month, as_of, now, args.dry_run, not args.no_docx),
        "forms": lambda: _documents().forms(wb, as_of, now, _ids(args.ids), args.since, args.dry_run),
        "notice": lambda: _documents().notice(wb, args.month, as_of, now, args.proposer, args.dry_run),
        "minutes": lambda: _documents().minutes(wb, args.session, as_of, now, args.dry_run),
        "assess": lambda: pipeline.assess(wb, args.year, as_of, now, args.dry_run),
        "suggest-attendees": lambda: pipeline.suggest_attendees(
            wb, args.level, args.n, args.date or as_of, as_of, now, args.write, args.dry_run),
    }
    if args.command == "consolidate":
        from .consolidate import consolidate, mine_files

        folder_files = mine_files(args.folder, args.output) if args.folder.is_dir() else []
        password = resolve_password(args, folder_files)  # one password for the folder
        jobs["consolidate"] = lambda: consolidate(args.folder, args.output, as_of, now,
                                                  progress=not args.json, password=password)
        unlock = contextlib.nullcontext()
    else:
        unlock = encryption.unlocked(wb, resolve_password(args, [wb]))
    try:
        with unlock:
            result = jobs[args.command]()
    except ValueError as e:  # a bad --period / --quarter / --month / --year / --level
        print(f"错误：{e}", file=sys.stderr)
        return 2
    (emit_json if args.json else emit_text)(result)
    return result.exit_code


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:  # never assume a console encoding (Windows cp936 consoles, pipes)
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except WorkbookUnusable as e:
        print(f"错误：{e.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
