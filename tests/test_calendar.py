"""Working-day calendar: the real 2026 schedule (国务院办公厅 2025-11 notice), 节假日 overrides,
and C01/C02. Every expected date below was checked by hand against the 2026 schedule:
元旦 01-01..01-03 off, Sun 01-04 worked; 春节 02-15..02-23 off, Sat 02-14 and Sat 02-28 worked;
清明 04-04..04-06; 劳动节 05-01..05-05 off, Sat 05-09 worked; 端午 06-19..06-21;
中秋 09-25..09-27; 国庆 10-01..10-07 off, Sun 09-20 and Sat 10-10 worked."""
from datetime import date, timedelta

from huitan_xl.calendar import OFFICIAL_YEARS, WorkCalendar
from huitan_xl.model import DayOverride, Src

D = date


def off_days(cal, first, last):
    """Days off in [first, last]."""
    n = (last - first).days + 1
    return [first + timedelta(i) for i in range(n) if not cal.is_workday(first + timedelta(i))]


def ov(d, kind, row, note=""):
    return DayOverride(d, kind, note, Src("节假日", row))


def test_spring_festival_2026_days_off_and_make_up_saturdays():
    cal = WorkCalendar()
    assert off_days(cal, D(2026, 2, 9), D(2026, 3, 2)) == [
        D(2026, 2, 15), D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19),
        D(2026, 2, 20), D(2026, 2, 21), D(2026, 2, 22), D(2026, 2, 23),  # 9 days off
        D(2026, 3, 1),  # ordinary Sunday; Sat 02-14 and Sat 02-28 are worked
    ]


def test_national_day_2026_and_make_up_sunday_and_saturday():
    cal = WorkCalendar()
    assert off_days(cal, D(2026, 9, 19), D(2026, 10, 11)) == [
        D(2026, 9, 19),  # Saturday; Sun 09-20 is worked
        D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27),  # 中秋
        D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 3), D(2026, 10, 4), D(2026, 10, 5),
        D(2026, 10, 6), D(2026, 10, 7),
        D(2026, 10, 11),  # Sunday; Sat 10-10 is worked
    ]


def test_new_year_and_labour_day_2026():
    cal = WorkCalendar()
    assert off_days(cal, D(2025, 12, 27), D(2026, 1, 5)) == [
        D(2025, 12, 27), D(2025, 12, 28), D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3)]
    assert off_days(cal, D(2026, 4, 30), D(2026, 5, 10)) == [
        D(2026, 5, 1), D(2026, 5, 2), D(2026, 5, 3), D(2026, 5, 4), D(2026, 5, 5),
        D(2026, 5, 10)]  # Sat 05-09 worked


def test_roll_forward():
    cal = WorkCalendar()
    assert cal.roll_forward(D(2026, 10, 1)) == D(2026, 10, 8)
    assert cal.roll_forward(D(2026, 10, 8)) == D(2026, 10, 8)
    assert cal.roll_forward(D(2026, 2, 15)) == D(2026, 2, 24)
    assert cal.roll_forward(D(2026, 9, 20)) == D(2026, 9, 20)  # make-up Sunday
    assert cal.roll_forward(D(2026, 3, 7)) == D(2026, 3, 9)  # plain weekend
    assert cal.roll_forward(D(2026, 1, 1)) == D(2026, 1, 4)


def test_add_workdays_counts_from_the_day_after():
    cal = WorkCalendar()
    # 02-13(1) 02-14 Sat make-up(2) 02-24(3) 02-25(4) 02-26(5)
    assert cal.add_workdays(D(2026, 2, 12), 5) == D(2026, 2, 26)
    # 09-29(1) 09-30(2) 10-08(3) 10-09(4) 10-10 Sat make-up(5)
    assert cal.add_workdays(D(2026, 9, 28), 5) == D(2026, 10, 10)
    assert cal.add_workdays(D(2026, 3, 2), 1) == D(2026, 3, 3)
    assert cal.add_workdays(D(2026, 10, 3), 0) == D(2026, 10, 8)
    # across the year end: 12-31(1) 01-04 Sun make-up(2)
    assert cal.add_workdays(D(2025, 12, 30), 2) == D(2026, 1, 4)
    assert cal.add_workdays(D(2026, 1, 4), -1) == D(2025, 12, 31)


