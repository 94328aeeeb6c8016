"""A year of the demo's child protection plans and their timeliness.

Families whose initial conference started a plan (a few needed none), reviewed 3 months later
and then every 6 months until the plan ended (to child in need, looked after, or transferred
out) or is still open: the same child and adult records at every conference of the case, as a
review set up from the conference before it would have them. A few initial conferences were
held beyond 15 working days of the section 47 start, and a few reviews after they were due,
each with its reason for delay (the service's spreadsheet, replaced). The quarter's own initial
conferences get their outcome, and a reason when they were late. The plans are then derived
from the outcomes as recording derives them (``rebuild_plans``).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal.demo.conferences import CASE_PREFIX, SURNAMES, _children, _family
from portal.demo.featured import FEATURED
from portal.extensions import db
from portal.models import (
    PLAN_ENDINGS,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceStatus,
    ConferenceType,
    DelayReason,
    FamilyMember,
    HarmCategory,
    PlanOutcome,
    StaffUser,
)
from portal.plans.rules import initial_in_time, review_due
from portal.plans.services import rebuild_plans
from portal.working_days import add_working_days, is_working_day

PLAN_FAMILIES = 24
PLAN_PREFIX = f"{CASE_PREFIX}P"
# Every LATE_INITIAL_EVERY-th family's initial conference was late.
LATE_INITIAL_EVERY = 6
LATE_REVIEW_CHANCE = 0.12
ENDS_AT_A_REVIEW = 0.4
# The weights of the seed report's year: initial plans 78% neglect, 22% emotional (a few
# physical and sexual for the rarer rows); plans ended 74% to child in need, 24% looked after.
CATEGORY_WEIGHTS = (70, 22, 6, 2)  # HarmCategory's order
ENDING_WEIGHTS = (74, 24, 2)  # PLAN_ENDINGS' order
OTHER_DETAILS = (
    "The family's solicitor could not attend until the following week",
    "The interpreter booked was unwell on the day",
    "Police checks were not back in time",
)


def _weekday(day: date, later: bool) -> date:
    """The nearest working day: forward when ``later``, else back (staying in time)."""
    step = timedelta(days=1 if later else -1)
    while not is_working_day(day):
        day += step
    return day


DelayRecord = tuple[DelayReason, str]  # the reason, and the words for "other"


def _reason(rng: random.Random) -> DelayRecord:
    reason = rng.choices(list(DelayReason), weights=[15, 30, 30, 15, 10])[0]
    return reason, rng.choice(OTHER_DETAILS) if reason == DelayReason.OTHER else ""


class _Case:
    """One family's conferences, each with the same child and adult records."""

    def __init__(
        self,
        number: int,
        children: list[Child],
        members: list[FamilyMember],
        chair: StaffUser,
        coordinator: StaffUser,
        zone: ZoneInfo,
    ) -> None:
        self.reference = f"{PLAN_PREFIX}{number:03d}"
        self.children, self.members = children, members
        self.chair, self.coordinator, self.zone = chair, coordinator, zone
        self.held = 0

    def conference(
        self,
        kind: ConferenceType,
        day: date,
        outcome: PlanOutcome,
        *,
        category: HarmCategory | None = None,
        started: dict[int, date] | None = None,  # each child's section 47 start, by position
        delay: DelayRecord | None = None,
    ) -> None:
        first_started = (started or {}).get(0)
        conference = Conference(
            case_reference=self.reference,
            conference_type=kind,
            starts_at=datetime.combine(day, time(10), self.zone),
            format=ConferenceFormat.HYBRID,
            status=ConferenceStatus.HELD,  # recorded with the others: record_held_conferences
            section_47_started_on=first_started,
            chair_id=self.chair.id,
            created_by_id=self.coordinator.id,
        )
        if delay is not None:
            conference.delay_reason, conference.delay_reason_detail = delay
        conference.children = [
            ConferenceChild(
                child=child,
                section_47_started_on=(started or {}).get(index),
                plan_outcome=outcome,
                harm_category=category,
            )
            for index, child in enumerate(self.children)
        ]
        conference.adults = [ConferenceAdult(family_member=member) for member in self.members]
        db.session.add(conference)
        self.held += 1


