"""Marking an item of the pack read: a form's answers, an advocate's record or an attachment,
one mark per reader. An advocate's record submitted again after its mark is to be read again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    AdvocateRecord,
    Attachment,
    AuditAction,
    Conference,
    FormResponse,
    Invitation,
    PackItemRead,
    RecordStatus,
    RecordType,
    StaffUser,
    utcnow,
)
from portal.visibility import attachment_visible_to

ITEM_TYPES = ("form_response", "advocate_record", "attachment")


class NotInPack(Exception):
    """The item is not one this reader can see in this conference's pack."""


def changed_since(record: AdvocateRecord, read_at: datetime | None) -> bool:
    return read_at is not None and record.submitted_at is not None and record.submitted_at > read_at


def item_anchor(item_type: str, item_id: int) -> str:
    return f"{item_type.replace('_', '-')}-{item_id}"


def _in_pack(conference: Conference, item_type: str, item_id: int, reader: StaffUser) -> bool:
    """The item is shown to ``reader`` in this conference's pack."""
    if item_type == "form_response":
        query = (
            select(FormResponse.id)
            .join(Invitation, FormResponse.invitation_id == Invitation.id)
            .where(
                FormResponse.id == item_id,
                Invitation.conference_id == conference.id,
                FormResponse.submitted_at.is_not(None)
                | FormResponse.safety_concern_at.is_not(None),
            )
        )
    elif item_type == "advocate_record":
        query = (
            select(AdvocateRecord.id)
            .join(AdvocacyReferral, AdvocateRecord.referral_id == AdvocacyReferral.id)
            .where(
                AdvocateRecord.id == item_id,
                AdvocacyReferral.conference_id == conference.id,
                AdvocateRecord.status == RecordStatus.SUBMITTED,
            )
        )
    elif item_type == "attachment":
        attachment = db.session.get(Attachment, item_id)
        return (
            attachment is not None
            and attachment.referral.conference_id == conference.id
            and attachment_visible_to(reader, attachment)
        )
    else:
        return False
    return db.session.scalar(query) is not None


def mark_read(conference: Conference, item_type: str, item_id: int, reader: StaffUser) -> str:
    """Mark one item read by ``reader``; again is fine (still one mark). The item's anchor.

    Raises NotInPack for an item of another conference, a draft, or one hidden from them.
    """
    if not _in_pack(conference, item_type, item_id, reader):
        raise NotInPack
    already = db.session.scalar(
        select(PackItemRead).where(
            PackItemRead.item_type == item_type,
            PackItemRead.item_id == item_id,
            PackItemRead.read_by_id == reader.id,
        )
    )
    if already is not None and item_type == "advocate_record":
        record = db.session.get(AdvocateRecord, item_id)
        if record is not None and changed_since(record, already.read_at):
            already.read_at = utcnow()  # read again, as the advocate submitted it since
            record_event(
                AuditAction.UPDATE,
                RecordType.PACK_ITEM_READ,
                already.id,
                conference_id=conference.id,
                fields=("read_at",),
            )
            db.session.commit()
    if already is None:
        read = PackItemRead(
            conference_id=conference.id, item_type=item_type, item_id=item_id, read_by_id=reader.id
        )
        db.session.add(read)
        try:
            db.session.flush()
            record_event(
                AuditAction.CREATE,
                RecordType.PACK_ITEM_READ,
                read.id,
                conference_id=conference.id,
                fields=("item_type", "item_id"),
            )
            db.session.commit()
        except IntegrityError:  # two clicks at once: the other one made the mark
            db.session.rollback()
    return item_anchor(item_type, item_id)
