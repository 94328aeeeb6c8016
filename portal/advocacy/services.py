"""Advocacy: referrals, the advocate's caseload and record of a child's wishes and feelings,
the contact log, attachments, and the safeguarding alerts a new concern sends.

Every view of a child's record and every change is audited here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app, url_for
from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from portal.advocacy.attachments import CleanedFile, store
from portal.audit.services import record_event
from portal.extensions import db
from portal.messaging.wording import render
from portal.models import (
    AdvocacyReferral,
    AdvocateRecord,
    AdvocateRecordVersion,
    Attachment,
    AttendanceWish,
    AuditAction,
    Channel,
    Child,
    Conference,
    ContactLogEntry,
    Message,
    MessageKind,
    NotSeenReason,
    PackItemRead,
    RecordStatus,
    Role,
    SafeguardingAlert,
    SharingLevel,
    StaffUser,
    utcnow,
)
from portal.templating import local_date, local_time
from portal.working_days import is_working_day

# The parts of an advocate's record the child has a say over: who may see each one
# (``AdvocateRecord.sharing[part]`` holds a SharingLevel value). Staff pages are in English.
SHARED_PARTS: dict[str, str] = {
    "good_things": "Good things",
    "worries": "Worries",
    "wishes": "Wishes",
    "conference_should_know": "What they want the conference to know",
    "questions_for_chair": "Questions for the chair",
    "scale": "Scale of 0 to 10",
    "attendance": "Coming to the meeting",
}
# The child's words, each a text part of its own.
WORD_PARTS = ("good_things", "worries", "wishes", "conference_should_know", "questions_for_chair")
# What a saved version keeps: everything the child said and how it may be shared.
VERSIONED_FIELDS = (
    "methods",
    *WORD_PARTS,
    "scale",
    "scale_reason",
    "attendance_wish",
    "attendance_how",
    "attend_with",
    "advocate_to_speak",
    "sharing",
    "safeguarding_note",
)
READ_ITEM_TYPE = "advocate_record"


# --- Dates -------------------------------------------------------------------------------


def conference_day(conference: Conference) -> date:
    return local_date(conference.starts_at)


def today() -> date:
    return local_time(utcnow()).date()


def age_on_conference_day(conference: Conference, child: Child) -> int | None:
    """Whole years on the local date the conference starts; None for an unborn child."""
    return child.age_on(conference_day(conference))


@dataclass(frozen=True)
class DaysLeft:
    days: int  # calendar days from today to the conference day; negative once it has passed
    working_days: int  # working days after today, up to and including the conference day

    @property
    def passed(self) -> bool:
        return self.days < 0


def days_left(conference: Conference) -> DaysLeft:
    start, end = today(), conference_day(conference)
    days = (end - start).days
    working = sum(1 for n in range(1, days + 1) if is_working_day(start + timedelta(days=n)))
    return DaysLeft(days, working)


def is_open_for_editing(conference: Conference) -> bool:
    """The advocate's record can change until the conference starts."""
    return utcnow() < conference.starts_at


# --- Referrals ---------------------------------------------------------------------------


def referral_for(conference_id: int, child_id: int) -> AdvocacyReferral | None:
    return db.session.scalar(
        select(AdvocacyReferral).where(
            AdvocacyReferral.conference_id == conference_id,
            AdvocacyReferral.child_id == child_id,
        )
    )


def _refer(
    conference: Conference, child: Child, automatic: bool, by: StaffUser | None
) -> AdvocacyReferral:
    referral = AdvocacyReferral(
        conference_id=conference.id,
        child_id=child.id,
        automatic=automatic,
        referred_by_id=by.id if by else None,
    )
    db.session.add(referral)
    db.session.flush()
    record_event(
        AuditAction.CREATE,
        "advocacy_referral",
        referral.id,
        conference_id=conference.id,
        fields=["automatic"] if automatic else [],
        actor=by,
    )
    return referral


def refer_automatically(
    conference: Conference, child: Child, by: StaffUser | None = None
) -> AdvocacyReferral | None:
    """Refer a child at or over the advocacy age on the conference day (the caller commits)."""
    age = age_on_conference_day(conference, child)
    if age is None or age < current_app.config["ADVOCACY_MIN_AGE"]:
        return None
    if referral_for(conference.id, child.id) is not None:
        return None
    return _refer(conference, child, automatic=True, by=by)


def refer_by_hand(conference: Conference, child: Child, by: StaffUser) -> bool:
    """Refer a child of any age; False if they were already referred (nothing changes)."""
    if referral_for(conference.id, child.id) is not None:
        return False
    _refer(conference, child, automatic=False, by=by)
    db.session.commit()
    return True


