"""Subject access: the texts the person sent us, each with when it came, the meeting its link
was for, and the rating it gave. A reply from a number nobody has is no one's record, so it
cannot be found here; one blanked by retention says so."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import FamilyMember, Invitation, TextReply
from portal.subject_access.held import TextReplyEntry


def collect_text_replies(member: FamilyMember) -> list[TextReplyEntry]:
    replies = db.session.scalars(
        select(TextReply)
        .where(TextReply.family_member_id == member.id)
        .options(joinedload(TextReply.invitation).joinedload(Invitation.conference))
        .order_by(TextReply.received_at, TextReply.id)
    ).all()
    return [
        TextReplyEntry(
            received_at=reply.received_at,
            conference_date=reply.invitation.conference.conference_date
            if reply.invitation
            else None,
            text=reply.text,
            rating=reply.rating,
        )
        for reply in replies
    ]
