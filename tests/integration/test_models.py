"""The database itself refuses bad data: constraints, not only forms."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError

from portal.extensions import db
from portal.models import (
    Channel,
    Child,
    Conference,
    ConferenceFormat,
    ConferenceType,
    FamilyMember,
    Relationship,
    Role,
    StaffUser,
)
from tests.factories import add_child, make_conference, make_staff


def _refused(record: object) -> None:
    db.session.add(record)
    with pytest.raises((IntegrityError, StatementError)):
        db.session.commit()
    db.session.rollback()


def _member(**fields: object) -> FamilyMember:
    values = {
        "first_name": "Jo",
        "last_name": "Bloggs",
        "relationship": Relationship.MOTHER,
        "preferred_channel": Channel.NONE,
    }
    return FamilyMember(**(values | fields))


def test_a_child_is_born_or_expected_never_both_nor_neither() -> None:
    _refused(Child(first_name="A", last_name="B"))
    _refused(
        Child(
            first_name="A",
            last_name="B",
            date_of_birth=date(2020, 1, 1),
            expected_date_of_birth=date(2027, 1, 1),
        )
    )
    db.session.add(Child(first_name="A", last_name="B", expected_date_of_birth=date(2027, 1, 1)))
    db.session.commit()


def test_family_member_contact_rules() -> None:
    _refused(_member(preferred_channel=Channel.SMS))  # text messages need a mobile
    _refused(_member(preferred_channel=Channel.EMAIL))  # email needs an address
    _refused(_member(mobile="07700900123"))  # stored in E.164 only
    _refused(_member(email="Jo@Example.com"))  # stored lower-case
    chair = make_staff(Role.COORDINATOR)
    _refused(_member(contact_confirmed_safe_at=datetime.now(UTC)))  # who confirmed?
    _refused(_member(contact_confirmed_safe_by_id=chair.id))  # and when?
    db.session.add(_member(mobile="+447700900123", preferred_channel=Channel.SMS))
    db.session.commit()


def test_an_unknown_relationship_is_refused() -> None:
    _refused(_member(relationship="neighbour"))


def test_an_initial_conference_needs_its_section_47_date() -> None:
    _refused(
        Conference(
            case_reference="CP-1",
            conference_type=ConferenceType.INITIAL,
            starts_at=datetime.now(UTC),
            format=ConferenceFormat.VIRTUAL,
        )
    )


def test_case_references_are_stored_in_capitals() -> None:
    _refused(
        Conference(
            case_reference="cp-1",
            conference_type=ConferenceType.REVIEW,
            starts_at=datetime.now(UTC),
            format=ConferenceFormat.VIRTUAL,
        )
    )


def test_staff_emails_are_unique_and_lower_case() -> None:
    make_staff(Role.CHAIR, email="chair@council.example")
    _refused(
        StaffUser(
            email="chair@council.example", full_name="Again", role=Role.CHAIR, password_hash="x"
        )
    )
    _refused(
        StaffUser(
            email="Chair2@council.example", full_name="Caps", role=Role.CHAIR, password_hash="x"
        )
    )


def test_a_child_on_a_conference_cannot_be_deleted_behind_its_back() -> None:
    child = add_child(make_conference())
    db.session.delete(child)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_times_come_back_timezone_aware_in_utc() -> None:
    paris = timezone(timedelta(hours=1))
    conference = make_conference(starts_at=datetime(2026, 3, 2, 10, 30, tzinfo=paris))
    db.session.expire_all()
    stored = db.session.scalar(select(Conference).where(Conference.id == conference.id))
    assert stored.starts_at == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert stored.starts_at.tzinfo is not None


def test_naive_times_are_refused() -> None:
    with pytest.raises(StatementError):
        make_conference(starts_at=datetime(2026, 3, 2, 10, 30))
    db.session.rollback()


def test_a_conference_day_is_its_local_date_and_it_has_started_from_its_start() -> None:
    # 23:30 UTC on 1 July is half past midnight on 2 July in London (summer time).
    starts_at = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    conference = make_conference(starts_at=starts_at)
    assert conference.day == date(2026, 7, 2)
    assert not conference.has_started(starts_at - timedelta(seconds=1))
    assert conference.has_started(starts_at)
