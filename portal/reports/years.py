"""The financial years every report offers, from one place, so the reports agree (issue 13)."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Conference, ConferenceStatus
from portal.reports.quarters import current_financial_year, financial_year_of


def report_years(asked: int | None = None) -> list[int]:
    """Newest first: every financial year from the first held conference's (recorded here or
    imported) to this one, or to the last held conference's if later; this one alone when none
    was held. ``asked`` is offered too when outside them (a year before the first record is
    still a fair question: its figures are empty)."""
    first, last = db.session.execute(
        select(func.min(Conference.conference_date), func.max(Conference.conference_date)).where(
            Conference.status == ConferenceStatus.HELD
        )
    ).one()
    newest = oldest = current_financial_year()
    if first is not None:
        oldest = min(oldest, financial_year_of(first))
        newest = max(newest, financial_year_of(last))
    years = set(range(oldest, newest + 1))
    if asked is not None:
        years.add(asked)
    return sorted(years, reverse=True)
