"""Issue 12, items 1 and 4-7: a save that can be trusted when other programs, links,
full disks and odd folders are around. Each case: the workbook is either exactly as it
was or the complete new version, the backup is whole, and the message says what is wrong."""
from __future__ import annotations

import errno
import hashlib
import os
import stat
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from conftest import huitan, type_rows
from huitan_xl import pipeline, schema
from huitan_xl.jobs import run_job
from huitan_xl.errors import WorkbookUnusable
from huitan_xl.template import init_workbook
from huitan_xl.write import Workbook, backup_path
from huitan_xl.xlsx import save as save_mod
from huitan_xl.xlsx.save import StaleWorkbook

AS_OF = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 8, 30)
TICKETS = [
    {"编号": f"T-{i:03d}", "类别": "职工诉求", "现场答复": "否", "承办部门": "机电科", "督办员": "王督办",
     "交办日期": date(2026, 9, 1), "内容": f"诉求 {i}"} for i in range(1, 4)
] + [{"编号": "T-004", "类别": "职工诉求", "现场答复": "否", "承办部门": "机电科", "督办员": "王督办",
      "交办日期": date(2026, 11, 23), "内容": "诉求 4"}]


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def states(path: Path) -> dict[str, str]:
    """编号 -> 状态 as the workbook shows them."""
    ws = openpyxl.load_workbook(path, read_only=True)[schema.ITEMS]
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    i, s = head.index("编号"), head.index("状态")
    return {r[i]: r[s] for r in rows[1:] if r[i]}


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "台账.xlsx"
    init_workbook(path)
    type_rows(path, schema.ITEMS, TICKETS)
    return path


DELETE_FIRST_TICKET = (
    "import openpyxl, sys\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "wb['诉求台账'].delete_rows(2)\n"
    "wb.save(sys.argv[1])\n")


def other_program_deletes_first_ticket(path: Path) -> None:
    """Another program (a clerk's Excel) deletes T-001's row and saves, in its own process."""
    subprocess.run([sys.executable, "-c", DELETE_FIRST_TICKET, str(path)], check=True)


# ---- item 1: another program saves between the read and the write ------------------
def test_a_save_between_read_and_write_means_nothing_is_written(register: Path, monkeypatch):
    real_plan = pipeline.plan_overdue

    def plan_then_race(regs, as_of):
        out = real_plan(regs, as_of)
        other_program_deletes_first_ticket(register)
        return out

    monkeypatch.setattr(pipeline, "plan_overdue", plan_then_race)
    with pytest.raises(StaleWorkbook) as err:
        run_job("overdue", register, as_of=AS_OF, now=NOW)
    theirs = sha(register)
    assert "被其他程序修改并保存过" in err.value.message and "台账.xlsx" in err.value.message
    assert not backup_path(register).exists()
    # her save stands as she made it: T-001 gone, no state written on any row
    assert states(register) == {"T-002": None, "T-003": None, "T-004": None}
    assert sha(register) == theirs
    # the next run starts over and writes each ticket's own state on its own row
    monkeypatch.undo()
    run_job("overdue", register, as_of=AS_OF, now=NOW)
    assert states(register) == {"T-002": "逾期未答复", "T-003": "逾期未答复", "T-004": "待答复"}


def test_a_save_while_the_temporary_file_is_written_is_not_overwritten(register: Path, monkeypatch):
    from huitan_xl.xlsx.package import Package

    real_write_to = Package.write_to

    def write_then_race(self, fh):
        real_write_to(self, fh)
        other_program_deletes_first_ticket(register)

    monkeypatch.setattr(Package, "write_to", write_then_race)
    with pytest.raises(StaleWorkbook):
        run_job("overdue", register, as_of=AS_OF, now=NOW)
    assert states(register) == {"T-002": None, "T-003": None, "T-004": None}
    assert not backup_path(register).exists()
    assert [p.name for p in register.parent.iterdir() if p.name.endswith(".huitan-tmp")] == []


def test_a_save_just_before_the_replace_is_caught_and_the_backup_kept(register: Path, monkeypatch):
    run_job("overdue", register, as_of=AS_OF, now=NOW)  # a first run: a backup exists
    bak_before = sha(backup_path(register))
    monkeypatch.setattr(save_mod, "_before_replace", lambda dest: other_program_deletes_first_ticket(dest))
    with pytest.raises(StaleWorkbook):
        run_job("overdue", register, as_of=AS_OF, now=NOW)
    assert sha(backup_path(register)) == bak_before
    assert "T-001" not in states(register)


