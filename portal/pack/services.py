"""The chair's pre-conference pack: everything said for one conference, gathered in a few
queries, with what is still missing and what the chair has marked read.

Chair-only words never leave this module for a reader who may not see them: a hidden part
carries no text at all, so no template can show it by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.advocacy.records import SHARED_PARTS
from portal.audit.services import record_event
from portal.extensions import db
from portal.family_forms.services import PersonAnswers, answers_for_conference, reads_chair_only
from portal.messaging.replies import replies_at
from portal.models import (
    AdvocacyReferral,
    AdvocateRecord,
    Attachment,
    AuditAction,
    Child,
    Conference,
    ContactLogEntry,
    FamilyMember,
    FormKind,
    GatheringMethod,
    Message,
    MessageStatus,
    PackItemRead,
    RecordStatus,
    RecordType,
    SharingLevel,
    StaffUser,
    TextReply,
)
from portal.pack.reads import changed_since
from portal.templating import local_date
from portal.visibility import attachment_visible_to

FAILED = (MessageStatus.FAILED, MessageStatus.UNDELIVERED)


@dataclass(frozen=True)
class RecordPart:
    key: str
    label: str
    sharing: SharingLevel
    hidden: bool  # chair only, and the reader is not this conference's chair: no text at all
    lines: list[str]


@dataclass(frozen=True)
class PackAttachment:
    attachment: Attachment
    hidden: bool

    @property
    def is_image(self) -> bool:
        return self.attachment.content_type in ("image/jpeg", "image/png")


@dataclass
class ChildSection:
    child: Child
    age: int | None
    referral: AdvocacyReferral | None
    record: AdvocateRecord | None  # submitted only: a draft is the advocate's, not the chair's
    draft_concern_at: datetime | None  # a concern raised on a record not yet submitted
    # That concern's note, for the conference's own chair only; none of the draft's other words
    draft_concern_note: str | None
    parts: list[RecordPart]
    methods: list[str]
    contacts: list[ContactLogEntry]
    attachments: list[PackAttachment]
    own_answers: list[PersonAnswers]
    text_replies: list[TextReply]  # their own contact's, replied by text

    @property
    def anchor(self) -> str:
        return f"child-{self.child.id}"

    @property
    def seen(self) -> bool:
        return any(contact.seen for contact in self.contacts)


@dataclass
class AdultSection:
    member: FamilyMember
    answers: list[PersonAnswers]
    text_replies: list[TextReply]

    @property
    def anchor(self) -> str:
        return f"adult-{self.member.id}"


@dataclass
class Missing:
    not_answered: list[PersonAnswers] = field(default_factory=list)
    failed_messages: list[Message] = field(default_factory=list)
    not_seen: list[ChildSection] = field(default_factory=list)
    no_record: list[ChildSection] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.not_answered or self.failed_messages or self.not_seen or self.no_record)


@dataclass
class Pack:
    conference: Conference
    reads_chair_only: bool
    children: list[ChildSection]
    adults: list[AdultSection]
    missing: Missing
    reads: dict[tuple[str, int], datetime]
    # Advocate's records submitted again after this reader marked them read: to read again.
    changed_since_read: set[int] = field(default_factory=set)

    @property
    def people(self) -> int:
        return len(self.children) + len(self.adults)


def build_pack(conference: Conference, reader: StaffUser) -> Pack:
    """The whole pack for ``reader``: a handful of queries whatever the number of people.

    ``conference`` comes from ``get_conference`` (children and adults already loaded).
    """
    chair_reads = reads_chair_only(reader, conference)
    day = local_date(conference.starts_at)
    advocacy_age = current_app.config["ADVOCACY_MIN_AGE"]
    everyone = answers_for_conference(conference, reader)
    child_ids = {link.child_id for link in conference.children}
    referrals = {
        referral.child_id: referral
        for referral in db.session.scalars(
            select(AdvocacyReferral)
            .where(AdvocacyReferral.conference_id == conference.id)
            .options(
                selectinload(AdvocacyReferral.advocate),
                selectinload(AdvocacyReferral.record),
                selectinload(AdvocacyReferral.contacts),
                selectinload(AdvocacyReferral.attachments),
            )
        )
    }

    replies = replies_at(conference, reader)
    own_replies: dict[int, list[TextReply]] = {}
    for link in conference.adults:  # a child's own contact's replies are under the child
        if link.family_member.child_id is not None:
            own_replies.setdefault(link.family_member.child_id, []).extend(
                replies.get(link.family_member_id, [])
            )
    children = [
        _child_section(link.child, referrals.get(link.child_id), everyone, day, reader, chair_reads)
        for link in sorted(conference.children, key=lambda link: link.child_id)
    ]
    for section in children:
        section.text_replies.extend(own_replies.get(section.child.id, []))

    adults = []
    for link in sorted(conference.adults, key=lambda link: link.family_member_id):
        member = link.family_member
        if member.child_id in child_ids:  # a child's own contact: their forms are under them
            continue
        answers = [p for p in everyone if p.member.id == member.id and _worth_showing(p)]
        adults.append(AdultSection(member, answers, replies.get(member.id, [])))

    missing = Missing(
        not_answered=[
            person
            for person in everyone
            if person.form == FormKind.VIEWS
            and not (person.response and person.response.submitted_at)
        ],
        failed_messages=failed_messages(conference),
        not_seen=[
            section
            for section in children
            if section.age is not None and section.age >= advocacy_age and not section.seen
        ],
        no_record=[
            section
            for section in children
            if section.record is None
            and (section.referral is not None or (section.age or 0) >= advocacy_age)
        ],
    )
    reads = {
        (read.item_type, read.item_id): read.read_at
        for read in db.session.scalars(
            select(PackItemRead).where(
                PackItemRead.conference_id == conference.id, PackItemRead.read_by_id == reader.id
            )
        )
    }
    changed = {
        section.record.id
        for section in children
        if section.record is not None
        and changed_since(section.record, reads.get(("advocate_record", section.record.id)))
    }
    for record_id in changed:
        del reads[("advocate_record", record_id)]
    return Pack(
        conference=conference,
        reads_chair_only=chair_reads,
        children=children,
        adults=adults,
        missing=missing,
        reads=reads,
        changed_since_read=changed,
    )


def _child_section(
    child: Child,
    referral: AdvocacyReferral | None,
    everyone: list[PersonAnswers],
    day: date,
    reader: StaffUser,
    chair_reads: bool,
) -> ChildSection:
    record = referral.record if referral else None
    submitted = record if record and record.status == RecordStatus.SUBMITTED else None
    draft_concern_at = record.safeguarding_concern_at if record and not submitted else None
    return ChildSection(
        child=child,
        age=child.age_on(day),
        referral=referral,
        record=submitted,
        draft_concern_at=draft_concern_at,
        draft_concern_note=record.safeguarding_note
        if record and draft_concern_at and chair_reads
        else None,
        parts=record_parts(submitted, chair_reads) if submitted else [],
        methods=_methods(submitted) if submitted else [],
        contacts=list(referral.contacts) if referral else [],
        # Attachments go with the record: none before the advocate submits it.
        attachments=[
            PackAttachment(a, hidden=not attachment_visible_to(reader, a))
            for a in referral.attachments
        ]
        if referral and submitted
        else [],
        own_answers=[
            person
            for person in everyone
            if person.member.child_id == child.id and _worth_showing(person)
        ],
        text_replies=[],
    )


def _methods(record: AdvocateRecord) -> list[str]:
    known = {method.value: method for method in GatheringMethod}
    return [known[value].label for value in record.methods or [] if value in known]


def _worth_showing(person: PersonAnswers) -> bool:
    """Views always (even unanswered, the chair should see that); feedback once asked for."""
    return person.form == FormKind.VIEWS or person.invitation is not None


def failed_messages(conference: Conference) -> list[Message]:
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.conference_id == conference.id, Message.status.in_(FAILED))
            .options(selectinload(Message.family_member))
            .order_by(Message.created_at, Message.id)
        )
    )


def sharing_of(record: AdvocateRecord, part: str) -> SharingLevel:
    """Who may see one part; a part with no (or an unknown) choice is the chair's only."""
    try:
        return SharingLevel((record.sharing or {}).get(part, SharingLevel.CHAIR_ONLY))
    except ValueError:
        return SharingLevel.CHAIR_ONLY


