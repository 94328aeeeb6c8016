"""Out of timescale: an initial conference booked or held after a child's 15th working day from
their section 47 start, or a review after a child's review due date. The conference's own form
(booking) and the chair's record (held) ask why, from DelayReason, kept on the conference.

A conference without children yet is checked against the section 47 date typed for it. A
review's due date comes from each child's latest held conference before it, while that left a
plan in place (started or continued).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import Conference, ConferenceType, PlanOutcome
from portal.plans.due import latest_held
from portal.plans.rules import initial_deadline, review_due

PLAN_IN_PLACE = (PlanOutcome.STARTED, PlanOutcome.CONTINUED)


@dataclass(frozen=True)
class Late:
    """One child (or, with no children yet, the conference) out of timescale."""

    name: str | None  # the child's name; None for the conference's own section 47 date
    deadline: date
    initial: bool  # an initial conference's 15 working days, else a review's due date


def _initial(day: date, dates: Iterable[tuple[str | None, date | None]]) -> list[Late]:
    late = []
    for name, started in dates:
        if started is not None and day > initial_deadline(started):
            late.append(Late(name, initial_deadline(started), initial=True))
    return late


def review_due_dates(
    child_ids: Iterable[int], before: date, leave_out: int | None
) -> dict[int, date]:
    """When each child's review is due, from their latest held conference before ``before``
    (never ``leave_out``), for the children that conference left on a plan."""
    latest = latest_held(list(child_ids), before=before, leave_out=leave_out)
    rows = db.session.execute(
        select(latest.c.child_id, latest.c.conference_type, latest.c.held_on).where(
            latest.c.plan_outcome.in_(PLAN_IN_PLACE)
        )
    ).all()
    return {child_id: review_due(kind, held_on) for child_id, kind, held_on in rows}


def reviews_late(names: dict[int, str], day: date, leave_out: int | None = None) -> list[Late]:
    """The children (ids to names) whose review, held on ``day``, is after its due date."""
    due = review_due_dates(names, before=day, leave_out=leave_out)
    return [
        Late(names[child_id], deadline, initial=False)
        for child_id, deadline in sorted(due.items(), key=lambda item: (item[1], names[item[0]]))
        if day > deadline
    ]


def _reviews(conference: Conference, day: date) -> list[Late]:
    names = {link.child_id: link.child.full_name for link in conference.children}
    return reviews_late(names, day, leave_out=conference.id)


def booking_lateness(
    conference: Conference | None,
    conference_type: ConferenceType,
    day: date,
    section_47_started_on: date | None,
) -> list[Late]:
    """Who a conference booked for ``day`` is late for. ``conference`` is the one being
    changed (None while setting one up); the other arguments are the form's new values. A
    child whose section 47 date is the conference's old one follows the new one."""
    if conference_type == ConferenceType.INITIAL:
        if conference is None or not conference.children:
            return _initial(day, [(None, section_47_started_on)])
        old = conference.section_47_started_on
        return _initial(
            day,
            [
                (
                    link.child.full_name,
                    section_47_started_on
                    if link.section_47_started_on == old
                    else link.section_47_started_on,
                )
                for link in sorted(conference.children, key=lambda link: link.child_id)
            ],
        )
    if conference_type == ConferenceType.REVIEW and conference is not None:
        return _reviews(conference, day)
    return []


def held_lateness(conference: Conference, held_on: date) -> list[Late]:
    """Who a conference held on ``held_on`` was late for."""
    if conference.conference_type == ConferenceType.INITIAL:
        if not conference.children:
            return _initial(held_on, [(None, conference.section_47_started_on)])
        return _initial(
            held_on,
            [
                (link.child.full_name, link.section_47_started_on)
                for link in sorted(conference.children, key=lambda link: link.child_id)
            ],
        )
    if conference.conference_type == ConferenceType.REVIEW:
        return _reviews(conference, held_on)
    return []


def follow_section_47(conference: Conference, new: date | None) -> None:
    """The conference's section 47 date changes: each child whose own date was the old one
    follows it (a sibling with a date of their own keeps it). The caller commits."""
    old = conference.section_47_started_on
    if new is None or old == new:
        return
    for link in conference.children:
        if link.section_47_started_on == old:
            link.section_47_started_on = new
