"""Telling each child that the chair's "You said, we did" note is on their own link's page.

A young person invited in their own right (FamilyMember.child_id), or the adult helping a child
under YOUNG_PERSON_MIN_AGE, is sent one message, once, saying only that there is a note from the
meeting, with their link: the feedback link made when the conference was recorded, else the
views link while it still works. It goes within sending hours, as the feedback link's own
message does. Whatever page the link opens leads to the note (portal/family_forms/
meeting_note.py). Nobody without a usable contact, with messages paused, or who replied STOP,
is sent anything; the chair is told why.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from portal.extensions import db
from portal.invitations.schedule import first_send_at
from portal.invitations.services import live_invitation
from portal.messaging.outbox import queue_message
from portal.messaging.reachable import contact_problem
from portal.models import (
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceStatus,
    FamilyMember,
    FormKind,
    Invitation,
    MessageKind,
)


def _own_link(conference: Conference, member: FamilyMember, now: datetime) -> Invitation | None:
    for form in (FormKind.FEEDBACK, FormKind.VIEWS):
        invitation = live_invitation(conference.id, member.id, form)
        if invitation is not None and invitation.is_live(now):
            return invitation
    return None


def _problem(
    conference: Conference, member: FamilyMember, own_link: Invitation | None
) -> str | None:
    at_conference = db.session.get(ConferenceAdult, (conference.id, member.id))
    if at_conference is not None and at_conference.invitations_paused:
        return "Messages to them are paused"
    problem = contact_problem(member)
    if problem is None and own_link is None:
        return "They have no link that still works"
    return problem


def queue_note_message(link: ConferenceChild, now: datetime) -> str | None:
    """Queue the message for one child's note, unless it was queued already, there is no note,
    the conference is not recorded, or the child has no link of their own. Returns why it was
    not sent to someone who could have had it, else None. The caller commits."""
    conference = link.conference
    if (
        link.you_said_we_did_message_id is not None
        or not link.you_said_we_did.strip()
        or conference.status != ConferenceStatus.HELD
    ):
        return None
    member = db.session.scalar(
        select(FamilyMember)
        .join(ConferenceAdult, ConferenceAdult.family_member_id == FamilyMember.id)
        .where(
            ConferenceAdult.conference_id == conference.id,
            FamilyMember.child_id == link.child_id,
        )
    )
    if member is None:
        return None  # no link of their own: the advocate prints the note, as before
    own_link = _own_link(conference, member, now)
    problem = _problem(conference, member, own_link)
    if problem is not None:
        return problem
    message = queue_message(
        member,
        MessageKind.YOU_SAID_WE_DID,
        member.preferred_channel,
        invitation=own_link,
        # Within sending hours, with the feedback link's own message: never late at night.
        due_at=first_send_at(conference, FormKind.FEEDBACK, now),
    )
    db.session.flush()  # its id
    link.you_said_we_did_message_id = message.id
    return None


def queue_note_messages(conference: Conference, now: datetime) -> list[tuple[str, str]]:
    """Every child's note message not queued yet, as the conference is recorded: (name, why)
    for each child who could not be sent one. The caller commits."""
    not_sent = []
    for link in sorted(conference.children, key=lambda c: c.child_id):
        problem = queue_note_message(link, now)
        if problem is not None:
            not_sent.append((link.child.full_name, problem))
    return not_sent
