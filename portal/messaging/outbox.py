"""Writing to the outbox. Callers commit, so a message is saved with whatever caused it."""

from __future__ import annotations

from datetime import datetime

from portal.extensions import db
from portal.messaging.wording import wording_for
from portal.models import Channel, FamilyMember, Invitation, Message, MessageKind, utcnow


def address_for(member: FamilyMember, channel: Channel) -> str | None:
    return member.mobile if channel == Channel.SMS else member.email


def queue_message(
    member: FamilyMember,
    kind: MessageKind,
    channel: Channel,
    *,
    invitation: Invitation | None = None,
    conference_id: int | None = None,
    due_at: datetime | None = None,
) -> Message:
    address = address_for(member, channel)
    if address is None:
        raise ValueError(f"No {channel.value} address to send to")
    # A child's helping adult is told the form is the child's (never naming the child).
    wording = wording_for(
        kind, channel, to_helper=member.helper_name is not None, language=member.language_code
    )
    message = Message(
        family_member=member,
        invitation=invitation,
        conference_id=conference_id
        if conference_id is not None
        else (invitation.conference_id if invitation else None),
        kind=kind,
        channel=channel,
        to_address=address,
        subject=wording.subject,
        body_text=wording.text,
        body_html=wording.html,
        next_attempt_at=due_at or utcnow(),
    )
    db.session.add(message)
    return message
