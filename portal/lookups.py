"""Look-ups the pages of several domains share: a record by the ids in its URL, or 404.

Below every domain (it needs only the models), so a page never imports another domain's routes
for them. Whose records a person may open is the access policy's business
(portal/auth/access.py), checked before any of these runs.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    FamilyMember,
    Message,
)


def get_conference(conference_id: int) -> Conference | None:
    """The conference with its chair, children and adults loaded."""
    return db.session.scalar(
        select(Conference)
        .where(Conference.id == conference_id)
        .options(
            selectinload(Conference.chair),
            selectinload(Conference.children).selectinload(ConferenceChild.child),
            selectinload(Conference.adults).selectinload(ConferenceAdult.family_member),
        )
    )


def conference_or_404(conference_id: int) -> Conference:
    conference = get_conference(conference_id)
    if conference is None:
        abort(404)
    return conference


def child_or_404(conference_id: int, child_id: int) -> Child:
    """A child on this conference: another conference's child answers 404 here."""
    child = db.session.scalar(
        select(Child)
        .join(ConferenceChild)
        .where(ConferenceChild.conference_id == conference_id, Child.id == child_id)
    )
    if child is None:
        abort(404)
    return child


def member_or_404(conference_id: int, member_id: int) -> FamilyMember:
    """A family member on this conference: another conference's answers 404 here."""
    member = db.session.scalar(
        select(FamilyMember)
        .join(ConferenceAdult)
        .where(ConferenceAdult.conference_id == conference_id, FamilyMember.id == member_id)
    )
    if member is None:
        abort(404)
    return member


def note_messages(links: Iterable[ConferenceChild]) -> dict[int, Message]:
    """The message that told each child of their "You said, we did" note, by child id: for the
    pack and the advocate's page to say whether it was sent (one query)."""
    by_message = {
        link.you_said_we_did_message_id: link.child_id
        for link in links
        if link.you_said_we_did_message_id is not None
    }
    if not by_message:
        return {}
    found = db.session.scalars(select(Message).where(Message.id.in_(by_message)))
    return {by_message[message.id]: message for message in found}
