"""table_rows.classify reads only what its tests need (issue 13: the reader's cost on a
100,000-row register): the first four non-empty cells of a row, and a note word only
when 注 / 说 (or ㊟, which NFKC folds to 注) is there. The rows it skips are the same."""
from __future__ import annotations

from datetime import date

from huitan_xl.table_rows import NOTE, TOTAL, _cells, _plainly_a_record, classify


def row(*cells, width=17):
    return list(cells) + [""] * (width - len(cells))


def test_totals_notes_and_records_in_a_wide_register():
    grid = [
        row("编号", "内容", "承办部门"),
        row("SQ-1", "浴室热水不稳定", "后勤服务中心", date(2026, 3, 5), 3.0, "是", *["x"] * 11),
        row("", "", "小 计", 1.0),  # 小计 (spaced) as the first non-empty cell: a total; 小计 does not end the table
        row("SQ-2", "说明书丢失，请补发", "机电科", "", "", "小计"),  # the 4th non-empty cell: a total
        row("SQ-3", "内容", "机电科", "a", "b", "c", "合计"),  # 合计 beyond the first four: a record
        row("SQ-4", "备注：无"),  # 备注： not in the first cell: a record
        row("㊟", "见附件"),  # ㊟ alone folds to 注: a note line, the table ends
        row("SQ-5", "after the note"),
    ]
    keep, skipped = classify(grid, list(range(1, len(grid))), key_col=0)
    assert keep == [1, 4, 5]
    assert skipped == {TOTAL: [3, 4], NOTE: [7], "表格结束后的行": [8]}


def test_a_short_note_word_alone_is_a_note_and_not_in_a_long_row():
    grid = [row("编号", "内容"), row("SQ-1", "x"), row(" 说 明 ", "见附件"), row("SQ-2", "y")]
    keep, skipped = classify(grid, [1, 2, 3], key_col=0)
    assert keep == [1] and skipped[NOTE] == [3]
    grid = [row("编号", "内容"), row("SQ-1", "x"), row("说明", "a", "b"), row("SQ-2", "y")]
    keep, skipped = classify(grid, [1, 2, 3], key_col=0)
    assert keep == [1, 2, 3] and skipped == {}


def test_first_cells_stop_at_the_limit():
    r = row("", 3.0, None, "a", "", "b", "c", "d")
    assert _cells(r, 4) == ["3", "a", "b", "c"]
    assert _cells(r) == ["3", "a", "b", "c", "d"]
    assert _cells(row("", " ", None), 4) == []


def test_rows_plainly_records_are_kept_as_the_tests_on_their_cells_keep_them(monkeypatch):
    # each row after the first is taken without its cells' tests only when none can hold
    grid = [
        row("编号", "内容"),
        row("SQ-0", "first row below the header: always tested"),
        row("SQ-1", "浴室热水不稳定", "后勤服务中心", 3.0),
        row(" ", 2.0, date(2026, 3, 5), True, "a"),  # non-text cells count towards the four
        row("", "", "", " 小 计 ", 5.0),  # 小计 as the first non-empty cell (does not end the table)
        row(1.0, 2.0, 3.0, "小计", "x"),  # the fourth non-empty cell
        row(1.0, 2.0, 3.0, 4.0, "合计"),  # the fifth: a record
        row(" 备注：", "无"),  # a note word first (备 begins it)
        row("审核人：张三"),  # a signature: the table ends
        row("SQ-9", "x"),
    ]
    data = list(range(1, len(grid)))
    fast = classify(grid, data, key_col=0)
    monkeypatch.setattr("huitan_xl.table_rows._plainly_a_record", lambda row: False)
    assert classify(grid, data, key_col=0) == fast
    assert fast == ([1, 2, 3, 6], {TOTAL: [5, 6], NOTE: [8, 9], "表格结束后的行": [10]})


def test_a_row_is_plainly_a_record_only_without_a_total_note_or_signature_sign():
    assert _plainly_a_record(row("SQ-1", "浴室热水不稳定", "后勤服务中心", "是"))
    assert _plainly_a_record(row(" ", None, 12.0, "a", "b", "c", "合计"))  # 合计 is the fifth cell
    assert not _plainly_a_record(row("SQ-1", "年度总结"))  # 总: the total test decides
    assert not _plainly_a_record(row("附件 1", "x", "y"))  # 附: the note test decides
    assert not _plainly_a_record(row("  联系电话 123"))  # 联: the signature test decides
    assert not _plainly_a_record(row("SQ-说", "x"))  # 说 anywhere in a short row's first cell
    assert not _plainly_a_record(row("\u329f"))  # ㊟ folds to 注
