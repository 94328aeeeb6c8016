"""The participation report with a year of figures: axe-core (WCAG 2.2 A and AA) finds nothing,
at phone and desktop widths, and the wide table scrolls in its own box, never the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.models import Role
from tests.factories import make_staff
from tests.helpers.browser import assert_accessible, no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [320, 1280])
def test_the_report_with_figures_is_accessible(live_server, browser, year_2020, width) -> None:
    officer = make_staff(Role.PARTICIPATION_OFFICER)
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, officer.email)
    scanned: list[str] = []
    for query in (
        "year=2020",
        "year=2020&method=mean-of-quarters&type=review&min_child_age=5",
        "year=abc&min_child_age=x",
    ):
        page.goto(f"{live_server}/reports/participation?{query}")
        assert_accessible(page, scanned)
        no_sideways_scroll(page)
    page.goto(f"{live_server}/reports/participation?year=2020")
    expect(page.get_by_role("img", name="Children: attendance and participation")).to_be_visible()
    region = page.get_by_role("region", name="Participation, 2020 to 2021 (scrolls sideways)")
    region.focus()
    expect(region).to_be_focused()  # a keyboard can reach it to scroll
    context.close()
