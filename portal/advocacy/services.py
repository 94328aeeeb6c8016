"""Advocacy: referrals, the advocate's caseload and record of a child's wishes and feelings,
the contact log, attachments, and the safeguarding alerts a new concern sends. Assigning
referrals to advocates is portal/advocacy/assignment.py.

Every view of a child's record and every change is audited here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any

from flask import current_app, url_for
from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.advocacy.attachments import CleanedFile, clean, content_hmac, read_limited, store
from portal.audit.services import record_event
from portal.conferences.services import conference_day, has_started
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
    ConferenceChild,
    ContactLogEntry,
    Message,
    MessageKind,
    NotSeenReason,
    PackItemRead,
    RecordStatus,
    RecordType,
    SafeguardingAlert,
    SharingLevel,
    StaffUser,
    utcnow,
)
from portal.templating import local_time
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
    """The advocate's record, its contacts and files can change until the conference starts."""
    return not has_started(conference)


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
) -> AdvocacyReferral | None:
    """A new referral, or None if one was made for the child at the same moment."""
    referral = AdvocacyReferral(
        conference_id=conference.id,
        child_id=child.id,
        automatic=automatic,
        referred_by_id=by.id if by else None,
    )
    try:
        with db.session.begin_nested():  # a referral made at the same moment: keep that one
            db.session.add(referral)
    except IntegrityError:
        return None
    record_event(
        AuditAction.CREATE,
        RecordType.ADVOCACY_REFERRAL,
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
    if _refer(conference, child, automatic=False, by=by) is None:
        db.session.rollback()
        return False
    try:
        db.session.commit()
    except IntegrityError:  # referred at the same moment (by hand, or automatically)
        db.session.rollback()
        return False
    return True


def referrals_at(conference_id: int) -> dict[int, AdvocacyReferral]:
    """Each referred child's referral at one conference, by child id (for the conference page)."""
    referrals = db.session.scalars(
        select(AdvocacyReferral)
        .where(AdvocacyReferral.conference_id == conference_id)
        .options(selectinload(AdvocacyReferral.advocate))
    )
    return {referral.child_id: referral for referral in referrals}


def _by_conference_date(query: Any) -> Any:
    """Upcoming conferences soonest first, then past ones, latest first."""
    now = utcnow()
    return query.order_by(
        case((Conference.starts_at < now, 1), else_=0),
        case((Conference.starts_at >= now, Conference.starts_at)).asc(),
        Conference.starts_at.desc(),
        AdvocacyReferral.id,
    )


# How long a past conference stays on the advocate's caseload.
PAST_DAYS_SHOWN = 90


@dataclass(frozen=True)
class Caseload:
    upcoming: list[AdvocacyReferral]  # conferences not started yet, soonest first
    past: list[AdvocacyReferral]  # started in the last PAST_DAYS_SHOWN days, latest first

    @property
    def referrals(self) -> list[AdvocacyReferral]:
        return self.upcoming + self.past


def caseload(advocate: StaffUser) -> Caseload:
    """Only the advocate's own referrals; older past conferences are not listed."""
    now = utcnow()
    referrals = db.session.scalars(
        _by_conference_date(
            select(AdvocacyReferral)
            .join(Conference, Conference.id == AdvocacyReferral.conference_id)
            .where(
                AdvocacyReferral.advocate_id == advocate.id,
                Conference.starts_at >= now - timedelta(days=PAST_DAYS_SHOWN),
            )
            .options(
                selectinload(AdvocacyReferral.child),
                selectinload(AdvocacyReferral.conference),
                selectinload(AdvocacyReferral.record),
            )
        )
    ).all()
    # A list: who looked, not at what
    record_event(AuditAction.VIEW, RecordType.ADVOCACY_REFERRAL, None)
    db.session.commit()
    return Caseload(
        upcoming=[r for r in referrals if r.conference.starts_at >= now],
        past=[r for r in referrals if r.conference.starts_at < now],
    )


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


def conference_child_of(referral: AdvocacyReferral) -> ConferenceChild | None:
    """The child's place on the referral's conference (outcome, "You said, we did")."""
    return db.session.scalar(
        select(ConferenceChild).where(
            ConferenceChild.conference_id == referral.conference_id,
            ConferenceChild.child_id == referral.child_id,
        )
    )


def you_said_we_did_note(referral: AdvocacyReferral) -> ConferenceChild | None:
    """The child's conference link when the chair has written "You said, we did", else None."""
    link = conference_child_of(referral)
    return link if link is not None and link.you_said_we_did else None


def record_page_viewed(referral: AdvocacyReferral) -> None:
    record_event(
        AuditAction.VIEW, RecordType.CHILD, referral.child_id, conference_id=referral.conference_id
    )
    if referral.record is not None:
        record_event(
            AuditAction.VIEW,
            RecordType.ADVOCATE_RECORD,
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
    """Version ``version`` as it was submitted (each submission is kept when it is made)."""
    record = referral.record
    if record is None or record.version < 1 or not 1 <= version <= record.version:
        return None
    kept = next((v for v in record.versions if v.version == version), None)
    if kept is None:
        return None
    shown = ShownVersion(version, kept.submitted_at, kept.content)
    record_event(
        AuditAction.VIEW,
        RecordType.ADVOCATE_RECORD,
        record.id,
        conference_id=referral.conference_id,
        fields=["version"],
    )
    db.session.commit()
    return shown


def earlier_versions(record: AdvocateRecord | None) -> list[int]:
    """The submitted versions before the latest one, newest first."""
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
    unchanged: bool = False  # submitted before and nothing changed: no new version


class RecordClosed(Exception):
    """The conference has started: the record can no longer change."""


def save_views(
    referral: AdvocacyReferral, data: ViewsData, *, submit: bool, by: StaffUser
) -> SaveOutcome:
    """Save the child's views as a draft, or submit them to the chair.

    A record already submitted is only ever submitted again, so what the chair reads is always
    a submitted version; each submission is kept as a version of its own, and a save that
    changes nothing makes no new version. A newly raised safeguarding concern queues the
    alerts in the same transaction. A save racing another one (a double click, two tabs) is
    done again on the row the other one wrote, never a server error.
    """
    try:
        return _save_views(referral, data, submit=submit, by=by)
    except IntegrityError:  # the record, or this version of it, was written at the same moment
        db.session.rollback()
        db.session.refresh(referral)
        return _save_views(referral, data, submit=submit, by=by)


def _save_views(
    referral: AdvocacyReferral, data: ViewsData, *, submit: bool, by: StaffUser
) -> SaveOutcome:
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
    before = {} if created else content_of(record)
    for name in VERSIONED_FIELDS:
        setattr(record, name, getattr(data, name))
    after = content_of(record)
    changed = [name for name in VERSIONED_FIELDS if before.get(name) != after[name]]
    new_concern = data.safeguarding_concern and record.safeguarding_concern_at is None
    if record.status == RecordStatus.SUBMITTED and not changed and not new_concern:
        version = record.version
        db.session.rollback()  # nothing to keep: the chair goes on reading the same version
        return SaveOutcome(submitted=True, version=version, unchanged=True)
    if submit:
        record.status = RecordStatus.SUBMITTED
        record.version += 1
        record.submitted_at = now
        record.versions.append(
            AdvocateRecordVersion(
                version=record.version, content=after, submitted_at=now, submitted_by_id=by.id
            )
        )
        changed += ["status", "version"]
    outcome = SaveOutcome(submitted=submit, version=record.version)
    if new_concern:
        record.safeguarding_concern_at = now
        changed.append("safeguarding_concern_at")
        db.session.flush()
        _alert(record, conference, by, outcome)
    db.session.flush()
    record_event(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        RecordType.ADVOCATE_RECORD,
        record.id,
        conference_id=conference.id,
        fields=changed,
    )
    db.session.commit()
    return outcome


ALERT_SUBJECT = "Heard: a new safeguarding concern"
# The chair has an account: they sign in and read the concern in the pack.
ALERT_BODY = (
    "An advocate has recorded a new safeguarding concern for a meeting you are involved in.\n\n"
    "Sign in to Heard to read it today: {link}"
)
# The social worker has no account: they call the advocacy service. Still no name, no detail.
SOCIAL_WORKER_ALERT_BODY = (
    "An advocate has recorded a new safeguarding concern for a meeting you are involved in.\n\n"
    "Call the advocacy service today on {phone} to hear about it."
)


def _alert(
    record: AdvocateRecord, conference: Conference, by: StaffUser, outcome: SaveOutcome
) -> None:
    """Tell the chair and the social worker by email, at once (not only in sending hours).

    The message names no one and gives no case detail: the chair is asked to sign in, the
    social worker (who has no account) to call the advocacy service.
    """
    recipients = []
    if conference.chair is not None and conference.chair.email:
        recipients.append(("chair", conference.chair.email, ALERT_BODY))
    if conference.social_worker_email:
        recipients.append(
            ("social_worker", conference.social_worker_email, SOCIAL_WORKER_ALERT_BODY)
        )
    if not recipients:
        return
    link = (current_app.config["PUBLIC_BASE_URL"] + url_for("site.home")).rstrip("/") + "/"
    now = utcnow()
    for told, address, body in recipients:
        wording = render(Channel.EMAIL, ALERT_SUBJECT, body, link=link)
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


# Sealed columns have no length of their own (portal.crypto): the limits the forms check.
PLACE_MAX = WITH_WHOM_MAX = DESCRIPTION_MAX = 200


def add_contact(referral: AdvocacyReferral, details: ContactDetails, by: StaffUser) -> bool:
    """Log a contact; False if the very same one is already in the log (sent twice)."""
    if len(details.place) > PLACE_MAX or len(details.with_whom) > WITH_WHOM_MAX:
        raise ValueError(f"Where and who else was there are {PLACE_MAX} characters at most")
    values = {
        "contact_on": details.contact_on,
        "seen": details.seen,
        "place": details.place if details.seen else "",
        "with_whom": details.with_whom if details.seen else "",
        "not_seen_reason": None if details.seen else details.not_seen_reason,
        "note": details.note,
    }
    # The words are sealed (a new token each time), so SQL narrows by the plain columns and the
    # words are compared once opened.
    plain = ("contact_on", "seen", "not_seen_reason")
    candidates = db.session.scalars(
        select(ContactLogEntry).where(
            ContactLogEntry.referral_id == referral.id,
            *(getattr(ContactLogEntry, name) == values[name] for name in plain),
        )
    )
    if any(all(getattr(entry, k) == v for k, v in values.items()) for entry in candidates):
        return False
    entry = ContactLogEntry(referral=referral, recorded_by_id=by.id, **values)
    db.session.add(entry)
    db.session.flush()
    record_event(
        AuditAction.CREATE,
        RecordType.CONTACT_LOG_ENTRY,
        entry.id,
        conference_id=referral.conference_id,
        fields=["contact_on", "seen"],
    )
    db.session.commit()
    return True


# --- Attachments -------------------------------------------------------------------------


class AlreadyAttached(Exception):
    """The same file (after cleaning) is already kept for this child."""


def add_upload(
    referral: AdvocacyReferral,
    stream: IO[bytes],
    description: str,
    sharing: SharingLevel,
    by: StaffUser,
) -> Attachment:
    """Read, check and clean an uploaded file, then keep it.

    Raises RefusedFile (the message says why) or AlreadyAttached.
    """
    cleaned = clean(read_limited(stream, current_app.config["ATTACHMENT_MAX_BYTES"]))
    return add_attachment(referral, cleaned, description, sharing, by)


def add_attachment(
    referral: AdvocacyReferral,
    cleaned: CleanedFile,
    description: str,
    sharing: SharingLevel,
    by: StaffUser,
) -> Attachment:
    """Keep a cleaned file (written to disk first: a row never points at nothing).

    Raises AlreadyAttached for a file this child already has (an upload sent twice).
    """
    if len(description) > DESCRIPTION_MAX:
        raise ValueError(f"An attachment's description is {DESCRIPTION_MAX} characters at most")
    digest = content_hmac(cleaned.data)
    already = db.session.scalar(
        select(Attachment.id)
        .where(Attachment.referral_id == referral.id, Attachment.content_hmac == digest)
        .limit(1)
    )
    if already is not None:
        raise AlreadyAttached
    stored = store(cleaned, current_app.config["ATTACHMENT_DIR"])
    attachment = Attachment(
        referral=referral,
        description=description,
        content_type=cleaned.content_type,
        byte_size=stored.byte_size,
        content_hmac=stored.content_hmac,
        storage_name=stored.storage_name,
        sharing=sharing,
        uploaded_by_id=by.id,
    )
    db.session.add(attachment)
    db.session.flush()
    record_event(
        AuditAction.CREATE,
        RecordType.ATTACHMENT,
        attachment.id,
        conference_id=referral.conference_id,
        fields=["description", "sharing"],
    )
    db.session.commit()
    return attachment


def attachment_viewed(attachment: Attachment) -> None:
    record_event(
        AuditAction.VIEW,
        RecordType.ATTACHMENT,
        attachment.id,
        conference_id=attachment.referral.conference_id,
    )
    db.session.commit()
