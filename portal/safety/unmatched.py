"""A danger-word text that reached no conference: its number is on no one's record, on
several, or on the record of someone never sent a link.

There is no conference, so no safety alert (an alert belongs to a conference) and no chair to
tell; but "I'm scared" must still reach a person. The safeguarding team is told at once, by
the same channels an alert tells them by, and reads the text on "Texts held against no one"
(portal/safety/routes.py). Like an alert's messages, these quote nothing and name no one.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import selectinload

from portal.audit.services import record_event
from portal.extensions import db
from portal.messaging.danger_words import mentions_danger
from portal.messaging.wording import render
from portal.models import (
    AuditAction,
    Channel,
    Message,
    MessageKind,
    RecordType,
    TextReply,
    utcnow,
)

PATH = "/safety-alerts/texts-to-no-one"
SUBJECT = "Heard: a text that reached no conference"
EMAIL_BODY = (
    "A text to {council} used a word on the danger list. The number is not on exactly one "
    "person's record with a link sent, so no conference was told.\n\nSign in to Heard now to "
    "read it: {link}"
)
# Short, so that one segment leaves room for a long service address in the link
SMS_BODY = "Heard: a text used a danger word and reached no conference. Sign in now: {link}"


def tell_team() -> int:
    """Queue the team's messages, due now (not held for sending hours); how many. The caller
    commits."""
    config = current_app.config
    # Made without url_for, as alert links are: the same page whether or not in a request.
    link = config["PUBLIC_BASE_URL"] + PATH
    wanted = [
        (Channel.EMAIL, config["SAFEGUARDING_TEAM_EMAIL"], EMAIL_BODY),
        (Channel.SMS, config["SAFEGUARDING_TEAM_MOBILE"], SMS_BODY),
    ]
    now = utcnow()
    queued = 0
    for channel, address, body in wanted:
        if not address:
            continue
        wording = render(channel, SUBJECT if channel == Channel.EMAIL else None, body, link=link)
        db.session.add(
            Message(
                family_member=None,
                conference_id=None,
                kind=MessageKind.SAFEGUARDING_ALERT,
                channel=channel,
                to_address=address,
                subject=wording.subject,
                body_text=wording.text,
                body_html=wording.html,
                next_attempt_at=now,
            )
        )
        queued += 1
    return queued


@dataclass(frozen=True)
class HeldText:
    reply: TextReply
    danger: bool  # it used a word on the danger list, and so the team was told


def _held_against_no_one() -> ColumnElement[bool]:
    """Held against no link: no conference to tell (the person may be known, never sent one)."""
    return TextReply.invitation_id.is_(None)


def held_count() -> int:
    """How many texts are held against no one: for the Safety alerts page."""
    return db.session.scalar(select(func.count(TextReply.id)).where(_held_against_no_one())) or 0


def held_texts(page: int, per_page: int) -> list[HeldText]:
    """One page of them, newest first, each tagged when it used a danger word (the same test
    that told the team)."""
    words = current_app.config["TEXT_REPLY_DANGER_WORDS"]
    replies = db.session.scalars(
        select(TextReply)
        .options(selectinload(TextReply.family_member))
        .where(_held_against_no_one())
        .order_by(TextReply.received_at.desc(), TextReply.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return [HeldText(reply, mentions_danger(reply.text, words)) for reply in replies]


def record_list_viewed() -> None:
    record_event(AuditAction.VIEW, RecordType.MESSAGE, None)  # a list: who looked
    db.session.commit()
