"""A person exists once: the people already in a case, added to another of its conferences,
and found by name, date of birth or person ID. Every change and view is audited here.

A case is the conferences sharing a ``case_reference``. Adding someone from the case links the
same Child or FamilyMember record (no copy), so their details, language and access needs come
with them. An adult's contact route must be confirmed safe again before anything is sent for the
new conference (circumstances change): ``link_adult`` clears the mark, and
portal/messaging/reachable.py sends nothing to an unconfirmed route.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from portal.advocacy.services import refer_automatically
from portal.audit.services import record_event
from portal.extensions import db
from portal.models import (
    AuditAction,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    FamilyMember,
    RecordType,
    Relationship,
)
from portal.tasks.services import sync_tasks

SEARCH_LIMIT = 50  # matches shown; a longer list asks for a narrower search


def _in_case(conference: Conference) -> Select[int]:
    return select(Conference.id).where(
        Conference.case_reference == conference.case_reference, Conference.id != conference.id
    )


def case_children(conference: Conference) -> list[Child]:
    """Children at the case's other conferences who are not on this one."""
    at_other = select(ConferenceChild.child_id).where(
        ConferenceChild.conference_id.in_(_in_case(conference))
    )
    on_this = select(ConferenceChild.child_id).where(ConferenceChild.conference_id == conference.id)
    return list(
        db.session.scalars(
            select(Child)
            .where(Child.id.in_(at_other), Child.id.not_in(on_this))
            .order_by(Child.last_name, Child.first_name, Child.id)
        )
    )


def case_adults(conference: Conference) -> list[FamilyMember]:
    """Adults at the case's other conferences who are not on this one. A young person's own
    contact record is offered from their child (people.invite_young_person), not here."""
    at_other = select(ConferenceAdult.family_member_id).where(
        ConferenceAdult.conference_id.in_(_in_case(conference))
    )
    on_this = select(ConferenceAdult.family_member_id).where(
        ConferenceAdult.conference_id == conference.id
    )
    return list(
        db.session.scalars(
            select(FamilyMember)
            .where(
                FamilyMember.id.in_(at_other),
                FamilyMember.id.not_in(on_this),
                FamilyMember.relationship != Relationship.YOUNG_PERSON,
            )
            .order_by(FamilyMember.last_name, FamilyMember.first_name, FamilyMember.id)
        )
    )


def link_child(conference: Conference, child: Child) -> bool:
    """Put an existing child on this conference, as adding a child does: their own section 47
    date from the conference, the automatic advocacy referral, audited. False if already on it.
    The caller commits."""
    if db.session.get(ConferenceChild, (conference.id, child.id)) is not None:
        return False
    conference.children.append(
        ConferenceChild(child=child, section_47_started_on=conference.section_47_started_on)
    )
    db.session.flush()
    record_event(
        AuditAction.CREATE,
        RecordType.CHILD,
        child.id,
        conference_id=conference.id,
        fields=["conference"],
    )
    refer_automatically(conference, child)  # at the advocacy age on the conference day
    return True


def link_adult(conference: Conference, member: FamilyMember) -> bool:
    """Put an existing adult on this conference with their contact details, which must be
    confirmed safe again before anything is sent. False if already on it. The caller
    commits."""
    if db.session.get(ConferenceAdult, (conference.id, member.id)) is not None:
        return False
    conference.adults.append(ConferenceAdult(family_member=member))
    fields = ["conference"]
    if member.contact_confirmed_safe:
        member.contact_confirmed_safe_at = None
        member.contact_confirmed_safe_by_id = None
        fields.append("contact_confirmed_safe_at")
    db.session.flush()
    record_event(
        AuditAction.CREATE,
        RecordType.FAMILY_MEMBER,
        member.id,
        conference_id=conference.id,
        fields=fields,
    )
    sync_tasks(conference, member)  # an interpreter or access need comes with them
    return True


