"""huitan_xl.a1: column letters both ways, cell references, quoted sheet names."""
import pytest

from huitan_xl import a1


@pytest.mark.parametrize("col, letters", [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"),
                                          (702, "ZZ"), (703, "AAA"), (16384, "XFD")])
def test_column_letters_both_ways(col, letters):
    assert a1.column_letters(col) == letters
    assert a1.column_index(letters) == col
    assert a1.column_index(letters.lower()) == col and a1.column_index(letters.encode()) == col


def test_every_column_round_trips():
    assert all(a1.column_index(a1.column_letters(c)) == c for c in range(1, a1.MAX_COLUMN + 1))


@pytest.mark.parametrize("bad", ["", "A1", "Ä", "-"])
def test_not_letters_is_an_error(bad):
    with pytest.raises(ValueError):
        a1.column_index(bad)


def test_cells_and_sheet_names():
    assert a1.cell(7, 2) == "B7" and a1.cell(1, 28, absolute=True) == "$AB$1"
    with pytest.raises(ValueError):
        a1.column_letters(0)
    assert a1.quote_sheet("诉求台账") == "'诉求台账'" and a1.quote_sheet("Tom's") == "'Tom''s'"