def referrals_at(conference_id: int) -> dict[int, AdvocacyReferral]:
    """Each referred child's referral at one conference, by child id (for the conference page)."""
    referrals = db.session.scalars(
        select(AdvocacyReferral)
        .where(AdvocacyReferral.conference_id == conference_id)
        .options(selectinload(AdvocacyReferral.advocate))
    )
    return {referral.child_id: referral for referral in referrals}


def active_advocates() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(StaffUser.id, StaffUser.full_name)
        .where(StaffUser.role == Role.ADVOCATE, StaffUser.is_active_account.is_(True))
        .order_by(StaffUser.full_name, StaffUser.id)
    )
    return [(row.id, row.full_name) for row in rows]


def _by_conference_date(query: Any) -> Any:
    """Upcoming conferences soonest first, then past ones, latest first."""
    now = utcnow()
    return query.order_by(
        case((Conference.starts_at < now, 1), else_=0),
        case((Conference.starts_at >= now, Conference.starts_at)).asc(),
        Conference.starts_at.desc(),
        AdvocacyReferral.id,
    )


def referrals_to_assign() -> list[AdvocacyReferral]:
    """Referrals for conferences still to come: unassigned first, then by conference date."""
    start_of_today = datetime.combine(
        today(), datetime.min.time(), tzinfo=local_time(utcnow()).tzinfo
    )
    referrals = db.session.scalars(
        select(AdvocacyReferral)
        .join(Conference, Conference.id == AdvocacyReferral.conference_id)
        .where(Conference.starts_at >= start_of_today)
        .options(
            selectinload(AdvocacyReferral.child),
            selectinload(AdvocacyReferral.conference),
            selectinload(AdvocacyReferral.advocate),
        )
        .order_by(
            case((AdvocacyReferral.advocate_id.is_(None), 0), else_=1),
            Conference.starts_at,
            AdvocacyReferral.id,
        )
    ).all()
    record_event(AuditAction.VIEW, "advocacy_referral", None)  # a list: who looked, not at what
    db.session.commit()
    return list(referrals)


class NotAnAdvocate(ValueError):
    pass


def assign(referral: AdvocacyReferral, advocate_id: int | None, by: StaffUser) -> StaffUser:
    """Give the child to an active advocate (again, if reassigned); audited."""
    advocate = db.session.get(StaffUser, advocate_id) if advocate_id else None
    if advocate is None or advocate.role != Role.ADVOCATE or not advocate.is_active_account:
        raise NotAnAdvocate(advocate_id)
    if referral.advocate_id != advocate.id:
        referral.advocate_id = advocate.id
        referral.assigned_at = utcnow()
        referral.assigned_by_id = by.id
        record_event(
            AuditAction.UPDATE,
            "advocacy_referral",
            referral.id,
            conference_id=referral.conference_id,
            fields=["advocate_id"],
        )
        db.session.commit()
    return advocate


def caseload(advocate: StaffUser) -> list[AdvocacyReferral]:
    """Only the advocate's own referrals."""
    referrals = db.session.scalars(
        _by_conference_date(
            select(AdvocacyReferral)
            .join(Conference, Conference.id == AdvocacyReferral.conference_id)
            .where(AdvocacyReferral.advocate_id == advocate.id)
            .options(
                selectinload(AdvocacyReferral.child),
                selectinload(AdvocacyReferral.conference),
                selectinload(AdvocacyReferral.record),
            )
        )
    ).all()
    record_event(AuditAction.VIEW, "advocacy_referral", None)  # a list: who looked, not at what
    db.session.commit()
    return list(referrals)


def read_by_chair(item_type: str, item_ids: list[int]) -> dict[int, datetime]:
    """When the conference's chair marked each item read in the pack, by item id."""
    if not item_ids:
        return {}
    if item_type == READ_ITEM_TYPE:
        owner = select(AdvocateRecord.id.label("item_id"), AdvocacyReferral.conference_id).join(
            AdvocacyReferral, AdvocacyReferral.id == AdvocateRecord.referral_id
        )
        item = AdvocateRecord
    else:
        owner = select(Attachment.id.label("item_id"), AdvocacyReferral.conference_id).join(
            AdvocacyReferral, AdvocacyReferral.id == Attachment.referral_id
        )
        item = Attachment
    owner = owner.where(item.id.in_(item_ids)).subquery()
    rows = db.session.execute(
        select(PackItemRead.item_id, PackItemRead.read_at)
        .join(owner, owner.c.item_id == PackItemRead.item_id)
        .join(Conference, Conference.id == owner.c.conference_id)
        .where(PackItemRead.item_type == item_type, PackItemRead.read_by_id == Conference.chair_id)
    )
    return {row.item_id: row.read_at for row in rows}


