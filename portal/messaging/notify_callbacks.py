"""What GOV.UK Notify tells us back: delivery receipts, and texts sent to our number.

Notify's words are turned into the portal's (those of replies.apply_status), so a receipt from
Notify is heard exactly as a Twilio status callback is; a received text goes to the same
replies.record_reply as Twilio's.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import and_, or_, select, update

from portal.contact import ContactError, normalise_mobile
from portal.extensions import db
from portal.messaging import replies
from portal.models import Message, MessageStatus, utcnow

# Notify's status -> the portal's word for it. "pending", "sending" and "sent" (abroad, no
# receipt to come) are on the way; the three failures are final.
STATUS_WORDS = {
    "created": "queued",
    "sending": "sending",
    "pending": "sending",
    "sent": "sent",
    "delivered": "delivered",
    "permanent-failure": "undelivered",
    "temporary-failure": "undelivered",
    "technical-failure": "failed",
}
FAILURE_CODES = {
    ("permanent-failure", "sms"): "notify-perm-sms",
    ("permanent-failure", "email"): "notify-perm-email",
    ("temporary-failure", "sms"): "notify-temporary",
    ("temporary-failure", "email"): "notify-temporary",
    ("technical-failure", "sms"): "notify-technical",
    ("technical-failure", "email"): "notify-technical",
}
# A send that failed with these never had Notify's answer: Notify may have taken it after all.
UNANSWERED_CODES = ("timeout", "network")
MAX_ID_LENGTH = 100  # Message.provider_id's; Notify's ids are UUIDs (36)
LARGEST_ID = 2**31 - 1  # an integer column: a larger "reference" is not one of ours


class BadReceipt(ValueError):
    """Not a callback Notify sends: an undocumented status or type, or an id too long to keep."""


def portal_status(status: str, notification_type: str) -> tuple[str, str | None]:
    """(the portal's status word, the error code for its plain reason) for a Notify receipt."""
    if status not in STATUS_WORDS or notification_type not in ("sms", "email"):
        raise BadReceipt(status)
    return STATUS_WORDS[status], FAILURE_CODES.get((status, notification_type))


def record_receipt(notify_id: str, reference: str | None, status: str, kind: str) -> None:
    """Apply a delivery receipt to its message, found by the Notify id the worker saved, or by
    our own id sent as ``reference`` (the worker never heard Notify's answer). One that comes
    before the worker has saved the outcome waits as an EarlyCallback, as Twilio's do, with our
    id: a send that timed out meanwhile is found by it and not sent again."""
    word, code = portal_status(status, kind)
    if not 0 < len(notify_id) <= MAX_ID_LENGTH:
        raise BadReceipt("id")
    message_id = _our_id(reference)
    replies.record_status(
        notify_id,
        word,
        code,
        reference=message_id,
        fallback=None if message_id is None else partial(_by_reference, message_id, notify_id),
    )


def _our_id(reference: str | None) -> int | None:
    """The message id a receipt's reference names (None: not one of ours)."""
    if not reference or not reference.isdecimal() or int(reference) > LARGEST_ID:
        return None
    return int(reference)


def _by_reference(message_id: int, notify_id: str) -> Message | None:
    """Our message with this id, if Notify sent it and no worker holds it now (the worker's
    saving of its outcome would overwrite the receipt). One waiting to be tried again because
    Notify's answer was lost is sent after all: it is recorded so, and not sent twice; so is
    one failed only because Notify never answered (its last try timed out)."""
    now = utcnow()
    # Locked first (PostgreSQL): a worker saving this message's timed-out send then waits for
    # this receipt, kept early, to be committed, and finds it; or this waits for the worker,
    # and finds the message queued again.
    db.session.execute(select(Message.id).where(Message.id == message_id).with_for_update())
    # Conditional: a worker may be claiming it at this moment.
    db.session.execute(
        update(Message)
        .where(
            Message.id == message_id,
            Message.provider == "notify",
            or_(
                Message.status == MessageStatus.QUEUED,
                and_(
                    Message.status == MessageStatus.FAILED,
                    Message.error_code.in_(UNANSWERED_CODES),
                ),
            ),
        )
        .values(
            status=MessageStatus.SENT,
            sent_at=now,
            failed_at=None,
            provider_id=notify_id,
            error_code=None,
            error_detail=None,
        )
    )
    message = db.session.get(Message, message_id)
    if message is None or message.provider != "notify" or message.status == MessageStatus.SENDING:
        return None
    if message.invitation is not None and message.invitation.sent_at is None:
        message.invitation.sent_at = message.sent_at or now
    return message


def record_text_received(notify_id: str, source_number: str, body: str) -> None:
    """A text to our number: Notify gives the sender as 447700900123, we keep +447700900123.
    Notify's id for it makes a callback Notify repeats heard once."""
    if not 0 < len(notify_id) <= MAX_ID_LENGTH:
        raise BadReceipt("id")
    replies.record_reply(
        sender=sender_e164(source_number), body=body, provider_message_id=notify_id
    )


def sender_e164(source_number: str) -> str:
    number = source_number.strip()
    if number[:1] not in ("+", "0"):
        number = "+" + number
    try:
        return normalise_mobile(number)
    except ContactError:
        return source_number  # not a mobile we could have stored: it matches no one
