from datetime import time

import pytest

from portal.contact import ContactError, display_mobile, normalise_email, normalise_mobile
from portal.forms import parse_time


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10:30", time(10, 30)),
        ("14.00", time(14, 0)),
        ("2pm", time(14, 0)),
        ("2:30 PM", time(14, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("midday", time(12, 0)),
        ("9", time(9, 0)),
    ],
)
def test_times_people_type(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["", "25:00", "10:60", "13pm", "0am", "ten", "10:3"])
def test_things_that_are_not_times(typed: str) -> None:
    assert parse_time(typed) is None


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("07700 900982", "+447700900982"),
        ("+44 7700 900982", "+447700900982"),
        ("07911 123456", "+447911123456"),
        ("0044 7911 123456", "+447911123456"),
        ("+33 6 12 34 56 78", "+33612345678"),
    ],
)
def test_mobiles_are_stored_in_e164(typed: str, e164: str) -> None:
    assert normalise_mobile(typed) == e164


@pytest.mark.parametrize("typed", ["12345", "07700 901982", "not a number", "020 7946 0000"])
def test_numbers_that_cannot_take_a_text_are_refused(typed: str) -> None:
    with pytest.raises(ContactError):
        normalise_mobile(typed)


def test_mobiles_are_shown_the_way_people_write_them() -> None:
    assert display_mobile("+447700900982") == "07700 900982"
    assert display_mobile("+33612345678") == "+33 6 12 34 56 78"


def test_emails_are_checked_and_lower_cased() -> None:
    assert normalise_email(" Jo.Bloggs@Example.COM ") == "jo.bloggs@example.com"
    with pytest.raises(ContactError):
        normalise_email("jo@")


def test_years_before_a_29th_of_february() -> None:
    from datetime import date

    from portal.people.forms import years_before

    assert years_before(date(2028, 2, 29), 18) == date(2010, 2, 28)
    assert years_before(date(2026, 11, 27), 18) == date(2008, 11, 27)
