"""Advocacy: a child referred for a conference, the advocate's record of what the child said,
and the chair's "read" marks in the pre-conference pack."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText, SealedJSON
from portal.models.audit import AuditEvent
from portal.models.base import Base, utcnow
from portal.models.conference import Conference
from portal.models.enums import (
    AttendanceWish,
    NotSeenReason,
    RecordStatus,
    SharingLevel,
    db_enum,
)
from portal.models.people import Child
from portal.models.staff import StaffUser

# The advocate's record's words: sealed in the record and in every version kept of it.
SEALED_RECORD_TEXT = (
    "good_things",
    "worries",
    "wishes",
    "conference_should_know",
    "questions_for_chair",
    "scale_reason",
    "attendance_how",
    "attend_with",
    "safeguarding_note",
)


class AdvocacyReferral(Base):
    """A child referred to the advocacy service for one conference: automatically at the
    advocacy age, or by hand at any age. An advocacy manager assigns an advocate."""

    __tablename__ = "advocacy_referral"
    __table_args__ = (
        ForeignKeyConstraint(
            ["conference_id", "child_id"],
            ["conference_child.conference_id", "conference_child.child_id"],
            name="fk_advocacy_referral_conference_child",
            ondelete="CASCADE",
        ),
        UniqueConstraint("conference_id", "child_id", name="uq_advocacy_referral_child"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    automatic: Mapped[bool]  # True: referred by age when added; False: referred by hand
    referred_at: Mapped[datetime] = mapped_column(default=utcnow)
    referred_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    advocate_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="RESTRICT"), index=True
    )
    assigned_at: Mapped[datetime | None]
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )

    conference: Mapped[Conference] = relationship()
    child: Mapped[Child] = relationship()
    advocate: Mapped[StaffUser | None] = relationship(foreign_keys=[advocate_id])
    record: Mapped[AdvocateRecord | None] = relationship(
        back_populates="referral", cascade="all, delete-orphan"
    )
    contacts: Mapped[list[ContactLogEntry]] = relationship(
        back_populates="referral",
        cascade="all, delete-orphan",
        order_by="(ContactLogEntry.contact_on, ContactLogEntry.id)",
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="Attachment.id"
    )


class AdvocacySelfAssignment(Base):
    """An advocacy manager gave themselves a child whose conference had started, and said why.

    Once assigned they read the child's record, the parts for the chair only too; before the
    conference that is ordinary work, after it the reason answers for it. The audit event
    (action SELF_ASSIGN) holds who and when, as every event does; the reason, free text, is
    sealed here and shown to admins beside that event on the audit page.
    """

    __tablename__ = "advocacy_self_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("advocacy_referral.id", ondelete="CASCADE"), index=True
    )
    manager_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="RESTRICT"))
    previous_advocate_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(EncryptedText(), default="")  # 500 characters at most
    audit_event_id: Mapped[int] = mapped_column(
        ForeignKey("audit_event.id", ondelete="RESTRICT"), unique=True
    )

    referral: Mapped[AdvocacyReferral] = relationship()
    manager: Mapped[StaffUser] = relationship(foreign_keys=[manager_id])
    previous_advocate: Mapped[StaffUser | None] = relationship(foreign_keys=[previous_advocate_id])
    audit_event: Mapped[AuditEvent] = relationship()


class AdvocateRecord(Base):
    """The child's wishes and feelings for one conference, in the child's own words.

    Saved as a draft until submitted; editable until the conference starts, each submission
    keeping the one before it as an ``AdvocateRecordVersion``. ``sharing`` says, per part
    (``SHARED_PARTS`` in portal/advocacy), who may see it: a ``SharingLevel`` value.
    """

    __tablename__ = "advocate_record"
    __table_args__ = (CheckConstraint("scale BETWEEN 0 AND 10", name="scale_0_to_10"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("advocacy_referral.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[RecordStatus] = mapped_column(
        db_enum(RecordStatus, "record_status"), default=RecordStatus.DRAFT
    )
    version: Mapped[int] = mapped_column(default=0)  # submissions so far
    methods: Mapped[list[str]] = mapped_column(JSON, default=list)  # GatheringMethod values
    good_things: Mapped[str] = mapped_column(EncryptedText(), default="")
    worries: Mapped[str] = mapped_column(EncryptedText(), default="")
    wishes: Mapped[str] = mapped_column(EncryptedText(), default="")
    conference_should_know: Mapped[str] = mapped_column(EncryptedText(), default="")
    questions_for_chair: Mapped[str] = mapped_column(EncryptedText(), default="")
    scale: Mapped[int | None]
    scale_reason: Mapped[str] = mapped_column(EncryptedText(), default="")
    attendance_wish: Mapped[AttendanceWish | None] = mapped_column(
        db_enum(AttendanceWish, "attendance_wish")
    )
    attendance_how: Mapped[str] = mapped_column(EncryptedText(), default="")
    attend_with: Mapped[str] = mapped_column(EncryptedText(), default="")
    advocate_to_speak: Mapped[bool | None]
    sharing: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # A new safeguarding concern raises a safety alert (portal/safety): everyone is told at once.
    safeguarding_concern_at: Mapped[datetime | None]
    safeguarding_note: Mapped[str] = mapped_column(EncryptedText(), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]

    referral: Mapped[AdvocacyReferral] = relationship(back_populates="record")
    versions: Mapped[list[AdvocateRecordVersion]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        order_by="AdvocateRecordVersion.version",
    )


class AdvocateRecordVersion(Base):
    """A submitted version of an advocate's record, kept when it is edited again."""

    __tablename__ = "advocate_record_version"
    __table_args__ = (UniqueConstraint("record_id", "version", name="uq_record_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("advocate_record.id", ondelete="CASCADE"))
    version: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(SealedJSON(SEALED_RECORD_TEXT))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )

    record: Mapped[AdvocateRecord] = relationship(back_populates="versions")


class ContactLogEntry(Base):
    """One time the advocate saw the child, or tried to and could not (and why not)."""

    __tablename__ = "contact_log_entry"
    __table_args__ = (
        CheckConstraint("seen OR not_seen_reason IS NOT NULL", name="seen_or_why_not"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("advocacy_referral.id", ondelete="CASCADE"), index=True
    )
    contact_on: Mapped[date]
    seen: Mapped[bool]
    place: Mapped[str] = mapped_column(EncryptedText(), default="")  # 200 characters at most
    # "" means alone; otherwise who else was there
    with_whom: Mapped[str] = mapped_column(EncryptedText(), default="")  # as place
    not_seen_reason: Mapped[NotSeenReason | None] = mapped_column(
        db_enum(NotSeenReason, "not_seen_reason")
    )
    note: Mapped[str] = mapped_column(EncryptedText(), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )

    referral: Mapped[AdvocacyReferral] = relationship(back_populates="contacts")


class Attachment(Base):
    """A photo or scan of a child's drawing or letter: checked by content, cleaned, and stored
    outside ``static/`` under a random name (``ATTACHMENT_DIR``)."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("advocacy_referral.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(EncryptedText())  # 200 characters at most
    content_type: Mapped[str] = mapped_column(String(40))  # image/jpeg, image/png, application/pdf
    byte_size: Mapped[int]
    # HMAC-SHA256 of the cleaned content under a key derived from the data key (portal.crypto
    # keyed_digest): finds a file uploaded twice, and tells no one holding a dump what it is.
    content_hmac: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    sharing: Mapped[SharingLevel] = mapped_column(
        db_enum(SharingLevel, "attachment_sharing"), default=SharingLevel.CHAIR_ONLY
    )
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )

    referral: Mapped[AdvocacyReferral] = relationship(back_populates="attachments")


class PackItemRead(Base):
    """The chair marked one item of the pre-conference pack as read.

    ``item_type`` is "form_response", "advocate_record" or "attachment"; the advocate sees when
    the chair has read their record.
    """

    __tablename__ = "pack_item_read"
    __table_args__ = (
        UniqueConstraint("item_type", "item_id", "read_by_id", name="uq_pack_item_read"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    item_type: Mapped[str] = mapped_column(String(30))
    item_id: Mapped[int]
    read_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
