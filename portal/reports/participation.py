"""The participation table (design.md, Counting): children's, mothers' and fathers' attendance and
participation by quarter of a UK financial year, and for the year.

Counted in two aggregate queries (one for children, one for adults), grouped by quarter with a
CASE on the conference date: no Python loop over rows. The unit is one person at one held
conference; the quarter is the conference's own date (``Conference.conference_date``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.extensions import db
from portal.models import (
    AdultAttendance,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    FamilyMember,
    ParticipationCode,
    Relationship,
)
from portal.reports.export import Table, to_csv, to_xlsx
from portal.reports.quarters import current_financial_year, financial_year_of
from portal.reports.quarters import financial_quarters as quarters_of_year

Method = Literal["pooled", "mean-of-quarters"]
METHODS: tuple[Method, ...] = ("pooled", "mean-of-quarters")
METHOD_LABELS = {
    "pooled": _l("Pooled"),
    "mean-of-quarters": _l("Mean of the quarters"),
}
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
QUARTER_MONTHS = {
    "Q1": _l("April to June"),
    "Q2": _l("July to September"),
    "Q3": _l("October to December"),
    "Q4": _l("January to March"),
}
YEAR = "YEAR"
COLUMNS = (*QUARTERS, YEAR)
MEASURES = (
    "children_attendance",
    "children_participation",
    "mothers_attendance",
    "mothers_participation",
    "fathers_attendance",
    "fathers_participation",
)
MEASURE_LABELS = {
    "children_attendance": _l("Children's attendance"),
    "children_participation": _l("Children's participation"),
    "mothers_attendance": _l("Mothers' attendance"),
    "mothers_participation": _l("Mothers' participation"),
    "fathers_attendance": _l("Fathers' attendance"),
    "fathers_participation": _l("Fathers' participation"),
}
# The columns of every export and of ``flask report participation``
EXPORT_HEADER = ("measure", "quarter", "numerator", "denominator", "percent")

_COUNTED = [ParticipationCode(f"CP{n}") for n in range(1, 8)]  # CP1–CP7: the denominator
_ATTENDED = [code for code in _COUNTED if code.attended]  # CP1–CP4
_HEARD = [code for code in _COUNTED if code.views_heard]  # CP1, CP2, CP3, CP5, CP6
_ADULT_ATTENDED = [AdultAttendance.PART, AdultAttendance.WHOLE]
_PARENTS = {Relationship.MOTHER: "mothers", Relationship.FATHER: "fathers"}


def financial_quarters(year: int) -> list[tuple[str, date, date]]:
    """The quarters of financial year ``year`` (1 April ``year`` to 31 March the next) as
    (label, first day, last day), both days included."""
    return [(quarter.label, quarter.start, quarter.end) for quarter in quarters_of_year(year)]


def percent_of(numerator: int, denominator: int) -> Decimal | None:
    """``numerator`` as a percentage of ``denominator`` to one decimal place, halves rounded up;
    None when the denominator is 0."""
    if not denominator:
        return None
    return round_half_up(Fraction(100 * numerator, denominator))


def round_half_up(value: Fraction) -> Decimal:
    """To one decimal place, exactly (no float): 12.25 becomes 12.3, 2/3 becomes 0.7."""
    tenths = math.floor(value * 10 + Fraction(1, 2))
    return Decimal(tenths).scaleb(-1)


@dataclass(frozen=True)
class Cell:
    numerator: int
    denominator: int
    percent: Decimal | None  # None: an empty denominator, shown as "–"


@dataclass(frozen=True)
class Row:
    measure: str  # one of MEASURES
    cells: dict[str, Cell]  # by column: Q1–Q4 and YEAR

    @property
    def label(self) -> str:
        return str(MEASURE_LABELS[self.measure])


@dataclass(frozen=True)
class ParticipationTable:
    year: int
    method: Method
    min_child_age: int
    conference_type: ConferenceType | None
    rows: list[Row]

    @property
    def title(self) -> str:
        """Like "2020 to 2021": GOV.UK's way of writing a financial year."""
        return f"{self.year} to {self.year + 1}"

    @property
    def quarter_headings(self) -> list[tuple[str, str]]:
        """Each quarter's label and months, like ("Q1", "April to June")."""
        return [(label, str(QUARTER_MONTHS[label])) for label in QUARTERS]

    def export_rows(self) -> list[tuple[str, str, int, int, Decimal | None]]:
        """measure, quarter, numerator, denominator, percent (one decimal place; None, an empty
        cell, when the denominator is 0). A number, so a spreadsheet can sum it."""
        return [
            (row.measure, column, cell.numerator, cell.denominator, cell.percent)
            for row in self.rows
            for column, cell in row.cells.items()
        ]


