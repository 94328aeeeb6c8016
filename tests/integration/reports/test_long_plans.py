"""Plans open longer than 10 months, from each child's plans (ChildPlan): the admin's list by
case, the count in the activity report, for conferences run here and imported alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from portal.models import ConferenceStatus, ConferenceType, PlanOutcome, Role
from portal.reports.activity import today
from portal.reports.long_plans import count_long_plans, long_plans
from tests.helpers.plans import conference_on, make_child
from tests.pages import PageClient

INITIAL, REVIEW = ConferenceType.INITIAL, ConferenceType.REVIEW
STARTED, CONTINUED = PlanOutcome.STARTED, PlanOutcome.CONTINUED
ENDED, TRANSFERRED = PlanOutcome.ENDED_CHILD_IN_NEED, PlanOutcome.TRANSFERRED


@pytest.fixture
def officer(signed_in: Callable[..., PageClient]) -> PageClient:
    return signed_in(Role.PARTICIPATION_OFFICER)


@pytest.fixture
def admin(signed_in: Callable[..., PageClient]) -> PageClient:
    return signed_in(Role.ADMIN)


@pytest.fixture
def plans() -> date:
    now = today()

    def ago(months: int, days: int = 0) -> date:
        return now - relativedelta(months=months, days=days)

    p1, p2, p3, p4, p5, p6, p7, p8, p9, p10 = (make_child(f"Plan{n}") for n in range(1, 11))
    conference_on(ago(11), INITIAL, {p1: STARTED}, case_reference="CASE-ELEVEN")
    # exactly 10 months: not longer
    conference_on(ago(10), INITIAL, {p2: STARTED}, case_reference="CASE-TEN")
    conference_on(ago(10, 1), INITIAL, {p3: STARTED}, case_reference="CASE-TEN-AND-A-DAY")
    # ended by a later conference
    conference_on(ago(14), INITIAL, {p4: STARTED}, case_reference="CASE-ENDED")
    conference_on(ago(2), REVIEW, {p4: ENDED})
    # transferred, then a new plan 3 months ago: the repeat plan is not long
    conference_on(ago(14), INITIAL, {p5: STARTED}, case_reference="CASE-AGAIN")
    conference_on(ago(12), REVIEW, {p5: TRANSFERRED})
    conference_on(ago(3), INITIAL, {p5: STARTED}, case_reference="CASE-AGAIN")
    # continued at a review: still open
    conference_on(ago(12), INITIAL, {p6: STARTED}, case_reference="CASE-TWELVE")
    conference_on(ago(6), REVIEW, {p6: CONTINUED})
    # started at a conference that was cancelled: no plan
    conference_on(
        ago(12),
        INITIAL,
        {p7: STARTED},
        status=ConferenceStatus.CANCELLED,
        case_reference="CASE-CANCELLED",
    )
    # "ended" at a cancelled conference: still open
    conference_on(ago(13), INITIAL, {p8: STARTED}, case_reference="CASE-THIRTEEN")
    conference_on(ago(1), REVIEW, {p8: ENDED}, status=ConferenceStatus.CANCELLED)
    # imported history from the middle of a plan: "continued" 11 months ago starts it there
    conference_on(
        ago(11, 3), REVIEW, {p9: CONTINUED}, imported=True, case_reference="CASE-IMPORTED"
    )
    # started twice with no end between: one plan, from the first start
    conference_on(ago(15), INITIAL, {p10: STARTED}, case_reference="CASE-RESTARTED")
    conference_on(ago(2), INITIAL, {p10: STARTED}, case_reference="CASE-RESTARTED")
    return now


def test_long_plans_are_open_plans_started_more_than_10_months_ago(plans: date) -> None:
    assert [(p.case_reference, p.months_open) for p in long_plans(plans)] == [
        ("CASE-RESTARTED", 15),
        ("CASE-THIRTEEN", 13),
        ("CASE-TWELVE", 12),
        ("CASE-IMPORTED", 11),
        ("CASE-ELEVEN", 11),
        ("CASE-TEN-AND-A-DAY", 10),
    ]
    assert count_long_plans(plans) == 6


def test_a_plan_is_long_only_while_it_is_open(plans: date) -> None:
    """On a day before CASE-ENDED's plan ended (2 months ago) it was open 12 months."""
    earlier = plans - relativedelta(months=2, days=1)
    assert "CASE-ENDED" in [p.case_reference for p in long_plans(earlier)]
    assert "CASE-ENDED" not in [p.case_reference for p in long_plans(plans)]


def test_the_admin_sees_the_list_of_long_plans(admin: PageClient, plans: date) -> None:
    page = admin.get("/reports/long-plans")
    assert page.status == 200
    rows = page.table("6 plans")
    assert [row[0] for row in rows] == [
        "CASE-RESTARTED",
        "CASE-THIRTEEN",
        "CASE-TWELVE",
        "CASE-IMPORTED",
        "CASE-ELEVEN",
        "CASE-TEN-AND-A-DAY",
    ]
    assert [row[2] for row in rows] == ["15", "13", "12", "11", "11", "10"]
    assert "Plan1" not in page.text  # no names
    activity = admin.get("/reports/activity")
    assert activity.link("See the list of long plans") == "/reports/long-plans"


def test_the_participation_officer_sees_only_the_count(officer: PageClient, plans: date) -> None:
    assert officer.get("/reports/long-plans").status == 403
    page = officer.get("/reports/activity")
    assert page.status == 200
    assert "6 children's plans had been open longer than 10 months" in page.text
    assert "CASE-" not in page.text
    assert "See the list of long plans" not in page.text
    export = officer.get("/reports/activity.csv").response.get_data(as_text=True)
    assert "plans_at_end_over_10_months" in export
    assert "CASE-" not in export
