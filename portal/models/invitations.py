from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText
from portal.models.base import Base, utcnow
from portal.models.conference import Conference
from portal.models.enums import (
    Channel,
    EntryRoute,
    FormKind,
    MessageKind,
    MessageStatus,
    db_enum,
)
from portal.models.people import FamilyMember
from portal.models.staff import StaffUser


class Invitation(Base):
    """One person's link to one form for one conference.

    The link's token is never stored: only its SHA-256 (to find the invitation) and a random
    salt from which, with the app's secret key, the same token can be made again for a reminder.
    The timestamps are the response funnel: sent, delivered, opened, started, submitted.

    One kind has no link: views or feedback given another way (by phone, on paper, in the
    room, through an interpreter) and entered by staff on the person's behalf. It has an
    ``entry_route`` and ``entered_by_id``; it is never sent, and it is revoked as it is made, so
    its (random, never given) token opens nothing and the live-link index leaves room for the
    person's own link. The link funnel leaves it out; the reports count it by its route.
    """

    __tablename__ = "invitation"
    __table_args__ = (
        ForeignKeyConstraint(
            ["conference_id", "family_member_id"],
            ["conference_adult.conference_id", "conference_adult.family_member_id"],
            name="fk_invitation_conference_adult",
            ondelete="CASCADE",
        ),
        # One live link per person, conference and form: a new one revokes the old.
        Index(
            "uq_invitation_live",
            "conference_id",
            "family_member_id",
            "form",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
        CheckConstraint("quick_rating BETWEEN 1 AND 5", name="quick_rating_1_to_5"),
        CheckConstraint(
            "(entry_route IS NULL) = (entered_by_id IS NULL)", name="entered_with_route"
        ),
        CheckConstraint(
            "entry_route IS NULL OR (sent_at IS NULL AND revoked_at IS NOT NULL)",
            name="entered_never_sent",
        ),
        # One entry given another way per person, conference and form.
        Index(
            "uq_invitation_entered",
            "conference_id",
            "family_member_id",
            "form",
            unique=True,
            sqlite_where=text("entry_route IS NOT NULL"),
            postgresql_where=text("entry_route IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    family_member_id: Mapped[int] = mapped_column(
        ForeignKey("family_member.id", ondelete="CASCADE"), index=True
    )
    form: Mapped[FormKind] = mapped_column(db_enum(FormKind, "form_kind"))
    token_salt: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    reminder_queued_at: Mapped[datetime | None]
    quick_rating: Mapped[int | None]
    rated_at: Mapped[datetime | None]
    # The second check, where the coordinator asked for it: a code, made like the token from a
    # salt and the secret key, sent by the other channel when the person presses Continue.
    code_salt: Mapped[str | None] = mapped_column(String(32))
    code_sent_at: Mapped[datetime | None]
    code_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # Given another way: how, and who entered it (None for a link)
    entry_route: Mapped[EntryRoute | None] = mapped_column(db_enum(EntryRoute, "entry_route"))
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="RESTRICT")
    )

    conference: Mapped[Conference] = relationship()
    family_member: Mapped[FamilyMember] = relationship()
    entered_by: Mapped[StaffUser | None] = relationship()
    messages: Mapped[list[Message]] = relationship(
        back_populates="invitation", order_by="Message.id"
    )

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    @property
    def entered_on_behalf(self) -> bool:
        return self.entry_route is not None


class FamilyVisit(Base):
    """One browser's visit through a family link, from the link's Continue to "Exit this
    page", "Finish for now" or the idle time-out. Ending it here means a copy of the cookie
    taken earlier stops working too; only a hash of the id the cookie carries is kept. The
    answers are the invitation's, not the visit's: opening the link again starts a new visit
    on the same answers."""

    __tablename__ = "family_visit"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class Message(Base):
    """A row in the transactional outbox: written with whatever causes it, sent by the worker."""

    __tablename__ = "message"
    __table_args__ = (
        Index("ix_message_due", "status", "next_attempt_at"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    # None for a message to staff (a safeguarding alert): ``to_address`` is all it needs.
    family_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("family_member.id", ondelete="CASCADE"), index=True
    )
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[MessageKind] = mapped_column(db_enum(MessageKind, "message_kind"))
    channel: Mapped[Channel] = mapped_column(db_enum(Channel, "message_channel"))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(200))
    # The wording with a placeholder for the link: the worker puts the link in as it sends.
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[MessageStatus] = mapped_column(
        db_enum(MessageStatus, "message_status"), default=MessageStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None]
    provider: Mapped[str | None] = mapped_column(String(20))
    provider_id: Mapped[str | None] = mapped_column(String(100), index=True)
    provider_status: Mapped[str | None] = mapped_column(String(30))
    error_code: Mapped[str | None] = mapped_column(String(20))
    error_detail: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]

    invitation: Mapped[Invitation | None] = relationship(back_populates="messages")
    family_member: Mapped[FamilyMember | None] = relationship()


class MessageWording(Base):
    """An admin's own wording for one kind of message by one channel in one language (else the
    language's default). An empty body: an admin chose to send English for it."""

    __tablename__ = "message_wording"
    __table_args__ = (
        UniqueConstraint(
            "kind", "channel", "language", name="uq_message_wording_kind_channel_language"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MessageKind] = mapped_column(db_enum(MessageKind, "wording_kind"))
    channel: Mapped[Channel] = mapped_column(db_enum(Channel, "wording_channel"))
    # A language code (portal/i18n.py), unchecked here: adding a language is a setting.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )


class EarlyCallback(Base):
    """A delivery status that arrived before its message's outcome was saved.

    The provider can call back within milliseconds of accepting a message, before the worker
    has recorded the provider's id; the status waits here and is applied as the outcome is saved.
    """

    __tablename__ = "early_callback"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[str] = mapped_column(String(100), index=True)
    # Our message id as the receipt gave it (Notify's "reference"; not a foreign key, a receipt
    # may name any number): a send that timed out is found by it (portal/messaging/worker.py).
    reference: Mapped[int | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(30))
    error_code: Mapped[str | None] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class TextReply(Base):
    """A text message reply other than STOP and START: nothing a family texts back is lost.

    Held against the person's latest link that was sent (the conference it is about); a reply
    from a number nobody on record has is kept with neither. "5 thanks" is a rating of 5 (on
    the feedback link, ``Invitation.quick_rating``) whose words are kept here as its comment. A
    reply using a word from ``TEXT_REPLY_DANGER_WORDS`` raised the safety alert it points at.
    """

    __tablename__ = "text_reply"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("family_member.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    # What they wrote, sealed at rest (portal.crypto); blanked by retention, the row kept
    text: Mapped[str] = mapped_column(EncryptedText(), default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The provider's id for the text (Notify's inbound id, Twilio's MessageSid): a callback the
    # provider sends again is heard once.
    provider_message_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    rating: Mapped[int | None]  # the 1 to 5 it began with, when it rated the feedback link
    safety_alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("safety_alert.id", ondelete="SET NULL")
    )

    family_member: Mapped[FamilyMember | None] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
