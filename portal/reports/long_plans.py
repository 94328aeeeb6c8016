"""Plans open longer than 10 months, as of today: a child whose latest "plan started" at a held
conference was not followed by a held conference that ended it (ended, or transferred). Counted
in the conference activity report, and listed, by case only, for the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import Conference, ConferenceChild, ConferenceStatus, PlanOutcome

LONG_PLAN_MONTHS = 10
PLAN_ENDS = (
    PlanOutcome.ENDED_CHILD_IN_NEED,
    PlanOutcome.ENDED_LOOKED_AFTER,
    PlanOutcome.TRANSFERRED,
)


@dataclass(frozen=True)
class LongPlan:
    case_reference: str
    started_on: date
    months_open: int


def _open_plans(on: date) -> Select:
    """Children whose plan is open on ``on``: its latest start, with no later end (held
    conferences only). Columns: case reference, start date."""
    later = aliased(Conference)
    later_child = aliased(ConferenceChild)

    def after_this(outcomes: tuple[PlanOutcome, ...]) -> ColumnElement[bool]:
        return exists().where(
            later_child.child_id == ConferenceChild.child_id,
            later_child.conference_id == later.id,
            later.status == ConferenceStatus.HELD,
            later.conference_date > Conference.conference_date,
            later.conference_date <= on,
            later_child.plan_outcome.in_(outcomes),
        )

    return (
        select(Conference.case_reference, Conference.conference_date.label("started_on"))
        .join(ConferenceChild, ConferenceChild.conference_id == Conference.id)
        .where(
            Conference.status == ConferenceStatus.HELD,
            ConferenceChild.plan_outcome == PlanOutcome.STARTED,
            ~after_this((PlanOutcome.STARTED,)),
            ~after_this(PLAN_ENDS),
        )
    )


def long_plan_threshold(on: date) -> date:
    """A plan started before this date has been open longer than 10 months on ``on``."""
    return on - relativedelta(months=LONG_PLAN_MONTHS)


def count_long_plans(on: date) -> int:
    plans = _open_plans(on).subquery()
    return (
        db.session.scalar(select(func.count()).where(plans.c.started_on < long_plan_threshold(on)))
        or 0
    )


def long_plans(on: date) -> list[LongPlan]:
    """Each child's plan open longer than 10 months, oldest first: no names, only the case."""
    plans = _open_plans(on).subquery()
    rows = db.session.execute(
        select(plans.c.case_reference, plans.c.started_on)
        .where(plans.c.started_on < long_plan_threshold(on))
        .order_by(plans.c.started_on, plans.c.case_reference)
    ).all()
    return [LongPlan(reference, started, _whole_months(started, on)) for reference, started in rows]


def _whole_months(start: date, end: date) -> int:
    gap = relativedelta(end, start)
    return gap.years * 12 + gap.months
