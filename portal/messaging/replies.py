"""What the provider tells us back: delivery status, and the texts people send us.

Every text reply other than STOP and START is kept (``TextReply``, sealed), against the person's
latest link that was sent; a reply from a number nobody has, or several people have, is kept too,
with no one. A reply beginning with 1 to 5 ("5 thanks") rates the person's live feedback link,
its words kept as the comment. A reply using a word from TEXT_REPLY_DANGER_WORDS raises a safety
alert (or, held against no link, tells the safeguarding team): messaging sits below the
safety domain, so the app factory hands ``init_app`` the function that does it. A text the
provider's callback brings again (same provider id) is heard once. Nothing of the sender's
number or words is logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.messaging.danger_words import mentions_danger
from portal.messaging.outbox import queue_message
from portal.models import (
    Channel,
    Conference,
    EarlyCallback,
    FamilyMember,
    FormKind,
    Invitation,
    Message,
    MessageKind,
    MessageStatus,
    SafetyAlert,
    StaffUser,
    TextReply,
    utcnow,
)
from portal.visibility import reads_named_feedback

logger = logging.getLogger(__name__)

# Twilio's words for each stage; a late "sent" never undoes "delivered".
STATUS_RANK = {"queued": 0, "sending": 0, "accepted": 0, "sent": 1, "delivered": 2}
FINAL = {
    "delivered": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
}
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
START_WORDS = {"START", "UNSTOP", "YES"}
# A rating and what follows it: "5", "5 thanks", "4 - it was ok", "3." (not "10", not "5pm")
RATING_REPLY = re.compile(r"\s*([1-5])(?![\w.,]*\d)(?:\W+(.*))?\s*", re.DOTALL)
ALERT_HOOK = "heard.text_reply_alert"

RaiseAlert = Callable[[TextReply], SafetyAlert | None]


def init_app(app: Flask, raise_alert: RaiseAlert) -> None:
    """``raise_alert`` raises the safety alert for a kept reply (None when it has no conference)."""
    app.extensions[ALERT_HOOK] = raise_alert


def record_status(
    provider_id: str,
    status: str,
    error_code: str | None,
    *,
    reference: int | None = None,
    fallback: Callable[[], Message | None] | None = None,
) -> None:
    """Apply a delivery status to the message with this provider id, else to the one
    ``fallback`` finds; else keep it (with the message id it names, ``reference``) until the
    worker saves the outcome: it came too early, or is not ours. One commit."""
    message = db.session.scalar(select(Message).where(Message.provider_id == provider_id))
    if message is None and fallback is not None:
        message = fallback()
    if message is None:
        db.session.add(
            EarlyCallback(
                provider_id=provider_id, reference=reference, status=status, error_code=error_code
            )
        )
    else:
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


def record_reply(sender: str, body: str, provider_message_id: str | None = None) -> None:
    """One text from ``sender``: STOP, START, a rating, or words to keep. One commit. A text
    already kept under the provider's id for it (the provider sent its callback again) is
    heard once: no second reply, no second alert."""
    if provider_message_id and _already_kept(provider_message_id):
        return
    word = body.strip().upper()
    if word in STOP_WORDS or word in START_WORDS:
        opted_out = utcnow() if word in STOP_WORDS else None
        db.session.execute(
            update(FamilyMember)
            .where(FamilyMember.mobile == sender)
            .values(sms_opted_out_at=opted_out)
        )
        db.session.commit()
        return
    if not word:
        return  # nothing written (a picture alone): nothing to keep
    reply = _kept(sender, body)
    if reply is not None:
        reply.provider_message_id = provider_message_id
    if reply is not None and mentions_danger(body, current_app.config["TEXT_REPLY_DANGER_WORDS"]):
        db.session.flush()
        alert = current_app.extensions[ALERT_HOOK](reply)
        if alert is None:
            logger.info("Text reply %s: the safeguarding team was told", reply.id)
        else:
            reply.safety_alert_id = alert.id
    try:
        db.session.commit()
    except IntegrityError:
        # The same text heard twice at once: the other request kept it (and its alert).
        db.session.rollback()
        if not (provider_message_id and _already_kept(provider_message_id)):
            raise


def _already_kept(provider_message_id: str) -> bool:
    return (
        db.session.scalar(
            select(TextReply.id).where(TextReply.provider_message_id == provider_message_id)
        )
        is not None
    )


def _kept(sender: str, body: str) -> TextReply | None:
    """The reply to keep (added to the session). One that rates the live feedback link keeps
    its words as the comment, and a bare rating keeps nothing more (the link holds it); with no
    link to rate, a rating is kept as it came, like any other words."""
    member, shared = _owner_of(sender)
    rating, comment = _rating_in(body)
    rated = record_quick_rating(member, rating) if member is not None and rating else None
    if rated is None:
        reply: TextReply | None = TextReply(
            family_member=member, invitation=_latest_link(member), text=body.strip()
        )
    elif comment:
        reply = TextReply(family_member=member, invitation=rated, text=comment, rating=rating)
    else:
        reply = None
    if reply is not None:
        db.session.add(reply)
        if shared:
            db.session.flush()  # for its row number, all that is logged
            logger.info("Text reply %s is from a number on several people's records", reply.id)
    return reply


def _owner_of(sender: str) -> tuple[FamilyMember | None, bool]:
    """The one person on record with this number, and whether several have it. A number on
    several records (a helper's on a child's, a foster carer's in two families) is no one's:
    their words, a rating or an alert must not land on someone else's conference."""
    members = db.session.scalars(
        select(FamilyMember).where(FamilyMember.mobile == sender).limit(2)
    ).all()
    return (members[0] if len(members) == 1 else None), len(members) > 1


def _rating_in(body: str) -> tuple[int | None, str]:
    """(5, "thanks") for "5 thanks"; (None, "") for a reply that does not begin with a rating."""
    found = RATING_REPLY.fullmatch(body)
    if found is None:
        return None, ""
    return int(found.group(1)), (found.group(2) or "").strip()


def _latest_link(member: FamilyMember | None) -> Invitation | None:
    """The person's latest link that was sent: the conference their reply is about."""
    if member is None:
        return None
    return db.session.scalar(
        select(Invitation)
        .where(Invitation.family_member_id == member.id, Invitation.sent_at.is_not(None))
        .order_by(Invitation.sent_at.desc(), Invitation.id.desc())
        .limit(1)
    )


def record_quick_rating(member: FamilyMember, rating: int) -> Invitation | None:
    """A rating of 1–5 for the person's latest live feedback link, which it returns (None:
    no such link). The caller commits."""
    now = utcnow()
    invitation = db.session.scalar(
        select(Invitation)
        .where(
            Invitation.family_member_id == member.id,
            Invitation.form == FormKind.FEEDBACK,
            Invitation.revoked_at.is_(None),
            Invitation.sent_at.is_not(None),
            Invitation.expires_at > now,
        )
        .order_by(Invitation.sent_at.desc())
        .limit(1)
    )
    if invitation is None:
        return None
    first_answer = invitation.quick_rating is None
    invitation.quick_rating, invitation.rated_at = rating, now
    if first_answer:  # thanked once, however often they reply
        queue_message(
            invitation.family_member, MessageKind.RATING_THANKS, Channel.SMS, invitation=invitation
        )
    return invitation


def replies_at(conference: Conference, reader: StaffUser) -> dict[int, list[TextReply]]:
    """The replies held against this conference's links, by person, oldest first: what the
    conference page and the chair's pack show as "replied by text". Replies to a feedback link
    (a rating's comment among them) are feedback with the person's name: only for those who
    read that (``reads_named_feedback``), as with the feedback answers."""
    query = select(TextReply).join(Invitation, Invitation.id == TextReply.invitation_id)
    if not reads_named_feedback(reader, conference):
        query = query.where(Invitation.form != FormKind.FEEDBACK, TextReply.rating.is_(None))
    found: dict[int, list[TextReply]] = {}
    for reply in db.session.scalars(
        query.where(
            Invitation.conference_id == conference.id, TextReply.family_member_id.is_not(None)
        ).order_by(TextReply.received_at, TextReply.id)
    ):
        assert reply.family_member_id is not None  # the query's condition
        found.setdefault(reply.family_member_id, []).append(reply)
    return found
