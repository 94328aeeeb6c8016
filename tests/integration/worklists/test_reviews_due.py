"""Reviews due in the next 20 working days and overdue (issue 14, part 3): children with an
open plan, due from their latest held conference, shown as booked when a scheduled conference
includes them, flagged when that is after the due date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    ConferenceStatus,
    ConferenceType,
    PlanOutcome,
    Role,
    utcnow,
)
from portal.plans.due import plan_statuses, reviews_due
from portal.templating import local_date
from tests.helpers.plans import conference_on, make_child
from tests.pages import PageClient

INITIAL, REVIEW = ConferenceType.INITIAL, ConferenceType.REVIEW
STARTED, CONTINUED = PlanOutcome.STARTED, PlanOutcome.CONTINUED
ENDED = PlanOutcome.ENDED_CHILD_IN_NEED
SCHEDULED = ConferenceStatus.SCHEDULED


@pytest.fixture
def children() -> dict[str, object]:
    today = local_date(utcnow())

    def ago(months: int, days: int = 0) -> date:
        return today - relativedelta(months=months) + timedelta(days=days)

    amber, blue, cora, dora, ella = (
        make_child(n) for n in ("Amber", "Blue", "Cora", "Dora", "Ella")
    )
    # Amber: initial 3 months and 5 days ago, nothing booked: overdue by 5 days
    conference_on(ago(3, -5), INITIAL, {amber: STARTED}, case_reference="CASE-AMBER")
    # Blue: a review due in 10 days, booked for 20 days from now: booked after the due date
    conference_on(ago(12), INITIAL, {blue: STARTED}, case_reference="CASE-BLUE")
    conference_on(ago(6, 10), REVIEW, {blue: CONTINUED}, case_reference="CASE-BLUE")
    booked_late = conference_on(
        today + timedelta(days=20),
        REVIEW,
        {blue: None},
        status=SCHEDULED,
        case_reference="CASE-BLUE",
    )
    # Cora: due in 7 days, booked for 5 days from now: in time
    conference_on(ago(3, 7), INITIAL, {cora: STARTED}, case_reference="CASE-CORA")
    booked = conference_on(
        today + timedelta(days=5),
        REVIEW,
        {cora: None},
        status=SCHEDULED,
        case_reference="CASE-CORA",
    )
    # Dora: her plan ended; Ella: due in 2 months
    conference_on(ago(12), INITIAL, {dora: STARTED}, case_reference="CASE-DORA")
    conference_on(ago(6, -3), REVIEW, {dora: ENDED}, case_reference="CASE-DORA")
    conference_on(ago(1), INITIAL, {ella: STARTED}, case_reference="CASE-ELLA")
    return {"today": today, "amber": amber, "blue": blue, "cora": cora, "dora": dora,
            "ella": ella, "booked_late": booked_late, "booked": booked}  # fmt: skip


def test_the_list_holds_overdue_and_due_soon_reviews(children: dict[str, object]) -> None:
    today = children["today"]
    assert isinstance(today, date)
    due = reviews_due(today)
    # 3 (or 6) months on from the dates above: 5 days ago, in 7 and in 10 days, except near a
    # month's end, where the month-end rule moves them by a day or two
    amber_due = today - relativedelta(months=3) + timedelta(days=-5) + relativedelta(months=3)
    cora_due = today - relativedelta(months=3) + timedelta(days=7) + relativedelta(months=3)
    blue_due = today - relativedelta(months=6) + timedelta(days=10) + relativedelta(months=6)
    assert [(r.child_name, r.due_on) for r in due.overdue] == [("Amber Tester", amber_due)]
    assert [(r.child_name, r.due_on, r.booked_on, r.booked_late) for r in due.due_soon] == [
        ("Cora Tester", cora_due, today + timedelta(days=5), False),
        ("Blue Tester", blue_due, today + timedelta(days=20), True),
    ]
    assert [r.needs_booking for r in due.overdue + due.due_soon] == [True, False, True]


def test_plan_statuses_show_the_latest_plan_and_the_next_review(
    children: dict[str, object],
) -> None:
    today = children["today"]
    assert isinstance(today, date)
    ids = {name: children[name].id for name in ("blue", "dora", "ella")}  # type: ignore[attr-defined]
    statuses = plan_statuses([*ids.values(), 999_999])
    assert set(statuses) == set(ids.values())
    blue = statuses[ids["blue"]]
    assert blue.is_open
    assert blue.started_on == today - relativedelta(months=12)
    assert blue.next_review_due == today - relativedelta(months=6) + timedelta(
        days=10
    ) + relativedelta(months=6)
    dora = statuses[ids["dora"]]
    assert not dora.is_open
    assert dora.end_outcome == ENDED
    assert dora.next_review_due is None
    assert statuses[ids["ella"]].next_review_due == today - relativedelta(months=1) + relativedelta(
        months=3
    )


def test_the_coordinator_sees_the_list_from_the_worklist(
    signed_in: Callable[..., PageClient], children: dict[str, object]
) -> None:
    coordinator = signed_in(Role.COORDINATOR)
    home = coordinator.get("/worklist")
    count = home.soup.select_one('[data-count="worklists.reviews_due"]')
    assert count is not None
    assert count.get_text() == "2"
    page = coordinator.get(home.link("2 Reviews due"))
    assert page.status == 200
    assert page.h1 == "Reviews due and overdue"
    text = page.text
    assert "Amber Tester" in text
    assert "Not booked" in text
    assert "After the due date" in text
    assert "Dora" not in text
    assert "Ella" not in text
    booked = children["booked"]
    assert f"/conferences/{booked.id}" in str(page.soup)  # type: ignore[attr-defined]
    viewed = db.session.scalars(
        select(AuditEvent.record_id).where(
            AuditEvent.action == AuditAction.VIEW, AuditEvent.record_type == "child"
        )
    ).all()
    assert set(viewed) == {children[n].id for n in ("amber", "blue", "cora")}  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", [Role.CHAIR, Role.ADMIN, Role.PARTICIPATION_OFFICER])
def test_only_coordinators_see_the_list(signed_in: Callable[..., PageClient], role: Role) -> None:
    assert signed_in(role).get("/plans/reviews-due").status == 403
