"""A chair gives, then removes, their mobile for urgent safety alerts on a 320px-wide phone
(issue 13, part 1); a coordinator gives the social worker's on the conference form. Every page
on the way, the error pages included, is scanned by axe-core (WCAG 2.2 A and AA)."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Role
from tests.factories import make_conference, make_staff
from tests.helpers.browser import assert_accessible, no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser


def test_a_chair_gives_then_removes_their_alert_mobile(app: Flask, live_server, browser) -> None:
    chair = make_staff(Role.CHAIR)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    scanned: list[str] = []

    def check(screenshot: str) -> None:
        assert_accessible(page, scanned)
        no_sideways_scroll(page)
        page.screenshot(path=f"/tmp/mobile-{screenshot}.png", full_page=True)  # noqa: S108

    sign_in(page, live_server, chair.email)
    page.goto(f"{live_server}/account")
    check("account-none")
    page.get_by_role("link", name="Add mobile number for urgent safety alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mobile number for urgent safety alerts"
    )
    check("form")
    page.get_by_label("Mobile number for urgent safety alerts (optional)").fill("020 7946 0000")
    page.get_by_role("button", name="Save mobile number").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    check("error")
    page.get_by_label("Mobile number for urgent safety alerts (optional)").fill("07700 900 982")
    page.get_by_role("button", name="Save mobile number").click()
    expect(page.get_by_text("07700 900982")).to_be_visible()
    check("account-set")
    page.get_by_role("link", name="Change mobile number for urgent safety alerts").click()
    page.get_by_role("button", name="Remove mobile number").click()
    expect(page.get_by_text("You will not get safety alerts by text.")).to_be_visible()
    db.session.refresh(chair)
    assert chair.mobile is None
    context.close()


def test_the_conference_page_shows_the_social_workers_mobile(
    app: Flask, live_server, browser
) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    conference = make_conference(
        social_worker_name="Sol Worker",
        social_worker_email="sol.worker@council.example",
        social_worker_mobile="+447700900982",
    )
    db.session.commit()
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    scanned: list[str] = []
    sign_in(page, live_server, coordinator.email)
    page.goto(f"{live_server}/conferences/{conference.id}/edit")
    expect(page.get_by_label("Social worker's mobile number (optional)")).to_have_value(
        "07700 900982"
    )
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    page.screenshot(path="/tmp/mobile-conference-form.png", full_page=True)  # noqa: S108
    page.goto(f"{live_server}/conferences/{conference.id}")
    expect(page.get_by_text("07700 900982")).to_be_visible()
    page.screenshot(path="/tmp/mobile-conference-show.png", full_page=True)  # noqa: S108
    context.close()
