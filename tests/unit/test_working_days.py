from datetime import date

from portal.working_days import add_working_days, is_working_day, next_working_day


def test_weekends_and_english_bank_holidays_are_not_working_days() -> None:
    assert is_working_day(date(2026, 12, 24))  # Thursday
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 26))  # Saturday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day, observed
    assert not is_working_day(date(2026, 8, 31))  # Late summer bank holiday in England


def test_counting_working_days_skips_them() -> None:
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert add_working_days(date(2027, 1, 4), -4) == date(2026, 12, 24)  # 1 Jan, 28 Dec off
    assert add_working_days(date(2026, 11, 27), 0) == date(2026, 11, 27)
    assert add_working_days(date(2026, 11, 27), 5) == date(2026, 12, 4)
