"""Issue 18 §8: a workbook's format is taken from its content, by every command alike. An .xlsx
under an .xls / .et name is read exactly as under its own name; real old binary content (.xls,
or .et, WPS's format) and any other non-.xlsx content under an .et / .ett name is refused by
every command with one message naming both Excel's and WPS's 另存为, nothing written.

tests/data/old-register-libreoffice.xls is a real Excel 97-2003 (BIFF8) workbook: a 诉求台账
sheet (编号, 交办日期, 答复时限, 答复日期; one row) that LibreOffice 7 saved with its
"MS Excel 97" filter (`soffice --headless --convert-to xls`); the corpora hold no .xls."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import DEMO_AS_OF, run_cli

OLD_XLS = Path(__file__).resolve().parent / "data" / "old-register-libreoffice.xls"
SAVE_AS = ("程序只处理 .xlsx / .xlsm 工作簿。请在 Excel 中用“文件 → 另存为 → Excel 工作簿 (*.xlsx)”，"
           "或在 WPS 中用“文件 → 另存为 → Excel 文件 (*.xlsx)”另存后，对新的 .xlsx 文件重新运行。未创建或改动任何文件。")
COMMANDS = [("init",), ("overdue",), ("validate",), ("deductions", "--period", "2026Q3"),
            ("rewards", "--quarter", "2026Q3"), ("report", "--month", "2026-10", "--no-docx"),
            ("assess", "--year", "2025"), ("export", "--to", "csv", "导出"),
            ("suggest-attendees", "--level", "班组长")]
IDS = [c[0] for c in COMMANDS]


def dated(command: tuple) -> tuple:
    return command if command[0] == "init" else (*command, "--as-of", DEMO_AS_OF)


def test_the_fixture_is_a_real_xls():
    import msoffcrypto

    with open(OLD_XLS, "rb") as f:
        office = msoffcrypto.OfficeFile(f)
        assert type(office).__name__ == "Xls97File" and not office.is_encrypted()


@pytest.mark.parametrize("suffix, kind", [(".xls", "Excel 97-2003 工作簿 (.xls)"), (".et", "WPS 表格 (.et)")])
@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_old_binary_content_is_refused_by_every_command_with_one_message(tmp_path, suffix, kind, command):
    path = tmp_path / f"台账{suffix}"
    shutil.copy(OLD_XLS, path)
    before = path.read_bytes()
    proc = run_cli(command[0], path, *dated(command)[1:], cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode("utf-8") == f"错误：「台账{suffix}」是{kind}，{SAVE_AS}\n"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("command", [("init",), ("overdue",), ("export", "--to", "csv", "导出")], ids=str)
@pytest.mark.parametrize("suffix, content", [
    (".et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4088),  # an OLE header msoffcrypto cannot parse
    (".et", "工号,姓名\n1001,张三\n".encode("gbk")),
    (".ett", b"\x00\x01garbage"),
    (".xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4088),
])
def test_other_non_xlsx_content_under_et_or_xls_names_gets_the_same_message(tmp_path, command, suffix, content):
    kind = {".et": "WPS 表格 (.et)", ".ett": "WPS 表格模板 (.ett)", ".xls": "Excel 97-2003 工作簿 (.xls)"}[suffix]
    path = tmp_path / f"台账{suffix}"
    path.write_bytes(content)
    proc = run_cli(command[0], path, *dated(command)[1:], cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode("utf-8") == f"错误：「台账{suffix}」是{kind}，{SAVE_AS}\n"
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_init_on_a_new_xls_name_creates_nothing(tmp_path):
    proc = run_cli("init", tmp_path / "台账.xls")
    assert proc.returncode == 2
    assert proc.stderr.decode("utf-8") == f"错误：「台账.xls」是Excel 97-2003 工作簿 (.xls)的文件名，{SAVE_AS}\n"
    assert list(tmp_path.iterdir()) == []


def _result(proc, folder: Path, name: str) -> object:
    """What a command said, with the workbook's name and folder made alike."""
    text = proc.stdout.decode("utf-8").replace(str(folder), "DIR").replace(name, "NAME")
    if text.lstrip().startswith("{"):
        out = json.loads(text)
        out.pop("workbook", None)
        return out
    return text


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_an_xlsx_under_an_xls_name_is_read_by_every_command_as_under_its_own(demo_book, tmp_path, command):
    results = []
    for suffix in (".xlsx", ".xls"):
        folder = tmp_path / suffix.strip(".")
        folder.mkdir()
        path = folder / f"台账{suffix}"
        shutil.copy(demo_book, path)
        extra = () if command[0] in ("init", "export") else ("--dry-run", "--json")
        proc = run_cli(command[0], path, *dated(command)[1:], *extra, cwd=folder)
        assert proc.returncode in (0, 1), proc.stderr.decode("utf-8")
        assert proc.stderr == b""
        exported = {p.name: p.read_bytes() for p in sorted((folder / "导出").glob("*"))}
        results.append((proc.returncode, _result(proc, folder, path.name), exported))
    assert results[0] == results[1]
    if command[0] == "export":
        assert len(results[1][2]) >= 10  # one CSV per sheet, byte for byte the same
