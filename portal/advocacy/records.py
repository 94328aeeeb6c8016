"""The advocate's record of a child's wishes and feelings: saving it as a draft or submitting
it to the chair, each submission kept as a version, and reading it back.

A newly raised safeguarding concern sends its alerts (portal/advocacy/alerts.py) in the same
transaction as the save. Every view of the record and every change is audited here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.advocacy.alerts import alert
from portal.advocacy.services import is_open_for_editing
from portal.audit.services import commit_views, record_event
from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    AdvocateRecord,
    AdvocateRecordVersion,
    AttendanceWish,
    AuditAction,
    ConferenceChild,
    RecordStatus,
    RecordType,
    StaffUser,
    utcnow,
)

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
    commit_views()


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
        outcome.alerted += alert(record, conference, by)
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
