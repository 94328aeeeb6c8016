"""The plan pages of issue 14 in a browser: the reviews due list, the child's plan and the
booking warning with its reason for delay pass axe-core (WCAG 2.2 A and AA) at 320px, without
sideways scrolling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from portal.models import ConferenceStatus, ConferenceType, PlanOutcome, Role, utcnow
from portal.templating import local_date
from tests.factories import make_staff
from tests.helpers.browser import assert_accessible, no_sideways_scroll, sign_in
from tests.helpers.plans import conference_on, make_child

pytestmark = pytest.mark.browser


def test_reviews_due_the_plan_and_the_delay_question(live_server, browser) -> None:
    today = local_date(utcnow())
    coordinator = make_staff(Role.COORDINATOR)
    child = make_child("Ivy")
    first = conference_on(
        today - relativedelta(months=3, days=2),
        ConferenceType.INITIAL,
        {child: PlanOutcome.STARTED},
    )
    review = conference_on(
        today + timedelta(days=30),
        ConferenceType.REVIEW,
        {child: None},
        status=ConferenceStatus.SCHEDULED,
    )
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, coordinator.email)
    scanned: list[str] = []

    page.goto(f"{live_server}/worklist")
    page.get_by_role("link", name="Reviews due").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews due and overdue")
    expect(page.get_by_text("After the due date")).to_be_visible()
    assert_accessible(page, scanned)
    no_sideways_scroll(page)

    page.goto(f"{live_server}/conferences/{first.id}/children/{child.id}/edit")
    expect(page.get_by_text("Next review due by")).to_be_visible()
    assert_accessible(page, scanned)

    page.goto(f"{live_server}/conferences/{review.id}/edit")
    page.get_by_role("button", name="Save conference").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-warning-text")).to_contain_text("Ivy Tester's review was due by")
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    page.get_by_role("link", name="Select the reason for the delay").click()
    page.get_by_label("The family asked for another date").check()
    page.get_by_role("button", name="Save conference").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Conference details saved")
    context.close()