def _family_year(
    rng: random.Random,
    number: int,
    chairs: list[StaffUser],
    coordinator: StaffUser,
    zone: ZoneInfo,
    today: date,
) -> int:
    """One family's initial conference and its reviews up to today; how many were held."""
    surname = rng.choice(SURNAMES)
    started = _weekday(today - timedelta(days=rng.randrange(90, 400)), later=True)
    late = number % LATE_INITIAL_EVERY == 0
    delay = _reason(rng) if late else None
    if number == LATE_INITIAL_EVERY:  # one "another reason", with its words, for certain
        delay = (DelayReason.OTHER, OTHER_DETAILS[0])
    initial_day = add_working_days(started, rng.randrange(16, 22) if late else rng.randrange(7, 15))
    children: list[Child] = []
    while not children:  # born children: an unborn one would still be "expected" a year on
        children = [c for c in _children(rng, surname, initial_day) if not c.is_unborn]
    case = _Case(
        number, children, _family(rng, surname, coordinator), rng.choice(chairs), coordinator, zone
    )
    no_plan = rng.random() < 0.1
    category = None if no_plan else rng.choices(list(HarmCategory), CATEGORY_WEIGHTS)[0]
    # Siblings can differ: in a few families the enquiry about a younger child began a day later
    by_child = {
        index: started + timedelta(days=1 if index and number % 5 == 0 else 0)
        for index in range(len(children))
    }
    case.conference(
        ConferenceType.INITIAL,
        initial_day,
        PlanOutcome.NO_PLAN if no_plan else PlanOutcome.STARTED,
        category=category,
        started=by_child,
        delay=delay,
    )
    previous_type, previous_day = ConferenceType.INITIAL, initial_day
    while not no_plan:
        due = review_due(previous_type, previous_day)
        late_review = rng.random() < LATE_REVIEW_CHANCE
        if late_review:
            day = _weekday(due + timedelta(days=rng.randrange(3, 15)), later=True)
        else:
            day = _weekday(due - timedelta(days=rng.randrange(0, 10)), later=False)
        if day >= today:
            break  # the next review is still to come: the plan stays open
        ends = rng.random() < ENDS_AT_A_REVIEW
        outcome = rng.choices(PLAN_ENDINGS, ENDING_WEIGHTS)[0] if ends else PlanOutcome.CONTINUED
        case.conference(
            ConferenceType.REVIEW,
            day,
            outcome,
            category=category,
            delay=_reason(rng) if late_review else None,
        )
        if ends:
            break
        previous_type, previous_day = ConferenceType.REVIEW, day
    return case.held


def add_year_of_plans(
    chairs: list[StaffUser], coordinator: StaffUser, zone: ZoneInfo, today: date
) -> int:
    """The families' conferences over the past year (held; recorded with the quarter's, by
    ``record_held_conferences``): how many were added. A stream of its own, so the quarter's
    invented families stay the same."""
    rng = random.Random(20240601)
    return sum(
        _family_year(rng, number, chairs, coordinator, zone, today)
        for number in range(1, PLAN_FAMILIES + 1)
    )


def record_plans_and_delays() -> None:
    """The quarter's held initial conferences get their outcome (most start a plan) and, when
    held beyond 15 working days, a reason; then every demo child's plans are derived."""
    rng = random.Random(20250601)
    initials = db.session.scalars(
        select(Conference)
        .where(
            Conference.case_reference.startswith(CASE_PREFIX),
            Conference.case_reference.not_like(f"{PLAN_PREFIX}%"),
            Conference.case_reference.not_in(FEATURED),
            Conference.status == ConferenceStatus.HELD,
            Conference.conference_type == ConferenceType.INITIAL,
        )
        .order_by(Conference.case_reference)
    ).all()
    for conference in initials:
        category = rng.choices(list(HarmCategory), CATEGORY_WEIGHTS)[0]
        starts_plan = rng.random() < 0.85
        for link in conference.children:
            link.plan_outcome = PlanOutcome.STARTED if starts_plan else PlanOutcome.NO_PLAN
            link.harm_category = category if starts_plan else None
        started = conference.section_47_started_on
        if started is not None and not initial_in_time(started, conference.conference_date):
            conference.delay_reason, conference.delay_reason_detail = _reason(rng)
    db.session.flush()
    rebuild_plans(
        db.session.scalars(
            select(ConferenceChild.child_id)
            .join(Conference)
            .where(Conference.case_reference.startswith(CASE_PREFIX))
        )
    )
