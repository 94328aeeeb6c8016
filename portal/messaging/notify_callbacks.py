"""What GOV.UK Notify tells us back: delivery receipts, and texts sent to our number.

Notify's words are turned into the portal's (those of replies.apply_status), so a receipt from
Notify is heard exactly as a Twilio status callback is; a received text goes to the same
replies.record_reply as Twilio's.
"""

from __future__ import annotations

from sqlalchemy import select, update

from portal.contact import ContactError, normalise_mobile
from portal.extensions import db
from portal.messaging import replies
from portal.models import EarlyCallback, Message, MessageStatus, utcnow

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
MAX_ID_LENGTH = 100  # Message.provider_id's; Notify's ids are UUIDs (36)
LARGEST_ID = 2**31 - 1  # an integer column: a larger "reference" is not one of ours


class BadReceipt(ValueError):
    """Not a receipt Notify sends: an undocumented status or type, or an id too long to keep."""


def portal_status(status: str, notification_type: str) -> tuple[str, str | None]:
    """(the portal's status word, the error code for its plain reason) for a Notify receipt."""
    if status not in STATUS_WORDS or notification_type not in ("sms", "email"):
        raise BadReceipt(status)
    return STATUS_WORDS[status], FAILURE_CODES.get((status, notification_type))


def record_receipt(notify_id: str, reference: str | None, status: str, kind: str) -> None:
    """Apply a delivery receipt to its message, found by the Notify id the worker saved, or by
    our own id sent as ``reference`` (the worker never heard Notify's answer). One that comes
    before the worker has saved the outcome waits as an EarlyCallback, as Twilio's do."""
    word, code = portal_status(status, kind)
    if not 0 < len(notify_id) <= MAX_ID_LENGTH:
        raise BadReceipt("id")
    message = db.session.scalar(select(Message).where(Message.provider_id == notify_id))
    if message is None:
        message = _by_reference(reference, notify_id)
    if message is None:
        db.session.add(EarlyCallback(provider_id=notify_id, status=word, error_code=code))
    else:
        replies.apply_status(message, word, code)
    db.session.commit()


def _by_reference(reference: str | None, notify_id: str) -> Message | None:
    """Our message with this id, if Notify sent it and no worker holds it now (the worker's
    saving of its outcome would overwrite the receipt). One waiting to be tried again because
    Notify's answer was lost is sent after all: it is recorded so, and not sent twice."""
    if not reference or not reference.isdecimal() or int(reference) > LARGEST_ID:
        return None
    message_id, now = int(reference), utcnow()
    # Conditional: a worker may be claiming it at this moment.
    db.session.execute(
        update(Message)
        .where(
            Message.id == message_id,
            Message.provider == "notify",
            Message.status == MessageStatus.QUEUED,
        )
        .values(
            status=MessageStatus.SENT,
            sent_at=now,
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


def record_text_received(source_number: str, body: str) -> None:
    """A text to our number: Notify gives the sender as 447700900123, we keep +447700900123."""
    replies.record_reply(sender=sender_e164(source_number), body=body)


def sender_e164(source_number: str) -> str:
    number = source_number.strip()
    if number[:1] not in ("+", "0"):
        number = "+" + number
    try:
        return normalise_mobile(number)
    except ContactError:
        return source_number  # not a mobile we could have stored: it matches no one
