"""Subject access: finding a family member's records.

A person can be more than one FamilyMember row: the same record follows them to a later
conference when the coordinator adds the existing contact, but a coordinator may also have
typed them in afresh for another family's conference. So the export covers one record and any
others the admin ticks as the same person (found by the same email, mobile or name).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from portal.extensions import db
from portal.models import Conference, ConferenceAdult, FamilyMember, Relationship

MAX_SEARCH_RESULTS = 50


@dataclass(frozen=True)
class SearchTerms:
    """What the admin typed: a name (words matched in first or last name), an email address
    and a mobile number, already normalised. Any one matching finds a record."""

    name: str = ""
    email: str | None = None
    mobile: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.name.strip() or self.email or self.mobile)


@dataclass(frozen=True)
class ConferencePlace:
    conference_id: int
    conference_date: date
    conference_type: str
    case_reference: str


@dataclass(frozen=True)
class MemberMatch:
    member_id: int
    full_name: str
    relationship: str
    email: str | None
    mobile: str | None
    conferences: list[ConferencePlace]


def _name_matches(name: str) -> list[ColumnElement[bool]]:
    """Every word of the name in the first or the last name, ignoring case."""
    conditions = []
    for word in name.lower().split():  # "%" and "_" typed are matched as themselves
        conditions.append(
            or_(
                func.lower(FamilyMember.first_name).contains(word, autoescape=True),
                func.lower(FamilyMember.last_name).contains(word, autoescape=True),
            )
        )
    return conditions


def _matching(terms: SearchTerms) -> Select:
    found = []
    if terms.name.strip():
        found.append(and_(*_name_matches(terms.name)))
    if terms.email:
        found.append(FamilyMember.email == terms.email.lower())
    if terms.mobile:
        found.append(FamilyMember.mobile == terms.mobile)
    return select(FamilyMember).where(or_(*found))


def _matches_of(members: Sequence[FamilyMember]) -> list[MemberMatch]:
    places = _conference_places([m.id for m in members])
    return [
        MemberMatch(
            member_id=member.id,
            full_name=member.full_name,
            relationship=member.relationship.label,
            email=member.email,
            mobile=member.mobile,
            conferences=places.get(member.id, []),
        )
        for member in members
    ]


def find_family_members(terms: SearchTerms) -> list[MemberMatch]:
    """Family members matching any of the terms, with the conferences each is on."""
    if terms.empty:
        return []
    members = db.session.scalars(
        _matching(terms)
        .order_by(FamilyMember.last_name, FamilyMember.first_name, FamilyMember.id)
        .limit(MAX_SEARCH_RESULTS)
    ).all()
    return _matches_of(members)


def _conference_places(member_ids: Iterable[int]) -> dict[int, list[ConferencePlace]]:
    ids = list(member_ids)
    places: dict[int, list[ConferencePlace]] = {member_id: [] for member_id in ids}
    if not ids:
        return places
    rows = db.session.execute(
        select(
            ConferenceAdult.family_member_id,
            Conference.id,
            Conference.conference_date,
            Conference.conference_type,
            Conference.case_reference,
        )
        .join(Conference, Conference.id == ConferenceAdult.conference_id)
        .where(ConferenceAdult.family_member_id.in_(ids))
        .order_by(Conference.conference_date, Conference.id)
    )
    for member_id, conference_id, day, conference_type, case_reference in rows:
        places[member_id].append(
            ConferencePlace(conference_id, day, conference_type.label, case_reference)
        )
    return places


def get_family_member(member_id: int) -> FamilyMember | None:
    return db.session.get(FamilyMember, member_id)


def possibly_the_same_person(member: FamilyMember) -> list[MemberMatch]:
    """Other records with the same email, the same mobile, or the same first and last name:
    the admin decides which of them are this person. A child's own contact record and an
    adult's are never offered together: a family may share one phone, and a child's record
    must not end up in a parent's file."""
    same = [
        func.lower(FamilyMember.first_name) == member.first_name.lower(),
        func.lower(FamilyMember.last_name) == member.last_name.lower(),
    ]
    if member.relationship == Relationship.YOUNG_PERSON:
        same_kind = FamilyMember.relationship == Relationship.YOUNG_PERSON
    else:
        same_kind = FamilyMember.relationship != Relationship.YOUNG_PERSON
    conditions = [and_(*same)]
    if member.email:
        conditions.append(FamilyMember.email == member.email)
    if member.mobile:
        conditions.append(FamilyMember.mobile == member.mobile)
    others = db.session.scalars(
        select(FamilyMember)
        .where(
            or_(*conditions),
            FamilyMember.id != member.id,
            same_kind,
        )
        .order_by(FamilyMember.id)
        .limit(MAX_SEARCH_RESULTS)
    ).all()
    return _matches_of(others)


def members_by_ids(member_ids: Iterable[int]) -> list[FamilyMember]:
    ids = list(dict.fromkeys(member_ids))
    found = {
        m.id: m for m in db.session.scalars(select(FamilyMember).where(FamilyMember.id.in_(ids)))
    }
    return [found[i] for i in ids if i in found]
