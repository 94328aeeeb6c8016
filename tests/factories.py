"""Small builders for test data, committed so the app under test sees them."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.models import (
    Channel,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceType,
    FamilyMember,
    Relationship,
    Role,
    StaffUser,
)

PASSWORD = "a long test password"
_numbers = itertools.count(1)


def make_staff(role: Role, **fields: object) -> StaffUser:
    number = next(_numbers)
    values = {
        "email": f"{role.value}{number}@council.example",
        "full_name": f"{role.label} {number}",
        "role": role,
        "password_hash": hash_password(PASSWORD),
        **fields,
    }
    user = StaffUser(**values)
    db.session.add(user)
    db.session.commit()
    return user


def make_conference(
    chair: StaffUser | None = None, *, starts_in: timedelta = timedelta(days=10), **fields: object
) -> Conference:
    values = {
        "case_reference": f"CP-{next(_numbers):05d}",
        "conference_type": ConferenceType.REVIEW,
        "starts_at": datetime.now(UTC).replace(microsecond=0) + starts_in,
        "format": ConferenceFormat.IN_PERSON,
        "chair_id": chair.id if chair else None,
        **fields,
    }
    conference = Conference(**values)
    db.session.add(conference)
    db.session.commit()
    return conference


def add_child(conference: Conference, **fields: object) -> Child:
    values = {"first_name": "Sam", "last_name": "Tester", "date_of_birth": date(2015, 5, 1)}
    child = Child(**(values | fields))
    db.session.add(ConferenceChild(conference=conference, child=child))
    db.session.commit()
    return child


def add_family_member(conference: Conference, **fields: object) -> FamilyMember:
    values = {
        "first_name": "Jo",
        "last_name": "Tester",
        "relationship": Relationship.MOTHER,
        "mobile": "+447700900123",
        "preferred_channel": Channel.SMS,
    }
    member = FamilyMember(**(values | fields))
    db.session.add(ConferenceAdult(conference=conference, family_member=member))
    db.session.commit()
    return member


def add_contactable_member(conference: Conference, **fields: object) -> FamilyMember:
    """A family member whose contact route a coordinator has confirmed safe."""
    coordinator = make_staff(Role.COORDINATOR)
    return add_family_member(
        conference,
        contact_confirmed_safe_at=datetime.now(UTC),
        contact_confirmed_safe_by_id=coordinator.id,
        **fields,
    )
