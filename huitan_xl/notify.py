"""Optional notification after a scheduled run: a WeCom (企业微信) or DingTalk (钉钉)
group-robot webhook, and/or e-mail over SMTP.

Where to send comes from 规则配置 (通知Webhook, 通知邮箱) or, when blank there, the
environment: HUITAN_WEBHOOK; the mail server always from the environment:
HUITAN_SMTP_HOST, HUITAN_SMTP_PORT (465 = SSL; otherwise STARTTLS when offered),
HUITAN_SMTP_USER, HUITAN_SMTP_PASSWORD, HUITAN_SMTP_FROM. Both robots take the same
text message, {"msgtype": "text", "text": {"content": ...}}, and answer
{"errcode": 0, ...} when they accept it. The message is Chinese and starts with
【八级慧谈】 (use 八级慧谈 as the robot's 自定义关键词). A failure is logged, never raised.
"""
from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
import urllib.request
from collections import Counter
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Mapping

from .convert import split_list
from .model import TicketState

OVERDUE = TicketState.OVERDUE_OPEN
NO_DEPARTMENT = "（未填承办部门）"
TIMEOUT = 15  # seconds
JOB_TITLES = {"overdue": "每周逾期督办", "report": "月度分析", "deductions": "考核扣分",
              "rewards": "季度奖励", "assess": "年度考核", "validate": "校验"}


class NotifyError(Exception):
    pass


@dataclass(frozen=True)
class Targets:
    webhook: str = ""
    emails: tuple[str, ...] = ()
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = ""


def targets(settings, env: Mapping[str, str] | None = None) -> Targets:
    env = os.environ if env is None else env
    webhook = (getattr(settings, "notify_webhook", "") or "").strip() or env.get("HUITAN_WEBHOOK", "").strip()
    emails = split_list(getattr(settings, "notify_email", "") or "")  # a@x.cn；b@x.cn, a@x.cn、b@x.cn …
    try:
        port = int(env.get("HUITAN_SMTP_PORT", "") or 25)
    except ValueError:
        port = 25
    user = env.get("HUITAN_SMTP_USER", "")
    return Targets(webhook, emails, env.get("HUITAN_SMTP_HOST", "").strip(), port, user,
                   env.get("HUITAN_SMTP_PASSWORD", ""), env.get("HUITAN_SMTP_FROM", "") or user)


def overdue_by_department(tickets) -> list[tuple[str, int]]:
    """(承办部门, open overdue tickets), most first, then by name; blank department last
    among equals."""
    counts = Counter((t.department or NO_DEPARTMENT) for t in tickets or () if t.state == OVERDUE)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] == NO_DEPARTMENT, kv[0]))


def message(result, workbook: Path | str) -> str:
    """The Chinese text of one run's notification."""
    title = JOB_TITLES.get(result.command, result.command)
    period = f"（{result.period}）" if result.period else ""
    lines = [f"【八级慧谈】{Path(workbook).name}：{title}{period}已完成，基准日期 {result.as_of.isoformat()}。"]
    lines += [s.strip() for s in (result.lines or [])[:1]]
    if result.tickets is not None:
        by_dept = overdue_by_department(result.tickets)
        if by_dept:
            lines.append(f"逾期未答复 {sum(n for _d, n in by_dept)} 件，按承办部门：")
            lines += [f"  {d}：{n} 件" for d, n in by_dept]
        else:
            lines.append("没有逾期未答复的承办单。")
    errors = sum(1 for f in result.findings if f.severity == "error")
    warnings = sum(1 for f in result.findings if f.severity == "warning")
    if errors or warnings:
        lines.append(f"台账中有错误 {errors} 条、警告 {warnings} 条，详见工作簿。")
    return "\n".join(lines)


def send_webhook(url: str, text: str, timeout: float = TIMEOUT) -> None:
    body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        answer = resp.read().decode("utf-8", "replace")
    try:
        code = json.loads(answer).get("errcode", 0)
    except (ValueError, AttributeError):
        code = 0  # not a robot's JSON answer; the HTTP status was fine
    if code not in (0, "0"):
        raise NotifyError(f"机器人拒绝了消息：{answer[:200]}")


def send_email(t: Targets, subject: str, text: str, timeout: float = TIMEOUT) -> None:
    if not t.smtp_host:
        raise NotifyError("已填写通知邮箱，但未设置发信服务器（环境变量 HUITAN_SMTP_HOST）。")
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = t.smtp_from or "huitan-xl@localhost"
    msg["To"] = ", ".join(t.emails)
    msg.set_content(text)
    if t.smtp_port == 465:
        server = smtplib.SMTP_SSL(t.smtp_host, t.smtp_port, timeout=timeout,
                                  context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(t.smtp_host, t.smtp_port, timeout=timeout)
    with server:
        server.ehlo()
        if t.smtp_port != 465 and server.has_extn("starttls"):
            server.starttls(context=ssl.create_default_context())
            server.ehlo()
        if t.smtp_user:
            server.login(t.smtp_user, t.smtp_password)
        server.send_message(msg)


def notify_result(result, settings, workbook: Path | str, logger: logging.Logger | None = None,
                  env: Mapping[str, str] | None = None) -> list[str]:
    """Send one run's message where configured. Returns the channels that accepted it
    ("webhook", "email"); failures are logged, never raised."""
    log = logger or logging.getLogger(__name__)
    t = targets(settings, env)
    if not t.webhook and not t.emails:
        return []
    text = message(result, workbook)
    sent: list[str] = []
    if t.webhook:
        try:
            send_webhook(t.webhook, text)
            sent.append("webhook")
        except Exception as e:  # noqa: BLE001 - a notification never stops a run
            log.warning("群机器人通知发送失败（%s）：%s", t.webhook.split("?")[0], e)
    if t.emails:
        try:
            send_email(t, text.splitlines()[0], text)
            sent.append("email")
        except Exception as e:  # noqa: BLE001
            log.warning("邮件通知发送失败（%s）：%s", "、".join(t.emails), e)
    return sent
