"""Counting the conference activity report's tables for one financial year (quarters by
conference date): the conferences held, their timeliness, advocacy and the delivery of messages.

Counted in SQL. The child rows at held conferences in the year are scanned once, by one grouped
query (``child_rows``): the held children, initial and reviews timeliness and the children aged
for advocacy are read from its groups; the referrals (a few a conference) are a small query of
their own, not joined to every child row; the family meetings, one over the conferences. Two rules
are not plain SQL on every database: working days (England's bank holidays) and calendar months.
For those, SQL groups the child rows by their pair of dates (a few hundred distinct pairs a year,
however many children) and Python applies the rule to each pair, once, weighted by its count.

- Held: ``status`` held, counted by ``conference_date``; a family meeting is a conference, a child
  row is a child at one (ConferenceChild).
- Initial conferences within 15 working days of the section 47 start, per child row, by the
  child's own start date (ConferenceChild.section_47_started_on: siblings can differ): day 0 is
  the start date, so within means ``conference_date <= add_working_days(start, 15)``
  (portal.plans.rules.initial_in_time). Children without a section 47 date (imported history)
  are left out of the denominator and counted on their own.
- Reviews within timescale, per child at a review (a child's plan is reviewed, and children join
  and leave a family's conferences): the child's previous held conference, of any case, sets the
  clock. After an initial (or transfer-in) conference the review is due within 3 calendar months;
  after a review, within 6. A child with no earlier conference on record is counted on its own.
- Advocacy: children at held conferences referred (AdvocacyReferral), and seen (a contact log
  entry marked seen); the referral rate among children aged ADVOCACY_MIN_AGE or more on the
  conference date (age compared as year*10000 + month*100 + day integers, as Child.age_on).
  Imported conferences are left out (imported history has no referrals: their children would
  only pull the rate towards 0) and their child rows counted on their own.

Delivery by channel is counted in portal.reports.delivery_counts; plans and reasons for delay in
portal.reports.plan_counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Date, Select, and_, case, exists, func, select, text

from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    Child,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    ContactLogEntry,
)
from portal.plans.rules import (
    FIRST_REVIEW_MONTHS,
    INITIAL_WITHIN_WORKING_DAYS,
    LATER_REVIEW_MONTHS,
    initial_deadline,
    review_due,
)
from portal.reports.quarters import (
    Rate,
    age_at_least,
    flag,
    in_year,
    quarter_of,
    year_bounds,
)

# In the CSV and XLSX files, the quarter codes of the participation export (issue 6): Q1–Q4, YEAR
EXPORT_COLUMNS = ("Q1", "Q2", "Q3", "Q4", "YEAR")


@dataclass
class ByQuarter:
    """A count for each quarter, and the year's: ``values[4]`` is the year. ``name`` is the
    measure's name in the exports (``meetings_initial``)."""

    label: str
    values: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])
    name: str = ""

    def add(self, quarter: int, count: int) -> None:
        self.values[quarter - 1] += count
        self.values[4] += count

    def set_at_end(self, quarter: int, count: int) -> None:
        """A figure on the quarter's last day (plans open): the year's is Q4's."""
        self.values[quarter - 1] = count
        if quarter == 4:
            self.values[4] = count


@dataclass
class RateByQuarter:
    """A rate for each quarter and the year: pooled (sum of numerators ÷ sum of denominators)."""

    label: str
    numerators: ByQuarter = field(default_factory=lambda: ByQuarter(""))
    denominators: ByQuarter = field(default_factory=lambda: ByQuarter(""))
    name: str = ""

    def rates(self) -> list[Rate]:
        return [
            Rate(column, n, d)
            for column, n, d in zip(
                EXPORT_COLUMNS, self.numerators.values, self.denominators.values, strict=True
            )
        ]


def _held_in(year: int) -> ColumnElement[bool]:
    return and_(
        Conference.status == ConferenceStatus.HELD, in_year(Conference.conference_date, year)
    )


def grouped(inner: Select[*tuple[Any, ...]], *keys: str) -> Select[*tuple[Any, ...]]:
    """``inner`` as a subquery grouped by the named columns, with a count: the GROUP BY names
    plain columns, never an expression with bound values (which PostgreSQL would not match)."""
    sub = inner.subquery()
    columns = [sub.c[key] for key in keys]
    return select(*columns, func.count()).group_by(*columns)


@dataclass(frozen=True)
class ChildRows:
    """Child rows at held conferences in the year, grouped: by quarter, conference type and
    imported, and for initial conferences by the section 47 start and the day held too (a few
    hundred pairs a year), for reviews by the day held and the child's previous held conference
    (of any case: its type and day, by a window over each child's held conferences up to the
    year's end). The held, initial, reviews and advocacy tables (but the referrals) are read
    from these groups, so the child rows are joined and scanned once."""

    quarter: int
    type: ConferenceType
    imported: bool
    start: date | None  # initial conferences only
    held: date | None  # initial conferences and reviews only
    previous_type: ConferenceType | None  # reviews only: the child's previous held conference
    previous_held: date | None  # reviews only
    count: int
    aged: int