# --- The record --------------------------------------------------------------------------


def record_page_viewed(referral: AdvocacyReferral) -> None:
    record_event(AuditAction.VIEW, "child", referral.child_id, conference_id=referral.conference_id)
    if referral.record is not None:
        record_event(
            AuditAction.VIEW,
            "advocate_record",
            referral.record.id,
            conference_id=referral.conference_id,
        )
    db.session.commit()


def content_of(record: AdvocateRecord) -> dict[str, Any]:
    content = {name: getattr(record, name) for name in VERSIONED_FIELDS}
    content["attendance_wish"] = record.attendance_wish.value if record.attendance_wish else None
    return content


@dataclass(frozen=True)
class ShownVersion:
    """One submitted version of a record, read only."""

    version: int
    submitted_at: datetime | None
    content: dict[str, Any]


def saved_version(referral: AdvocacyReferral, version: int) -> ShownVersion | None:
    """Version ``version`` as submitted: the record itself for the latest, else a kept copy."""
    record = referral.record
    if record is None or record.version < 1 or not 1 <= version <= record.version:
        return None
    if version == record.version and record.status == RecordStatus.SUBMITTED:
        shown = ShownVersion(version, record.submitted_at, content_of(record))
    else:
        kept = next((v for v in record.versions if v.version == version), None)
        if kept is None:
            return None
        shown = ShownVersion(version, kept.submitted_at, kept.content)
    record_event(
        AuditAction.VIEW,
        "advocate_record",
        record.id,
        conference_id=referral.conference_id,
        fields=["version"],
    )
    db.session.commit()
    return shown


def earlier_versions(record: AdvocateRecord | None) -> list[int]:
    """The submitted versions before the current one, newest first."""
    if record is None:
        return []
    return sorted((v.version for v in record.versions if v.version < record.version), reverse=True)


@dataclass
class ViewsData:
    methods: list[str]
    good_things: str
    worries: str
    wishes: str
    conference_should_know: str
    questions_for_chair: str
    scale: int | None
    scale_reason: str
    attendance_wish: AttendanceWish | None
    attendance_how: str
    attend_with: str
    advocate_to_speak: bool | None
    sharing: dict[str, str]
    safeguarding_concern: bool
    safeguarding_note: str

    def filled_parts(self) -> list[str]:
        filled = [part for part in WORD_PARTS if getattr(self, part).strip()]
        if self.scale is not None:
            filled.append("scale")
        if self.attendance_wish is not None:
            filled.append("attendance")
        return filled


@dataclass
class SaveOutcome:
    submitted: bool
    version: int
    alerted: list[str] = field(default_factory=list)  # "chair", "social_worker"
    not_alerted: list[str] = field(default_factory=list)


class RecordClosed(Exception):
    """The conference has started: the record can no longer change."""


def save_views(
    referral: AdvocacyReferral, data: ViewsData, *, submit: bool, by: StaffUser
) -> SaveOutcome:
    """Save the child's views as a draft, or submit them to the chair.

    A record already submitted is only ever submitted again, so what the chair reads is always
    a submitted version; the version before is kept first. A newly raised safeguarding concern
    queues the alerts in the same transaction.
    """
    conference = referral.conference
    if not is_open_for_editing(conference):
        raise RecordClosed
    record = referral.record
    created = record is None
    if record is None:
        record = AdvocateRecord(
            referral=referral, status=RecordStatus.DRAFT, version=0, methods=[], sharing={}
        )
        db.session.add(record)
    elif record.status == RecordStatus.SUBMITTED:
        submit = True
    now = utcnow()
    if submit and record.status == RecordStatus.SUBMITTED and record.version >= 1:
        record.versions.append(
            AdvocateRecordVersion(
                version=record.version,
                content=content_of(record),
                submitted_at=record.submitted_at or now,
                submitted_by_id=by.id,
            )
        )
    before = {} if created else content_of(record)
    for name in VERSIONED_FIELDS:
        setattr(record, name, getattr(data, name))
    changed = [name for name in VERSIONED_FIELDS if before.get(name) != content_of(record)[name]]
    if submit:
        record.status = RecordStatus.SUBMITTED
        record.version += 1
        record.submitted_at = now
        changed += ["status", "version"]
    outcome = SaveOutcome(submitted=submit, version=record.version)
    if data.safeguarding_concern and record.safeguarding_concern_at is None:
        record.safeguarding_concern_at = now
        changed.append("safeguarding_concern_at")
        db.session.flush()
        _alert(record, conference, by, outcome)
    db.session.flush()
    record_event(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        "advocate_record",
        record.id,
        conference_id=conference.id,
        fields=changed,
    )
    db.session.commit()
    return outcome


