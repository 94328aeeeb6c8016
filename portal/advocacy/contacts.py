"""The advocate's contact log: each time they saw the child, or tried to. Every entry is
audited; the same one sent twice is kept once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    AuditAction,
    ContactLogEntry,
    NotSeenReason,
    RecordType,
    StaffUser,
)


@dataclass(frozen=True)
class ContactDetails:
    contact_on: date
    seen: bool
    place: str
    with_whom: str
    not_seen_reason: NotSeenReason | None
    note: str


# Sealed columns have no length of their own (portal.crypto): the limits the forms check.
PLACE_MAX = WITH_WHOM_MAX = 200


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
