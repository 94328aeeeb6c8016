"""Banners that tell staff something (issue 22): they neither take focus nor skip the skip link."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import AlertSource, Role
from portal.safety.raising import raise_alert
from tests.factories import add_contactable_member, add_form_response, make_conference, make_staff
from tests.helpers.browser import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_the_first_tab_on_a_conference_with_a_safety_concern_is_the_skip_link(
    live_server, browser
) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    conference = make_conference()
    member = add_contactable_member(conference)
    response = add_form_response(conference, member, {})
    response.safety_concern_at = datetime.now(UTC)
    raise_alert(conference, AlertSource.DANGER_ANSWER, family_member=member, form_response=response)
    db.session.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, coordinator.email)
    page.goto(f"{live_server}/conferences/{conference.id}")

    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text("Someone may be in danger now: a safety alert was raised")
    page.wait_for_load_state("load")  # GOV.UK Frontend's modules have run
    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert_accessible(page, [])
    context.close()
