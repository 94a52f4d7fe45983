"""WPS-saved workbooks are first-class (issue 17): init + tickets + overdue on every file of
../shared/wps-corpus loses nothing the tool does not own, plain and with an open password."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import PROBE, corpus_files, huitan, needs_corpus, parts
from python_calamine import CalamineWorkbook

from huitan_xl.xlsx import encryption
from test_fidelity_write import sheet_part
from test_e2e_overdue import AS_OF, EXPECTED, make_register, owned

TOOL_MAY_CHANGE = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                   "xl/styles.xml", "docProps/app.xml", "xl/calcChain.xml"}


def assert_nothing_lost(src, result, also_changed: frozenset = frozenset()) -> None:
    probe = subprocess.run([sys.executable, str(PROBE), str(src), str(result)], capture_output=True)
    assert probe.returncode == 0, probe.stdout.decode()
    before, after = parts(src), parts(result)
    folders = {n for n in before if n.endswith("/") and before[n] == b""}  # WPS's empty folder entries
    missing = [n for n in before if n not in after and n not in TOOL_MAY_CHANGE | folders]
    assert missing == []
    changed = [n for n in before if n in after and before[n] != after[n]
               and n not in TOOL_MAY_CHANGE | also_changed]
    assert changed == []


@pytest.mark.parametrize("src", corpus_files("wps"), ids=lambda p: p.name if p else "none")
@needs_corpus
def test_fidelity_on_wps_saved_workbooks(tmp_path, src):
    path = make_register(tmp_path, src)
    proc = huitan("overdue", path, "--as-of", AS_OF)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert owned(path)[0] == EXPECTED
    assert_nothing_lost(src, path)


@pytest.mark.parametrize("src", corpus_files("wps"), ids=lambda p: p.name if p else "none")
@needs_corpus
def test_an_encrypted_wps_workbook(tmp_path, src):
    """WPS's 文件加密 is the same ECMA-376 agile encryption: decrypted, written, re-encrypted."""
    (tmp_path / "plain").mkdir()
    registered = make_register(tmp_path / "plain", src)
    reference = tmp_path / "reference.xlsx"
    reference.write_bytes(registered.read_bytes())  # the register before the job, to probe against
    enc = tmp_path / "enc" / src.name
    enc.parent.mkdir()
    enc.write_bytes(encryption.encrypt(registered.read_bytes(), "wps密码"))
    proc = huitan("overdue", enc, "--as-of", AS_OF, "--password", "wps密码")
    assert proc.returncode in (0, 1), proc.stderr.decode()
    result = tmp_path / "decrypted.xlsx"
    result.write_bytes(encryption.decrypt(enc.read_bytes(), "wps密码", enc.name))
    assert owned(result)[0] == EXPECTED
    # the register already has 诉求台账 (its owned columns are filled now) and 运行记录 (rebuilt)
    owned_parts = frozenset(sheet_part(reference, s) for s in ("诉求台账", "运行记录")
                            if s in CalamineWorkbook.from_path(reference).sheet_names)
    assert_nothing_lost(reference, result, owned_parts)