def add_child_from_case(conference: Conference, child_id: int) -> Child | None:
    """The case's child, now on this conference too; None if not one of the case's."""
    child = next((c for c in case_children(conference) if c.id == child_id), None)
    if child is None:
        return None
    link_child(conference, child)
    db.session.commit()
    return child


def add_adult_from_case(conference: Conference, member_id: int) -> FamilyMember | None:
    """The case's adult, now on this conference too; None if not one of the case's."""
    member = next((m for m in case_adults(conference) if m.id == member_id), None)
    if member is None:
        return None
    link_adult(conference, member)
    db.session.commit()
    return member


@dataclass(frozen=True)
class Found:
    """A person found, with the conferences they are on (latest first)."""

    record: Child | FamilyMember
    conferences: list[Conference]

    @property
    def is_child(self) -> bool:
        return isinstance(self.record, Child)


def _conferences_of(
    link: type[ConferenceChild] | type[ConferenceAdult], ids: list[int]
) -> dict[int, list[Conference]]:
    person = (
        ConferenceChild.child_id if link is ConferenceChild else ConferenceAdult.family_member_id
    )
    rows = db.session.execute(
        select(person, Conference)
        .join(Conference, Conference.id == link.conference_id)
        .where(person.in_(ids))
        .order_by(Conference.starts_at.desc(), Conference.id)
    )
    found: dict[int, list[Conference]] = {person_id: [] for person_id in ids}
    for person_id, conference in rows:
        found[person_id].append(conference)
    return found


def find_people(
    name: str, born_on: date | None, person_id: str
) -> tuple[list[Found], list[Found], bool]:
    """Children and adults matching every term given (a name matches the first or last name, or
    both, ignoring case), with their conferences; and whether there were more than shown.
    Each record shown is audited as viewed."""
    words = name.lower().split()
    child_terms: list[ColumnElement[bool]] = []
    adult_terms: list[ColumnElement[bool]] = []
    for model, terms in ((Child, child_terms), (FamilyMember, adult_terms)):
        for word in words:
            terms.append(
                or_(
                    func.lower(model.first_name).contains(word, autoescape=True),
                    func.lower(model.last_name).contains(word, autoescape=True),
                )
            )
        if person_id:
            terms.append(model.external_ref == person_id)
    if born_on is not None:
        child_terms.append(
            or_(Child.date_of_birth == born_on, Child.expected_date_of_birth == born_on)
        )
    children: list[Child] = list(
        db.session.scalars(
            select(Child)
            .where(and_(*child_terms))
            .order_by(Child.last_name, Child.first_name, Child.id)
            .limit(SEARCH_LIMIT + 1)
        )
    )
    # Adults have no date of birth on record: a search by date of birth finds children only.
    adults: list[FamilyMember] = []
    if born_on is None:
        adults = list(
            db.session.scalars(
                select(FamilyMember)
                .where(and_(*adult_terms), FamilyMember.relationship != Relationship.YOUNG_PERSON)
                .order_by(FamilyMember.last_name, FamilyMember.first_name, FamilyMember.id)
                .limit(SEARCH_LIMIT + 1)
            )
        )
    more = len(children) > SEARCH_LIMIT or len(adults) > SEARCH_LIMIT
    children, adults = children[:SEARCH_LIMIT], adults[:SEARCH_LIMIT]
    child_conferences = _conferences_of(ConferenceChild, [c.id for c in children])
    adult_conferences = _conferences_of(ConferenceAdult, [a.id for a in adults])
    # Each record shown is a record seen, as on the subject access search.
    for child in children:
        record_event(AuditAction.VIEW, RecordType.CHILD, child.id, fields=["search"])
    for member in adults:
        record_event(AuditAction.VIEW, RecordType.FAMILY_MEMBER, member.id, fields=["search"])
    if not children and not adults:  # who searched, when nothing was found
        record_event(AuditAction.VIEW, RecordType.CHILD, None, fields=["search"])
    db.session.commit()
    return (
        [Found(c, child_conferences[c.id]) for c in children],
        [Found(a, adult_conferences[a.id]) for a in adults],
        more,
    )