def _whole_years_at_least(
    born: sa.ColumnElement, on: sa.ColumnElement, years: int
) -> sa.ColumnElement:
    """``born`` was at least ``years`` whole years before ``on``, on every database: dates as
    yyyymmdd integers (as Child.age_on counts), so a birthday on ``on`` itself counts."""

    def yyyymmdd(day: sa.ColumnElement) -> sa.ColumnElement:
        return (
            sa.extract("year", day) * 10000
            + sa.extract("month", day) * 100
            + sa.extract("day", day)
        )

    return yyyymmdd(on) - yyyymmdd(born) >= years * 10000


def _quarter_of(year: int) -> sa.ColumnElement:
    """1–4: the quarter of financial year ``year`` each conference's date falls in."""
    quarters = financial_quarters(year)
    return sa.case(
        *(
            (Conference.conference_date <= last, number)
            for number, (_, _, last) in enumerate(quarters[:3], 1)
        ),
        else_=4,
    )


def _held_in(year: int, conference_type: ConferenceType | None) -> list[sa.ColumnElement]:
    quarters = financial_quarters(year)
    conditions = [
        Conference.status == ConferenceStatus.HELD,
        Conference.conference_date.between(quarters[0][1], quarters[-1][2]),
    ]
    if conference_type is not None:
        conditions.append(Conference.conference_type == conference_type)
    return conditions


def _count_if(condition: sa.ColumnElement) -> sa.ColumnElement:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def children_query(
    year: int, *, min_child_age: int, conference_type: ConferenceType | None = None
) -> sa.Select:
    """Per quarter: children attended (CP1–CP4), heard (CP1–3, 5, 6) and counted (CP1–CP7, at
    least ``min_child_age`` on the conference date; an unborn child never)."""
    quarter = _quarter_of(year).label("quarter")
    code = ConferenceChild.participation_code
    return (
        sa.select(
            quarter,
            _count_if(code.in_(_ATTENDED)).label("attended"),
            _count_if(code.in_(_HEARD)).label("heard"),
            sa.func.count().label("counted"),
        )
        .select_from(ConferenceChild)
        .join(Conference, Conference.id == ConferenceChild.conference_id)
        .join(Child, Child.id == ConferenceChild.child_id)
        .where(
            *_held_in(year, conference_type),
            code.in_(_COUNTED),
            Child.date_of_birth.is_not(None),
            _whole_years_at_least(Child.date_of_birth, Conference.conference_date, min_child_age),
        )
        .group_by(quarter)
    )


def adults_query(year: int, *, conference_type: ConferenceType | None = None) -> sa.Select:
    """Per quarter and parent (mother, father): attended (part or whole), heard (attended, or
    views by any route) and the denominator, those invited (not invited, excluded from the whole
    meeting among them, is left out)."""
    quarter = _quarter_of(year).label("quarter")
    attended = ConferenceAdult.attendance.in_(_ADULT_ATTENDED)
    return (
        sa.select(
            quarter,
            FamilyMember.relationship,
            _count_if(attended).label("attended"),
            _count_if(sa.or_(attended, ConferenceAdult.views_heard.is_(True))).label("heard"),
            sa.func.count().label("counted"),
        )
        .select_from(ConferenceAdult)
        .join(Conference, Conference.id == ConferenceAdult.conference_id)
        .join(FamilyMember, FamilyMember.id == ConferenceAdult.family_member_id)
        .where(
            *_held_in(year, conference_type),
            ConferenceAdult.invited.is_(True),
            FamilyMember.relationship.in_(list(_PARENTS)),
        )
        .group_by(quarter, FamilyMember.relationship)
    )


def report_queries(
    year: int, *, min_child_age: int, conference_type: ConferenceType | None = None
) -> list[sa.Select]:
    """The statements the report runs, in order (the benchmark times them bare)."""
    return [
        children_query(year, min_child_age=min_child_age, conference_type=conference_type),
        adults_query(year, conference_type=conference_type),
    ]


