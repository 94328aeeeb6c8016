"""The conference activity report with a year of plans, reviews and reasons for delay: axe-core
(WCAG 2.2 A and AA) finds nothing at phone and desktop widths, the wide tables scroll in their
own boxes, and the charts of the year's trend are images named for what they show."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.models import Role
from tests.factories import make_staff
from tests.helpers.browser import assert_accessible, no_sideways_scroll, sign_in
from tests.integration.reports.test_activity_plans import make_plans_year

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [320, 1280])
def test_the_activity_report_with_plans_is_accessible(live_server, browser, width) -> None:
    make_plans_year()
    officer = make_staff(Role.PARTICIPATION_OFFICER)
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, officer.email)
    scanned: list[str] = []
    for query in ("year=2024", "year=abc"):
        page.goto(f"{live_server}/reports/activity?{query}")
        assert_accessible(page, scanned)
        no_sideways_scroll(page)
    page.goto(f"{live_server}/reports/activity?year=2024")
    expect(page.get_by_role("img", name="Timeliness by quarter")).to_be_visible()
    expect(page.get_by_role("img", name="Plans by quarter")).to_be_visible()
    region = page.get_by_role("region", name="Plans ended")
    region.focus()
    expect(region).to_be_focused()
    context.close()
