"""Following a date's link in the error summary puts the cursor in the date: in the day box when
the whole date is missing, in the box in error when one part is. axe-core (WCAG 2.2 A and AA)
finds nothing on the pages in error. Issue 22, must-fix 3."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from portal.models import Role
from tests.factories import add_child, make_conference, make_staff
from tests.helpers.browser import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def _follow_the_link(page: Page, message: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=message).click()


def test_the_add_a_child_date_link_focuses_the_box_in_error(live_server, browser) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    conference = make_conference()
    page = browser.new_page()
    sign_in(page, live_server, coordinator.email)
    scanned: list[str] = []

    page.goto(f"{live_server}/conferences/{conference.id}/children/new")
    page.get_by_label("First name").fill("Ivy")
    page.get_by_label("Last name").fill("Garside")
    page.get_by_role("group", name="Has the child been born?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save child").click()
    _follow_the_link(page, "Enter the date of birth or expected date")
    expect(page.locator("#birth_date-day")).to_be_focused()
    assert_accessible(page, scanned)

    when = page.locator("#birth_date")
    when.get_by_label("Day").fill("9")
    when.get_by_label("Year").fill("2019")
    page.get_by_role("button", name="Save child").click()
    _follow_the_link(page, "Date of birth or expected date must include a month")
    expect(page.locator("#birth_date-month")).to_be_focused()
    assert_accessible(page, scanned)
    page.close()


def test_the_recording_date_link_focuses_the_box_in_error(live_server, browser) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair, starts_in=timedelta(days=-1))
    add_child(conference, first_name="Maya")
    page = browser.new_page()
    sign_in(page, live_server, chair.email)
    scanned: list[str] = []

    page.goto(f"{live_server}/conferences/{conference.id}/record")
    held_on = page.locator("#held_on")
    for box in ("Day", "Month", "Year"):
        held_on.get_by_label(box).fill("")
    page.get_by_role("button", name="Save the record").click()
    _follow_the_link(page, "Enter the date the conference was held")
    expect(page.locator("#held_on-day")).to_be_focused()
    assert_accessible(page, scanned)

    held_on.get_by_label("Day").fill("4")
    held_on.get_by_label("Month").fill("13")
    held_on.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save the record").click()
    _follow_the_link(page, "Date the conference was held must be a real date")
    expect(page.locator("#held_on-month")).to_be_focused()
    assert_accessible(page, scanned)
    page.close()
