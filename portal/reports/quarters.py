"""The UK financial year and its quarters (Q1 April–June … Q4 January–March), by conference date.

Shared by the reports: the quarter of a date column as a plain SQL ``CASE`` (portable), the
year asked for in a query string, checked, and percentages shown the one way (design.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import (
    Boolean,
    ColumnElement,
    FunctionElement,
    Integer,
    SQLColumnExpression,
    and_,
    case,
    extract,
    func,
    literal,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from portal.models.base import SERVICE_TIMEZONE

EARLIEST_YEAR = 2000
EMPTY = "–"  # shown for a percentage whose denominator is 0
# A year in the query string: ASCII digits only ("²" and "٣" are digits to str.isdigit), and at
# most four, so a long string is refused before int() is asked to read it.
_YEAR_TEXT = re.compile(r"[0-9]{1,4}")


@dataclass(frozen=True)
class Quarter:
    number: int  # 1 to 4
    start: date
    end: date  # the last day, inclusive

    @property
    def label(self) -> str:
        return f"Q{self.number}"


def financial_quarters(year: int) -> list[Quarter]:
    """The four quarters of the financial year starting 1 April ``year``."""
    starts = [date(year, 4, 1), date(year, 7, 1), date(year, 10, 1), date(year + 1, 1, 1)]
    ends = [date(year, 6, 30), date(year, 9, 30), date(year, 12, 31), date(year + 1, 3, 31)]
    return [
        Quarter(n + 1, start, end) for n, (start, end) in enumerate(zip(starts, ends, strict=True))
    ]


def year_bounds(year: int) -> tuple[date, date]:
    """1 April ``year`` and 31 March the year after, both included."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def current_financial_year() -> int:
    return financial_year_of(datetime.now(SERVICE_TIMEZONE).date())


def year_label(year: int) -> str:
    """2025 → "April 2025 to March 2026"."""
    return _("April %(start)s to March %(end)s", start=year, end=year + 1)


def in_year(column: SQLColumnExpression[date], year: int) -> ColumnElement[bool]:
    first, last = year_bounds(year)
    return and_(column >= first, column <= last)


def quarter_of(column: SQLColumnExpression[date], year: int) -> ColumnElement[int]:
    """1–4 for a date inside the year (use with ``in_year``): a CASE every database runs."""
    q1, q2, q3, q4 = financial_quarters(year)
    return case(
        (column < q2.start, literal(1)),
        (column < q3.start, literal(2)),
        (column < q4.start, literal(3)),
        else_=literal(4),
    )


class BadQuery(ValueError):
    """A query-string value the report cannot use: the page says which and answers 400."""

    def __init__(self, message: str, field: str = "year") -> None:
        super().__init__(message)
        self.field = field  # the filter's id on the page, for the error summary's link


def parse_year(value: str | None) -> int:
    """The financial year asked for (``?year=2025`` is April 2025 to March 2026), or this one when
    absent or blank. Anything else but one to four ASCII digits from EARLIEST_YEAR to next year
    raises BadQuery (the page answers 400), never a ValueError."""
    latest = current_financial_year() + 1
    if value is None or value.strip() == "":
        return current_financial_year()
    text = value.strip()
    if not _YEAR_TEXT.fullmatch(text) or not EARLIEST_YEAR <= int(text) <= latest:
        raise BadQuery(
            _(
                "Enter a financial year from %(earliest)s to %(latest)s, like %(example)s for "
                "%(example_label)s",
                earliest=EARLIEST_YEAR,
                latest=latest,
                example=latest - 1,
                example_label=year_label(latest - 1),
            )
        )
    return int(text)


def round_tenths(value: Fraction) -> Decimal:
    """``value`` to one decimal place, halves rounded up, exactly (no float)."""
    return Decimal((value * 10 + Fraction(1, 2)).__floor__()).scaleb(-1)


def _tenths(numerator: int, denominator: int) -> Decimal:
    """The percentage to one decimal place, halves rounded up, exactly (no float): 1 of 16 is
    6.3, as the participation report rounds."""
    return round_tenths(Fraction(100 * numerator, denominator))


def percent_value(numerator: int, denominator: int) -> Decimal | None:
    """The percentage as a number for exports (CSV "62.5", a number in XLSX); None (an empty
    cell) when nothing to divide by."""
    return _tenths(numerator, denominator) if denominator else None


def percent(numerator: int, denominator: int) -> str:
    """One decimal place, for the page ("–" when nothing to divide by)."""
    return f"{_tenths(numerator, denominator)}%" if denominator else EMPTY


