"""The timescales (portal/plans/rules.py) and the plan rules (derive_plans), as plain dates."""

from __future__ import annotations

from datetime import date

import pytest

from portal.models import ConferenceType, HarmCategory, PlanOutcome
from portal.plans.rules import initial_deadline, initial_in_time, review_due, whole_months
from portal.plans.services import HeldOutcome, derive_plans

INITIAL, REVIEW, TRANSFER_IN = (
    ConferenceType.INITIAL,
    ConferenceType.REVIEW,
    ConferenceType.TRANSFER_IN,
)
STARTED, CONTINUED, NO_PLAN = PlanOutcome.STARTED, PlanOutcome.CONTINUED, PlanOutcome.NO_PLAN
CHILD_IN_NEED, LOOKED_AFTER = PlanOutcome.ENDED_CHILD_IN_NEED, PlanOutcome.ENDED_LOOKED_AFTER
NEGLECT, EMOTIONAL = HarmCategory.NEGLECT, HarmCategory.EMOTIONAL


# --- Review due dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "held_on", "due"),
    [
        (INITIAL, date(2023, 11, 30), date(2024, 2, 29)),  # leap year: 29 February
        (INITIAL, date(2024, 11, 30), date(2025, 2, 28)),  # 30 February does not exist
        (REVIEW, date(2024, 8, 31), date(2025, 2, 28)),  # 6 months after a review
        (INITIAL, date(2025, 1, 31), date(2025, 4, 30)),  # 31 April does not exist
        (TRANSFER_IN, date(2025, 1, 31), date(2025, 4, 30)),  # a transfer-in is a first
        (REVIEW, date(2025, 3, 15), date(2025, 9, 15)),  # the same day of the month
        (INITIAL, date(2025, 10, 31), date(2026, 1, 31)),  # across the year end
    ],
)
def test_the_next_review_is_due_3_then_6_months_on(
    previous: ConferenceType, held_on: date, due: date
) -> None:
    assert review_due(previous, held_on) == due


def test_whole_months_follow_the_month_end_rule() -> None:
    assert whole_months(date(2024, 11, 30), date(2025, 2, 28)) == 3
    assert whole_months(date(2024, 11, 30), date(2025, 2, 27)) == 2
    assert whole_months(date(2024, 1, 15), date(2026, 1, 14)) == 23
    assert whole_months(date(2024, 1, 15), date(2026, 1, 15)) == 24


# --- The initial conference's 15 working days ---------------------------------------------------


@pytest.mark.parametrize(
    ("started", "deadline"),
    [
        # Friday 19 December 2025: Christmas, Boxing Day and New Year's Day are not working days
        (date(2025, 12, 19), date(2026, 1, 14)),
        # Thursday 17 April 2025: Good Friday, Easter Monday and the early May bank holiday
        (date(2025, 4, 17), date(2025, 5, 13)),
        # Thursday 28 March 2024: Good Friday 29 March, Easter Monday 1 April
        (date(2024, 3, 28), date(2024, 4, 22)),
        # Friday 23 May 2025, before the spring bank holiday Monday (26 May): day 1 is Tuesday
        (date(2025, 5, 23), date(2025, 6, 16)),
        # An ordinary three weeks: Monday 2 June 2025 to Monday 23 June
        (date(2025, 6, 2), date(2025, 6, 23)),
    ],
)
def test_the_initial_deadline_skips_weekends_and_bank_holidays(
    started: date, deadline: date
) -> None:
    assert initial_deadline(started) == deadline


def test_15_working_days_is_in_time_and_16_is_not() -> None:
    started = date(2025, 5, 23)  # a Friday before a bank holiday Monday: day 0
    assert initial_in_time(started, date(2025, 6, 16))  # day 15, a Monday
    assert not initial_in_time(started, date(2025, 6, 17))  # day 16
    assert initial_in_time(started, started)  # held on day 0
    assert initial_in_time(started, date(2025, 5, 26))  # the bank holiday: still day 0
    assert initial_in_time(date(2025, 12, 19), date(2026, 1, 14))  # day 15 across Christmas
    assert not initial_in_time(date(2025, 12, 19), date(2026, 1, 15))  # day 16


# --- Plans from the held conferences, in date order ---------------------------------------------

_conference_ids = iter(range(1, 1000))


def held(
    day: str, outcome: PlanOutcome | None, category: HarmCategory | None = None
) -> HeldOutcome:
    return HeldOutcome(
        child_id=7,
        conference_id=next(_conference_ids),
        held_on=date.fromisoformat(day),
        outcome=outcome,
        category=category,
    )


def spans(plans: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(p["started_on"], p["category"], p["ended_on"], p["end_outcome"]) for p in plans]


def test_a_plan_starts_continues_and_ends() -> None:
    history = [
        held("2024-01-10", STARTED, NEGLECT),
        held("2024-04-10", CONTINUED, NEGLECT),
        held("2024-10-10", CHILD_IN_NEED),
    ]
    plans = derive_plans(history)
    assert spans(plans) == [(date(2024, 1, 10), NEGLECT, date(2024, 10, 10), CHILD_IN_NEED)]
    assert plans[0]["started_conference_id"] == history[0].conference_id
    assert plans[0]["ended_conference_id"] == history[2].conference_id


def test_a_repeat_plan_is_a_second_plan() -> None:
    plans = derive_plans(
        [
            held("2023-02-01", STARTED, NEGLECT),
            held("2023-05-01", LOOKED_AFTER),
            held("2024-06-01", NO_PLAN),
            held("2024-09-01", STARTED, EMOTIONAL),
            held("2024-12-01", CONTINUED, EMOTIONAL),
        ]
    )
    assert spans(plans) == [
        (date(2023, 2, 1), NEGLECT, date(2023, 5, 1), LOOKED_AFTER),
        (date(2024, 9, 1), EMOTIONAL, None, None),
    ]


def test_started_while_a_plan_is_open_carries_it_on() -> None:
    """A transfer-in for a child already on a plan here: one plan, from its first start."""
    plans = derive_plans(
        [held("2024-01-10", STARTED, NEGLECT), held("2024-03-01", STARTED, EMOTIONAL)]
    )
    assert spans(plans) == [(date(2024, 1, 10), NEGLECT, None, None)]


def test_continued_with_no_plan_open_starts_one_there() -> None:
    """History imported from the middle of a plan."""
    plans = derive_plans([held("2024-05-05", CONTINUED, EMOTIONAL)])
    assert spans(plans) == [(date(2024, 5, 5), EMOTIONAL, None, None)]


def test_an_ending_with_no_plan_open_changes_nothing() -> None:
    plans = derive_plans(
        [held("2024-05-05", CHILD_IN_NEED), held("2024-06-05", NO_PLAN), held("2024-07-05", None)]
    )
    assert plans == []


def test_a_start_without_a_category_starts_no_plan() -> None:
    plans = derive_plans([held("2024-05-05", STARTED), held("2024-08-05", CHILD_IN_NEED)])
    assert plans == []
