"""Plans open longer than 10 months, as of a day: each child's plan (a ChildPlan row, derived
from held conferences by portal/plans, for conferences run here and imported alike) started more
than 10 months before that day and not ended by then. Counted in the conference activity report,
and listed, by case only, for the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, func, select

from portal.extensions import db
from portal.models import ChildPlan, Conference
from portal.plans.rules import whole_months

LONG_PLAN_MONTHS = 10


@dataclass(frozen=True)
class LongPlan:
    case_reference: str
    started_on: date
    months_open: int


def long_plan_threshold(on: date) -> date:
    """A plan started before this date has been open longer than 10 months on ``on``."""
    return on - relativedelta(months=LONG_PLAN_MONTHS)


def _long_on(on: date) -> ColumnElement[bool]:
    """Open on ``on`` (not ended by then), and started before the threshold."""
    return (ChildPlan.started_on < long_plan_threshold(on)) & (
        ChildPlan.ended_on.is_(None) | (ChildPlan.ended_on > on)
    )


def count_long_plans(on: date) -> int:
    return db.session.scalar(select(func.count(ChildPlan.id)).where(_long_on(on))) or 0


def long_plans(on: date) -> list[LongPlan]:
    """Each child's plan open longer than 10 months, oldest first: no names, only the case
    (of the conference that started the plan)."""
    rows = db.session.execute(
        select(Conference.case_reference, ChildPlan.started_on)
        .join(Conference, Conference.id == ChildPlan.started_conference_id)
        .where(_long_on(on))
        .order_by(ChildPlan.started_on, Conference.case_reference, ChildPlan.id)
    ).all()
    return [LongPlan(reference, started, whole_months(started, on)) for reference, started in rows]
