"""A child chooses a picture of how they feel, on a phone at 375 pixels, with JavaScript and
without: the seven feelings wrap into a grid of large targets, a tap on the picture chooses it,
the choice is kept, and axe-core finds nothing wrong with the page."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import FormKind, Relationship
from tests.factories import add_child, add_contactable_member, make_conference
from tests.helpers.browser import assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WORDS = ["Happy", "Sad", "Worried", "Angry", "Scared", "Calm", "Not sure"]


def _link() -> str:
    today = date.today()
    conference = make_conference()
    child = add_child(conference, date_of_birth=date(today.year - 8, 1, 1))
    contact = add_contactable_member(
        conference, relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    invitation = issue_invitation(conference, contact, FormKind.VIEWS)
    db.session.commit()
    return token_for(invitation.token_salt)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_child_chooses_a_picture_of_how_they_feel(live_server, browser, javascript) -> None:
    base = str(live_server)
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, java_script_enabled=javascript
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{base}/r/{_link()}")
    page.locator("main .govuk-button").click()
    page.locator("form[action$='/start'] button").click()
    page.goto(f"{base}/your-say/q/feel_at_home")
    expect(page.get_by_role("heading", level=1)).to_have_text("How do you feel at home?")

    # Seven radios, each named by its word alone (the picture is hidden from screen readers)
    for words in WORDS:
        expect(page.get_by_role("radio", name=words, exact=True)).to_have_count(1)
    tiles = page.locator(".heard-feelings .govuk-radios__item")
    boxes = [tiles.nth(n).bounding_box() for n in range(7)]
    assert all(box and box["width"] >= 44 and box["height"] >= 44 for box in boxes), boxes
    rows = sorted({round(box["y"]) for box in boxes if box})
    assert 2 <= len(rows) <= 4, rows  # a grid: more than one across, fewer rows than feelings
    no_sideways_scroll(page)

    # A tap on the picture chooses it; GOV.UK's checked mark and a darker frame show it
    page.locator(".heard-feelings .govuk-radios__label svg").nth(4).click()
    expect(page.get_by_role("radio", name="Scared", exact=True)).to_be_checked()
    scared_tile = tiles.nth(4)
    frame = scared_tile.evaluate(
        "e => [getComputedStyle(e).outlineColor, getComputedStyle(e).outlineWidth]"
    )
    assert frame == ["rgb(11, 12, 12)", "4px"], frame
    # Focus is GOV.UK's yellow ring on the circle
    scared = page.locator(".heard-feelings .govuk-radios__label", has_text="Scared")
    page.get_by_role("radio", name="Scared", exact=True).focus()
    ring = scared.evaluate("e => getComputedStyle(e, '::before').boxShadow")
    assert "rgb(255, 221, 0)" in ring, ring
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(
        path=ARTIFACTS / f"feelings-375-{'js' if javascript else 'no-js'}.png", full_page=True
    )

    if javascript:
        assert_accessible(page, [])
    else:  # axe-core is JavaScript: the page as it rendered, scanned in a scripted page
        checker = browser.new_page(viewport={"width": 375, "height": 667})
        html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S)
        checker.set_content(html.replace("<head>", f'<head><base href="{base}/">', 1))
        assert_accessible(checker, [])
        checker.close()

    page.locator("main form:not([action]) button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/q/feel_at_home" not in url)  # saved: on to the next
    page.goto(f"{base}/your-say/q/feel_at_home")
    expect(page.get_by_role("radio", name="Scared", exact=True)).to_be_checked()
    context.close()
