"""The worker: claims due messages from the outbox, sends them, records what happened.

Delivery is at least once. A message is claimed (status "sending") in one transaction and its
outcome recorded in another; if a worker dies between the provider accepting a message and the
outcome being saved, the claim's lease runs out and the message is queued again, marked
"abandoned". Before a message whose last try may have reached the provider (abandoned, or timed
out) is sent again, the provider's word is looked for (Twilio: its list of messages to that
number, the same text since the message was queued; Notify: a receipt kept with its
"reference"): if it took it, it is recorded as sent, not sent twice. A duplicate is left only
where the provider cannot say (no list, the list call failed, no receipt yet): at most one per
message the dead worker held, never a loss. On PostgreSQL several workers can run at once (FOR
UPDATE SKIP LOCKED); on SQLite run one.
"""

from __future__ import annotations

import logging
import random
import threading
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.messaging.outbox import address_for
from portal.messaging.providers import (
    OutgoingMessage,
    PermanentSendError,
    Provider,
    SendError,
    SendResult,
    TransientSendError,
)
from portal.messaging.reachable import contact_problem
from portal.messaging.replies import FINAL, apply_early_callbacks, apply_status
from portal.messaging.wording import fill_placeholders
from portal.models import (
    ConferenceStatus,
    EarlyCallback,
    Invitation,
    Message,
    MessageKind,
    MessageStatus,
    utcnow,
)
from portal.models.base import rows_matched

log = logging.getLogger(__name__)

ABANDONED = "abandoned"  # error_code of a message queued again after its worker died holding it
# The last try may have reached the provider: ask it before sending again.
OUTCOME_UNKNOWN = frozenset({ABANDONED, "timeout"})


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, outcome: str) -> None:
        with self._lock:
            setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.cancelled


def retry_delay(attempts: int, base_seconds: float) -> timedelta:
    """Exponential backoff with jitter: about base, 2×base, 4×base…, capped at an hour."""
    ceiling = min(3600.0, base_seconds * 2 ** (attempts - 1))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # noqa: S311 - not secret


def requeue_abandoned(now: datetime, lease_seconds: int) -> int:
    """Messages claimed by a worker that never came back are queued again."""
    result = db.session.execute(
        update(Message)
        .where(
            Message.status == MessageStatus.SENDING,
            Message.claimed_at < now - timedelta(seconds=lease_seconds),
        )
        .values(
            status=MessageStatus.QUEUED, claimed_by=None, next_attempt_at=now, error_code=ABANDONED
        )
    )
    db.session.commit()
    return rows_matched(result)


