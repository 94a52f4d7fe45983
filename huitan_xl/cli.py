"""`huitan COMMAND WORKBOOK [options]` — a thin face over the job table (SPEC §10).

One subcommand per entry of jobs.JOBS, plus the tools that are not jobs on one
register (init, demo, schedule, gui, excel-setup, consolidate, export).

Exit codes: 0 done; 1 done with error findings; 2 the workbook or a parameter cannot
be used (nothing written); 3 an internal error (a short Chinese line on stderr names
the log file that holds the traceback).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
from datetime import date
from pathlib import Path

from .clock import now_cst
from .errors import BadParameter, WorkbookUnusable, internal_error
from .findings import json_value
from .xlsx import encryption
from .xlsx.encryption import PASSWORD_ENV
from .jobs import JOBS, Job, parse_date

INTERNAL_ERROR = 3


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
        sp.add_argument("--as-of", type=parse_date, default=None, help="基准日期 YYYY-MM-DD（默认：今天，北京时间）")
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
    for j in JOBS.values():
        add_job_arguments(job(j.name, j.summary), j)
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
    sp = job("export", "导出台账及计算结果（状态、应答复日期、逾期天数、扣分、奖励、校验结果）为表格，不改动台账",
             dry_run=False)
    sp.add_argument("--to", choices=("csv", "xlsx"), required=True,
                    help="csv：每张表一个文件（UTF-8 带 BOM，Excel 可直接打开）；xlsx：一个工作簿，每张表一个工作表")
    sp.add_argument("dir", type=Path, help="导出到的文件夹（不存在则新建）")
    return p


def add_job_arguments(sp: argparse.ArgumentParser, j: Job) -> None:
    """The job's period flag and options, as declared in its Job record."""
    if j.period_flag:
        sp.add_argument(f"--{j.period_flag}", dest="period", required=j.period_required, help=j.period_help)
    for o in j.options:
        if o.switch:
            sp.add_argument(o.flag, dest=o.name, action="store_true", help=o.help)
        else:
            sp.add_argument(o.flag, dest=o.name, type=o.type, default=o.default, required=o.required,
                            choices=o.choices, help=o.help)


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
    out.update(result.extra)
    out["files"] = [str(p) for p in getattr(result, "files", None) or []]
    text = json.dumps(out, ensure_ascii=False, indent=2)
    # a file name that is not valid UTF-8 (GBK bytes on Linux) arrives as surrogates: replaced
    sys.stdout.buffer.write(text.encode("utf-8", "replace") + b"\n")
    sys.stdout.flush()


def emit_text(result) -> None:
    for line in result.summary():
        print(line)


def run(args: argparse.Namespace) -> int:
    from .jobs import run_job

    as_of = getattr(args, "as_of", None) or now_cst().date()
    if args.command == "init":
        from .template import init_workbook

        with encryption.unlocked(args.workbook, resolve_password(args, [args.workbook])):
            res = init_workbook(args.workbook)
        for line in res.lines:
            print(line)
        if res.created:
            print(f"已新建台账工作簿：{res.path}")
        elif res.added:
            print(f"已为 {res.path} 补充工作表：{'、'.join(res.added)}")
        elif res.not_added:  # structure protected: the lines above say what the jobs read
            print(f"{res.path} 的结构受保护，未添加工作表" + ("，已更新「列名对照」表。" if res.map_updated else "，未作改动。"))
        elif res.map_updated:
            print(f"已在 {res.path} 中记录「列名对照」表，未改动其他内容。")
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
        result = run_job("validate", args.dir / DEMO_NAME, as_of=demo_as_of, now=now_cst(), dry_run=True)
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
    if args.command == "export":
        from .export import export

        files = export(args.workbook, args.to, args.dir, as_of, resolve_password(args, [args.workbook]))
        if args.json:
            text = json.dumps({"command": "export", "workbook": str(args.workbook), "as_of": as_of.isoformat(),
                               "files": [str(f) for f in files]}, ensure_ascii=False, indent=2)
            sys.stdout.buffer.write(text.encode("utf-8", "replace") + b"\n")  # as emit_json
            sys.stdout.flush()
        else:
            print(f"已导出 {len(files)} 个文件（基准日期 {as_of.isoformat()}）到 {args.dir}：" + "、".join(f.name for f in files))
        return 0
    now = now_cst()
    if args.command == "consolidate":
        from .consolidate import consolidate, mine_files

        folder_files = mine_files(args.folder, args.output) if args.folder.is_dir() else []
        password = resolve_password(args, folder_files)  # one password for the folder
        result = consolidate(args.folder, args.output, as_of, now, progress=not args.json, password=password)
    else:
        j = JOBS[args.command]
        result = run_job(j.name, args.workbook, as_of=as_of, now=now, period=getattr(args, "period", None),
                         dry_run=args.dry_run, password=resolve_password(args, [args.workbook]),
                         **{o.name: getattr(args, o.name) for o in j.options})
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
    except (WorkbookUnusable, BadParameter) as e:
        print(f"错误：{e.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - a bug: staff get one Chinese line, the log the traceback
        target = getattr(args, "workbook", None) or getattr(args, "output", None)
        print(internal_error(target, e, " ".join(sys.argv[1:]) or getattr(args, "command", "")), file=sys.stderr)
        return INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