def child_rows(year: int, min_age: int) -> list[ChildRows]:
    """One grouped query over every child row at a held conference in the year."""
    _first, last = year_bounds(year)
    order = (Conference.conference_date, Conference.id)
    history = (
        select(
            ConferenceChild.conference_id,
            ConferenceChild.child_id,
            ConferenceChild.section_47_started_on.label("start"),
            Conference.conference_type.label("type"),
            Conference.conference_date.label("day"),
            Conference.imported.label("imported"),
            func.lag(Conference.conference_type, type_=Conference.conference_type.type)
            .over(partition_by=ConferenceChild.child_id, order_by=order)
            .label("previous_type"),
            func.lag(Conference.conference_date, type_=Date)
            .over(partition_by=ConferenceChild.child_id, order_by=order)
            .label("previous_held"),
        )
        .join(ConferenceChild, ConferenceChild.conference_id == Conference.id)
        .where(Conference.status == ConferenceStatus.HELD, Conference.conference_date <= last)
        .subquery("history")
    )
    initial = history.c.type == ConferenceType.INITIAL
    review = history.c.type == ConferenceType.REVIEW
    aged = age_at_least(Child.date_of_birth, history.c.day, min_age)
    rows = (
        select(
            quarter_of(history.c.day, year).label("quarter"),
            history.c.type,
            history.c.imported,
            case((initial, history.c.start)).label("start"),
            case((initial | review, history.c.day)).label("held"),
            case((review, history.c.previous_type)).label("previous_type"),
            case((review, history.c.previous_held)).label("previous_held"),
            flag(aged).label("aged"),
        )
        .select_from(history)
        .join(Child, Child.id == history.c.child_id)
        .where(in_year(history.c.day, year))
        .subquery("child_rows")
    )
    keys = [
        rows.c.quarter,
        rows.c.type,
        rows.c.imported,
        rows.c.start,
        rows.c.held,
        rows.c.previous_type,
        rows.c.previous_held,
    ]
    statement = select(*keys, func.count(), func.sum(rows.c.aged)).group_by(*keys)
    return [
        ChildRows(
            int(quarter),
            conference_type,
            bool(imported),
            start,
            held,
            previous_type,
            previous_held,
            int(count),
            int(aged_count or 0),
        )
        for (
            quarter,
            conference_type,
            imported,
            start,
            held,
            previous_type,
            previous_held,
            count,
            aged_count,
        ) in _without_hash_joins(statement)
    ]


def _without_hash_joins(statement: Select[*tuple[Any, ...]]) -> list[Any]:
    """``statement``'s rows; on PostgreSQL planned without hash joins. The window leaves the
    child rows in child order, so merging them with the children (by primary key) and the
    referrals costs no sort, where hashing 444,000 children took 180 ms of 900 (measured on the
    benchmark's year). The setting is put back for the rest of the report's transaction."""
    if db.session.get_bind().dialect.name != "postgresql":
        return list(db.session.execute(statement))
    db.session.execute(text("SET LOCAL enable_hashjoin = off"))
    rows = list(db.session.execute(statement))
    db.session.execute(text("SET LOCAL enable_hashjoin = on"))
    return rows


def count_held(year: int, rows: list[ChildRows]) -> list[ByQuarter]:
    """Family meetings of each type by quarter (one grouped query over the conferences, so a
    meeting without children counts too), and child rows from ``rows``."""
    meetings = {
        t: ByQuarter(_("%(type)s: family meetings", type=t.label), name=f"meetings_{t.value}")
        for t in ConferenceType
    }
    children = {
        t: ByQuarter(_("%(type)s: child rows", type=t.label), name=f"children_{t.value}")
        for t in ConferenceType
    }
    all_meetings = ByQuarter(_("All types: family meetings"), name="meetings_all")
    all_children = ByQuarter(_("All types: child rows"), name="children_all")
    held = select(
        Conference.conference_type.label("type"),
        quarter_of(Conference.conference_date, year).label("quarter"),
    ).where(_held_in(year))
    for conference_type, quarter_number, n_meetings in db.session.execute(
        grouped(held, "type", "quarter")
    ):
        meetings[conference_type].add(int(quarter_number), int(n_meetings))
        all_meetings.add(int(quarter_number), int(n_meetings))
    for row in rows:
        children[row.type].add(row.quarter, row.count)
        all_children.add(row.quarter, row.count)
    return [*meetings.values(), all_meetings, *children.values(), all_children]


def count_initial_on_time(rows: list[ChildRows]) -> tuple[RateByQuarter, ByQuarter]:
    """Per child row at a held initial conference, by the child's own section 47 start."""
    on_time = RateByQuarter(
        _(
            "Children at initial conferences within %(days)s working days of their section 47 "
            "start",
            days=INITIAL_WITHIN_WORKING_DAYS,
        ),
        name="initial_within_15_working_days",
    )
    no_start = ByQuarter(
        _("Children at initial conferences with no section 47 date (not counted)"),
        name="initial_no_section_47_date",
    )
    deadlines: dict[date, date] = {}
    for row in rows:
        if row.type != ConferenceType.INITIAL:
            continue
        if row.start is None:
            no_start.add(row.quarter, row.count)
            continue
        on_time.denominators.add(row.quarter, row.count)
        if row.start not in deadlines:  # a few hundred start dates a year, each worked out once
            deadlines[row.start] = initial_deadline(row.start)
        if row.held is not None and row.held <= deadlines[row.start]:
            on_time.numerators.add(row.quarter, row.count)
    return on_time, no_start