def test_an_unchanged_file_touched_by_a_sync_client_is_still_written(register: Path):
    regs = pipeline.read(register, pipeline.OVERDUE_SHEETS, [schema.ITEMS])
    os.utime(register, (1, 1))  # same bytes, another time
    wb = Workbook.open(register, expect=regs.source)
    wb.set_cells(schema.ITEMS, {(2, 30): "x"})
    wb.save()


# ---- item 4: backups written atomically; full disk; leftovers of a killed run ----------
def _fail_nth_fsync(monkeypatch, n: int, code: int = errno.ENOSPC):
    real = os.fsync
    calls = {"n": 0}

    def fsync(fd):
        calls["n"] += 1
        if calls["n"] == n:
            raise OSError(code, os.strerror(code))
        return real(fd)

    monkeypatch.setattr(save_mod.os, "fsync", fsync)


def test_full_disk_while_the_backup_is_rewritten_keeps_the_previous_backup(register: Path, monkeypatch):
    run_job("overdue", register, as_of=AS_OF, now=NOW)
    bak, wb = sha(backup_path(register)), sha(register)
    _fail_nth_fsync(monkeypatch, 2)  # 1: the new workbook's temporary file, 2: the backup's
    with pytest.raises(WorkbookUnusable) as err:
        run_job("overdue", register, as_of=AS_OF, now=NOW)
    assert "磁盘空间已满" in err.value.message and "Excel" not in err.value.message
    assert (sha(backup_path(register)), sha(register)) == (bak, wb)
    assert [p.name for p in register.parent.iterdir() if p.name.endswith(".huitan-tmp")] == []


def test_full_disk_while_the_workbook_is_written_says_the_disk_is_full(register: Path, monkeypatch):
    before = sha(register)
    _fail_nth_fsync(monkeypatch, 1)
    proc_msg = None
    with pytest.raises(WorkbookUnusable) as err:
        run_job("overdue", register, as_of=AS_OF, now=NOW)
    proc_msg = err.value.message
    assert proc_msg.startswith("磁盘空间已满") and "台账.xlsx" in proc_msg
    assert sha(register) == before and not backup_path(register).exists()