def claim_due(worker_id: str, limit: int, now: datetime) -> list[int]:
    """Claim up to ``limit`` due messages for this worker; others skip the locked rows."""
    ids = list(
        db.session.scalars(
            select(Message.id)
            .where(Message.status == MessageStatus.QUEUED, Message.next_attempt_at <= now)
            .order_by(Message.next_attempt_at, Message.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        db.session.commit()
        return []
    # "still queued" in the UPDATE too: where SKIP LOCKED is not available (SQLite), a row
    # another worker claimed in between is left to it.
    claim = f"{worker_id}:{uuid.uuid4().hex[:8]}"
    db.session.execute(
        update(Message)
        .where(Message.id.in_(ids), Message.status == MessageStatus.QUEUED)
        .values(
            status=MessageStatus.SENDING,
            claimed_by=claim,
            claimed_at=now,
            attempts=Message.attempts + 1,
        )
    )
    claimed = list(db.session.scalars(select(Message.id).where(Message.claimed_by == claim)))
    db.session.commit()
    return claimed


# Sent to whichever channel the person has not asked for links by: the second-check code.
OTHER_CHANNEL_KINDS = {MessageKind.CHECK_CODE}


def _why_not_send(message: Message, now: datetime) -> str | None:
    """The last check before a message goes: anything may have changed since it was queued."""
    invitation = message.invitation
    member = message.family_member
    if invitation is not None and not invitation.is_live(now):
        return "The link was replaced or has expired"
    if invitation is not None and invitation.conference.status == ConferenceStatus.CANCELLED:
        return "The conference was cancelled"
    if member is None:  # to staff (a safeguarding alert): the address is all there is to check
        return None
    if address_for(member, message.channel) != message.to_address:
        return "Their contact details changed after this was queued"
    if message.kind not in OTHER_CHANNEL_KINDS and message.channel != member.preferred_channel:
        return "They now get links by another channel"
    return contact_problem(member, message.channel)


def _outgoing(message: Message) -> OutgoingMessage:
    """The message as it goes out: the link and code put in where the wording holds places."""
    return OutgoingMessage(
        channel=message.channel.value,
        to=message.to_address,
        body_text=fill_placeholders(message.body_text, message.invitation),
        reference=str(message.id),
        subject=message.subject,
        body_html=fill_placeholders(message.body_html, message.invitation)
        if message.body_html
        else None,
    )


Attempt = SendResult | SendError


def _sent_already(provider: Provider, outgoing: OutgoingMessage, since: datetime) -> Attempt | None:
    """The provider's word that it already took this message (a send whose outcome was never
    saved), or None: not found, or the provider cannot say (then it is sent: at least once)."""
    find_sent = getattr(provider, "find_sent", None)
    if find_sent is None:
        return None
    try:
        found: SendResult | None = find_sent(outgoing, since)
    except Exception as error:  # noqa: BLE001 - any failure to ask means "send it"
        log.warning("message %s: could not ask %s (%s)", outgoing.reference, provider.name, error)
        return None
    if found is not None:
        log.info(
            "message %s: already taken by %s, not sent again", outgoing.reference, provider.name
        )
    return found


def _attempt(
    provider: Provider, outgoing: OutgoingMessage, since: datetime | None, settled: Attempt | None
) -> Attempt:
    if settled is not None:  # a receipt kept for it says the provider took it (Notify)
        return settled
    try:
        if since is not None and (found := _sent_already(provider, outgoing, since)):
            return found
        return provider.send(outgoing)
    except SendError as error:
        return error
    except Exception as error:  # a bug or an unforeseen failure must not stop the worker
        log.exception("message %s: unexpected error from %s", outgoing.reference, provider.name)
        return TransientSendError(type(error).__name__, code="unexpected")


def _record(message: Message, attempt: Attempt, settings: Mapping[str, Any], now: datetime) -> str:
    """Save what happened to one send; returns the outcome's name."""
    message.claimed_by = None
    if isinstance(attempt, TransientSendError):
        attempt = _taken_after_all(message) or attempt
    if isinstance(attempt, SendResult):
        message.status, message.sent_at = MessageStatus.SENT, now
        message.provider_id, message.provider_status = attempt.provider_id, attempt.status
        message.error_code = message.error_detail = None
        if message.invitation is not None and message.invitation.sent_at is None:
            message.invitation.sent_at = now
        if attempt.status in FINAL:
            # A provider that knows the outcome at once (the outbox-only one says "delivered")
            # is heard as a status callback would be: the funnel's "delivered" comes from here.
            apply_status(message, attempt.status, None)
        return "sent"
    message.error_code, message.error_detail = attempt.code, attempt.detail[:300]
    permanent = isinstance(attempt, PermanentSendError)
    if permanent or message.attempts >= settings["MESSAGE_MAX_ATTEMPTS"]:
        message.status, message.failed_at = MessageStatus.FAILED, now
        opted_out = isinstance(attempt, PermanentSendError) and attempt.opted_out
        if opted_out and message.family_member is not None:
            message.family_member.sms_opted_out_at = now
        return "failed"
    message.status = MessageStatus.QUEUED
    message.next_attempt_at = now + retry_delay(message.attempts, settings["RETRY_BASE_SECONDS"])
    return "retried"


def _taken_after_all(message: Message) -> SendResult | None:
    """A send that timed out may have been taken all the same: a receipt naming this message
    (Notify's "reference") that came while it was out says so, and gives the provider's id, so
    the message is recorded as sent (apply_early_callbacks then applies the receipt) rather than
    sent again. The query first writes the message's row (autoflush), so a receipt coming now
    waits for this transaction and finds the message queued or sent (notify_callbacks)."""
    provider_id = db.session.scalar(
        select(EarlyCallback.provider_id)
        .where(EarlyCallback.reference == message.id)
        .order_by(EarlyCallback.id)
        .limit(1)
    )
    return SendResult(provider_id=provider_id, status="accepted") if provider_id else None


def send_batch(
    message_ids: list[int],
    providers: Mapping[str, Provider],
    settings: Mapping[str, Any],
    pool: ThreadPoolExecutor,
    result: DrainResult,
) -> None:
    """Send a claimed batch, ``pool`` sending several at once, and record every outcome in one
    transaction (one by one only if that fails). The threads only talk to the provider; the
    database work stays here. A delivery callback that comes before the outcome is saved is
    kept (EarlyCallback) and applied here."""
    messages = db.session.scalars(
        select(Message)
        .where(Message.id.in_(message_ids), Message.status == MessageStatus.SENDING)
        .options(
            selectinload(Message.family_member),
            selectinload(Message.invitation).selectinload(Invitation.conference),
        )
    ).all()
    now = utcnow()
    to_send = []
    for message in messages:
        reason = _why_not_send(message, now)
        if reason:
            message.status, message.error_detail, message.claimed_by = (
                MessageStatus.CANCELLED,
                reason,
                None,
            )
            result.count("cancelled")
        else:
            message.provider = providers[message.channel.value].name
            to_send.append(message)
    ids = [m.id for m in to_send]
    attempts = list(
        pool.map(
            _attempt,
            [providers[m.channel.value] for m in to_send],
            [_outgoing(m) for m in to_send],
            [m.created_at if m.error_code in OUTCOME_UNKNOWN else None for m in to_send],
            [_taken_after_all(m) if m.error_code in OUTCOME_UNKNOWN else None for m in to_send],
        )
    )
    now = utcnow()
    outcomes = [_record(m, a, settings, now) for m, a in zip(to_send, attempts, strict=True)]
    try:
        apply_early_callbacks(to_send)  # its query flushes the outcomes first
        db.session.commit()
    except SQLAlchemyError:
        # A row went while the batch was out (its person was removed), or the database
        # hiccuped: save the outcomes one by one, so the others are not lost with it.
        db.session.rollback()
        outcomes = _record_one_by_one(ids, attempts, settings, now)
    for outcome in outcomes:
        result.count(outcome)


def _record_one_by_one(
    ids: list[int], attempts: list[Attempt], settings: Mapping[str, Any], now: datetime
) -> list[str]:
    saved = []
    for message_id, attempt in zip(ids, attempts, strict=True):
        try:
            message = db.session.get(Message, message_id)
            if message is None or message.status != MessageStatus.SENDING:
                continue  # gone with its person, or already dealt with
            saved.append(_record(message, attempt, settings, now))
            apply_early_callbacks([message])
            db.session.commit()
        except SQLAlchemyError:
            # Left "sending": it is queued again after the lease (at most one duplicate).
            db.session.rollback()
            log.exception("message %s: outcome not saved", message_id)
    return saved


def drain(
    app: Flask,
    providers: Mapping[str, Provider],
    worker_id: str,
    *,
    concurrency: int | None = None,
    until: datetime | None = None,
) -> DrainResult:
    """Send everything due now, ``concurrency`` messages at a time, then return.

    Messages retried for later are left for a later call.
    """
    settings = app.config
    concurrency = concurrency or settings["WORKER_CONCURRENCY"]
    batch_size = max(settings["WORKER_BATCH_SIZE"], concurrency * 2)
    result = DrainResult()
    with app.app_context(), ThreadPoolExecutor(max_workers=concurrency) as pool:
        requeue_abandoned(utcnow(), settings["SENDING_LEASE_SECONDS"])
        while claimed := claim_due(worker_id, batch_size, until or utcnow()):
            send_batch(claimed, providers, settings, pool, result)
        db.session.remove()
    return result
