"""Replies by text in the feedback report: each reply kept (not STOP or START, not a bare
rating), counted in the quarter of the conference its link is for, in SQL.

A reply held against no link (a number nobody has) belongs to no conference and is not counted.
Replies are text messages: the email channel's filter leaves them all out.
"""

from __future__ import annotations

from sqlalchemy import false, func, select

from portal.extensions import db
from portal.models import Channel, Conference, FormKind, Invitation, TextReply
from portal.reports.quarters import Rate, financial_quarters, in_year, quarter_of


def text_replies_by_quarter(
    year: int, form: FormKind | None = None, channel: Channel | None = None
) -> list[Rate]:
    """Each quarter's replies, of the year's."""
    replies = (
        select(quarter_of(Conference.conference_date, year).label("quarter"))
        .select_from(TextReply)
        .join(Invitation, Invitation.id == TextReply.invitation_id)
        .join(Conference, Conference.id == Invitation.conference_id)
        .where(in_year(Conference.conference_date, year))
    )
    if form is not None:
        replies = replies.where(Invitation.form == form)
    if channel not in (None, Channel.SMS):
        replies = replies.where(false())
    counted = replies.subquery("replies")
    counts: dict[int, int] = {
        int(quarter): int(count)
        for quarter, count in db.session.execute(
            select(counted.c.quarter, func.count()).group_by(counted.c.quarter)
        )
    }
    total = sum(counts.values())
    return [Rate(q.label, counts.get(q.number, 0), total) for q in financial_quarters(year)]
