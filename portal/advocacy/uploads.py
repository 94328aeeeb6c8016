"""Keeping a child's uploaded drawings and letters: a cleaned file (portal/attachments.py
checks and cleans it) written to disk, then its row. Every file kept and every one opened is
audited.

Apart from attachments.py, which needs no database: bench/attachments.py measures its memory
in a fresh process.
"""

from __future__ import annotations

from typing import IO

from flask import current_app
from sqlalchemy import select

from portal.attachments import CleanedFile, clean, content_hmac, read_limited, store
from portal.audit.services import record_event
from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    Attachment,
    AuditAction,
    RecordType,
    SharingLevel,
    StaffUser,
)

# A sealed column has no length of its own (portal.crypto): the limit the form checks.
DESCRIPTION_MAX = 200


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
