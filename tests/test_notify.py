"""Notifications: the Chinese message, a group-robot webhook on a local HTTP server and
mail through a local SMTP responder; failures are logged, never raised."""
from __future__ import annotations

import base64
import json
import logging
import socketserver
import threading
from datetime import date
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from huitan_xl import notify
from huitan_xl.findings import finding
from huitan_xl.pipeline import JobResult
from huitan_xl.settings import Settings


def ticket(state, department):
    return SimpleNamespace(state=state, department=department)


def overdue_result():
    tickets = [ticket("逾期未答复", "机电科"), ticket("逾期未答复", "通风科"), ticket("逾期未答复", "机电科"),
               ticket("待答复", "机电科"), ticket("逾期答复", "后勤服务中心"), ticket("逾期未答复", "")]
    r = JobResult("overdue", Path("/x/台账.xlsx"), date(2026, 11, 23), tickets=tickets,
                  findings=[finding("R01", "诉求台账", 5, "交办日期", "2026-13-01", "编号 T-9 的日期不对。")])
    r.lines = ["截至 2026-11-23：承办单 5 件，逾期未答复 4 件（通报 1 件）。", "  待答复：1 件"]
    return r


EXPECTED_TEXT = "\n".join([
    "【八级慧谈】台账.xlsx：每周逾期督办已完成，基准日期 2026-11-23。",
    "截至 2026-11-23：承办单 5 件，逾期未答复 4 件（通报 1 件）。",
    "逾期未答复 4 件，按承办部门：",
    "  机电科：2 件",
    "  通风科：1 件",
    "  （未填承办部门）：1 件",
    "台账中有错误 1 条、警告 0 条，详见工作簿。",
])


def test_message_counts_overdue_per_department():
    assert notify.message(overdue_result(), Path("/x/台账.xlsx")) == EXPECTED_TEXT


def test_message_for_a_period_job_without_tickets():
    r = JobResult("rewards", Path("台账.xlsx"), date(2026, 10, 8), period="2026Q3")
    r.lines = ["2026年第三季度 奖励 3 条，合计 900 元。"]
    assert notify.message(r, "台账.xlsx") == (
        "【八级慧谈】台账.xlsx：季度奖励（2026Q3）已完成，基准日期 2026-10-08。\n"
        "2026年第三季度 奖励 3 条，合计 900 元。")


def test_targets_settings_first_then_environment():
    env = {"HUITAN_WEBHOOK": "http://env/hook", "HUITAN_SMTP_HOST": "mail.mine.cn", "HUITAN_SMTP_PORT": "465",
           "HUITAN_SMTP_USER": "bot@mine.cn", "HUITAN_SMTP_PASSWORD": "pw"}
    t = notify.targets(Settings(notify_webhook=" http://sheet/hook ", notify_email="a@mine.cn；b@mine.cn; "), env)
    assert t == notify.Targets("http://sheet/hook", ("a@mine.cn", "b@mine.cn"), "mail.mine.cn", 465,
                               "bot@mine.cn", "pw", "bot@mine.cn")
    assert notify.targets(Settings(), env).webhook == "http://env/hook"
    assert notify.targets(Settings(), {}) == notify.Targets()


