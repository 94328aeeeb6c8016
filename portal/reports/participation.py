"""The participation table (design.md, Counting): children's, mothers' and fathers' attendance and
participation by quarter of a UK financial year, and for the year.

Counted in two aggregate queries (one for children, one for adults), grouped by quarter with a
CASE on the conference date: no Python loop over rows. The unit is one person at one held
conference; the quarter, and each child's age, are on the day the conference was held
(``held_on``, the day recording derives CP0 on; imports set it to the conference date), or its
scheduled date (``conference_date``) where no day held is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

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
from portal.reports.quarters import (
    age_at_least,
    count_if,
    percent_value,
    quarter_of,
    round_tenths,
    year_bounds,
)

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


# The day each conference counts on: the day it was held, as recorded (and the day recording
# derived CP0 on), or its scheduled local date where none is recorded.
held_day = sa.func.coalesce(Conference.held_on, Conference.conference_date)


class AgeBelowSetting(ValueError):
    """A children's threshold below PARTICIPATION_MIN_AGE: those children were recorded as CP0,
    so there is no code to count them by."""


def check_min_child_age(value: int, setting: int) -> None:
    """Refuse a threshold below the setting (raising it is fine): children younger than the
    setting were recorded as CP0, so a lower one would silently count nobody more."""
    if value < setting:
        raise AgeBelowSetting(
            _l(
                "The age cannot be below %(setting)s, the service's usual age: children younger "
                "than that were recorded as CP0 and have no code to count",
                setting=setting,
            )
        )


def _held_in(year: int, conference_type: ConferenceType | None) -> list[sa.ColumnElement[bool]]:
    """Held conferences whose held day is in the year. Written as two plain ranges, not a range
    on ``held_day``: PostgreSQL has no statistics for COALESCE(...), guessed that a year held a
    few hundred conferences of 111,000, and chose nested loops twice as slow (bench/report.py);
    the plain columns have statistics, and ``conference_date`` an index."""
    first, last = year_bounds(year)
    conditions = [
        Conference.status == ConferenceStatus.HELD,
        sa.or_(
            Conference.held_on.between(first, last),
            sa.and_(Conference.held_on.is_(None), Conference.conference_date.between(first, last)),
        ),
    ]
    if conference_type is not None:
        conditions.append(Conference.conference_type == conference_type)
    return conditions


def children_query(
    year: int, *, min_child_age: int, conference_type: ConferenceType | None = None
) -> sa.Select[int, int, int, int]:
    """Per quarter: children attended (CP1–CP4), heard (CP1–3, 5, 6) and counted (CP1–CP7, at
    least ``min_child_age`` on the day held; an unborn child never)."""
    quarter = quarter_of(held_day, year).label("quarter")
    code = ConferenceChild.participation_code
    return (
        sa.select(
            quarter,
            count_if(code.in_(_ATTENDED)).label("attended"),
            count_if(code.in_(_HEARD)).label("heard"),
            sa.func.count().label("counted"),
        )
        .select_from(ConferenceChild)
        .join(Conference, Conference.id == ConferenceChild.conference_id)
        .join(Child, Child.id == ConferenceChild.child_id)
        .where(
            *_held_in(year, conference_type),
            code.in_(_COUNTED),
            age_at_least(Child.date_of_birth, held_day, min_child_age),  # never an unborn child
        )
        .group_by(quarter)
    )


def adults_query(
    year: int, *, conference_type: ConferenceType | None = None
) -> sa.Select[int, Relationship, int, int, int]:
    """Per quarter and parent (mother, father): attended (part or whole), heard (attended, or
    views by any route) and the denominator, those invited (not invited, excluded from the whole
    meeting among them, is left out)."""
    quarter = quarter_of(held_day, year).label("quarter")
    attended = ConferenceAdult.attendance.in_(_ADULT_ATTENDED)
    return (
        sa.select(
            quarter,
            FamilyMember.relationship,
            count_if(attended).label("attended"),
            count_if(sa.or_(attended, ConferenceAdult.views_heard.is_(True))).label("heard"),
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
) -> list[sa.Select[*tuple[Any, ...]]]:
    """The statements the report runs, in order (the benchmark times them bare)."""
    return [
        children_query(year, min_child_age=min_child_age, conference_type=conference_type),
        adults_query(year, conference_type=conference_type),
    ]


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
    for quarter, attended, heard, counted in db.session.execute(children):
        counts["children_attendance", int(quarter)] = (int(attended), int(counted))
        counts["children_participation", int(quarter)] = (int(heard), int(counted))
    for quarter, relationship, attended, heard, counted in db.session.execute(adults):
        who = _PARENTS[Relationship(relationship)]
        counts[f"{who}_attendance", int(quarter)] = (int(attended), int(counted))
        counts[f"{who}_participation", int(quarter)] = (int(heard), int(counted))
    rows = [_row(measure, counts, method) for measure in MEASURES]
    return ParticipationTable(year, method, min_child_age, conference_type, rows)


def _row(measure: str, counts: dict[tuple[str, int], tuple[int, int]], method: Method) -> Row:
    quarterly = [counts.get((measure, number), (0, 0)) for number in range(1, 5)]
    cells = {
        label: Cell(numerator, denominator, percent_value(numerator, denominator))
        for label, (numerator, denominator) in zip(QUARTERS, quarterly, strict=True)
    }
    numerator = sum(n for n, _ in quarterly)
    denominator = sum(d for _, d in quarterly)
    if method == "pooled":
        percent = percent_value(numerator, denominator)
    else:
        shares = [Fraction(100 * n, d) for n, d in quarterly if d]
        percent = round_tenths(sum(shares, Fraction(0)) / len(shares)) if shares else None
    cells[YEAR] = Cell(numerator, denominator, percent)
    return Row(measure, cells)


def participation_file(
    year: int,
    *,
    fmt: str = "csv",
    method: Method | None = None,
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
