"""The chair records yesterday's conference on a phone: one mistake, fixed; the feedback
invitations are queued; then a "You said, we did" note to the child. Every page is scanned by
axe-core (WCAG 2.2 A and AA), none scrolls sideways, and each is photographed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import ConferenceChild, Relationship, Role
from portal.templating import local_date
from tests.factories import (
    PASSWORD,
    add_child,
    add_contactable_member,
    make_conference,
    make_staff,
)
from tests.helpers.browser import assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _photo(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"recording-{name}.png"), full_page=True)


def _years_before(day, years):  # type: ignore[no-untyped-def]
    return day.replace(year=day.year - years, day=min(day.day, 28))


def test_the_chair_records_the_conference_on_a_phone(live_server, browser) -> None:
    chair = make_staff(Role.CHAIR, full_name="Chidi Okafor")
    conference = make_conference(chair=chair, starts_in=timedelta(days=-1))
    day = local_date(conference.starts_at)
    maya = add_child(conference, first_name="Maya", date_of_birth=_years_before(day, 12))
    add_child(conference, first_name="Leo", date_of_birth=_years_before(day, 2))
    add_contactable_member(conference, first_name="Kelly")
    add_contactable_member(
        conference,
        first_name="Dean",
        relationship=Relationship.FATHER,
        mobile="+447700900222",
    )

    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    scanned: list[str] = []

    page.goto(f"{live_server}/login")
    page.get_by_label("Email address").fill(chair.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(f"{live_server}/conferences/{conference.id}")
    page.get_by_role("link", name="Record the conference").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the conference")
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    _photo(page, "form")

    page.get_by_role("group", name="Format").get_by_label("In person").check()
    page.get_by_role("group", name="Was the conference quorate?").get_by_label("Yes").check()

    older = page.get_by_role("group", name="Maya Tester (child, aged 12 on the conference date)")
    older.get_by_role("group", name="Did they attend?").get_by_label("No").check()
    older.get_by_label("CP7: did not attend; no views").check()
    older.get_by_label("Plan continued").check()
    older.get_by_label("Neglect").check()
    baby = page.get_by_role("group", name="Leo Tester (child, aged 2 on the conference date)")
    expect(baby).to_contain_text("CP0: under 4 on the conference date — not counted")
    baby.get_by_label("Plan continued").check()
    baby.get_by_label("Neglect").check()

    mother = page.get_by_role("group", name="Kelly Tester (Mother)")
    father = page.get_by_role("group", name="Dean Tester (Father)")
    father.get_by_role("group", name="Did they attend?").get_by_label("Did not attend").check()
    father.get_by_label("Via the social worker").check()
    # The mother's attendance is left out: the one mistake
    page.get_by_role("button", name="Save the record").click()

    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select whether Kelly Tester attended"
    )
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    _photo(page, "error")
    # Nothing typed was lost
    expect(father.get_by_label("Via the social worker")).to_be_checked()
    expect(older.get_by_label("CP7: did not attend; no views")).to_be_checked()

    page.locator(".govuk-error-summary a").first.click()
    mother.get_by_role("group", name="Did they attend?").get_by_label("The whole meeting").check()
    mother.get_by_role("group", name="How did they attend?").get_by_label("In person").check()
    page.get_by_role("button", name="Save the record").click()

    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text(
        "Conference recorded. Feedback invitations queued for 2 family members, to be sent on"
    )
    expect(page.get_by_role("heading", name="What was recorded")).to_be_visible()
    assert "CP7: did not attend; no views" in page.inner_text("main")
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    _photo(page, "recorded")

    page.get_by_role("link", name="You said, we did for Maya Tester").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You said, we did: Maya Tester")
    assert_accessible(page, scanned)
    no_sideways_scroll(page)
    note = "You told us you want to stay at your school. We agreed: you will stay there."
    page.get_by_label("Your note to the child").fill(note)
    _photo(page, "you-said-we-did")
    page.get_by_role("button", name="Save the note").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Note to Maya Tester saved.")
    assert_accessible(page, scanned)
    context.close()

    link = db.session.scalars(
        select(ConferenceChild).where(ConferenceChild.child_id == maya.id)
    ).one()
    db.session.refresh(link)
    assert link.you_said_we_did == note
    assert len(scanned) == 5