def percent_cell(numerator: int, denominator: int) -> str:
    """One decimal place, no sign, as text: empty when nothing to divide by."""
    return str(_tenths(numerator, denominator)) if denominator else ""


def mean_tenths(total: int, count: int) -> Decimal | None:
    """``total`` ÷ ``count`` to one decimal place, halves rounded up; None when ``count`` is 0."""
    return round_tenths(Fraction(total, count)) if count else None


@dataclass(frozen=True)
class Rate:
    """A count out of a denominator, shown as a percentage beside both."""

    label: str
    numerator: int
    denominator: int

    @property
    def percent(self) -> str:
        return percent(self.numerator, self.denominator)

    @property
    def percent_cell(self) -> Decimal | None:
        """For exports: a number (an empty cell when nothing to divide by)."""
        return percent_value(self.numerator, self.denominator)


# --- SQL helpers shared by the reports' aggregate queries (portable: no dialect functions) ---


def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """1 where ``condition`` holds, else 0 (a column to SUM, or to SUM later in an outer query)."""
    return case((condition, literal(1)), else_=literal(0))


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END): rows where ``condition`` holds (NULL when no
    rows: read it as ``int(n or 0)``)."""
    return func.sum(flag(condition))


class DatePart(FunctionElement[int]):
    """The year, month or day of a date as a number: EXTRACT on most databases; on PostgreSQL
    date_part, a float, because its EXTRACT gives an exact numeric (PostgreSQL 14 on), several
    times slower over a million rows, and these are small whole numbers either way."""

    type = Integer()
    inherit_cache = True
    # The field is part of the statement's cache key: DatePart("year", x) is not ("month", x).
    _traverse_internals = [
        *FunctionElement._traverse_internals,
        ("field", InternalTraversal.dp_string),
    ]

    def __init__(self, field: str, day: SQLColumnExpression[date | None]) -> None:
        self.field = field
        super().__init__(day)


@compiles(DatePart)
def _date_part(element: DatePart, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = element.clauses
    return compiler.process(extract(element.field, day), **kw)


@compiles(DatePart, "postgresql")
def _date_part_postgresql(element: DatePart, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = element.clauses
    return f"date_part('{element.field}', {compiler.process(day, **kw)})"


def date_part(field: str, day: SQLColumnExpression[date | None]) -> ColumnElement[int]:
    """``field`` ("year", "month" or "day") of ``day``, as a whole number."""
    if field not in ("year", "month", "day"):
        raise ValueError(field)
    return DatePart(field, day)


def date_key(day: SQLColumnExpression[date | None]) -> ColumnElement[int]:
    """A date as year*10000 + month*100 + day: compared as integers, on any database."""
    return (
        date_part("year", day) * 10000 + date_part("month", day) * 100 + date_part("day", day)
    ).cast(Integer)


class AgeAtLeast(FunctionElement[bool]):
    """Aged ``years`` or more on a day: date keys compared as integers on most databases; on
    PostgreSQL the date of birth against the day less that many years, the same rule (a 29
    February birthday comes on 1 March in other years, both ways) at a tenth of the cost."""

    type = Boolean()
    inherit_cache = True
    # The age is part of the statement's cache key, or a report for 5-year-olds would reuse the
    # SQL compiled for 4.
    _traverse_internals = [
        *FunctionElement._traverse_internals,
        ("years", InternalTraversal.dp_plain_obj),
    ]

    def __init__(
        self,
        date_of_birth: SQLColumnExpression[date | None],
        on: SQLColumnExpression[date],
        years: int,
    ) -> None:
        self.years = int(years)
        super().__init__(date_of_birth, on)


@compiles(AgeAtLeast)
def _age_at_least(element: AgeAtLeast, compiler: SQLCompiler, **kw: Any) -> str:
    born, on = element.clauses
    keys = date_key(born) + element.years * 10000 <= date_key(on)
    return compiler.process(and_(born.is_not(None), keys), **kw)


@compiles(AgeAtLeast, "postgresql")
def _age_at_least_postgresql(element: AgeAtLeast, compiler: SQLCompiler, **kw: Any) -> str:
    born, on = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({born} IS NOT NULL AND {born} <= {on} - make_interval(years => {element.years}))"


def age_at_least(
    date_of_birth: SQLColumnExpression[date | None], on: SQLColumnExpression[date], years: int
) -> ColumnElement[bool]:
    """Aged ``years`` or more on ``on`` (the birthday itself counts), as Child.age_on: false for
    a NULL date of birth (an unborn child)."""
    return AgeAtLeast(date_of_birth, on, years)
