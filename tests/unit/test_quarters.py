"""The reports' shared helpers: the year in a query string, percentages rounded halves up, and
the SQL age test, each checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import Date, literal, select

from portal.extensions import db
from portal.reports.quarters import (
    BadQuery,
    Rate,
    age_at_least,
    count_if,
    current_financial_year,
    mean_tenths,
    parse_year,
    percent,
    percent_value,
    round_tenths,
)


@pytest.mark.parametrize(
    ("given", "expected"), [("2024", 2024), (" 2000 ", 2000), ("", None), (None, None)]
)
def test_a_year_of_plain_digits(given: str | None, expected: int | None) -> None:
    assert parse_year(given) == (expected or current_financial_year())


@pytest.mark.parametrize(
    "given",
    ["²", "²⁰²⁴", "٢٠٢٤", "２０２４", "9" * 5000, "-1", "+2024", "2024.0", "1999", "02024", "abc"],
)
def test_anything_else_is_a_bad_query_never_a_value_error(given: str) -> None:
    with pytest.raises(BadQuery) as refused:
        parse_year(given)
    assert refused.value.field == "year"
    assert str(refused.value).startswith("Enter a financial year from 2000 to")


def test_next_year_is_allowed_and_the_one_after_is_not() -> None:
    assert parse_year(str(current_financial_year() + 1)) == current_financial_year() + 1
    with pytest.raises(BadQuery):
        parse_year(str(current_financial_year() + 2))


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [(1, 16, "6.3%"), (1, 8, "12.5%"), (1, 3, "33.3%"), (2, 3, "66.7%"), (1, 2000, "0.1%"),
     (1, 2001, "0.0%"), (0, 5, "0.0%"), (5, 5, "100.0%"), (0, 0, "–")],
)  # fmt: skip
def test_percentages_round_halves_up(numerator: int, denominator: int, shown: str) -> None:
    assert percent(numerator, denominator) == shown
    rate = Rate("x", numerator, denominator)
    assert rate.percent == shown
    assert rate.percent_cell == (Decimal(shown[:-1]) if denominator else None)
    assert percent_value(numerator, denominator) == rate.percent_cell


def test_means_round_halves_up_exactly() -> None:
    assert mean_tenths(13, 4) == Decimal("3.3")  # 3.25: a float's round() gives 3.2
    assert mean_tenths(0, 0) is None
    assert round_tenths(Fraction(-1, 20)) == Decimal("0.0")  # -0.05 up is -0.0, shown 0.0
    assert round_tenths(Fraction(1, 20)) == Decimal("0.1")


@pytest.mark.parametrize(
    ("born", "on", "years", "expected"),
    [
        (date(2020, 5, 5), date(2024, 5, 5), 4, True),  # the 4th birthday
        (date(2020, 5, 5), date(2024, 5, 4), 4, False),  # the day before
        (date(2020, 2, 29), date(2024, 2, 28), 4, False),
        (date(2020, 2, 29), date(2024, 3, 1), 4, True),
        (date(2014, 12, 31), date(2025, 1, 1), 10, True),
        (None, date(2025, 1, 1), 0, False),  # unborn
    ],
)
def test_age_at_least_in_sql(
    app: object, born: date | None, on: date, years: int, expected: bool
) -> None:
    check = age_at_least(literal(born, Date), literal(on, Date), years)
    assert db.session.scalar(select(count_if(check))) == int(expected)
