"""What Twilio tells us back: delivery status, opt-outs, and quick ratings by text."""

from __future__ import annotations

from sqlalchemy import select, update

from portal.extensions import db
from portal.messaging.outbox import queue_message
from portal.models import (
    Channel,
    EarlyCallback,
    FamilyMember,
    FormKind,
    Invitation,
    Message,
    MessageKind,
    MessageStatus,
    utcnow,
)

# Twilio's words for each stage; a late "sent" never undoes "delivered".
STATUS_RANK = {"queued": 0, "sending": 0, "accepted": 0, "sent": 1, "delivered": 2}
FINAL = {
    "delivered": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
}
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
START_WORDS = {"START", "UNSTOP", "YES"}


def record_status(provider_id: str, status: str, error_code: str | None) -> None:
    message = db.session.scalar(select(Message).where(Message.provider_id == provider_id))
    if message is None:
        # Too early (the worker has not saved the provider's id yet), or not ours: keep it.
        db.session.add(EarlyCallback(provider_id=provider_id, status=status, error_code=error_code))
        db.session.commit()
        return
    apply_status(message, status, error_code)
    db.session.commit()


def apply_early_callbacks(messages: list[Message]) -> None:
    """Statuses that arrived before these messages' outcomes were saved (the caller commits)."""
    by_provider_id = {m.provider_id: m for m in messages if m.provider_id}
    if not by_provider_id:
        return
    early = db.session.scalars(
        select(EarlyCallback)
        .where(EarlyCallback.provider_id.in_(list(by_provider_id)))
        .order_by(EarlyCallback.id)
    ).all()
    for callback in early:
        apply_status(by_provider_id[callback.provider_id], callback.status, callback.error_code)
        db.session.delete(callback)


def apply_status(message: Message, status: str, error_code: str | None) -> None:
    if message.status in (MessageStatus.DELIVERED, MessageStatus.UNDELIVERED, MessageStatus.FAILED):
        return  # already final: callbacks can arrive out of order
    now = utcnow()
    message.provider_status = status
    if status in FINAL:
        message.status = FINAL[status]
        if status == "delivered":
            message.delivered_at = now
            if message.invitation is not None and message.invitation.delivered_at is None:
                message.invitation.delivered_at = now
        else:
            message.failed_at = now
            message.error_code = error_code


def record_reply(sender: str, body: str) -> None:
    word = body.strip().upper()
    now = utcnow()
    if word in STOP_WORDS or word in START_WORDS:
        opted_out = now if word in STOP_WORDS else None
        db.session.execute(
            update(FamilyMember)
            .where(FamilyMember.mobile == sender)
            .values(sms_opted_out_at=opted_out)
        )
        db.session.commit()
        return
    if word in {"1", "2", "3", "4", "5"}:
        record_quick_rating(sender, int(word))


def record_quick_rating(sender: str, rating: int) -> None:
    """A reply of 1–5 to a feedback text: the rating for that person's latest feedback link."""
    now = utcnow()
    invitation = db.session.scalar(
        select(Invitation)
        .join(FamilyMember)
        .where(
            FamilyMember.mobile == sender,
            Invitation.form == FormKind.FEEDBACK,
            Invitation.revoked_at.is_(None),
            Invitation.sent_at.is_not(None),
            Invitation.expires_at > now,
        )
        .order_by(Invitation.sent_at.desc())
        .limit(1)
    )
    if invitation is None:
        return
    first_answer = invitation.quick_rating is None
    invitation.quick_rating, invitation.rated_at = rating, now
    if first_answer:  # thanked once, however often they reply
        queue_message(
            invitation.family_member, MessageKind.RATING_THANKS, Channel.SMS, invitation=invitation
        )
    db.session.commit()
