"""Counting the conference activity report's tables for one financial year (quarters by
conference date): the conferences held, their timeliness, advocacy and the delivery of messages.

Counted in SQL, each table by one grouped query. Two rules are not plain SQL on every database:
working days (England's bank holidays) and calendar months. For those, SQL groups the
conferences by their pair of dates (a few hundred distinct pairs a year, however many children)
and Python applies the rule to each pair, once, weighted by its count.

- Held: ``status`` held, counted by ``conference_date``; a family meeting is a conference, a child
  row is a child at one (ConferenceChild).
- Initial conferences within 15 working days of the section 47 start: day 0 is the start date, so
  within means ``conference_date <= add_working_days(start, 15)``. Imported initial conferences
  without a section 47 date are left out of the denominator and counted on their own.
- Reviews within timescale, per child at a review (a child's plan is reviewed, and children join
  and leave a family's conferences): the child's previous held conference, of any case, sets the
  clock. After an initial (or transfer-in) conference the review is due within 3 calendar months;
  after a review, within 6. A child with no earlier conference on record is counted on its own.
- Advocacy: children at held conferences referred (AdvocacyReferral), and seen (a contact log
  entry marked seen); the referral rate among children aged ADVOCACY_MIN_AGE or more on the
  conference date (age compared as year*10000 + month*100 + day integers, as Child.age_on).
  Imported conferences are left out (imported history has no referrals: their children would
  only pull the rate towards 0) and their child rows counted on their own.
- Delivery by channel, family messages only (staff safeguarding alerts left out), for conferences
  in the year: a text counts as delivered on the phone company's receipt; email has no receipt,
  so an email accepted by the mail server counts as delivered. Sent means the worker handed it
  over (sent, delivered, undelivered or failed); queued, sending and cancelled are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Date, Select, and_, distinct, exists, func, or_, select

from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    Channel,
    Child,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    ContactLogEntry,
    Message,
    MessageKind,
    MessageStatus,
)
from portal.reports.quarters import (
    Rate,
    age_at_least,
    count_if,
    flag,
    in_year,
    quarter_of,
    year_bounds,
)
from portal.working_days import add_working_days

INITIAL_WITHIN_WORKING_DAYS = 15
FIRST_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
SENT_STATUSES = (
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.UNDELIVERED,
    MessageStatus.FAILED,
)
FAILED_STATUSES = (MessageStatus.UNDELIVERED, MessageStatus.FAILED)
# In the CSV and XLSX files, the quarter codes of the participation export (issue 6): Q1–Q4, YEAR
EXPORT_COLUMNS = ("Q1", "Q2", "Q3", "Q4", "YEAR")


@dataclass
class ByQuarter:
    """A count for each quarter, and the year's: ``values[4]`` is the year."""

    label: str
    values: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])

    def add(self, quarter: int, count: int) -> None:
        self.values[quarter - 1] += count
        self.values[4] += count


@dataclass
class RateByQuarter:
    """A rate for each quarter and the year: pooled (sum of numerators ÷ sum of denominators)."""

    label: str
    numerators: ByQuarter = field(default_factory=lambda: ByQuarter(""))
    denominators: ByQuarter = field(default_factory=lambda: ByQuarter(""))

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


def _grouped(inner: Select, *keys: str) -> Select:
    """``inner`` as a subquery grouped by the named columns, with a count: the GROUP BY names
    plain columns, never an expression with bound values (which PostgreSQL would not match)."""
    sub = inner.subquery()
    columns = [sub.c[key] for key in keys]
    return select(*columns, func.count()).group_by(*columns)


