"""Children and family members at conferences. Every view and change is audited here."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func, select, update

from portal.advocacy.services import refer_automatically, refer_children_of_age
from portal.audit.services import record_event
from portal.extensions import db
from portal.family_forms import drawings
from portal.models import (
    AuditAction,
    Channel,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    FamilyMember,
    Invitation,
    RecordType,
    Relationship,
    SecondCheck,
    StaffUser,
    utcnow,
)
from portal.people.agreed_word import hash_word
from portal.tasks.services import sync_member, sync_tasks

# Changing any of these means the person has not confirmed the new route is safe.
CONTACT_ROUTE_FIELDS = ("mobile", "email", "preferred_channel")


@dataclass(frozen=True)
class ChildDetails:
    first_name: str
    last_name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    # The case system's person ID (unique when given)
    external_ref: str | None = None

    @classmethod
    def of(cls, child: Child) -> ChildDetails:
        return cls(
            child.first_name,
            child.last_name,
            child.date_of_birth,
            child.expected_date_of_birth,
            child.external_ref,
        )


@dataclass(frozen=True)
class FamilyMemberDetails:
    first_name: str
    last_name: str
    relationship: Relationship
    mobile: str | None
    email: str | None
    preferred_channel: Channel
    language_code: str
    language: str
    interpreter_needed: bool
    access_needs: str
    second_check: SecondCheck = SecondCheck.NONE
    # The adult who helps a child under YOUNG_PERSON_MIN_AGE with the Three Houses
    helper_name: str | None = None
    helper_relationship: str | None = None
    # The case system's person ID (unique when given)
    external_ref: str | None = None

    @classmethod
    def of(cls, member: FamilyMember) -> FamilyMemberDetails:
        return cls(**{name: getattr(member, name) for name in cls.__dataclass_fields__})


def _apply(record: Child | FamilyMember, changes: dict[str, object]) -> list[str]:
    changed = [name for name, value in changes.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, changes[name])
    return changed


def person_id_taken(
    model: type[Child] | type[FamilyMember], person_id: str, record_id: int | None
) -> bool:
    """Whether another child (or adult) record already has this case-system person ID."""
    query = select(model.id).where(model.external_ref == person_id)
    if record_id is not None:
        query = query.where(model.id != record_id)
    return db.session.scalar(query.limit(1)) is not None


def record_viewed(record: Child | FamilyMember, conference_id: int) -> None:
    record_type = RecordType.CHILD if isinstance(record, Child) else RecordType.FAMILY_MEMBER
    record_event(AuditAction.VIEW, record_type, record.id, conference_id=conference_id)
    db.session.commit()


def add_child(
    conference: Conference, details: ChildDetails, section_47_started_on: date | None = None
) -> Child:
    """``section_47_started_on``: the child's own, else the conference's (initial ones)."""
    child = Child(**asdict(details))
    conference.children.append(
        ConferenceChild(
            child=child,
            section_47_started_on=section_47_started_on or conference.section_47_started_on,
        )
    )
    db.session.flush()
    record_event(
        AuditAction.CREATE,
        RecordType.CHILD,
        child.id,
        conference_id=conference.id,
        fields=asdict(details),
    )
    refer_automatically(conference, child)  # at the advocacy age on the conference day
    db.session.commit()
    return child


def update_child(
    child: Child,
    details: ChildDetails,
    conference_id: int,
    section_47_started_on: date | None = None,
) -> None:
    """``section_47_started_on``, when given, is the child's own on this conference."""
    changed = _apply(child, asdict(details))
    link = db.session.get(ConferenceChild, (conference_id, child.id))
    if section_47_started_on and link and link.section_47_started_on != section_47_started_on:
        link.section_47_started_on = section_47_started_on
        changed.append("section_47_started_on")
    contact = young_person_contact(child.id)
    if contact is not None:  # their own contact record carries the same name
        contact.first_name, contact.last_name = child.first_name, child.last_name
    if changed:
        record_event(
            AuditAction.UPDATE,
            RecordType.CHILD,
            child.id,
            conference_id=conference_id,
            fields=changed,
        )
        if {"date_of_birth", "expected_date_of_birth"} & set(changed):
            _refer_if_now_of_age(child)
        db.session.commit()


def _refer_if_now_of_age(child: Child) -> None:
    """A corrected date of birth may put the child at the advocacy age on the day of a
    conference they are on."""
    conferences = db.session.scalars(
        select(Conference)
        .join(ConferenceChild)
        .where(ConferenceChild.child_id == child.id)
        .order_by(Conference.id)
    ).all()
    for conference in conferences:
        refer_children_of_age(conference, [child])


def young_person_contact(child_id: int) -> FamilyMember | None:
    return db.session.scalar(select(FamilyMember).where(FamilyMember.child_id == child_id))


def add_family_member(
    conference: Conference,
    details: FamilyMemberDetails,
    child: Child | None = None,
    agreed_word: str | None = None,
) -> FamilyMember:
    """A new contact on this conference; with ``child``, the young person themself;
    ``agreed_word``, the word their links ask for (SecondCheck.AGREED_WORD)."""
    member = FamilyMember(**asdict(details), child_id=child.id if child else None)
    if agreed_word:
        member.agreed_word_hash = hash_word(agreed_word)
    conference.adults.append(ConferenceAdult(family_member=member))
    db.session.flush()
    record_event(
        AuditAction.CREATE,
        RecordType.FAMILY_MEMBER,
        member.id,
        conference_id=conference.id,
        fields=[*asdict(details), *(["agreed_word"] if agreed_word else [])],
    )
    sync_tasks(conference, member)  # an interpreter or access need recorded with them
    db.session.commit()
    return member


