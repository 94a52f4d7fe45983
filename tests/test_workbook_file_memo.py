"""check_usable checks a file once per process while it stays the same, and again once it changes."""
from __future__ import annotations

import os
import zipfile

import pytest

from huitan_xl.xlsx import file_check as workbook_file
from huitan_xl.errors import WorkbookUnusable


def good(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", "")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return path


def test_an_unchanged_file_is_not_checked_twice(tmp_path, monkeypatch):
    path = good(tmp_path / "台账.xlsx")
    workbook_file.check_usable(path)
    calls = []
    monkeypatch.setattr(workbook_file, "_check_usable", lambda p: calls.append(p))
    workbook_file.check_usable(path)
    assert calls == []
    os.utime(path, ns=(1, 1))  # any change of the file: checked again
    workbook_file.check_usable(path)
    assert calls == [path]


def test_a_file_truncated_after_a_good_check_is_unusable(tmp_path):
    path = good(tmp_path / "台账.xlsx")
    workbook_file.check_usable(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(WorkbookUnusable, match="台账.xlsx"):
        workbook_file.check_usable(path)