def count_held(year: int) -> list[ByQuarter]:
    """Family meetings and child rows of each type, by quarter: one grouped query."""
    rows = (
        select(
            Conference.id.label("conference_id"),
            Conference.conference_type.label("type"),
            quarter_of(Conference.conference_date, year).label("quarter"),
            ConferenceChild.child_id,
        )
        .outerjoin(ConferenceChild, ConferenceChild.conference_id == Conference.id)
        .where(_held_in(year))
        .subquery("held")
    )
    meetings = {t: ByQuarter(_("%(type)s: family meetings", type=t.label)) for t in ConferenceType}
    children = {t: ByQuarter(_("%(type)s: child rows", type=t.label)) for t in ConferenceType}
    all_meetings = ByQuarter(_("All types: family meetings"))
    all_children = ByQuarter(_("All types: child rows"))
    for conference_type, quarter_number, n_meetings, n_children in db.session.execute(
        select(
            rows.c.type,
            rows.c.quarter,
            func.count(distinct(rows.c.conference_id)),
            func.count(rows.c.child_id),
        ).group_by(rows.c.type, rows.c.quarter)
    ):
        meetings[conference_type].add(quarter_number, n_meetings)
        children[conference_type].add(quarter_number, n_children)
        all_meetings.add(quarter_number, n_meetings)
        all_children.add(quarter_number, n_children)
    return [*meetings.values(), all_meetings, *children.values(), all_children]


def count_initial_on_time(year: int) -> tuple[RateByQuarter, ByQuarter]:
    pairs = select(
        quarter_of(Conference.conference_date, year).label("quarter"),
        Conference.section_47_started_on.label("start"),
        Conference.conference_date.label("held"),
    ).where(_held_in(year), Conference.conference_type == ConferenceType.INITIAL)
    on_time = RateByQuarter(
        _(
            "Initial conferences within %(days)s working days of the section 47 start",
            days=INITIAL_WITHIN_WORKING_DAYS,
        )
    )
    no_start = ByQuarter(_("Initial conferences with no section 47 date (imported; not counted)"))
    for quarter_number, start, held, count in db.session.execute(
        _grouped(pairs, "quarter", "start", "held")
    ):
        if start is None:
            no_start.add(quarter_number, count)
            continue
        on_time.denominators.add(quarter_number, count)
        if held <= add_working_days(start, INITIAL_WITHIN_WORKING_DAYS):
            on_time.numerators.add(quarter_number, count)
    return on_time, no_start