def update_family_member(
    member: FamilyMember,
    details: FamilyMemberDetails,
    conference_id: int,
    agreed_word: str | None = None,
) -> list[str]:
    """Save the changes in one commit: see change_family_member. ``agreed_word``: a new word
    for their links to ask for (see give_agreed_word)."""
    if agreed_word:  # first: the database holds the word check and its word together
        give_agreed_word(member, agreed_word, conference_id)
    changed = change_family_member(member, asdict(details), conference_id)
    if changed or agreed_word:
        db.session.commit()
    return changed


def give_agreed_word(member: FamilyMember, word: str, conference_id: int) -> None:
    """The word their links ask for from now (the hash of it replaces any other), audited
    without the word. Their live links that wait after too many wrong tries open again: the
    word someone was guessing is no longer the one asked for. The caller commits."""
    member.agreed_word_hash = hash_word(word)
    db.session.execute(
        update(Invitation)
        .where(Invitation.family_member_id == member.id, Invitation.revoked_at.is_(None))
        .values(code_attempts=0)
    )
    record_event(
        AuditAction.UPDATE,
        RecordType.FAMILY_MEMBER,
        member.id,
        conference_id=conference_id,
        fields=["agreed_word"],
    )


def set_agreed_word(member: FamilyMember, word: str, conference_id: int) -> None:
    """The "Set a new agreed word" page: their links ask for this word from now, unlocked."""
    give_agreed_word(member, word, conference_id)
    change_family_member(member, {"second_check": SecondCheck.AGREED_WORD}, conference_id)
    db.session.commit()


def change_family_member(
    member: FamilyMember, changes: dict[str, object], conference_id: int
) -> list[str]:
    """Apply the changes, audited; a changed contact route loses its "confirmed safe" mark, and
    a changed language or need keeps the tasks in step. The fields changed; the caller commits
    (the page, or the case-system import writing a whole file at once)."""
    changed = _apply(member, changes)
    if member.second_check != SecondCheck.AGREED_WORD and member.agreed_word_hash is not None:
        member.agreed_word_hash = None  # no longer asked for: not kept
        changed.append("agreed_word")
    if any(name in CONTACT_ROUTE_FIELDS for name in changed) and member.contact_confirmed_safe:
        member.contact_confirmed_safe_at = None
        member.contact_confirmed_safe_by_id = None
        changed.append("contact_confirmed_safe_at")
    if changed:
        record_event(
            AuditAction.UPDATE,
            RecordType.FAMILY_MEMBER,
            member.id,
            conference_id=conference_id,
            fields=changed,
        )
        if {"language", "interpreter_needed", "access_needs"} & set(changed):
            sync_member(member)
    return changed


def set_contact_confirmed_safe(
    member: FamilyMember, safe: bool, by: StaffUser, conference_id: int
) -> None:
    if safe == member.contact_confirmed_safe:
        return
    member.contact_confirmed_safe_at = utcnow() if safe else None
    member.contact_confirmed_safe_by_id = by.id if safe else None
    record_event(
        AuditAction.UPDATE,
        RecordType.FAMILY_MEMBER,
        member.id,
        conference_id=conference_id,
        fields=["contact_confirmed_safe_at"],
    )
    db.session.commit()


def remove_from_conference(conference: Conference, record: Child | FamilyMember) -> None:
    """Take the person off this conference; their record goes once no conference has them."""
    link_model: type[ConferenceChild] | type[ConferenceAdult]
    if isinstance(record, Child):
        link_model, person_column, record_type = (
            ConferenceChild,
            ConferenceChild.child_id,
            RecordType.CHILD,
        )
    else:
        link_model = ConferenceAdult
        person_column, record_type = ConferenceAdult.family_member_id, RecordType.FAMILY_MEMBER
    # Their answers go with the link (by cascade), and with them any drawing: its file after
    # the commit.
    contact = young_person_contact(record.id) if isinstance(record, Child) else None
    drawn = drawings.files_of(
        [record.id] if isinstance(record, FamilyMember) else [contact.id] if contact else []
    )
    db.session.delete(db.session.get(link_model, (conference.id, record.id)))
    if contact is not None:  # a child's own contact record leaves this conference with them
        contact_link = db.session.get(ConferenceAdult, (conference.id, contact.id))
        if contact_link is not None:
            db.session.delete(contact_link)
    db.session.flush()
    elsewhere = db.session.scalar(
        select(func.count()).select_from(link_model).where(person_column == record.id)
    )
    if not elsewhere:
        if isinstance(record, Child) and (contact := young_person_contact(record.id)):
            db.session.delete(contact)  # on no conference either, by now
        db.session.delete(record)
    record_event(AuditAction.DELETE, record_type, record.id, conference_id=conference.id)
    db.session.commit()
    drawings.forget_unreferenced(drawn)


def switch_channel(
    member: FamilyMember, channel: Channel, by: StaffUser, conference_id: int
) -> None:
    """Send links by another channel; the coordinator has just checked it is safe."""
    member.preferred_channel = channel
    member.contact_confirmed_safe_at = utcnow()
    member.contact_confirmed_safe_by_id = by.id
    record_event(
        AuditAction.UPDATE,
        RecordType.FAMILY_MEMBER,
        member.id,
        conference_id=conference_id,
        fields=["preferred_channel", "contact_confirmed_safe_at"],
    )
    db.session.commit()


def add_existing_contact(conference: Conference, member: FamilyMember) -> None:
    """Put an existing contact on this conference too (a young person at a later review)."""
    if db.session.get(ConferenceAdult, (conference.id, member.id)) is None:
        conference.adults.append(ConferenceAdult(family_member=member))
        record_event(
            AuditAction.CREATE,
            RecordType.FAMILY_MEMBER,
            member.id,
            conference_id=conference.id,
            fields=["conference"],
        )
        sync_tasks(conference, member)
        db.session.commit()