# ---- webhook -----------------------------------------------------------------------------
class Robot(BaseHTTPRequestHandler):
    received: list = []
    answer = b'{"errcode":0,"errmsg":"ok"}'

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, self.headers["Content-Type"], json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(type(self).answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def robot():
    Robot.received = []
    Robot.answer = b'{"errcode":0,"errmsg":"ok"}'
    server = HTTPServer(("127.0.0.1", 0), Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", Robot
    server.shutdown()
    server.server_close()


def test_webhook_posts_the_robot_text_message(robot):
    url, handler = robot
    sent = notify.notify_result(overdue_result(), Settings(notify_webhook=url + "/cgi-bin/webhook/send?key=k1"),
                                "/x/台账.xlsx", env={})
    assert sent == ["webhook"]
    assert handler.received == [("/cgi-bin/webhook/send?key=k1", "application/json; charset=utf-8",
                                 {"msgtype": "text", "text": {"content": EXPECTED_TEXT}})]


def test_webhook_refusal_and_dead_server_are_logged_not_raised(robot, caplog):
    url, handler = robot
    handler.answer = b'{"errcode":310000,"errmsg":"keywords not in content"}'
    log = logging.getLogger("test.notify")
    with caplog.at_level(logging.WARNING, logger="test.notify"):
        assert notify.notify_result(overdue_result(), Settings(notify_webhook=url + "/robot/send?access_token=t"),
                                    "台账.xlsx", logger=log, env={}) == []
        assert notify.notify_result(overdue_result(), Settings(notify_webhook="http://127.0.0.1:1/x"),
                                    "台账.xlsx", logger=log, env={}) == []
    msgs = [r.getMessage() for r in caplog.records]
    assert len(msgs) == 2
    assert msgs[0].startswith(f"群机器人通知发送失败（{url}/robot/send）：机器人拒绝了消息：")
    assert "310000" in msgs[0] and "access_token" not in msgs[0]
    assert msgs[1].startswith("群机器人通知发送失败（http://127.0.0.1:1/x）：")


def test_nothing_configured_sends_nothing():
    assert notify.notify_result(overdue_result(), Settings(), "台账.xlsx", env={}) == []


# ---- SMTP --------------------------------------------------------------------------------
class SmtpResponder(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO (with AUTH PLAIN), AUTH, MAIL, RCPT, DATA, QUIT."""
    mails: list = []

    def reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 localhost test SMTP")
        mail = {"rcpt": []}
        while True:
            line = self.rfile.readline().decode().rstrip("\r\n")
            verb = line.split(" ")[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-localhost\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
            elif verb == "AUTH":
                mail["auth"] = base64.b64decode(line.split(" ")[2]).split(b"\0")[1:]
                self.reply("235 ok")
            elif verb == "MAIL":
                mail["from"] = line
                self.reply("250 ok")
            elif verb == "RCPT":
                mail["rcpt"].append(line)
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go")
                data = b""
                while True:
                    chunk = self.rfile.readline()
                    if chunk == b".\r\n":
                        break
                    data += chunk
                mail["data"] = data
                type(self).mails.append(mail)
                mail = {"rcpt": []}
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server():
    SmtpResponder.mails = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpResponder)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], SmtpResponder
    server.shutdown()
    server.server_close()


def test_email_is_sent_through_smtp_with_login(smtp_server):
    port, handler = smtp_server
    env = {"HUITAN_SMTP_HOST": "127.0.0.1", "HUITAN_SMTP_PORT": str(port), "HUITAN_SMTP_USER": "bot@mine.cn",
           "HUITAN_SMTP_PASSWORD": "s3cret", "HUITAN_SMTP_FROM": "慧谈 <bot@mine.cn>"}
    sent = notify.notify_result(overdue_result(), Settings(notify_email="a@mine.cn;b@mine.cn"), "/x/台账.xlsx",
                                env=env)
    assert sent == ["email"]
    [mail] = handler.mails
    assert mail["auth"] == [b"bot@mine.cn", b"s3cret"]
    assert mail["rcpt"] == ["rcpt TO:<a@mine.cn>", "rcpt TO:<b@mine.cn>"]
    msg = message_from_bytes(mail["data"], policy=default_policy)
    assert msg["Subject"] == "【八级慧谈】台账.xlsx：每周逾期督办已完成，基准日期 2026-11-23。"
    assert msg.get_content().rstrip("\n") == EXPECTED_TEXT


def test_email_without_server_is_logged(caplog):
    log = logging.getLogger("test.notify.mail")
    with caplog.at_level(logging.WARNING, logger="test.notify.mail"):
        assert notify.notify_result(overdue_result(), Settings(notify_email="a@mine.cn"), "台账.xlsx",
                                    logger=log, env={}) == []
    assert [r.getMessage() for r in caplog.records] == [
        "邮件通知发送失败（a@mine.cn）：已填写通知邮箱，但未设置发信服务器（环境变量 HUITAN_SMTP_HOST）。"]