def count_reviews(year: int) -> tuple[list[RateByQuarter], ByQuarter]:
    _first, last = year_bounds(year)
    order = (Conference.conference_date, Conference.id)
    history = (
        select(
            Conference.conference_type.label("type"),
            Conference.conference_date.label("held"),
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
    pairs = select(
        quarter_of(history.c.held, year).label("quarter"),
        history.c.previous_type,
        history.c.previous_held,
        history.c.held,
    ).where(history.c.type == ConferenceType.REVIEW, in_year(history.c.held, year))
    first = RateByQuarter(
        _(
            "First reviews within %(months)s months of the initial or transfer-in",
            months=FIRST_REVIEW_MONTHS,
        )
    )
    later = RateByQuarter(
        _("Later reviews within %(months)s months of the last", months=LATER_REVIEW_MONTHS)
    )
    every = RateByQuarter(_("All reviews within timescale"))
    no_earlier = ByQuarter(_("Reviews with no earlier conference on record (not counted)"))
    for quarter_number, previous_type, previous_held, held, count in db.session.execute(
        _grouped(pairs, "quarter", "previous_type", "previous_held", "held")
    ):
        if previous_held is None:
            no_earlier.add(quarter_number, count)
            continue
        is_first = previous_type in (ConferenceType.INITIAL, ConferenceType.TRANSFER_IN)
        months = FIRST_REVIEW_MONTHS if is_first else LATER_REVIEW_MONTHS
        within = held <= previous_held + relativedelta(months=months)
        for rate in (first if is_first else later, every):
            rate.denominators.add(quarter_number, count)
            if within:
                rate.numerators.add(quarter_number, count)
    return [first, later, every], no_earlier


def count_advocacy(
    year: int, min_age: int
) -> tuple[list[ByQuarter], list[RateByQuarter], ByQuarter]:
    """Counts and rates for recorded conferences only: imported history has no advocacy
    referrals, so its children would only pull the referral rate down. They are counted on their
    own (the third value)."""
    aged = age_at_least(Child.date_of_birth, Conference.conference_date, min_age)
    referred = AdvocacyReferral.id.is_not(None)
    seen = exists().where(
        ContactLogEntry.referral_id == AdvocacyReferral.id, ContactLogEntry.seen.is_(True)
    )
    rows = (
        select(
            quarter_of(Conference.conference_date, year).label("quarter"),
            Conference.imported.label("imported"),
            flag(referred).label("referred"),
            flag(and_(referred, seen)).label("seen"),
            flag(aged).label("aged"),
            flag(and_(aged, referred)).label("aged_referred"),
        )
        .select_from(ConferenceChild)
        .join(Conference, Conference.id == ConferenceChild.conference_id)
        .join(Child, Child.id == ConferenceChild.child_id)
        .outerjoin(
            AdvocacyReferral,
            and_(
                AdvocacyReferral.conference_id == ConferenceChild.conference_id,
                AdvocacyReferral.child_id == ConferenceChild.child_id,
            ),
        )
        .where(_held_in(year))
        .subquery("advocacy")
    )
    children = ByQuarter(_("Children at held conferences (child rows)"))
    imported = ByQuarter(_("Children at imported conferences (not counted)"))
    referred_all = ByQuarter(_("Referred to advocacy"))
    seen_all = ByQuarter(_("Referred and seen by an advocate"))
    aged_all = ByQuarter(_("Aged %(age)s or over on the conference date", age=min_age))
    aged_referred = ByQuarter(_("Aged %(age)s or over and referred", age=min_age))
    for (
        quarter_number,
        was_imported,
        count,
        n_referred,
        n_seen,
        n_aged,
        n_aged_referred,
    ) in db.session.execute(
        select(
            rows.c.quarter,
            rows.c.imported,
            func.count(),
            func.sum(rows.c.referred),
            func.sum(rows.c.seen),
            func.sum(rows.c.aged),
            func.sum(rows.c.aged_referred),
        ).group_by(rows.c.quarter, rows.c.imported)
    ):
        if was_imported:
            imported.add(quarter_number, count)
            continue
        children.add(quarter_number, count)
        referred_all.add(quarter_number, int(n_referred or 0))
        seen_all.add(quarter_number, int(n_seen or 0))
        aged_all.add(quarter_number, int(n_aged or 0))
        aged_referred.add(quarter_number, int(n_aged_referred or 0))
    referral_rate = RateByQuarter(
        _("Referral rate, children aged %(age)s or over", age=min_age), aged_referred, aged_all
    )
    seen_rate = RateByQuarter(_("Seen, of those referred"), seen_all, referred_all)
    counts = [children, referred_all, seen_all, aged_all, aged_referred]
    return counts, [referral_rate, seen_rate], imported


def count_delivery(year: int) -> list[tuple[str, int, int, int, Rate]]:
    sent = Message.status.in_(SENT_STATUSES)
    delivered = or_(
        Message.status == MessageStatus.DELIVERED,
        and_(Message.channel == Channel.EMAIL, Message.status == MessageStatus.SENT),
    )
    waiting = and_(Message.channel != Channel.EMAIL, Message.status == MessageStatus.SENT)
    failed = Message.status.in_(FAILED_STATUSES)
    counted = {
        channel: (int(n_sent or 0), int(n_waiting or 0), int(n_failed or 0), int(n_ok or 0))
        for channel, n_sent, n_waiting, n_failed, n_ok in db.session.execute(
            select(
                Message.channel,
                count_if(sent),
                count_if(waiting),
                count_if(failed),
                count_if(delivered),
            )
            .join(Conference, Conference.id == Message.conference_id)
            .where(
                Message.family_member_id.is_not(None),
                Message.kind != MessageKind.SAFEGUARDING_ALERT,
                in_year(Conference.conference_date, year),
            )
            .group_by(Message.channel)
        )
    }
    result = []
    for channel in (Channel.SMS, Channel.EMAIL):
        n_sent, n_waiting, n_failed, n_ok = counted.get(channel, (0, 0, 0, 0))
        result.append(
            (channel.label, n_sent, n_waiting, n_failed, Rate(channel.label, n_ok, n_sent))
        )
    return result
