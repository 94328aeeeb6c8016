"""Conferences whose words go soon: retention (portal/retention.py) removes what families,
children and advocates wrote from a conference ``RETENTION_DAYS`` days after it. Those it will
clean within ``WARNING_DAYS`` days whose record nobody has downloaded for the case system
(``Conference.record_exported_at`` is empty) are on the coordinator's list, soonest first.

Retention cleans the conferences held before ``today - RETENTION_DAYS``: one held on day D is
cleaned on day D + RETENTION_DAYS + 1, so "within 14 days" is D < today + 14 - RETENTION_DAYS,
and D >= today - RETENTION_DAYS is "not cleaned yet". Imported history holds no words and a
cancelled conference is no one's record: neither is listed.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Select, false, func, select

from portal.extensions import db
from portal.models import Conference, ConferenceStatus

WARNING_DAYS = 14


def removal_day(conference: Conference, retention_days: int) -> date:
    """The day retention removes the conference's words."""
    return conference.conference_date + timedelta(days=retention_days + 1)


def _due(today: date, retention_days: int) -> Select[Conference]:
    not_cleaned_from = today - timedelta(days=retention_days)
    return select(Conference).where(
        Conference.conference_date >= not_cleaned_from,
        Conference.conference_date < not_cleaned_from + timedelta(days=WARNING_DAYS),
        Conference.record_exported_at.is_(None),
        Conference.imported == false(),
        Conference.status != ConferenceStatus.CANCELLED,
    )


def records_due_count(today: date, retention_days: int) -> int:
    query = _due(today, retention_days).with_only_columns(func.count(Conference.id))
    return db.session.scalar(query) or 0


def records_due(today: date, retention_days: int) -> list[Conference]:
    return list(
        db.session.scalars(
            _due(today, retention_days).order_by(Conference.conference_date, Conference.id)
        )
    )
