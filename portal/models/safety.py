"""Safety alerts: someone may be in danger now. One alert per thing said (an answer, a score,
an advocate's concern), whoever said it; each person told is a delivery of it."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText
from portal.models.advocacy import AdvocateRecord
from portal.models.base import Base, utcnow
from portal.models.conference import Conference
from portal.models.enums import Channel, LabelledEnum, db_enum
from portal.models.invitations import Message
from portal.models.people import FamilyMember
from portal.models.responses import FormResponse
from portal.models.staff import StaffUser


class AlertSource(LabelledEnum):
    """What raised the alert. One alert per response (or record) per source."""

    DANGER_ANSWER = "danger_answer", _l("Answered that someone is in danger now")
    SAFETY_SCALE = "safety_scale", _l("Scored how safe they feel at home very low")
    ADVOCATE_CONCERN = "advocate_concern", _l("An advocate recorded a new safeguarding concern")
    TEXT_REPLY = "text_reply", _l("A text message reply")


class AlertRaiser(LabelledEnum):
    FAMILY_MEMBER = "family_member", _l("A family member")
    CHILD = "child", _l("A child or young person")
    ADVOCATE = "advocate", _l("An advocate")


class AlertState(LabelledEnum):
    OPEN = "open", _l("Open")
    ACKNOWLEDGED = "acknowledged", _l("Acknowledged")
    CLOSED = "closed", _l("Closed")


class SafetyAlert(Base):
    """Someone may be in danger now: told at once to the chair, the coordinators' team and the
    social worker; acknowledged by a named person with what was done; closed with the outcome;
    sent again to the duty team, once, if nobody acknowledges it in time."""

    __tablename__ = "safety_alert"
    __table_args__ = (
        UniqueConstraint("form_response_id", "source", name="uq_safety_alert_response_source"),
        UniqueConstraint("advocate_record_id", "source", name="uq_safety_alert_record_source"),
        CheckConstraint(
            "state = 'open' OR acknowledged_at IS NOT NULL", name="acknowledged_has_a_time"
        ),
        CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name="closed_has_a_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[AlertSource] = mapped_column(db_enum(AlertSource, "alert_source"))
    raised_by: Mapped[AlertRaiser] = mapped_column(db_enum(AlertRaiser, "alert_raiser"))
    family_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("family_member.id", ondelete="SET NULL"), index=True
    )
    form_response_id: Mapped[int | None] = mapped_column(
        ForeignKey("form_response.id", ondelete="SET NULL")
    )
    advocate_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("advocate_record.id", ondelete="SET NULL")
    )
    raised_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    raised_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    state: Mapped[AlertState] = mapped_column(
        db_enum(AlertState, "alert_state"), default=AlertState.OPEN
    )
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # What was done: free text about the family, sealed at rest (portal.crypto)
    action_taken: Mapped[str] = mapped_column(EncryptedText(), default="")
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    outcome: Mapped[str] = mapped_column(EncryptedText(), default="")  # sealed too
    # Sent again to the duty team (SAFEGUARDING_DUTY_EMAIL) when nobody acknowledged it in time
    escalated_at: Mapped[datetime | None]

    conference: Mapped[Conference] = relationship()
    family_member: Mapped[FamilyMember | None] = relationship()
    form_response: Mapped[FormResponse | None] = relationship()
    advocate_record: Mapped[AdvocateRecord | None] = relationship()
    raised_by_staff: Mapped[StaffUser | None] = relationship(foreign_keys=[raised_by_staff_id])
    acknowledged_by: Mapped[StaffUser | None] = relationship(foreign_keys=[acknowledged_by_id])
    closed_by: Mapped[StaffUser | None] = relationship(foreign_keys=[closed_by_id])
    deliveries: Mapped[list[SafetyAlertDelivery]] = relationship(
        back_populates="alert", cascade="all, delete-orphan", order_by="SafetyAlertDelivery.id"
    )


class SafetyAlertDelivery(Base):
    """One person told about an alert, by one channel, by which message, and when. Rows of the
    advocate's earlier ``safeguarding_alert`` table became these (migration 0016)."""

    __tablename__ = "safety_alert_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(
        ForeignKey("safety_alert.id", ondelete="CASCADE"), index=True
    )
    # "chair", "team" (the coordinators), "social_worker" or "duty" (the escalation)
    told: Mapped[str] = mapped_column(String(20))
    channel: Mapped[Channel] = mapped_column(db_enum(Channel, "alert_delivery_channel"))
    to_address: Mapped[str] = mapped_column(String(254))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id", ondelete="SET NULL"))
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)

    alert: Mapped[SafetyAlert] = relationship(back_populates="deliveries")
    message: Mapped[Message | None] = relationship()
