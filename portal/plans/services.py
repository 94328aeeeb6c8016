"""Keeping each child's plans in step with their held conferences.

A child's plans are derived from the outcomes recorded at their held conferences, in date order,
so recording (or correcting) a conference, importing history and merging two records of a child
all give the same plans: each calls ``rebuild_plans`` for the children it touched. The rules:

- "Plan started" starts a plan, with its category, unless one is open (a transfer-in to a child
  already on a plan here carries it on).
- "Plan continued" carries the open plan on; with none open on record (history imported from
  the middle of a plan), it starts one at that conference.
- An ending outcome (child in need, looked after, transferred) ends the open plan there.
- "No plan needed" changes nothing.

The caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select

from portal.extensions import db
from portal.models import (
    PLAN_ENDINGS,
    ChildPlan,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    HarmCategory,
    PlanOutcome,
)
from portal.models.base import table_of

CHUNK = 500  # children per query: well under SQLite's bound-parameter limit


@dataclass(frozen=True)
class HeldOutcome:
    """One child's outcome at one held conference, as the plan rules read it."""

    child_id: int
    conference_id: int
    held_on: date
    outcome: PlanOutcome | None
    category: HarmCategory | None


def derive_plans(history: Iterable[HeldOutcome]) -> list[dict[str, object]]:
    """The plan rows for one child's held conferences, given in date order."""
    plans: list[dict[str, object]] = []
    current: dict[str, object] | None = None
    for step in history:
        if step.outcome in (PlanOutcome.STARTED, PlanOutcome.CONTINUED) and current is None:
            if step.category is None:
                continue  # a record without a category cannot start a plan
            current = {
                "child_id": step.child_id,
                "category": step.category,
                "started_on": step.held_on,
                "started_conference_id": step.conference_id,
                "ended_on": None,
                "ended_conference_id": None,
                "end_outcome": None,
            }
            plans.append(current)
        elif step.outcome in PLAN_ENDINGS and current is not None:
            current["ended_on"] = step.held_on
            current["ended_conference_id"] = step.conference_id
            current["end_outcome"] = step.outcome
            current = None
    return plans


def _held_outcomes(child_ids: list[int]) -> list[HeldOutcome]:
    rows = db.session.execute(
        select(
            ConferenceChild.child_id,
            Conference.id,
            Conference.conference_date,
            ConferenceChild.plan_outcome,
            ConferenceChild.harm_category,
        )
        .join(Conference, Conference.id == ConferenceChild.conference_id)
        .where(
            ConferenceChild.child_id.in_(child_ids),
            Conference.status == ConferenceStatus.HELD,
        )
        .order_by(ConferenceChild.child_id, Conference.conference_date, Conference.id)
    )
    return [HeldOutcome(*row) for row in rows]


def rebuild_plans(child_ids: Iterable[int]) -> None:
    """Replace the plans of these children with the ones their held conferences give."""
    ids = sorted(set(child_ids))
    plan_table = table_of(ChildPlan)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        by_child: dict[int, list[HeldOutcome]] = {child_id: [] for child_id in chunk}
        for step in _held_outcomes(chunk):
            by_child[step.child_id].append(step)
        rows = [plan for history in by_child.values() for plan in derive_plans(history)]
        db.session.execute(delete(plan_table).where(plan_table.c.child_id.in_(chunk)))
        if rows:
            db.session.execute(insert(plan_table), rows)
