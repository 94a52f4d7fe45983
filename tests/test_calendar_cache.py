"""The holidays library's working days are kept per holidays version in a cache file:
what comes back from the file is exactly what the library says."""
from __future__ import annotations

import pytest

from huitan_xl import calendar


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    return tmp_path


def test_cached_flags_are_the_library_flags(cache_home, monkeypatch):
    first = calendar._Library()
    flags = first.flags(2026)
    assert flags == calendar._library_flags(2026) and len(flags) == 365
    assert first.official_years() == calendar.official_years()
    [path] = (cache_home / "huitan-xl").iterdir()
    assert path.name == f"workdays-holidays-{calendar._holidays_version()}.json"

    def no_library(*args):
        raise AssertionError("the library was asked again")

    monkeypatch.setattr(calendar, "_library_flags", no_library)
    monkeypatch.setattr(calendar, "official_years", no_library)
    again = calendar._Library()
    assert again.flags(2026) == flags and again.official_years() == first.official_years()


def test_a_damaged_cache_file_is_ignored(cache_home):
    folder = cache_home / "huitan-xl"
    folder.mkdir()
    (folder / f"workdays-holidays-{calendar._holidays_version()}.json").write_text("{not json", "utf-8")
    assert calendar._Library().flags(2025) == calendar._library_flags(2025)


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file, not a folder
    monkeypatch.setenv("LOCALAPPDATA", str(blocker))
    assert calendar._Library().flags(2027) == calendar._library_flags(2027)