ALERT_SUBJECT = "Heard: a new safeguarding concern"
ALERT_BODY = (
    "An advocate has recorded a new safeguarding concern for a meeting you are involved in.\n\n"
    "Sign in to Heard to read it today: {link}"
)


def _alert(
    record: AdvocateRecord, conference: Conference, by: StaffUser, outcome: SaveOutcome
) -> None:
    """Tell the chair and the social worker by email, at once (not only in sending hours).

    The message names no one and gives no case detail: it only asks them to sign in.
    """
    recipients = []
    if conference.chair is not None and conference.chair.email:
        recipients.append(("chair", conference.chair.email))
    else:
        outcome.not_alerted.append("chair")
    if conference.social_worker_email:
        recipients.append(("social_worker", conference.social_worker_email))
    else:
        outcome.not_alerted.append("social_worker")
    if not recipients:
        return
    link = current_app.config["PUBLIC_BASE_URL"] + url_for("site.home")
    wording = render(Channel.EMAIL, ALERT_SUBJECT, ALERT_BODY, link=link.rstrip("/") + "/")
    now = utcnow()
    for told, address in recipients:
        message = Message(
            family_member=None,
            conference_id=conference.id,
            kind=MessageKind.SAFEGUARDING_ALERT,
            channel=Channel.EMAIL,
            to_address=address,
            subject=wording.subject,
            body_text=wording.text,
            body_html=wording.html,
            next_attempt_at=now,
        )
        db.session.add(message)
        record.alerts.append(
            SafeguardingAlert(
                told=told, to_address=address, message=message, raised_at=now, raised_by_id=by.id
            )
        )
        outcome.alerted.append(told)


def not_told(record: AdvocateRecord | None) -> list[str]:
    """Who could not be told automatically about the record's safeguarding concern."""
    if record is None or record.safeguarding_concern_at is None:
        return []
    told = {alert.told for alert in record.alerts}
    return [who for who in ("chair", "social_worker") if who not in told]


# --- Contact log -------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactDetails:
    contact_on: date
    seen: bool
    place: str
    with_whom: str
    not_seen_reason: NotSeenReason | None
    note: str


def add_contact(referral: AdvocacyReferral, details: ContactDetails, by: StaffUser) -> None:
    entry = ContactLogEntry(
        referral=referral,
        contact_on=details.contact_on,
        seen=details.seen,
        place=details.place if details.seen else "",
        with_whom=details.with_whom if details.seen else "",
        not_seen_reason=None if details.seen else details.not_seen_reason,
        note=details.note,
        recorded_by_id=by.id,
    )
    db.session.add(entry)
    db.session.flush()
    record_event(
        AuditAction.CREATE,
        "contact_log_entry",
        entry.id,
        conference_id=referral.conference_id,
        fields=["contact_on", "seen"],
    )
    db.session.commit()


# --- Attachments -------------------------------------------------------------------------


def add_attachment(
    referral: AdvocacyReferral,
    cleaned: CleanedFile,
    description: str,
    sharing: SharingLevel,
    by: StaffUser,
) -> Attachment:
    """Keep a cleaned file (written to disk first: a row never points at nothing)."""
    stored = store(cleaned, current_app.config["ATTACHMENT_DIR"])
    attachment = Attachment(
        referral=referral,
        description=description,
        content_type=cleaned.content_type,
        byte_size=stored.byte_size,
        sha256=stored.sha256,
        storage_name=stored.storage_name,
        sharing=sharing,
        uploaded_by_id=by.id,
    )
    db.session.add(attachment)
    db.session.flush()
    record_event(
        AuditAction.CREATE,
        "attachment",
        attachment.id,
        conference_id=referral.conference_id,
        fields=["description", "sharing"],
    )
    db.session.commit()
    return attachment


def attachment_viewed(attachment: Attachment) -> None:
    record_event(
        AuditAction.VIEW,
        "attachment",
        attachment.id,
        conference_id=attachment.referral.conference_id,
    )
    db.session.commit()
