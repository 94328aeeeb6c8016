"""The demo's past conferences as their chairs would have recorded them, and its children of the
advocacy age referred, as adding them through the pages does."""

from __future__ import annotations

import random
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from portal.demo.accounts import DEMO_ACCOUNTS, EXTRA_ADVOCATES, staff_by_email
from portal.demo.conferences import CASE_PREFIX
from portal.demo.featured import FEATURED
from portal.extensions import db
from portal.models import (
    AdultAttendance,
    AdvocacyReferral,
    AttendanceMode,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceStatus,
    NotInvitedReason,
    ParticipationCode,
    Relationship,
    ViewsRoute,
    utcnow,
)
from portal.recording.codes import derived_code, participation_min_age


def refer_older_children(rng: random.Random) -> None:
    """As adding a child through the pages does: children of the advocacy age are referred; most
    referrals for conferences still to come are assigned to one of the two advocates."""
    advocates = [
        staff_by_email(DEMO_ACCOUNTS[3][1]),
        *(staff_by_email(email) for email, _ in EXTRA_ADVOCATES),
    ]
    links = db.session.scalars(
        select(ConferenceChild)
        .join(Conference)
        .where(Conference.case_reference.startswith(CASE_PREFIX))
        .order_by(Conference.case_reference, ConferenceChild.child_id)
    ).all()
    for link in links:
        day = link.conference.starts_at.date()
        age = link.child.age_on(day)
        if age is None or age < current_app.config["ADVOCACY_MIN_AGE"]:
            continue
        advocate = rng.choice(advocates) if rng.random() < 0.7 else None
        db.session.add(
            AdvocacyReferral(
                conference_id=link.conference_id,
                child_id=link.child_id,
                automatic=True,
                advocate_id=advocate.id if advocate else None,
                assigned_at=utcnow() if advocate else None,
            )
        )


def record_held_conferences() -> None:
    """Past demo conferences as their chairs would have recorded them: a code for each child
    (CP0 under the age threshold or unborn; CP5 only with an advocate assigned) and, for each
    adult, invited or not, attendance and whether their views were heard."""
    rng = random.Random(20250401)  # a stream of its own: the invented families stay the same
    min_age = participation_min_age()
    advocated = {
        (conference_id, child_id)
        for conference_id, child_id in db.session.execute(
            select(AdvocacyReferral.conference_id, AdvocacyReferral.child_id).where(
                AdvocacyReferral.advocate_id.is_not(None)
            )
        )
    }
    held = db.session.scalars(
        select(Conference)
        .where(
            Conference.case_reference.startswith(CASE_PREFIX),
            Conference.case_reference.not_in(FEATURED),
            Conference.status == ConferenceStatus.HELD,
        )
        .order_by(Conference.case_reference)
    ).all()
    for conference in held:
        day = conference.conference_date
        conference.held_on, conference.quorate = day, True
        conference.recorded_at = min(conference.starts_at + timedelta(hours=3), utcnow())
        conference.recorded_by_id = conference.chair_id
        for link in conference.children:
            link.participation_code = derived_code(link.child, day, min_age) or _demo_code(
                rng, link.child.age_on(day) or 0, (conference.id, link.child_id) in advocated
            )
        for adult in conference.adults:
            if adult.family_member.relationship != Relationship.YOUNG_PERSON:
                _record_adult(rng, adult, conference.format)


def _demo_code(rng: random.Random, age: int, has_advocate: bool) -> ParticipationCode:
    if rng.random() < (0.2 if age >= 12 else 0.08):
        return rng.choices(ATTENDED_CODES, weights=[40, 30, 10, 20])[0]
    if has_advocate:
        return rng.choices(ABSENT_CODES, weights=[80, 10, 10])[0]
    return rng.choices(ABSENT_CODES[1:], weights=[70, 30])[0]


ATTENDED_CODES = [ParticipationCode(f"CP{n}") for n in (1, 2, 3, 4)]
ABSENT_CODES = [ParticipationCode(f"CP{n}") for n in (5, 6, 7)]
# Relationship: (invited, attended the whole meeting, part of it, heard another way if absent)
ADULT_RATES = {
    Relationship.MOTHER: (0.97, 0.80, 0.06, 0.45),
    Relationship.FATHER: (0.90, 0.50, 0.07, 0.30),
}
OTHER_ADULT_RATES = (0.90, 0.55, 0.08, 0.30)


def _record_adult(rng: random.Random, adult: ConferenceAdult, form: ConferenceFormat) -> None:
    invited, whole, part, heard_otherwise = ADULT_RATES.get(
        adult.family_member.relationship, OTHER_ADULT_RATES
    )
    adult.invited = rng.random() < invited
    adult.not_invited_reason = (
        None if adult.invited else rng.choices(list(NotInvitedReason), weights=[30, 50, 20])[0]
    )
    roll = rng.random()
    adult.attendance = AdultAttendance.NONE
    if adult.invited and roll < whole + part:
        adult.attendance = AdultAttendance.WHOLE if roll < whole else AdultAttendance.PART
        modes = {
            ConferenceFormat.IN_PERSON: [AttendanceMode.IN_PERSON],
            ConferenceFormat.VIRTUAL: [AttendanceMode.VIDEO, AttendanceMode.PHONE],
        }.get(form, list(AttendanceMode))
        adult.attendance_mode = rng.choice(modes)
    routes = []
    if adult.attendance == AdultAttendance.NONE and rng.random() < heard_otherwise:
        routes = [rng.choice(list(ViewsRoute)).value]
    adult.views_routes = routes
    # As the chair's record sets it: attended, or heard by another route
    adult.views_heard = adult.attendance != AdultAttendance.NONE or bool(routes)
