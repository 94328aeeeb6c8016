"""When each child's next review is due, and the coordinator's list of reviews due and overdue.

A child's next review is due from their latest held conference (``rules.review_due``: 3 months
after an initial or transfer-in, 6 after a review) while their plan is open. The list holds the
children with an open plan whose review is due within ``DUE_WORKING_DAYS`` working days, or is
already overdue, with no later conference held. A scheduled conference that includes the child
counts as booked: the list shows it, and flags it when it is booked after the due date.

The candidates come from SQL (open plans joined to each child's latest held conference, by a
window function); only the month arithmetic runs in Python, on those few rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, Subquery, func, select

from portal.audit.services import commit_views, record_event
from portal.extensions import db
from portal.models import (
    AuditAction,
    Child,
    ChildPlan,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    HarmCategory,
    PlanOutcome,
    RecordType,
)
from portal.plans.rules import FIRST_REVIEW_MONTHS, review_due
from portal.working_days import add_working_days

DUE_WORKING_DAYS = 20


def latest_held(
    child_ids: Iterable[int] | Select[int] | None = None,
    before: date | None = None,
    leave_out: int | None = None,
) -> Subquery:
    """Each child's latest held conference (before ``before``; never ``leave_out``): columns
    child_id, conference_id, held_on (its date), conference_type, plan_outcome. ``child_ids``
    may be a query of them."""
    conditions = [Conference.status == ConferenceStatus.HELD]
    if isinstance(child_ids, Select):
        conditions.append(ConferenceChild.child_id.in_(child_ids))
    elif child_ids is not None:
        conditions.append(ConferenceChild.child_id.in_(list(child_ids)))
    if before is not None:
        conditions.append(Conference.conference_date < before)
    if leave_out is not None:
        conditions.append(Conference.id != leave_out)
    ranked = (
        select(
            ConferenceChild.child_id,
            Conference.id.label("conference_id"),
            Conference.conference_date.label("held_on"),
            Conference.conference_type,
            ConferenceChild.plan_outcome,
            func.row_number()
            .over(
                partition_by=ConferenceChild.child_id,
                order_by=(Conference.conference_date.desc(), Conference.id.desc()),
            )
            .label("rank"),
        )
        .join(Conference, Conference.id == ConferenceChild.conference_id)
        .where(*conditions)
        .subquery()
    )
    return select(ranked).where(ranked.c.rank == 1).subquery()


@dataclass(frozen=True)
class PlanStatus:
    """A child's latest plan, and their next review while it is open."""

    category: HarmCategory
    started_on: date
    ended_on: date | None
    end_outcome: PlanOutcome | None
    next_review_due: date | None

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


def plan_statuses(child_ids: Iterable[int]) -> dict[int, PlanStatus]:
    """Each of these children's latest plan (children never on a plan are left out)."""
    ids = list(child_ids)
    latest = latest_held(ids)
    rows = db.session.execute(
        select(ChildPlan, latest.c.conference_type, latest.c.held_on)
        .outerjoin(latest, latest.c.child_id == ChildPlan.child_id)
        .where(ChildPlan.child_id.in_(ids))
        .order_by(ChildPlan.child_id, ChildPlan.started_on, ChildPlan.id)
    ).all()
    statuses: dict[int, PlanStatus] = {}
    for plan, last_type, last_held_on in rows:  # the latest plan of each child comes last
        due = None
        if plan.is_open and last_held_on is not None:
            due = review_due(last_type, last_held_on)
        statuses[plan.child_id] = PlanStatus(
            plan.category, plan.started_on, plan.ended_on, plan.end_outcome, due
        )
    return statuses