def record_parts(record: AdvocateRecord, chair_reads: bool) -> list[RecordPart]:
    parts = []
    for key, label in SHARED_PARTS.items():
        sharing = sharing_of(record, key)
        hidden = sharing == SharingLevel.CHAIR_ONLY and not chair_reads
        parts.append(
            RecordPart(
                key=key,
                label=str(label),
                sharing=sharing,
                hidden=hidden,
                lines=[] if hidden else _part_lines(record, key),
            )
        )
    return parts


def _part_lines(record: AdvocateRecord, key: str) -> list[str]:
    if key == "scale":
        lines = [] if record.scale is None else [_("%(n)s out of 10", n=record.scale)]
        return lines + ([record.scale_reason] if record.scale_reason else [])
    if key == "attendance":
        lines = [record.attendance_wish.label] if record.attendance_wish else []
        if record.attendance_how:
            lines.append(_("How: %(how)s", how=record.attendance_how))
        if record.attend_with:
            lines.append(_("With: %(whom)s", whom=record.attend_with))
        if record.advocate_to_speak is not None:
            lines.append(
                _("Wants the advocate to speak for them")
                if record.advocate_to_speak
                else _("Does not want the advocate to speak for them")
            )
        return lines
    value = getattr(record, key, "")
    return [value] if value else []


def record_pack_viewed(pack: Pack) -> None:
    """Every child, adult and advocate's record on the page counts as viewed: one commit."""
    conference_id = pack.conference.id
    record_event(
        AuditAction.VIEW, RecordType.CONFERENCE, conference_id, conference_id=conference_id
    )
    for section in pack.children:
        record_event(
            AuditAction.VIEW, RecordType.CHILD, section.child.id, conference_id=conference_id
        )
        if section.record is not None:
            record_event(
                AuditAction.VIEW,
                RecordType.ADVOCATE_RECORD,
                section.record.id,
                conference_id=conference_id,
            )
    # Every adult, a child's own contact record too (their answers are under the child).
    for link in pack.conference.adults:
        record_event(
            AuditAction.VIEW,
            RecordType.FAMILY_MEMBER,
            link.family_member_id,
            conference_id=conference_id,
        )
    db.session.commit()
