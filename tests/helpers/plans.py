"""Children's conference histories for the plan tests: each held conference's outcomes, and the
plans rebuilt from them as recording or importing does."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from portal.extensions import db
from portal.models import (
    Child,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    HarmCategory,
    PlanOutcome,
)
from portal.plans.services import rebuild_plans
from tests.factories import make_conference

Outcome = tuple[PlanOutcome, HarmCategory | None] | PlanOutcome | None


def make_child(name: str = "Robin", born: date = date(2015, 1, 1)) -> Child:
    child = Child(first_name=name, last_name="Tester", date_of_birth=born)
    db.session.add(child)
    db.session.commit()
    return child


def conference_on(
    day: date | str,
    kind: ConferenceType = ConferenceType.REVIEW,
    children: dict[Child, Outcome] | None = None,
    *,
    status: ConferenceStatus = ConferenceStatus.HELD,
    s47: date | None = None,
    **fields: object,
) -> Conference:
    """A conference at noon UTC on ``day`` with these children and outcomes; a bare outcome
    that keeps a plan gets the category neglect. The children's plans are rebuilt."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    if kind == ConferenceType.INITIAL and s47 is None:
        s47 = day
    made = make_conference(
        starts_at=datetime.combine(day, time(12), UTC),
        conference_type=kind,
        status=status,
        section_47_started_on=s47,
        **fields,
    )
    for child, outcome in (children or {}).items():
        if isinstance(outcome, tuple):
            outcome, category = outcome
        else:
            keeps = outcome in (PlanOutcome.STARTED, PlanOutcome.CONTINUED)
            category = HarmCategory.NEGLECT if keeps else None
        db.session.add(
            ConferenceChild(
                conference_id=made.id,
                child_id=child.id,
                section_47_started_on=s47,
                plan_outcome=outcome,
                harm_category=category,
            )
        )
    db.session.flush()
    rebuild_plans(child.id for child in children or {})
    db.session.commit()
    return made