@dataclass(frozen=True)
class ReviewDue:
    child_id: int
    child_name: str
    case_reference: str
    last_conference_id: int
    last_held_on: date
    due_on: date
    booked_conference_id: int | None
    booked_on: date | None

    @property
    def booked_late(self) -> bool:
        """Booked for after the due date."""
        return self.booked_on is not None and self.booked_on > self.due_on

    @property
    def needs_booking(self) -> bool:
        """Not booked, or booked for too late: the coordinator has something to do."""
        return self.booked_on is None or self.booked_late


@dataclass(frozen=True)
class ReviewsDue:
    today: date
    until: date  # the last day of the next DUE_WORKING_DAYS working days
    overdue: list[ReviewDue]
    due_soon: list[ReviewDue]


def reviews_due(today: date) -> ReviewsDue:
    """Children with an open plan whose next review is overdue, or due by ``until``."""
    until = add_working_days(today, DUE_WORKING_DAYS)
    open_plans = select(ChildPlan.child_id).where(ChildPlan.ended_on.is_(None))
    latest = latest_held(open_plans)
    # A review is due at least 3 months after the latest conference: none later can be due yet.
    candidates = db.session.execute(
        select(
            Child.id,
            Child.first_name,
            Child.last_name,
            Conference.case_reference,
            latest.c.conference_id,
            latest.c.held_on,
            latest.c.conference_type,
        )
        .select_from(ChildPlan)
        .join(Child, Child.id == ChildPlan.child_id)
        .join(latest, latest.c.child_id == ChildPlan.child_id)
        .join(Conference, Conference.id == latest.c.conference_id)
        .where(
            ChildPlan.ended_on.is_(None),
            latest.c.held_on <= until - relativedelta(months=FIRST_REVIEW_MONTHS),
        )
    ).all()
    booked = _booked({row.id: row.held_on for row in candidates})
    rows: list[ReviewDue] = []
    for row in candidates:
        due_on = review_due(row.conference_type, row.held_on)
        if due_on > until:
            continue
        booked_id, booked_on = booked.get(row.id, (None, None))
        rows.append(
            ReviewDue(
                child_id=row.id,
                child_name=f"{row.first_name} {row.last_name}",
                case_reference=row.case_reference,
                last_conference_id=row.conference_id,
                last_held_on=row.held_on,
                due_on=due_on,
                booked_conference_id=booked_id,
                booked_on=booked_on,
            )
        )
    rows.sort(key=lambda r: (r.due_on, r.case_reference, r.child_id))
    return ReviewsDue(
        today=today,
        until=until,
        overdue=[r for r in rows if r.due_on < today],
        due_soon=[r for r in rows if r.due_on >= today],
    )


def _booked(last_held: dict[int, date]) -> dict[int, tuple[int, date]]:
    """Each child's first scheduled conference after their latest held one."""
    booked: dict[int, tuple[int, date]] = {}
    ids = list(last_held)
    for start in range(0, len(ids), 500):  # well under SQLite's bound-parameter limit
        rows = db.session.execute(
            select(ConferenceChild.child_id, Conference.id, Conference.conference_date)
            .join(Conference, Conference.id == ConferenceChild.conference_id)
            .where(
                ConferenceChild.child_id.in_(ids[start : start + 500]),
                Conference.status == ConferenceStatus.SCHEDULED,
            )
            .order_by(Conference.conference_date.desc(), Conference.id.desc())
        )
        for child_id, conference_id, day in rows:  # the earliest comes last
            if day > last_held[child_id]:
                booked[child_id] = (conference_id, day)
    return booked


def count_reviews_to_book(today: date) -> int:
    """The worklist's count: reviews due or overdue that are not booked in time."""
    due = reviews_due(today)
    return sum(row.needs_booking for row in due.overdue + due.due_soon)


def record_children_listed(due: ReviewsDue) -> None:
    """A list naming children is a view of each of them, through their latest conference."""
    for row in due.overdue + due.due_soon:
        record_event(
            AuditAction.VIEW, RecordType.CHILD, row.child_id, conference_id=row.last_conference_id
        )
    if due.overdue or due.due_soon:
        commit_views()
