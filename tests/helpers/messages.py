"""Checks shared by the message providers' tests."""

from __future__ import annotations

import traceback

from sqlalchemy import insert

from portal.extensions import db
from portal.messaging.providers import SendError
from portal.models import Channel, FamilyMember, Message, MessageKind, utcnow


def assert_nothing_personal(error: SendError, *personal: str) -> None:
    """Neither the detail nor a logged traceback may quote the recipient or the message."""
    logged = "".join(traceback.format_exception(error))
    for value in personal:
        assert value not in error.detail
        assert value not in logged


def queue_many(count: int, member: FamilyMember, channel: Channel = Channel.SMS) -> None:
    """Many messages at once, each with a body of its own to count by ("Message 0", ...)."""
    db.session.execute(
        insert(Message),
        [
            {
                "family_member_id": member.id,
                "kind": MessageKind.RATING_THANKS,
                "channel": channel,
                "to_address": member.mobile if channel == Channel.SMS else member.email,
                "subject": None if channel == Channel.SMS else "Thank you",
                "body_text": f"Message {number}",
                "next_attempt_at": utcnow(),
            }
            for number in range(count)
        ],
    )
    db.session.commit()
