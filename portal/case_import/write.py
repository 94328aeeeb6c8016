"""Writing a checked upcoming-conferences file through the services the pages use, so an imported
conference is set up, moved and peopled as one a coordinator keys in. Only what differs is
written (and audited): the same file twice changes nothing. The caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from portal.advocacy.services import refer_automatically
from portal.audit.services import record_event
from portal.case_import.match import Portal
from portal.case_import.rows import ADULT_ROLES, YOUNG_PERSON_ROLE, ConferenceRow, PersonRow
from portal.conferences.services import ConferenceDetails, add_conference, change_conference
from portal.extensions import db
from portal.models import (
    AuditAction,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceStatus,
    ConferenceType,
    FamilyMember,
    RecordType,
    Relationship,
    StaffUser,
)
from portal.people.services import change_family_member, young_person_contact
from portal.tasks.services import sync_tasks

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
RANK = (UNCHANGED, UPDATED, NEW)  # a row with a new and an updated record is new


@dataclass
class Tally:
    conferences: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((NEW, UPDATED, UNCHANGED), 0)
    )
    people: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((NEW, UPDATED, UNCHANGED), 0)
    )


def write(
    conferences: dict[str, ConferenceRow],
    people: list[PersonRow],
    portal: Portal,
    by: StaffUser | None,
) -> Tally:
    tally = Tally()
    saved: dict[str, Conference] = {}
    for ref, row in conferences.items():
        starts = [p.section_47_started_on for p in people if p.conference_ref == ref]
        saved[ref], outcome = _save_conference(
            row, portal, min(filter(None, starts), default=None), by
        )
        tally.conferences[outcome] += 1
    for person in people:
        conference = saved[person.conference_ref]
        if person.is_child:
            outcome = _save_child(person, conference, portal)
        else:
            outcome = _save_contact(person, conference, portal, None)
        tally.people[outcome] += 1
    return tally


def _save_conference(
    row: ConferenceRow, portal: Portal, section_47_started_on: date | None, by: StaffUser | None
) -> tuple[Conference, str]:
    """New, or changed as the edit page changes it (a move or another chair: links expire anew,
    tasks fall due by the new start, children now of age are referred)."""
    existing = portal.conferences.get(row.ref)
    details = ConferenceDetails(
        case_reference=row.case_reference,
        conference_type=row.kind,
        starts_at=row.starts_at,
        # Not in the file: an existing conference keeps its own, a new one is in person.
        format=existing.format if existing else ConferenceFormat.IN_PERSON,
        chair_id=portal.chairs[row.chair_email],
        # The conference's own date is its earliest child's (each child keeps their own).
        section_47_started_on=(
            section_47_started_on if row.kind is ConferenceType.INITIAL else None
        ),
        social_worker_name=existing.social_worker_name if existing else "",
        social_worker_email=row.social_worker_email,
        social_worker_mobile=existing.social_worker_mobile if existing else None,
        # Not in the file either: a reason for delay given on the page stays.
        delay_reason=existing.delay_reason if existing else None,
        delay_reason_detail=existing.delay_reason_detail if existing else "",
    )
    if existing is None:
        return add_conference(details, by, external_ref=row.ref), NEW
    if existing.status != ConferenceStatus.SCHEDULED:  # checked: nothing in the file differs
        return existing, UNCHANGED
    changed = change_conference(existing, details, existing.status)
    return existing, UPDATED if changed else UNCHANGED


def _save_child(person: PersonRow, conference: Conference, portal: Portal) -> str:
    child = portal.children.get(person.person_ref)
    outcome = UNCHANGED
    if child is None:
        child = Child(
            first_name=person.first_name,
            last_name=person.last_name,
            date_of_birth=person.date_of_birth,
            external_ref=person.person_ref,
        )
        db.session.add(child)
        db.session.flush()
        record_event(
            AuditAction.CREATE,
            RecordType.CHILD,
            child.id,
            conference_id=conference.id,
            fields=["first_name", "last_name", "date_of_birth", "external_ref"],
        )
        portal.children[person.person_ref] = child  # the same child at a later conference
        outcome = NEW
    elif (child.first_name, child.last_name) != (person.first_name, person.last_name):
        child.first_name, child.last_name = person.first_name, person.last_name
        contact = young_person_contact(child.id)
        if contact is not None:  # their own contact record carries the same name
            contact.first_name, contact.last_name = child.first_name, child.last_name
        record_event(
            AuditAction.UPDATE,
            RecordType.CHILD,
            child.id,
            conference_id=conference.id,
            fields=["first_name", "last_name"],
        )
        outcome = UPDATED
    outcome = _join_child(person, conference, child, outcome)
    if person.role == YOUNG_PERSON_ROLE:  # and their own contact record
        outcome = max(outcome, _save_contact(person, conference, portal, child), key=RANK.index)
    return outcome


def _join_child(person: PersonRow, conference: Conference, child: Child, outcome: str) -> str:
    """On the conference, with their own section 47 date, and referred to advocacy at the age
    (as adding a child on the page)."""
    link = db.session.get(ConferenceChild, (conference.id, child.id))
    if link is None:
        conference.children.append(
            ConferenceChild(child=child, section_47_started_on=person.section_47_started_on)
        )
        if outcome != NEW:
            record_event(
                AuditAction.CREATE,
                RecordType.CHILD,
                child.id,
                conference_id=conference.id,
                fields=["conference"],
            )
        db.session.flush()
        refer_automatically(conference, child)
        return NEW
    if link.section_47_started_on != person.section_47_started_on:
        link.section_47_started_on = person.section_47_started_on
        record_event(
            AuditAction.UPDATE,
            RecordType.CHILD,
            child.id,
            conference_id=conference.id,
            fields=["section_47_started_on"],
        )
        return UPDATED
    return outcome


def _save_contact(
    person: PersonRow, conference: Conference, portal: Portal, child: Child | None
) -> str:
    """An adult, or (with ``child``) a young person's own contact record: new ones arrive with
    their contact routes unconfirmed; a changed route is unconfirmed again, as on the page."""
    assert person.contact is not None  # checked: every adult and young person has one
    contact = person.contact
    values: dict[str, object] = {
        "first_name": child.first_name if child else person.first_name,
        "last_name": child.last_name if child else person.last_name,
        "relationship": ADULT_ROLES.get(person.role, Relationship.YOUNG_PERSON),
        "mobile": contact.mobile,
        "email": contact.email,
        "preferred_channel": contact.preferred_channel,
        "language_code": contact.language_code,
        "language": contact.language,
        "access_needs": contact.access_needs,
    }
    member = young_person_contact(child.id) if child else portal.adults.get(person.person_ref)
    if member is None:
        member = FamilyMember(
            **values,
            child_id=child.id if child else None,
            external_ref=None if child else person.person_ref,
        )
        db.session.add(member)
        db.session.flush()
        record_event(
            AuditAction.CREATE,
            RecordType.FAMILY_MEMBER,
            member.id,
            conference_id=conference.id,
            fields=values,
        )
        if child is None:
            portal.adults[person.person_ref] = member
        outcome = NEW
    else:
        outcome = _update_member(member, values, conference.id)
    if db.session.get(ConferenceAdult, (conference.id, member.id)) is None:
        conference.adults.append(ConferenceAdult(family_member=member))
        if outcome != NEW:
            record_event(
                AuditAction.CREATE,
                RecordType.FAMILY_MEMBER,
                member.id,
                conference_id=conference.id,
                fields=["conference"],
            )
        sync_tasks(conference, member)  # an access need recorded with them
        outcome = NEW
    return outcome


def _update_member(member: FamilyMember, values: dict[str, object], conference_id: int) -> str:
    """As the person's page saves a change (portal/people), without its commit."""
    return UPDATED if change_family_member(member, values, conference_id) else UNCHANGED


