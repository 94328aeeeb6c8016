"""Conferences held but not recorded, and the one reminder their chair gets.

A conference counts as held but not recorded once it has started, unless it was cancelled, was
recorded, or is imported history: the participation figures leave it out until it is recorded,
and its feedback links wait for the record. ``unrecorded`` is that rule as SQL, for the
worklists, the reports and the reminder alike.

One working day after the start (the same time of day, on the next working day), the chair is
sent one email asking them to record it: no name, no case reference, a link to sign in.
Conferences that started more than ``REMIND_WITHIN_DAYS`` ago are not reminded (a service that
starts using Heard is not sent its whole history); they stay on the worklists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.messaging.wording import render
from portal.models import (
    Channel,
    Conference,
    ConferenceStatus,
    Message,
    MessageKind,
    utcnow,
)
from portal.models.base import SERVICE_TIMEZONE
from portal.working_days import next_working_day

REMIND_WITHIN_DAYS = 28
REMINDER_SUBJECT = "Heard: a meeting to record"
REMINDER_BODY = (
    "A meeting you chaired has not been recorded yet. The figures and the feedback asked of "
    "the family wait for the record.\n\n"
    "Sign in to Heard to record it: {link}"
)


def unrecorded(now: datetime) -> ColumnElement[bool]:
    """Conferences held but not recorded, as a condition on Conference."""
    return and_(
        Conference.status != ConferenceStatus.CANCELLED,
        Conference.recorded_at.is_(None),
        Conference.imported.is_(False),
        Conference.starts_at <= now,
    )


def reminder_due_at(conference: Conference) -> datetime:
    """The same time of day as the start, on the next working day (Europe/London)."""
    local = conference.starts_at.astimezone(SERVICE_TIMEZONE)
    day = next_working_day(local.date())
    return datetime.combine(day, local.timetz()).replace(tzinfo=SERVICE_TIMEZONE)


def remind_unrecorded(now: datetime | None = None) -> int:
    """Queue the reminder for each conference due one; how many were queued. Commits.

    SQL picks the candidates (unrecorded, not reminded, started a day or more ago and within
    REMIND_WITHIN_DAYS, with a chair); the working-day rule is applied to those few in Python.
    """
    now = now or utcnow()
    candidates = db.session.scalars(
        select(Conference)
        .where(
            unrecorded(now),
            Conference.record_reminder_at.is_(None),
            Conference.chair_id.is_not(None),
            Conference.starts_at <= now - timedelta(days=1),
            Conference.starts_at > now - timedelta(days=REMIND_WITHIN_DAYS),
        )
        .options(selectinload(Conference.chair))
        .with_for_update(skip_locked=True)
    ).all()
    queued = 0
    for conference in candidates:
        if reminder_due_at(conference) > now:
            continue
        conference.record_reminder_at = now
        chair = conference.chair
        if chair is None or not chair.email or not chair.is_active:
            continue  # marked all the same: no one to tell, and no second try
        # The service's front door: after signing in, a chair starts on their own worklist.
        link = current_app.config["PUBLIC_BASE_URL"] + "/"
        wording = render(Channel.EMAIL, REMINDER_SUBJECT, REMINDER_BODY, link=link)
        db.session.add(
            Message(
                family_member=None,
                conference_id=conference.id,
                kind=MessageKind.RECORD_REMINDER,
                channel=Channel.EMAIL,
                to_address=chair.email,
                subject=wording.subject,
                body_text=wording.text,
                body_html=wording.html,
                next_attempt_at=now,
            )
        )
        queued += 1
    db.session.commit()
    return queued
