"""Dates and times as a reader of each language writes them (issue 21)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from portal.templating import format_date, format_datetime

# 08:52 UTC on 17 December is 8:52 in London (no summer time).
WINTER_MORNING = datetime(2026, 12, 17, 8, 52, tzinfo=UTC)


def test_polish_dates_say_r_and_times_have_no_leading_zero(app: Flask) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "pl"}):
        assert format_date(WINTER_MORNING) == "17 grudnia 2026 r."
        assert format_datetime(WINTER_MORNING) == "17 grudnia 2026 r., godz. 8:52"


def test_english_dates_keep_the_gov_uk_style(app: Flask) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert format_date(WINTER_MORNING) == "17 December 2026"
        assert format_datetime(WINTER_MORNING) == "17 December 2026 at 8:52am"


def test_romanian_dates_have_no_polish_r(app: Flask) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "ro"}):
        assert format_date(WINTER_MORNING) == "17 decembrie 2026"
        assert format_datetime(WINTER_MORNING) == "17 decembrie 2026, ora 8:52"


def test_urdu_dates_have_urdu_month_names_and_no_polish_r(app: Flask) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "ur"}):
        assert format_date(WINTER_MORNING) == "17 دسمبر 2026"
        assert format_datetime(WINTER_MORNING) == "17 دسمبر 2026 کو 8:52 بجے"
