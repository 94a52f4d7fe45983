"""Workbooks with an open password (issue 17): every job decrypts in memory, writes the
result encrypted with the same password, keeps an encrypted backup, leaves no plaintext
on disk, and never shows the password."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from conftest import fresh_demo, huitan, type_rows
from huitan_xl import schema
from huitan_xl.errors import WorkbookUnusable
from huitan_xl.xlsx import encryption
from test_e2e_overdue import AS_OF, EXPECTED, TICKETS

PASSWORD = "慧谈 Mima#2026"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# job -> (arguments after the workbook, the tool-owned sheet it writes)
JOBS = {
    "overdue": ([], schema.OVERDUE_SHEET),
    "validate": ([], schema.FINDINGS_SHEET),
    "deductions": (["--period", "2026Q3"], schema.DEDUCTIONS_SHEET),
    "rewards": (["--quarter", "2026Q3"], schema.REWARDS_SHEET),
    "report": (["--month", "2026-10", "--no-docx"], schema.MONTHLY_SHEET),  # the plain run would write a .docx
    "assess": (["--year", "2026"], schema.ANNUAL_SHEET),
    "suggest-attendees": (["--level", "班组长", "--date", "2026-12-01", "--write"], schema.SESSIONS),
}


def decrypt(data: bytes, password: str = PASSWORD) -> bytes:
    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    office.load_key(password=password, verify_password=True)
    out = io.BytesIO()
    office.decrypt(out)
    return out.getvalue()


def encrypt_file(plain_path: Path, dest: Path, password: str = PASSWORD) -> bytes:
    """Encrypt a workbook made in the test (as Excel's 用密码进行加密 would), remove the
    plain one, and return its plaintext (kept in memory only)."""
    plain = plain_path.read_bytes()
    dest.write_bytes(encryption.encrypt(plain, password))
    if plain_path != dest:
        plain_path.unlink()
    assert dest.read_bytes()[:8] == OLE
    return plain


def grids(data: bytes) -> dict[str, list[list]]:
    with CalamineWorkbook.from_filelike(io.BytesIO(data)) as wb:
        return {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}


def ran_jobs(grid: list[list]) -> list[str]:
    """The jobs named in the 任务 column of 运行记录 (in Chinese there), below its header row."""
    from huitan_xl.jobs import JOBS

    names = {job.title: job.name for job in JOBS.values()}
    head = next(i for i, row in enumerate(grid) if row and row[0] == "运行时间")
    return [names.get(row[1], row[1]) for row in grid[head + 1:] if row and row[1]]


def run(args, env_password: str | None = None, tmpdir: Path | None = None):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop(encryption.PASSWORD_ENV, None)
    if env_password is not None:
        env[encryption.PASSWORD_ENV] = env_password
    if tmpdir is not None:
        env.update(TMPDIR=str(tmpdir), TEMP=str(tmpdir), TMP=str(tmpdir))
    return subprocess.run([sys.executable, "-m", "huitan_xl", *map(str, args)], capture_output=True,
                          env=env, stdin=subprocess.DEVNULL, timeout=600)


def assert_no_plaintext(*folders: Path) -> None:
    """No zip package (a decrypted workbook) anywhere in these folders."""
    for folder in folders:
        for p in folder.rglob("*"):
            if p.is_file():
                with open(p, "rb") as fh:
                    assert fh.read(2) != b"PK", f"plaintext package left on disk: {p}"


def assert_password_absent(proc, *texts: str) -> None:
    for blob in (proc.stdout, proc.stderr):
        assert PASSWORD.encode("utf-8") not in blob
        assert b"Mima" not in blob
    for t in texts:
        assert PASSWORD not in t and "Mima" not in t


@pytest.fixture
def register(tmp_path):
    """A clerk-typed register (the five tickets of test_e2e_overdue), encrypted."""
    folder = tmp_path / "台账"
    folder.mkdir()
    plain_path = tmp_path / "明文.xlsx"
    assert huitan("init", plain_path).returncode == 0
    type_rows(plain_path, schema.ITEMS, TICKETS)
    path = folder / "台账.xlsx"
    plain = encrypt_file(plain_path, path)
    return path, plain


def owned_states(plain: bytes) -> dict:
    ws = openpyxl.load_workbook(io.BytesIO(plain))["诉求台账"]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    return {row[col["编号"]]: tuple(row[col[h]] for h in schema.ITEM_OWNED)
            for row in ws.iter_rows(min_row=2, values_only=True) if row[col["编号"]]}


@pytest.mark.parametrize("how", ["flag", "env"])
def test_overdue_on_an_encrypted_register(register, tmp_path, how):
    path, plain_before = register
    encrypted_before = path.read_bytes()
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    args = ["overdue", path, "--as-of", AS_OF] + (["--password", PASSWORD] if how == "flag" else [])
    proc = run(args, env_password=PASSWORD if how == "env" else None, tmpdir=tmpdir)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "已写入" in proc.stdout.decode()
    data = path.read_bytes()
    assert data[:8] == OLE  # still encrypted
    plain = decrypt(data)
    assert owned_states(plain) == EXPECTED  # the hand-computed states of test_e2e_overdue
    sheets = grids(plain)
    assert schema.OVERDUE_SHEET in sheets and schema.RUN_LOG_SHEET in sheets
    assert ran_jobs(sheets[schema.RUN_LOG_SHEET]) == ["overdue"]
    # the backup is the encrypted file as it was, and decrypts to the register before the run
    backup = path.with_name("台账.bak.xlsx")
    assert backup.read_bytes() == encrypted_before
    assert decrypt(backup.read_bytes()) == plain_before
    assert set(owned_states(plain_before).values()) == {(None, None, None, None)}
    assert sorted(p.name for p in path.parent.iterdir()) == ["台账.bak.xlsx", "台账.xlsx"]
    assert_no_plaintext(path.parent, tmpdir)
    assert_password_absent(proc, *(str(v) for row in sheets[schema.RUN_LOG_SHEET] for v in row))
    for part in _zip_texts(plain):
        assert PASSWORD not in part and "Mima" not in part


def _zip_texts(plain: bytes) -> list[str]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        return [z.read(n).decode("utf-8", "replace") for n in z.namelist()]


@pytest.mark.parametrize("how", ["flag", "wrong", "none"])
def test_overdue_dry_run_and_missing_or_wrong_password(register, how):
    path, _plain = register
    before = path.read_bytes()
    args = ["overdue", path, "--as-of", AS_OF, "--json"]
    if how == "flag":
        args += ["--dry-run", "--password", PASSWORD]
    elif how == "wrong":
        args += ["--password", "mima2026"]
    proc = run(args)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    if how == "flag":
        assert proc.returncode == 0, err
        got = {t["id"]: t["state"] for t in json.loads(out)["tickets"]}
        assert got == {"T-001": "逾期未答复", "T-002": "按期答复", "T-003": "已办结", "T-005": "待答复"}
    elif how == "wrong":
        assert proc.returncode == 2 and out == ""
        assert "台账.xlsx：密码不正确" in err
    else:
        assert proc.returncode == 2 and out == ""
        assert "台账.xlsx：工作簿已加密，请用 --password 提供打开密码" in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["台账.xlsx"]
    assert_password_absent(proc)


@pytest.fixture(scope="module")
def demo_plain(demo_book, tmp_path_factory):
    """The demo mine workbook (plain; tests copy or encrypt it)."""
    return fresh_demo(demo_book, tmp_path_factory)


@pytest.mark.parametrize("job", list(JOBS))
def test_every_job_with_the_flag_the_env_and_a_wrong_password(demo_plain, tmp_path, job):
    """The decrypted result of each job equals what the same job makes of the plain
    workbook (every sheet's values, 运行记录 aside); wrong password: exit 2, untouched."""
    extra, sheet = JOBS[job]
    plain_copy = tmp_path / "plain" / "台账.xlsx"
    plain_copy.parent.mkdir()
    shutil.copy(demo_plain, plain_copy)
    ref = run([job, plain_copy, "--as-of", "2026-11-24", "--json", *extra])
    assert ref.returncode in (0, 1), ref.stderr.decode()
    expected = grids(plain_copy.read_bytes())
    assert sheet in expected
    expected_json = json.loads(ref.stdout)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()

    for how in ("flag", "env", "wrong"):
        folder = tmp_path / how
        folder.mkdir()
        path = folder / "台账.xlsx"
        path.write_bytes(encryption.encrypt(demo_plain.read_bytes(), PASSWORD))
        before = path.read_bytes()
        args = [job, path, "--as-of", "2026-11-24", "--json", *extra]
        if how == "flag":
            args += ["--password", PASSWORD]
        proc = run(args, env_password={"env": PASSWORD, "wrong": "不是这个"}.get(how), tmpdir=tmpdir)
        assert_password_absent(proc)
        if how == "wrong":
            assert proc.returncode == 2, proc.stderr.decode()
            assert "密码不正确" in proc.stderr.decode()
            assert path.read_bytes() == before
            assert sorted(p.name for p in folder.iterdir()) == ["台账.xlsx"]
            continue
        assert proc.returncode == ref.returncode, proc.stderr.decode()
        got_json = json.loads(proc.stdout)
        got_json["workbook"] = expected_json["workbook"]
        assert got_json == expected_json
        data = path.read_bytes()
        assert data[:8] == OLE
        got = grids(decrypt(data))
        assert list(got) == list(expected)
        for name in expected:
            if name != schema.RUN_LOG_SHEET:
                assert got[name] == expected[name], name
        log = got[schema.RUN_LOG_SHEET]
        assert ran_jobs(log) == [job]
        assert all(PASSWORD not in str(v) for row in log for v in row)
        backup = folder / "台账.bak.xlsx"
        assert backup.read_bytes() == before
        assert decrypt(backup.read_bytes()) == demo_plain.read_bytes()
        assert sorted(p.name for p in folder.iterdir()) == ["台账.bak.xlsx", "台账.xlsx"]
        assert_no_plaintext(folder, tmpdir)


def test_consolidate_takes_one_password_and_reports_mines_it_cannot_open(demo_plain, tmp_path):
    folder = tmp_path / "各矿"
    folder.mkdir()
    plain = demo_plain.read_bytes()
    (folder / "一矿.xlsx").write_bytes(encryption.encrypt(plain, PASSWORD))
    (folder / "二矿.xlsx").write_bytes(plain)
    (folder / "三矿.xlsx").write_bytes(encryption.encrypt(plain, "别的密码"))
    out = tmp_path / "集团汇总.xlsx"
    proc = run(["consolidate", folder, "-o", out, "--as-of", "2026-11-24", "--json",
                "--password", PASSWORD])
    assert proc.returncode == 1, proc.stderr.decode()  # G01 (a mine not read) is an error finding
    res = json.loads(proc.stdout)
    assert res["counts"]["mines"] == 3 and res["counts"]["unreadable"] == 1
    assert [(f["code"], f["value"]) for f in res["findings"]] == [("G01", "三矿.xlsx")]
    assert "密码不正确" in res["findings"][0]["message"]
    readable = {m["file"]: m for m in res["mines"] if m["unreadable"] is None}
    assert sorted(readable) == ["一矿.xlsx", "二矿.xlsx"]
    a, b = dict(readable["一矿.xlsx"]), dict(readable["二矿.xlsx"])
    for m in (a, b):
        m.pop("file"), m.pop("name"), m.pop("rank")
    assert a == b  # the encrypted mine reads exactly like the plain one
    assert_password_absent(proc)
    # the group workbook holds an encrypted mine's figures: encrypted with the same password
    assert encryption.is_encrypted(out)
    group = openpyxl.load_workbook(io.BytesIO(decrypt(out.read_bytes())))
    assert group.sheetnames[0] == "集团汇总"
    shown = {c.value for row in group["集团汇总"].iter_rows() for c in row}
    assert {m["name"] for m in res["mines"]} <= shown  # every mine listed, the encrypted one too
    # no password at all: both encrypted mines are findings, the plain one is summed
    proc = run(["consolidate", folder, "-o", out, "--as-of", "2026-11-24", "--json"])
    res = json.loads(proc.stdout)
    assert sorted(f["value"] for f in res["findings"]) == ["一矿.xlsx", "三矿.xlsx"]
    assert all("工作簿已加密" in f["message"] for f in res["findings"])
    assert sorted(p.name for p in folder.iterdir()) == ["一矿.xlsx", "三矿.xlsx", "二矿.xlsx"]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_schedule_reads_the_password_from_a_private_file_or_the_env(register, tmp_path):
    path, _plain = register
    secret = tmp_path / "huitan-password.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    secret.chmod(0o644)
    proc = run(["schedule", path, "--once", "--password-file", secret])
    assert proc.returncode == 2
    assert "其他用户也能读取" in proc.stderr.decode() and f"chmod 600 {secret}" in proc.stderr.decode()
    secret.chmod(0o600)
    proc = run(["schedule", path, "--once", "--password-file", secret])
    assert proc.returncode == 0, proc.stderr.decode()
    log = path.with_name("台账.huitan.log").read_text(encoding="utf-8")
    assert "每周逾期督办完成" in log
    assert PASSWORD not in log and "Mima" not in log
    assert_password_absent(proc)
    plain = decrypt(path.read_bytes())
    ran = ran_jobs(grids(plain)[schema.RUN_LOG_SHEET])
    assert "overdue" in ran
    assert_no_plaintext(path.parent)
    # from the environment; a wrong one is exit 2 with the Chinese message
    proc = run(["schedule", path, "--once"], env_password="错误密码")
    assert proc.returncode == 2 and "密码不正确" in proc.stderr.decode()


def test_interactive_terminal_asks_for_the_password_hidden(register, monkeypatch):
    from huitan_xl import cli

    path, _plain = register
    asked = []
    monkeypatch.delenv(encryption.PASSWORD_ENV, raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or PASSWORD)
    args = cli.build_parser().parse_args(["overdue", str(path)])
    assert cli.resolve_password(args, [path]) == PASSWORD
    assert asked == ["工作簿已加密，请输入打开密码（输入时不显示）："]
    # a plain workbook is never asked about; --password wins without a prompt
    asked.clear()
    args = cli.build_parser().parse_args(["overdue", str(path), "--password", "x"])
    assert cli.resolve_password(args, [path]) == "x" and asked == []


def test_a_seal_that_does_not_decrypt_back_writes_nothing(register, monkeypatch):
    from huitan_xl.write import Workbook

    path, _plain = register
    before = path.read_bytes()
    real = encryption.encrypt
    def damaged(plain, pw):  # one bit flipped in the encrypted package
        sealed = bytearray(real(plain, pw))
        sealed[-700] ^= 1
        return bytes(sealed)

    monkeypatch.setattr(encryption, "encrypt", damaged)
    with encryption.unlocked(path, PASSWORD):
        wb = Workbook.open(path)
        wb.set_cells("诉求台账", {(2, 40): "x"})
        with pytest.raises(WorkbookUnusable) as err:
            wb.save()
    assert "加密后校验失败" in err.value.message
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["台账.xlsx"]
    assert encryption.plaintext(path) is None  # nothing kept after the job


def test_init_adds_the_register_sheets_to_an_encrypted_workbook(tmp_path):
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.add_worksheet("我的表").write(0, 0, "自己的内容")
    book.close()
    path = tmp_path / "台账.xlsx"
    path.write_bytes(encryption.encrypt(buf.getvalue(), PASSWORD))
    proc = run(["init", path])
    assert proc.returncode == 2 and "工作簿已加密，请用 --password 提供打开密码" in proc.stderr.decode()
    proc = run(["init", path, "--password", PASSWORD])
    assert proc.returncode == 0, proc.stderr.decode()
    assert_password_absent(proc)
    got = grids(decrypt(path.read_bytes()))
    assert list(got)[:2] == ["我的表", "说明"] and schema.ITEMS in got
    assert got["我的表"] == [["自己的内容"]]
    assert decrypt(path.with_name("台账.bak.xlsx").read_bytes()) == buf.getvalue()
    assert_no_plaintext(tmp_path)


def test_a_clerk_kept_register_encrypted_reads_like_the_plain_one(tmp_path):
    """Her own layout (title rows, her headers, merged dates, 合计 row, her 状态 column) behind an
    open password: the same states as the plain copy, her cells unchanged, nothing plaintext left."""
    from huitan_xl import demo, demo_clerk

    data = demo.generate(demo.DemoSize(employees=150, sessions=24, items=90, suggestions=12),
                         as_of=date(2026, 11, 24))
    (tmp_path / "plain").mkdir()
    plain_path = demo_clerk.write_clerk_register(tmp_path / "plain" / "台账.xlsx", data)
    folder = tmp_path / "sealed"
    folder.mkdir()
    sealed = folder / "台账.xlsx"
    sealed.write_bytes(encryption.encrypt(plain_path.read_bytes(), PASSWORD))
    ran = []
    for path, extra in ((plain_path, []), (sealed, ["--password", PASSWORD])):
        proc = run(["overdue", path, "--as-of", "2026-11-24", "--json", *extra])
        assert proc.returncode in (0, 1), proc.stderr.decode()
        ran.append(json.loads(proc.stdout))
        assert_password_absent(proc)
    assert ran[0]["tickets"] == ran[1]["tickets"] and len(ran[0]["tickets"]) > 20
    plain_ws = openpyxl.load_workbook(plain_path)[demo_clerk.SHEET]
    sealed_ws = openpyxl.load_workbook(io.BytesIO(decrypt(sealed.read_bytes())))[demo_clerk.SHEET]
    assert [[c.value for c in row] for row in sealed_ws.iter_rows()] == \
        [[c.value for c in row] for row in plain_ws.iter_rows()]
    # her 状态 column stays hers: the tool's states went into 状态（系统）
    assert any("状态（系统）" in [c.value for c in row] for row in sealed_ws.iter_rows(max_row=5))
    assert sorted(p.name for p in folder.iterdir()) == ["台账.bak.xlsx", "台账.xlsx"]
