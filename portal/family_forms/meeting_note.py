"""The chair's "You said, we did" note on the child's own link: a young person's, or the link of
the adult who helps a child under YOUNG_PERSON_MIN_AGE (the link's member is the child's own
record either way, FamilyMember.child_id). The note shown is only ever the one written to that
child, for the conference of the link, once it is recorded."""

from __future__ import annotations

from portal.extensions import db
from portal.models import ConferenceChild, ConferenceStatus, Invitation, utcnow


def note_for(invitation: Invitation) -> ConferenceChild | None:
    """The conference's link to this link's child when the chair has written them a note."""
    child_id = invitation.family_member.child_id
    if child_id is None or invitation.conference.status != ConferenceStatus.HELD:
        return None
    link = db.session.get(ConferenceChild, (invitation.conference_id, child_id))
    return link if link is not None and link.you_said_we_did.strip() else None


def mark_opened(link: ConferenceChild) -> None:
    """The first opening is what the pack and the advocate's page show, and the report counts."""
    if link.you_said_we_did_opened_at is None:
        link.you_said_we_did_opened_at = utcnow()
        db.session.commit()
