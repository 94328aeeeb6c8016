"""Financial year 2020 (1 April 2020 to 31 March 2021) for the participation report, and the
builders it uses. What it holds, and every figure it should give, is written out at the top of
tests/integration/reports/test_participation_report.py; the ``year_2020`` fixture (conftest.py)
adds it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from portal.extensions import db
from portal.models import (
    AdultAttendance,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    NotInvitedReason,
    ParticipationCode,
    Relationship,
)
from tests.factories import add_child, add_family_member, make_conference


def held(
    day: date,
    *,
    hour: int = 10,
    minute: int = 0,
    kind: ConferenceType = ConferenceType.REVIEW,
    status: ConferenceStatus = ConferenceStatus.HELD,
) -> Conference:
    """A conference starting at ``hour``:``minute`` UTC on ``day``."""
    extra = {"section_47_started_on": date(2020, 6, 1)} if kind == ConferenceType.INITIAL else {}
    return make_conference(
        starts_at=datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC),
        conference_type=kind,
        status=status,
        **extra,
    )


def child(
    conference: Conference,
    code: ParticipationCode,
    *,
    born: date | None = date(2010, 1, 1),
) -> None:
    fields = {"date_of_birth": born} if born else {"date_of_birth": None}
    if born is None:
        fields["expected_date_of_birth"] = date(2020, 9, 1)
    added = add_child(conference, **fields)
    row = db.session.get(ConferenceChild, (conference.id, added.id))
    row.participation_code = code
    db.session.commit()


def adult(
    conference: Conference,
    relationship: Relationship,
    *,
    invited: bool = True,
    attendance: AdultAttendance | None = None,
    views_heard: bool | None = None,
    reason: NotInvitedReason | None = None,
    **fields: object,
) -> None:
    member = add_family_member(conference, relationship=relationship, **fields)
    row = db.session.get(ConferenceAdult, (conference.id, member.id))
    row.invited = invited
    row.not_invited_reason = reason
    row.attendance = attendance
    row.views_heard = views_heard
    db.session.commit()


CP = ParticipationCode
WHOLE, PART, NONE = AdultAttendance.WHOLE, AdultAttendance.PART, AdultAttendance.NONE


def add_year_2020() -> None:
    """The year the participation report's tests count by hand."""
    # Q1, first day
    first = held(date(2020, 4, 1))
    child(first, CP.CP1)
    child(first, CP.CP4, born=date(2012, 3, 3))
    child(first, CP.CP5)
    child(first, CP.CP7)
    child(first, CP.CP6, born=date(2016, 4, 1))  # 4 today: counted
    child(first, CP.CP0, born=date(2016, 4, 2))  # 4 tomorrow
    child(first, CP.CP0, born=None)  # unborn
    child(first, CP.CP2, born=date(2017, 1, 1))  # 3: counted only with the threshold at 3
    adult(first, Relationship.MOTHER, attendance=WHOLE, views_heard=True)
    adult(first, Relationship.FATHER, attendance=NONE, views_heard=True)
    adult(first, Relationship.FATHER, invited=False, reason=NotInvitedReason.EXCLUDED)
    adult(
        first,
        Relationship.MOTHER,
        invited=False,
        reason=NotInvitedReason.WHEREABOUTS_UNKNOWN,
        views_heard=True,
    )
    adult(first, Relationship.CARER, attendance=WHOLE, views_heard=True)
    adult(first, Relationship.PARENTAL_RESPONSIBILITY, attendance=WHOLE, views_heard=True)
    # A young person's own contact (their child row has no code yet): never a mother or father
    young = add_child(first, date_of_birth=date(2006, 1, 1))
    adult(first, Relationship.YOUNG_PERSON, child_id=young.id, attendance=WHOLE, views_heard=True)

    # Q1, last day: 23:30 in London (22:30 UTC)
    last = held(date(2020, 6, 30), hour=22, minute=30)
    child(last, CP.CP2)
    adult(last, Relationship.MOTHER, attendance=PART)
    adult(last, Relationship.FATHER, attendance=NONE, views_heard=False)

    # Q2, first day
    july = held(date(2020, 7, 1), kind=ConferenceType.INITIAL)
    child(july, CP.CP3)
    child(july, CP.CP7)
    adult(july, Relationship.MOTHER, attendance=NONE, views_heard=True)

    # Q4, last day: 23:30 in London (22:30 UTC, summer time began on 28 March 2021)
    march = held(date(2021, 3, 31), hour=22, minute=30, kind=ConferenceType.TRANSFER_IN)
    child(march, CP.CP1)
    child(march, CP.CP2)
    child(march, CP.CP6)
    adult(march, Relationship.FATHER, attendance=WHOLE, views_heard=True)
    adult(march, Relationship.MOTHER, attendance=NONE, views_heard=False)

    # Not in 2020
    before = held(date(2020, 3, 31))
    child(before, CP.CP1)
    adult(before, Relationship.MOTHER, attendance=WHOLE, views_heard=True)
    after = held(date(2021, 3, 31), hour=23, minute=30)  # 00:30 on 1 April 2021 in London
    assert after.conference_date == date(2021, 4, 1)
    child(after, CP.CP1)
    for status in (ConferenceStatus.SCHEDULED, ConferenceStatus.CANCELLED):
        not_held = held(date(2020, 5, 15), status=status)
        child(not_held, CP.CP1)
        adult(not_held, Relationship.MOTHER, attendance=WHOLE, views_heard=True)
        adult(not_held, Relationship.FATHER, attendance=WHOLE, views_heard=True)
