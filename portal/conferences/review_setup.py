"""Setting up the review from a held conference (issue 14, part 2).

The review is a new conference of type review, for the same case and chair unless the
coordinator changes them, due by ``portal.plans.rules.review_due``. It has:

- the children whose plan continues: their outcome at this conference started or continued a
  plan, and that plan (a ChildPlan row) was still open after it;
- the adults of this conference, and the young people's own contact records of those children.

The same Child and FamilyMember records are linked, never copied, so contact details, language,
access needs and young people's own contacts come across. Each adult's contact route must be
confirmed safe again before anything is sent for the new conference (``link_adult`` clears the
mark). The automatic advocacy referrals, tasks and the invitation schedule follow as for a
conference set up by hand: the same ``link_child`` / ``link_adult`` as adding someone from the
case, and the worker's schedule reads the new conference's adults.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import exists, or_, select

from portal.audit.services import record_event
from portal.conferences.services import ConferenceDetails
from portal.extensions import db
from portal.models import (
    AuditAction,
    Child,
    ChildPlan,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceStatus,
    FamilyMember,
    PlanOutcome,
    RecordType,
    Relationship,
    StaffUser,
)
from portal.people.case import link_adult, link_child
from portal.plans.rules import review_due


@dataclass(frozen=True)
class ReviewPeople:
    """Who comes across to the review."""

    children: list[Child]
    adults: list[FamilyMember]


def held_day(conference: Conference) -> date:
    """The day the conference was held (as recorded), else the day it was booked for."""
    return conference.held_on or conference.conference_date


def due_on(conference: Conference) -> date:
    """The review's due date after this conference."""
    return review_due(conference.conference_type, held_day(conference))


def is_held(conference: Conference) -> bool:
    return conference.status == ConferenceStatus.HELD


def booked_after(conference: Conference) -> list[Conference]:
    """The case's conferences still to be held after this one: perhaps the review is already
    set up (the page says so, so it is not set up twice)."""
    return list(
        db.session.scalars(
            select(Conference)
            .where(
                Conference.case_reference == conference.case_reference,
                Conference.id != conference.id,
                Conference.starts_at > conference.starts_at,
                Conference.status == ConferenceStatus.SCHEDULED,
            )
            .order_by(Conference.starts_at)
        )
    )


def people_for_review(conference: Conference) -> ReviewPeople:
    day = conference.conference_date
    plan_open_after = exists().where(
        ChildPlan.child_id == Child.id,
        ChildPlan.started_on <= day,
        or_(ChildPlan.ended_on.is_(None), ChildPlan.ended_on > day),
    )
    children = list(
        db.session.scalars(
            select(Child)
            .join(ConferenceChild, ConferenceChild.child_id == Child.id)
            .where(
                ConferenceChild.conference_id == conference.id,
                ConferenceChild.plan_outcome.in_([PlanOutcome.STARTED, PlanOutcome.CONTINUED]),
                plan_open_after,
            )
            .order_by(Child.last_name, Child.first_name, Child.id)
        )
    )
    continuing = [child.id for child in children]
    adults = list(
        db.session.scalars(
            select(FamilyMember)
            .where(
                or_(
                    # The adults here, but not the own contact of a child whose plan ended
                    FamilyMember.id.in_(
                        select(ConferenceAdult.family_member_id).where(
                            ConferenceAdult.conference_id == conference.id
                        )
                    )
                    & (FamilyMember.relationship != Relationship.YOUNG_PERSON),
                    FamilyMember.child_id.in_(continuing),
                )
            )
            .order_by(FamilyMember.last_name, FamilyMember.first_name, FamilyMember.id)
        )
    )
    return ReviewPeople(children=children, adults=adults)


def set_up_review(
    previous: Conference, details: ConferenceDetails, created_by: StaffUser
) -> Conference:
    """The next conference, with the people whose plans continue; one commit."""
    people = people_for_review(previous)
    review = Conference(
        **asdict(details), status=ConferenceStatus.SCHEDULED, created_by_id=created_by.id
    )
    db.session.add(review)
    db.session.flush()
    record_event(
        AuditAction.CREATE,
        RecordType.CONFERENCE,
        review.id,
        conference_id=review.id,
        fields=[*asdict(details).keys(), "set_up_from"],
    )
    for child in people.children:
        link_child(review, child)
    for member in people.adults:
        link_adult(review, member)
    db.session.commit()
    return review