def count_reviews(rows: list[ChildRows]) -> tuple[list[RateByQuarter], ByQuarter]:
    """Per child row at a held review, by the child's previous held conference."""
    first = RateByQuarter(
        _(
            "First reviews within %(months)s months of the initial or transfer-in",
            months=FIRST_REVIEW_MONTHS,
        ),
        name="reviews_first_in_timescale",
    )
    later = RateByQuarter(
        _("Later reviews within %(months)s months of the last", months=LATER_REVIEW_MONTHS),
        name="reviews_later_in_timescale",
    )
    every = RateByQuarter(_("All reviews within timescale"), name="reviews_in_timescale")
    no_earlier = ByQuarter(
        _("Reviews with no earlier conference on record (not counted)"),
        name="reviews_no_earlier_conference",
    )
    for row in rows:
        if row.type != ConferenceType.REVIEW:
            continue
        if row.previous_type is None or row.previous_held is None or row.held is None:
            no_earlier.add(row.quarter, row.count)
            continue
        is_first = row.previous_type != ConferenceType.REVIEW
        within = row.held <= review_due(row.previous_type, row.previous_held)
        for rate in (first if is_first else later, every):
            rate.denominators.add(row.quarter, row.count)
            if within:
                rate.numerators.add(row.quarter, row.count)
    return [first, later, every], no_earlier


def _referrals(year: int, min_age: int) -> Select[*tuple[Any, ...]]:
    """Referrals of children at held, recorded conferences in the year, by quarter: referred,
    seen, and aged ``min_age`` or more. A few per conference, so counted on their own rather than
    joined to every child row."""
    seen = exists().where(
        ContactLogEntry.referral_id == AdvocacyReferral.id, ContactLogEntry.seen.is_(True)
    )
    inner = (
        select(
            quarter_of(Conference.conference_date, year).label("quarter"),
            flag(seen).label("seen"),
            flag(age_at_least(Child.date_of_birth, Conference.conference_date, min_age)).label(
                "aged"
            ),
        )
        .select_from(AdvocacyReferral)
        .join(
            ConferenceChild,
            and_(
                ConferenceChild.conference_id == AdvocacyReferral.conference_id,
                ConferenceChild.child_id == AdvocacyReferral.child_id,
            ),
        )
        .join(Conference, Conference.id == AdvocacyReferral.conference_id)
        .join(Child, Child.id == AdvocacyReferral.child_id)
        .where(_held_in(year), Conference.imported.is_(False))
        .subquery("referrals")
    )
    return select(
        inner.c.quarter, func.count(), func.sum(inner.c.seen), func.sum(inner.c.aged)
    ).group_by(inner.c.quarter)


def count_advocacy(
    year: int, rows: list[ChildRows], min_age: int
) -> tuple[list[ByQuarter], list[RateByQuarter], ByQuarter]:
    """Counts and rates for recorded conferences only: imported history has no advocacy
    referrals, so its children would only pull the referral rate down. They are counted on their
    own (the third value)."""
    children = ByQuarter(_("Children at held conferences (child rows)"), name="advocacy_children")
    imported = ByQuarter(
        _("Children at imported conferences (not counted)"), name="advocacy_imported_children"
    )
    referred_all = ByQuarter(_("Referred to advocacy"), name="advocacy_referred")
    seen_all = ByQuarter(_("Referred and seen by an advocate"), name="advocacy_seen")
    aged_all = ByQuarter(
        _("Aged %(age)s or over on the conference date", age=min_age), name="advocacy_aged"
    )
    aged_referred = ByQuarter(
        _("Aged %(age)s or over and referred", age=min_age), name="advocacy_aged_referred"
    )
    for row in rows:
        if row.imported:
            imported.add(row.quarter, row.count)
            continue
        children.add(row.quarter, row.count)
        aged_all.add(row.quarter, row.aged)
    for quarter_number, n_referred, n_seen, n_aged in db.session.execute(_referrals(year, min_age)):
        referred_all.add(int(quarter_number), int(n_referred))
        seen_all.add(int(quarter_number), int(n_seen or 0))
        aged_referred.add(int(quarter_number), int(n_aged or 0))
    referral_rate = RateByQuarter(
        _("Referral rate, children aged %(age)s or over", age=min_age),
        aged_referred,
        aged_all,
        name="advocacy_referral_rate",
    )
    seen_rate = RateByQuarter(
        _("Seen, of those referred"), seen_all, referred_all, name="advocacy_seen_rate"
    )
    counts = [children, referred_all, seen_all, aged_all, aged_referred]
    return counts, [referral_rate, seen_rate], imported
