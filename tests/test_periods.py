from datetime import date

import pytest

from huitan_xl.periods import (Period, months_between, parse_period, previous_month, previous_quarter,
                               previous_year, quarter_of)


@pytest.mark.parametrize("text, expected", [
    ("2026-10", Period("month", date(2026, 10, 1), date(2026, 10, 31), "2026-10")),
    ("2026-2", Period("month", date(2026, 2, 1), date(2026, 2, 28), "2026-02")),
    ("2028年2月", Period("month", date(2028, 2, 1), date(2028, 2, 29), "2028-02")),
    ("2026/12", Period("month", date(2026, 12, 1), date(2026, 12, 31), "2026-12")),
    ("2026Q3", Period("quarter", date(2026, 7, 1), date(2026, 9, 30), "2026Q3")),
    ("2026-Q3", Period("quarter", date(2026, 7, 1), date(2026, 9, 30), "2026Q3")),
    ("2026q1", Period("quarter", date(2026, 1, 1), date(2026, 3, 31), "2026Q1")),
    ("2026年第三季度", Period("quarter", date(2026, 7, 1), date(2026, 9, 30), "2026Q3")),
    ("2026年第4季度", Period("quarter", date(2026, 10, 1), date(2026, 12, 31), "2026Q4")),
    ("２０２６Ｑ２", Period("quarter", date(2026, 4, 1), date(2026, 6, 30), "2026Q2")),
    ("2026", Period("year", date(2026, 1, 1), date(2026, 12, 31), "2026")),
    (" 2026年 ", Period("year", date(2026, 1, 1), date(2026, 12, 31), "2026")),
])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "2026Q5", "26-10", "", "2026年第五季度", "十月"])
def test_parse_period_rejects_with_chinese_message(text):
    with pytest.raises(ValueError) as e:
        parse_period(text)
    assert "2026Q3" in str(e.value) or "1–12" in str(e.value)


def test_titles():
    assert [parse_period(t).title for t in ("2026-10", "2026Q3", "2026")] == \
        ["2026年10月", "2026年第三季度", "2026年"]


def test_contains_is_inclusive_and_none_is_outside():
    q = parse_period("2026Q3")
    assert [q.contains(d) for d in (date(2026, 6, 30), date(2026, 7, 1), date(2026, 9, 30),
                                    date(2026, 10, 1), None)] == [False, True, True, False, False]


def test_quarter_of():
    assert [quarter_of(date(2026, m, 15)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == \
        ["2026Q1", "2026Q1", "2026Q2", "2026Q2", "2026Q3", "2026Q3", "2026Q4", "2026Q4"]


def test_previous_periods_cross_year_boundaries():
    assert previous_month(date(2026, 1, 10)).label == "2025-12"
    assert previous_month(date(2026, 3, 31)).label == "2026-02"
    assert previous_quarter(date(2026, 2, 1)).label == "2025Q4"
    assert previous_quarter(date(2026, 7, 1)).label == "2026Q2"
    assert previous_year(date(2026, 7, 1)).label == "2025"


def test_months_between_and_period_months():
    assert [p.label for p in months_between(date(2025, 11, 20), date(2026, 2, 1))] == \
        ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months_between(date(2026, 3, 1), date(2026, 2, 1)) == []
    assert [p.label for p in parse_period("2026Q3").months()] == ["2026-07", "2026-08", "2026-09"]
    assert len(parse_period("2026").months()) == 12


def test_quarters_between_and_last_months():
    from datetime import date

    from huitan_xl.periods import last_months, quarters_between

    assert [q.label for q in quarters_between(date(2025, 11, 5), date(2026, 4, 1))] == [
        "2025Q4", "2026Q1", "2026Q2"]
    assert quarters_between(date(2026, 5, 1), date(2026, 3, 31)) == []
    months = last_months(date(2026, 2, 17), 12)
    assert [m.label for m in months][:2] == ["2025-03", "2025-04"] and months[-1].label == "2026-02"
    assert len(months) == 12
