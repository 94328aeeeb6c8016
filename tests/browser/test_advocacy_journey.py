"""An advocate on a phone records a child's views with a drawing.

They sign in, open the child from their home page, log a contact, save the views as a draft,
submit them, and upload a PNG. Every page visited (an error page too) is scanned by axe-core
(WCAG 2.2 A and AA); screenshots go to test-artifacts/.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from portal.models import Role
from portal.people.forms import years_before
from tests.factories import PASSWORD, add_child, make_conference, make_staff, refer
from tests.helpers.browser import assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _check(page: Page, scanned: list[str], name: str) -> None:
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / f"advocacy-{name}.png"), full_page=True)


def test_an_advocate_records_a_childs_views_with_a_drawing(
    live_server, browser, app, tmp_path, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "ATTACHMENT_DIR", str(tmp_path / "attachments"))
    ARTIFACTS.mkdir(exist_ok=True)
    advocate = make_staff(Role.ADVOCATE, full_name="Ada Advocate")
    conference = make_conference(chair=make_staff(Role.CHAIR), starts_in=timedelta(days=8))
    child = add_child(
        conference,
        first_name="Kai",
        last_name="Lindqvist",
        date_of_birth=years_before(date.today(), 12),
    )
    referral = refer(conference, child, advocate)
    drawing = tmp_path / "my-house.png"
    Image.new("RGB", (120, 90), "yellow").save(drawing)

    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    scanned: list[str] = []

    page.goto(f"{live_server}/login")
    page.get_by_label("Email address").fill(advocate.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your children")
    expect(page.get_by_text("Not started")).to_be_visible()
    _check(page, scanned, "home")

    page.get_by_role("link", name="Kai Lindqvist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kai Lindqvist")
    _check(page, scanned, "record")

    # The contact log: nothing filled in first, then a visit at school.
    page.get_by_role("link", name="Add a contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a contact")
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.title().startswith("Error: ")
    _check(page, scanned, "contact-error")
    yesterday = date.today() - timedelta(days=1)
    when = page.locator("#contact_on")
    when.get_by_label("Day").fill(str(yesterday.day))
    when.get_by_label("Month").fill(str(yesterday.month))
    when.get_by_label("Year").fill(str(yesterday.year))
    page.locator("#seen").check()  # Yes
    page.get_by_label("Where did you see them?").fill("At school")
    page.locator("#alone").check()  # Yes, alone
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Contact saved.")).to_be_visible()
    expect(page.get_by_text("At school; alone")).to_be_visible()

    # The views: a draft first, then submitted to the chair.
    page.get_by_role("button", name="Record the child's views").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The child's views")
    _check(page, scanned, "views")
    page.get_by_label("Three Houses").check()
    page.get_by_label("Good things", exact=True).fill("Playing football with my cousin")
    page.get_by_label("Worries", exact=True).fill("When there is shouting at night")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Saved as a draft.")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Draft")).to_be_visible()
    _check(page, scanned, "record-draft")

    page.get_by_role("button", name="Change the child's views").click()
    expect(page.get_by_label("Good things", exact=True)).to_have_value(
        "Playing football with my cousin"
    )
    page.get_by_role("group", name="Who may see “Good things”?").get_by_label(
        "Everyone at the conference, the family too"
    ).check()
    page.get_by_role("group", name="Who may see “Worries”?").get_by_label("The chair only").check()
    page.get_by_role("button", name="Submit to the chair").click()
    expect(page.get_by_text("Submitted to the chair (version 1).")).to_be_visible()
    expect(page.get_by_text("Submitted, version 1")).to_be_visible()
    _check(page, scanned, "record-submitted")

    # A drawing, uploaded from the phone.
    page.get_by_role("link", name="Add a drawing, letter or other file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a drawing, letter or other file")
    _check(page, scanned, "upload")
    page.get_by_label("Upload a file").set_input_files(str(drawing))
    page.get_by_label("What is it?").fill("A drawing of my house")
    page.get_by_label("The chair and the professionals at the conference").check()
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("File uploaded.")).to_be_visible()
    expect(page.get_by_role("link", name="A drawing of my house")).to_be_visible()
    _check(page, scanned, "record-with-drawing")

    # An error page: another referral's id typed into the address bar.
    page.goto(f"{live_server}/advocacy/referrals/{referral.id + 1000}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    _check(page, scanned, "not-found")

    assert len(scanned) == 9
    context.close()
