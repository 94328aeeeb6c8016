"""A coordinator signs in, sets up a conference with a child and two parents, and finds it.

Run at phone and desktop sizes; every page visited is scanned by axe-core (WCAG 2.2 A and AA).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.demo.load import load_demo_data
from tests.helpers.browser import assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("width", "height"), [(375, 667), (1280, 800)], ids=["phone-375", "desktop-1280"]
)
def test_coordinator_sets_up_a_conference(live_server, browser, width, height) -> None:
    load_demo_data()
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    scanned: list[str] = []
    reference = f"CP-BROWSER-{width}"

    page.goto(f"{live_server}/login")
    assert_accessible(page, scanned)
    page.get_by_label("Email address").fill("coordinator@heard.example")
    page.get_by_label("Password", exact=True).fill("heard-demo-coordinator")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs doing")
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    page.get_by_role("link", name="All conferences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conferences")
    assert_accessible(page, scanned)

    page.get_by_role("button", name="Set up a conference").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a conference")
    assert_accessible(page, scanned)

    # Nothing filled in: the error summary takes focus and lists the problems.
    page.get_by_role("button", name="Save conference").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.title().startswith("Error: ")
    assert_accessible(page, scanned)

    page.get_by_label("Case reference").fill(reference)
    page.get_by_label("Initial").check()
    s47 = page.locator("#section_47_started_on")
    s47.get_by_label("Day").fill("1")  # day 15 is 22 December: in time
    s47.get_by_label("Month").fill("12")
    s47.get_by_label("Year").fill("2026")
    when = page.locator("#date")
    when.get_by_label("Day").fill("14")
    when.get_by_label("Month").fill("12")
    when.get_by_label("Year").fill("2026")
    page.get_by_label("Start time").fill("10:30am")
    page.get_by_label("Hybrid").check()
    page.get_by_label("Chair").select_option(label="Chidi Okafor")
    page.get_by_role("button", name="Save conference").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Conference created")
    assert "14 December 2026 at 10:30am" in page.inner_text("main")
    assert_accessible(page, scanned)
    no_sideways_scroll(page)

    page.get_by_role("button", name="Add a child").click()
    assert_accessible(page, scanned)
    page.get_by_label("First name").fill("Ivy")
    page.get_by_label("Last name").fill("Garside")
    page.get_by_label("Yes").check()
    born = page.locator("#birth_date")  # the child's own section 47 date is on the page too
    born.get_by_label("Day").fill("3")
    born.get_by_label("Month").fill("6")
    born.get_by_label("Year").fill("2015")
    page.get_by_role("button", name="Save child").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Ivy Garside added.")

    parents = [
        ("Kelly", "Garside", "Mother", "07700 900 111"),
        ("Dean", "Ormerod", "Father", "07700 900 222"),
    ]
    for first, last, relationship, mobile in parents:
        page.get_by_role("button", name="Add a family member").click()
        assert_accessible(page, scanned)
        page.get_by_label("First name").fill(first)
        page.get_by_label("Last name").fill(last)
        page.get_by_label(relationship, exact=True).check()
        page.get_by_label("Mobile number (optional)").fill(mobile)
        page.get_by_label("Text message").check()
        page.get_by_role("button", name="Save family member").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{first} {last} added.")

    main = page.inner_text("main")
    assert "Ivy Garside" in main
    assert "Kelly Garside" in main
    assert "Dean Ormerod" in main
    assert_accessible(page, scanned)
    no_sideways_scroll(page)

    page.get_by_role("link", name="Conferences", exact=True).click()
    page.get_by_label("Search by case reference").fill(reference.lower())
    page.get_by_role("button", name="Search").click()
    row = page.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(reference)
    expect(row).to_contain_text("1 child, 2 adults")
    assert reference not in page.url
    assert reference.lower() not in page.url
    assert_accessible(page, scanned)
    no_sideways_scroll(page)

    assert len(scanned) >= 9
    context.close()