@dataclass(frozen=True)
class Missing:
    """Someone on a conference in the portal whom the file does not list there."""

    conference_ref: str
    conference_id: int
    person_ref: str | None  # None: added in the portal by hand
    name: str
    is_child: bool


def missing_people(conferences: dict[str, Conference], people: list[PersonRow]) -> list[Missing]:
    """Nobody is taken off a conference by a later file: these are for the coordinator to see."""
    listed = {(person.conference_ref, person.person_ref) for person in people}
    by_id = {conference.id: ref for ref, conference in conferences.items()}
    missing: list[Missing] = []
    children = db.session.execute(
        select(ConferenceChild.conference_id, Child)
        .join(Child, Child.id == ConferenceChild.child_id)
        .where(ConferenceChild.conference_id.in_(by_id))
        .order_by(ConferenceChild.conference_id, Child.id)
    )
    for conference_id, child in children:
        if (by_id[conference_id], child.external_ref) not in listed:
            missing.append(
                Missing(
                    by_id[conference_id], conference_id, child.external_ref, child.full_name, True
                )
            )
    adults = db.session.execute(
        select(ConferenceAdult.conference_id, FamilyMember, Child.external_ref)
        .select_from(ConferenceAdult)
        .join(FamilyMember, FamilyMember.id == ConferenceAdult.family_member_id)
        .outerjoin(Child, Child.id == FamilyMember.child_id)
        .where(ConferenceAdult.conference_id.in_(by_id))
        .order_by(ConferenceAdult.conference_id, FamilyMember.id)
    )
    for conference_id, member, child_ref in adults:
        # A young person's own contact record is listed by their child's row.
        ref = child_ref if member.child_id else member.external_ref
        if (by_id[conference_id], ref) not in listed:
            missing.append(
                Missing(by_id[conference_id], conference_id, ref, member.full_name, False)
            )
    return missing
