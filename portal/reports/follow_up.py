"""What the reports say about following up what families ask for, and about records missing
(issue 13): both counted by quarter of the conference date, each in one grouped query.

- Conferences held but not recorded (``portal.tasks.unrecorded.unrecorded``: started, not
  cancelled, not recorded, not imported): the participation and activity reports warn that the
  quarter's figures are incomplete, because participation is counted from the record.
- Parents who asked to speak to the chair: a call task (``TaskKind.SPEAK_TO_CHAIR``) not
  cancelled (the parent did not take the request back), at a conference not cancelled; contacted
  before the conference: the chair recorded the call done with a date before the conference
  starts (a call on the day itself counts, as the chair records the day, not the hour).

Each is a subquery of one row per conference (or task) with its quarter, grouped by that plain
column: a GROUP BY never names an expression with bound values, which PostgreSQL would not match.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from portal.extensions import db
from portal.models import Conference, ConferenceStatus, Task, TaskKind, TaskState
from portal.reports.activity_counts import ByQuarter, RateByQuarter
from portal.reports.quarters import flag, in_year, quarter_of
from portal.tasks.unrecorded import unrecorded


def count_unrecorded(year: int, now: datetime) -> ByQuarter:
    """Conferences held in each quarter of the year and not recorded yet."""
    quarter = quarter_of(Conference.conference_date, year).label("quarter")
    inner = (
        select(Conference.id, quarter)
        .where(unrecorded(now), in_year(Conference.conference_date, year))
        .subquery()
    )
    counts = ByQuarter(_("Conferences held and not recorded yet"), name="not_recorded_yet")
    for quarter_number, count in db.session.execute(
        select(inner.c.quarter, func.count()).group_by(inner.c.quarter)
    ):
        counts.add(int(quarter_number), int(count))
    return counts


def count_chair_calls(year: int) -> RateByQuarter:
    """Parents who asked to speak to the chair, and those contacted before the conference."""
    contacted = and_(
        Task.state == TaskState.DONE,
        Task.contacted_at.is_not(None),
        Task.contacted_at < Conference.starts_at,
    )
    inner = (
        select(
            quarter_of(Conference.conference_date, year).label("quarter"),
            flag(contacted).label("contacted"),
        )
        .select_from(Task)
        .join(Conference, Conference.id == Task.conference_id)
        .where(
            Task.kind == TaskKind.SPEAK_TO_CHAIR,
            Task.state != TaskState.CANCELLED,
            Conference.status != ConferenceStatus.CANCELLED,
            in_year(Conference.conference_date, year),
        )
        .subquery()
    )
    rate = RateByQuarter(
        _("Parents who asked to speak to the chair: contacted before the meeting"),
        name="chair_calls_contacted",
    )
    for quarter_number, asked, reached in db.session.execute(
        select(inner.c.quarter, func.count(), func.sum(inner.c.contacted)).group_by(inner.c.quarter)
    ):
        rate.denominators.add(int(quarter_number), int(asked))
        rate.numerators.add(int(quarter_number), int(reached or 0))
    return rate