def test_workdays_between_is_half_open():
    cal = WorkCalendar()
    assert cal.workdays_between(D(2026, 3, 9), D(2026, 3, 9)) == 0
    assert cal.workdays_between(D(2026, 3, 10), D(2026, 3, 9)) == 0
    assert cal.workdays_between(D(2026, 3, 6), D(2026, 3, 9)) == 1  # Sat, Sun off; Mon
    # 02-14, 02-24, 02-25, 02-26, 02-27, 02-28
    assert cal.workdays_between(D(2026, 2, 13), D(2026, 2, 28)) == 6
    # 12-31, 01-04, 01-05
    assert cal.workdays_between(D(2025, 12, 30), D(2026, 1, 5)) == 3


def test_overrides_make_a_friday_off_and_a_saturday_a_workday():
    cal = WorkCalendar([ov(D(2026, 3, 13), "休", 3, "矿庆"), ov(D(2026, 3, 14), "班", 4, "补班"),
                        ov(D(2026, 10, 10), "休", 5)])
    assert cal.is_workday(D(2026, 3, 13)) is False
    assert cal.is_workday(D(2026, 3, 14)) is True
    assert cal.roll_forward(D(2026, 3, 13)) == D(2026, 3, 14)
    assert cal.add_workdays(D(2026, 3, 12), 1) == D(2026, 3, 14)
    assert cal.add_workdays(D(2026, 3, 12), 2) == D(2026, 3, 16)
    assert cal.workdays_between(D(2026, 3, 12), D(2026, 3, 16)) == 2
    # the sheet wins over the library's make-up Saturday
    assert cal.roll_forward(D(2026, 10, 10)) == D(2026, 10, 12)


def test_official_years_of_the_installed_library():
    assert 2026 in OFFICIAL_YEARS and 2001 in OFFICIAL_YEARS
    assert 2027 not in OFFICIAL_YEARS  # holidays 0.109: 2027 is a rule-based estimate


def test_c01_warning_for_2027_not_2026():
    found = WorkCalendar().year_findings([2026, 2027, 2026])
    assert [(f.code, f.severity, f.sheet, f.row, f.column, f.value) for f in found] == [
        ("C01", "warning", "节假日", None, "", 2027)]
    assert found[0].message.startswith("2027年的法定节假日和调休安排尚未公布")
    assert "请在「节假日」表中补充" in found[0].message


def test_c01_note_when_the_sheet_covers_the_year():
    cal = WorkCalendar([ov(D(2027, 2, 9), "休", 3), ov(D(2027, 2, 10), "休", 4),
                        ov(D(2027, 2, 20), "班", 5)])
    found = cal.year_findings([2027])
    assert [(f.code, f.severity, f.row, f.value) for f in found] == [("C03", "info", None, 2027)]
    assert "已按「节假日」表中该年的3个日期（放假2天、调休上班1天）计算" in found[0].message
    assert cal.is_workday(D(2027, 2, 20)) is True  # Saturday made a workday by the sheet


def test_c02_for_a_date_listed_both_off_and_on():
    cal = WorkCalendar([ov(D(2026, 3, 13), "休", 3), ov(D(2026, 3, 13), "班", 7)])
    assert cal.is_workday(D(2026, 3, 13)) is True  # the later row wins
    found = cal.year_findings([2026])
    assert [(f.code, f.sheet, f.row, f.column, f.value) for f in found] == [
        ("C02", "节假日", 7, "类型", "班")]
    assert "第3行" in found[0].message
    assert cal.year_findings([2025]) == []