def test_a_real_small_disk_fills_up(tmp_path: Path):
    """On a 1 MiB tmpfs (when this machine lets us mount one): exit 2, the disk-full message."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root); the mocked full disk covers the case")
    try:
        path = mnt / "台账.xlsx"
        init_workbook(path)
        type_rows(path, schema.ITEMS, TICKETS)
        filler = mnt / "filler"
        free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
        filler.write_bytes(b"\0" * max(0, free - 4096))
        before = sha(path)
        proc = huitan("overdue", path, "--as-of", "2026-11-24")
        err = proc.stderr.decode("utf-8")
        assert proc.returncode == 2 and "磁盘空间已满" in err and "Traceback" not in err, err
        assert sha(path) == before
        assert [p.name for p in mnt.iterdir() if p.name.endswith(".huitan-tmp")] == []
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(register: Path):
    folder = register.parent
    ours = [folder / ".台账.xlsx.abcd1234.huitan-tmp", folder / ".台账.k9x_2mzq.huitan-tmp"]  # new, older naming
    theirs = [folder / ".台账2.xlsx.abcd1234.huitan-tmp", folder / ".台账.xlsx.toolongname1.huitan-tmp"]
    for p in ours + theirs:
        p.write_bytes(b"PK half a zip")
    run_job("overdue", register, as_of=AS_OF, now=NOW)
    assert [p.exists() for p in ours] == [False, False]
    assert [p.exists() for p in theirs] == [True, True]


def test_without_the_lock_only_old_temporary_files_are_removed(tmp_path: Path):
    real = tmp_path / "a.xlsx"
    young, old = tmp_path / ".a.xlsx.aaaaaaaa.huitan-tmp", tmp_path / ".a.xlsx.bbbbbbbb.huitan-tmp"
    young.write_bytes(b"x")
    old.write_bytes(b"x")
    os.utime(old, (0, 0))
    assert save_mod.remove_stale_temps(real, all_of_them=False) == [old]
    assert young.exists()


# ---- item 5: links -----------------------------------------------------------------
def test_a_backup_name_planted_as_a_link_is_replaced_not_followed(register: Path, tmp_path: Path):
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch", encoding="utf-8")
    backup_path(register).symlink_to(victim)
    before = register.read_bytes()
    run_job("overdue", register, as_of=AS_OF, now=NOW)
    assert victim.read_text(encoding="utf-8") == "do not touch"
    assert not backup_path(register).is_symlink() and backup_path(register).read_bytes() == before


def test_a_temporary_name_planted_as_a_link_is_never_written_through(register: Path, tmp_path: Path, monkeypatch):
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch", encoding="utf-8")
    import tempfile

    real_mkstemp = tempfile.mkstemp
    planted = []

    def mkstemp(**kw):  # the name mkstemp picks was planted as a link: O_EXCL refuses it, it picks another
        fd, name = real_mkstemp(**kw)
        os.close(fd)
        os.unlink(name)
        os.symlink(victim, name)
        planted.append(name)
        return real_mkstemp(**kw)

    monkeypatch.setattr(save_mod.tempfile, "mkstemp", mkstemp)
    run_job("overdue", register, as_of=AS_OF, now=NOW)
    assert victim.read_text(encoding="utf-8") == "do not touch" and planted


def test_a_workbook_reached_through_a_link_is_written_through(register: Path, tmp_path: Path):
    desk = tmp_path / "desk"
    desk.mkdir()
    link = desk / "我的台账.xlsx"
    link.symlink_to(register)
    before = register.read_bytes()
    result = run_job("overdue", link, as_of=AS_OF, now=NOW)
    assert link.is_symlink() and os.readlink(link) == str(register)
    assert states(register)["T-001"] == "逾期未答复"
    assert result.saved.backup == backup_path(register) and backup_path(register).read_bytes() == before
    assert list(desk.iterdir()) == [link]


# ---- item 6: permissions -----------------------------------------------------------
@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_backup_and_new_workbook_keep_the_workbooks_mode(register: Path):
    os.chmod(register, 0o600)
    run_job("overdue", register, as_of=AS_OF, now=NOW)
    assert stat.S_IMODE(os.stat(register).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(backup_path(register)).st_mode) == 0o600
    os.chmod(register, 0o640)
    run_job("overdue", register, as_of=AS_OF, now=NOW)
    assert stat.S_IMODE(os.stat(register).st_mode) == 0o640
    assert stat.S_IMODE(os.stat(backup_path(register)).st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_init_and_demo_create_files_as_the_umask_allows(tmp_path: Path, umask: int, mode: int):
    old = os.umask(umask)
    try:
        init_workbook(tmp_path / "新台账.xlsx")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "新台账.xlsx").st_mode) == mode
    proc = subprocess.run(["sh", "-c", f'umask {umask:03o} && exec "$0" -m huitan_xl demo "$1"',
                           sys.executable, str(tmp_path / "demo")], capture_output=True)
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    made = sorted(tmp_path.joinpath("demo").glob("*.xlsx"))
    assert made and {stat.S_IMODE(os.stat(p).st_mode) for p in made} == {mode}


# ---- item 7: a folder that cannot be written, a folder where the backup goes ------------
def test_a_folder_shaped_backup_is_a_message_and_exit_2(register: Path):
    backup_path(register).mkdir()
    before = sha(register)
    proc = huitan("overdue", register, "--as-of", "2026-11-24")
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2 and "Traceback" not in err
    assert "是一个文件夹" in err and "台账.bak.xlsx" in err and "Excel" not in err
    assert sha(register) == before


def test_a_folder_without_write_permission_is_a_message_not_a_traceback(register: Path, monkeypatch):
    def refuse(**kw):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(save_mod.tempfile, "mkstemp", refuse)
    with pytest.raises(WorkbookUnusable) as err:
        run_job("overdue", register, as_of=AS_OF, now=NOW)
    assert "没有在文件夹" in err.value.message and "写入文件的权限" in err.value.message
    assert "Excel" not in err.value.message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write a read-only folder")
def test_a_read_only_folder_exits_2_with_a_message(register: Path):
    before = sha(register)
    os.chmod(register.parent, 0o555)
    try:
        proc = huitan("overdue", register, "--as-of", "2026-11-24")
    finally:
        os.chmod(register.parent, 0o755)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2 and "Traceback" not in err and "写入文件的权限" in err, err
    assert sha(register) == before


def test_the_new_workbook_is_a_complete_zip(register: Path):
    run_job("overdue", register, as_of=AS_OF, now=NOW)
    with zipfile.ZipFile(register) as z:
        assert z.testzip() is None
