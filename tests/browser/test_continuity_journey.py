"""Continuity through the pages (issue 14, "Done when"): a coordinator sets up an initial
conference for a child, the chair records it (plan started, neglect), the coordinator sets up the
review from it, the chair records that (plan continued), then a second review is set up and
recorded (plan ended: child in need). One child record, the plan closed, 2 reviews in timescale
in the year's activity report, and nothing on the long-plans list.

The conferences are in the financial year 2025 (April 2025 to March 2026), on dates inside the
windows: the initial on 2 June 2025, 10 working days after the section 47 start; the first review
on 1 September 2025 (due by 2 September, 3 months on); the second on 2 February 2026 (due by
1 March, 6 months on). The forms take past dates, so no clock is moved.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Child,
    ChildPlan,
    Conference,
    ConferenceType,
    FamilyMember,
    HarmCategory,
    PlanOutcome,
    Role,
)
from tests.factories import PASSWORD, make_conference, make_staff
from tests.helpers.browser import assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.browser

REFERENCE = "CP-CONTINUITY-1"


def _signed_in(browser: Browser, live_server: str, email: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def _fill_date(page: Page, field_id: str, day: int, month: int, year: int) -> None:
    group = page.locator(f"#{field_id}")
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def _record(page: Page, live_server: str, conference_id: int, outcome: str, category: str) -> None:
    """The chair records the conference: Maya did not attend; her mother came."""
    page.goto(f"{live_server}/conferences/{conference_id}")
    page.get_by_role("link", name="Record the conference").click()
    page.get_by_role("group", name="Format").get_by_label("In person").check()
    page.get_by_role("group", name="Was the conference quorate?").get_by_label("Yes").check()
    maya = page.get_by_role("group", name=re.compile(r"^Maya Tester \(child"))
    maya.get_by_role("group", name="Did they attend?").get_by_label("No").check()
    maya.get_by_label("CP7: did not attend; no views").check()
    maya.get_by_label(outcome, exact=True).check()
    maya.get_by_label(category).check()
    mother = page.get_by_role("group", name="Kelly Tester (Mother)")
    mother.get_by_role("group", name="Did they attend?").get_by_label("The whole meeting").check()
    mother.get_by_role("group", name="How did they attend?").get_by_label("In person").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Conference recorded.")


def _set_up_review(
    page: Page, live_server: str, previous_id: int, due: str, day: tuple[int, int, int]
) -> int:
    """From the held conference's page: the review form, due date shown and filled in; the
    coordinator books it a day or so earlier. Returns the new conference's id."""
    page.goto(f"{live_server}/conferences/{previous_id}")
    page.get_by_role("link", name="Set up the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up the review")
    expect(page.locator(".govuk-inset-text").first).to_have_text(f"The review is due by {due}.")
    expect(page.get_by_label("Case reference")).to_have_value(REFERENCE)
    expect(page.get_by_label("Chair")).to_have_value(re.compile(r"^\d+$"))
    assert "Maya Tester" in page.inner_text("main")
    assert_accessible(page, [])
    no_sideways_scroll(page)
    _fill_date(page, "date", *day)
    page.get_by_role("button", name="Set up the review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Review set up.")
    expect(page.get_by_role("heading", level=1)).to_have_text(REFERENCE)
    main = page.inner_text("main")
    assert "Maya Tester" in main
    assert "Kelly Tester" in main
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def test_one_child_across_an_initial_conference_and_two_reviews(live_server, browser) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    chair = make_staff(Role.CHAIR, full_name="Chidi Okafor")
    admin = make_staff(Role.ADMIN)

    # The coordinator sets up the initial conference, with Maya and her mother, by the pages.
    office = _signed_in(browser, live_server, coordinator.email)
    office.goto(f"{live_server}/conferences/new")
    office.get_by_label("Case reference").fill(REFERENCE)
    office.get_by_label("Initial").check()
    _fill_date(office, "section_47_started_on", 19, 5, 2025)
    _fill_date(office, "date", 2, 6, 2025)
    office.get_by_label("Start time").fill("10:00")
    office.get_by_label("In person").check()
    office.get_by_label("Chair").select_option(label="Chidi Okafor")
    office.get_by_role("button", name="Save conference").click()
    expect(office.locator(".govuk-notification-banner")).to_contain_text("Conference created")
    initial_id = int(office.url.rstrip("/").rsplit("/", 1)[1])
    office.get_by_role("button", name="Add a child").click()
    office.get_by_label("First name").fill("Maya")
    office.get_by_label("Last name").fill("Tester")
    office.get_by_label("Yes").check()
    _fill_date(office, "birth_date", 1, 1, 2014)
    office.get_by_label("Person ID (optional)").fill("LCS-4471")
    office.get_by_role("button", name="Save child").click()
    expect(office.locator(".govuk-notification-banner")).to_contain_text("Maya Tester added.")
    office.get_by_role("button", name="Add a family member").click()
    office.get_by_label("First name").fill("Kelly")
    office.get_by_label("Last name").fill("Tester")
    office.get_by_label("Mother", exact=True).check()
    office.get_by_label("Mobile number (optional)").fill("07700 900 111")
    office.get_by_label("Text message").check()
    office.get_by_role("button", name="Save family member").click()
    expect(office.locator(".govuk-notification-banner")).to_contain_text("Kelly Tester added.")
    # Not held yet: no review to set up
    expect(office.get_by_role("link", name="Set up the review")).to_have_count(0)

    meeting = _signed_in(browser, live_server, chair.email)
    _record(meeting, live_server, initial_id, "Plan started", "Neglect")
    first_review_id = _set_up_review(
        office, live_server, initial_id, "2 September 2025", (1, 9, 2025)
    )
    _record(meeting, live_server, first_review_id, "Plan continued", "Neglect")
    second_review_id = _set_up_review(
        office, live_server, first_review_id, "1 March 2026", (2, 2, 2026)
    )
    _record(
        meeting,
        live_server,
        second_review_id,
        "Plan ended: child in need",
        "No category: there is no plan",
    )
    # The review of a closed plan has no one whose plan continues.
    office.goto(f"{live_server}/conferences/{second_review_id}/review")
    expect(office.get_by_text("No child's plan continues after this conference.")).to_be_visible()

    # Found by name: one record, on all three conferences (the name is posted, not in the URL)
    office.get_by_role("link", name="Find a person").click()
    office.get_by_label("Name").fill("maya tester")
    office.get_by_role("button", name="Search").click()
    found = office.locator("tbody tr")
    expect(found).to_have_count(1)
    expect(found).to_contain_text("LCS-4471")
    expect(found.locator("a")).to_have_count(3)
    assert "maya" not in office.url.lower()
    assert_accessible(office, [])
    no_sideways_scroll(office)

    # The service manager's figures: 2 reviews in timescale in the year, no long plans.
    reports = _signed_in(browser, live_server, admin.email)
    reports.goto(f"{live_server}/reports/activity?year=2025")
    on_time = reports.locator("tr").filter(
        has=reports.locator("th", has_text=re.compile(r"reviews.*(timescale|on time)", re.I))
    )
    expect(on_time.first.locator("td").last).to_contain_text("2 of 2")
    reports.goto(f"{live_server}/reports/long-plans")
    expect(reports.get_by_text("No plan has been open that long.")).to_be_visible()
    assert reports.locator("tbody tr").count() == 0

    db.session.expire_all()
    children = db.session.scalars(select(Child)).all()
    assert [(c.full_name, c.external_ref) for c in children] == [("Maya Tester", "LCS-4471")]
    assert len(db.session.scalars(select(FamilyMember)).all()) == 1
    conferences = db.session.scalars(select(Conference).order_by(Conference.starts_at)).all()
    assert [(c.conference_type, c.case_reference, c.chair_id) for c in conferences] == [
        (ConferenceType.INITIAL, REFERENCE, chair.id),
        (ConferenceType.REVIEW, REFERENCE, chair.id),
        (ConferenceType.REVIEW, REFERENCE, chair.id),
    ]
    plan = db.session.scalars(select(ChildPlan)).one()
    assert (plan.child_id, plan.category, plan.started_conference_id) == (
        children[0].id,
        HarmCategory.NEGLECT,
        initial_id,
    )
    assert not plan.is_open
    assert (plan.ended_conference_id, plan.end_outcome) == (
        second_review_id,
        PlanOutcome.ENDED_CHILD_IN_NEED,
    )

    # A conference of the case set up by hand offers its people, on a phone too.
    later = make_conference(chair, case_reference=REFERENCE, starts_in=timedelta(days=20))
    phone = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    phone.goto(f"{live_server}/login")
    phone.get_by_label("Email address").fill(coordinator.email)
    phone.get_by_label("Password", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(lambda url: "/login" not in url)
    phone.goto(f"{live_server}/conferences/{later.id}")
    phone.get_by_role("button", name="Add people from this case").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Add people from this case")
    assert_accessible(phone, [])
    no_sideways_scroll(phone)
    phone.get_by_role("button", name="Add to this conference (Maya Tester)").click()
    expect(phone.locator(".govuk-notification-banner")).to_contain_text("Maya Tester added.")
    db.session.expire_all()
    assert len(db.session.scalars(select(Child)).all()) == 1