def run_with_values_written_in(query: sa.Select) -> sa.CursorResult:
    """Run ``query`` with its values (dates, codes, numbers: all ours, never typed by anyone, and
    quoted by SQLAlchemy) written into the SQL instead of sent as parameters.

    Why: psycopg prepares a statement on its fifth run on a connection, and PostgreSQL then plans
    it for any value of its parameters. For these queries that generic plan took three times as
    long on a year of a million rows (bench/report.py); with the values in the SQL every run
    gets the plan for its own year.
    """
    connection = db.session.connection()
    sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    return connection.exec_driver_sql(str(sql))


def participation_table(
    year: int,
    *,
    min_child_age: int,
    method: Method = "pooled",
    conference_type: ConferenceType | None = None,
) -> ParticipationTable:
    """The six measures by quarter and for the year. ``method`` sets the year's percentage:
    "pooled" (all numerators ÷ all denominators) or "mean-of-quarters" (the mean of the unrounded
    quarterly percentages that exist: a quarter with no one to count is skipped). The year's
    numerator and denominator are the pooled sums either way."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    children, adults = report_queries(
        year, min_child_age=min_child_age, conference_type=conference_type
    )
    # (measure, quarter number) -> (numerator, denominator)
    counts: dict[tuple[str, int], tuple[int, int]] = {}
    for quarter, attended, heard, counted in run_with_values_written_in(children):
        counts["children_attendance", int(quarter)] = (int(attended), int(counted))
        counts["children_participation", int(quarter)] = (int(heard), int(counted))
    for quarter, relationship, attended, heard, counted in run_with_values_written_in(adults):
        who = _PARENTS[Relationship(relationship)]
        counts[f"{who}_attendance", int(quarter)] = (int(attended), int(counted))
        counts[f"{who}_participation", int(quarter)] = (int(heard), int(counted))
    rows = [_row(measure, counts, method) for measure in MEASURES]
    return ParticipationTable(year, method, min_child_age, conference_type, rows)


def _row(measure: str, counts: dict[tuple[str, int], tuple[int, int]], method: Method) -> Row:
    quarterly = [counts.get((measure, number), (0, 0)) for number in range(1, 5)]
    cells = {
        label: Cell(numerator, denominator, percent_of(numerator, denominator))
        for label, (numerator, denominator) in zip(QUARTERS, quarterly, strict=True)
    }
    numerator = sum(n for n, _ in quarterly)
    denominator = sum(d for _, d in quarterly)
    if method == "pooled":
        percent = percent_of(numerator, denominator)
    else:
        shares = [Fraction(100 * n, d) for n, d in quarterly if d]
        percent = round_half_up(sum(shares, Fraction(0)) / len(shares)) if shares else None
    cells[YEAR] = Cell(numerator, denominator, percent)
    return Row(measure, cells)


def years_with_data() -> list[int]:
    """Financial years from the first held conference's to this one (or the last held, if
    later), newest first."""
    first, last = db.session.execute(
        sa.select(
            sa.func.min(Conference.conference_date), sa.func.max(Conference.conference_date)
        ).where(Conference.status == ConferenceStatus.HELD)
    ).one()
    newest = current_financial_year()
    oldest = newest
    if first is not None:
        oldest = min(oldest, financial_year_of(first))
        newest = max(newest, financial_year_of(last))
    return list(range(newest, oldest - 1, -1))


def participation_file(
    year: int,
    *,
    fmt: str = "csv",
    method: str | None = None,
    min_child_age: int | None = None,
    conference_type: str | None = None,
) -> str | bytes:
    """The table as a file (CSV text or XLSX bytes) for ``flask report participation``: the
    settings unless overridden."""
    table = participation_table(
        year,
        min_child_age=(
            current_app.config["PARTICIPATION_MIN_AGE"] if min_child_age is None else min_child_age
        ),
        method=method or current_app.config["PARTICIPATION_YEAR_METHOD"],
        conference_type=ConferenceType(conference_type) if conference_type else None,
    )
    tables = [Table(f"Participation {table.title}", EXPORT_HEADER, table.export_rows())]
    return to_csv(tables) if fmt == "csv" else to_xlsx(tables)
