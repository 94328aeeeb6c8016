"""A parent gives their views on a phone, from the link in their text message: with JavaScript
at 375×667, and without it at 320×568. Every page is scanned by axe-core; the back button,
a reload, a double tap on Send and opening the link again afterwards lose nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.family_forms.questions import PARENT_VIEWS
from portal.invitations.services import issue_invitation
from portal.invitations.tokens import token_for
from portal.models import FormKind, FormResponse
from tests.browser.test_coordinator_journey import assert_accessible, no_sideways_scroll
from tests.factories import add_contactable_member, make_conference

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.parametrize(
    ("width", "height", "javascript"),
    [(375, 667, True), (320, 568, False)],
    ids=["375-js", "320-no-js"],
)
def test_a_parent_gives_their_views(live_server, browser, width, height, javascript) -> None:
    conference = make_conference()
    member = add_contactable_member(conference)
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    link = f"{live_server}/r/{token_for(invitation.token_salt)}"
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=javascript
    )
    context.set_default_timeout(10_000)  # a step that hangs fails in seconds, with its place
    page = context.new_page()
    scanned: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)

    # axe-core is JavaScript: with JavaScript off, the page as it rendered (scripts taken out)
    # is scanned in a second, scripted page.
    checker = browser.new_page(viewport={"width": width, "height": height})

    def look(name: str) -> None:
        if javascript:
            assert_accessible(page, scanned)
            no_sideways_scroll(page)
        else:
            html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S)
            html = html.replace("<head>", f'<head><base href="{live_server}/">', 1)
            checker.set_content(html)
            assert_accessible(checker, scanned)
            no_sideways_scroll(checker)
        page.screenshot(path=ARTIFACTS / f"family-{width}-{name}.png", full_page=True)

    page.goto(link)
    look("link")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your views before the meeting")
    look("landing")
    page.get_by_role("button", name="Start now").click()

    # Nothing chosen: a clear error
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select an answer")
    look("error")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()

    # The page's own Back link, then a reload: the saved answer is still there
    page.get_by_role("link", name="Back").click()
    page.reload()
    expect(page.get_by_label("Yes")).to_be_checked()
    page.get_by_role("button", name="Save and continue").click()

    answers = {
        "report_shared": lambda: page.get_by_label("Not yet").check(),
        "report_wrong": lambda: None,
        "going_well": lambda: page.locator("#text").fill("Ella loves her new school"),
        "worries": lambda: page.locator("#text").fill("Money 💷 and the flat — مرحبا"),
        "danger_now": lambda: page.get_by_label("No", exact=True).check(),
        "would_help": lambda: page.locator("#text").fill("My sister"),
        "attending": lambda: page.get_by_label("Yes, by video").check(),
        "speak_to_chair": lambda: page.get_by_label("No").check(),
        "help_needed": lambda: page.get_by_label("An interpreter").check(),
    }
    for question in PARENT_VIEWS.questions[1:]:
        expect(page.get_by_role("heading", level=1)).to_have_text(question.title)
        answers[question.id]()
        look(question.id)
        page.get_by_role("button", name="Save and continue").click()
        if question.id == "report_shared":
            # The browser's back button: the answer just saved is shown, then on again
            next_title = PARENT_VIEWS.after(question.id).title
            expect(page.get_by_role("heading", level=1)).to_have_text(next_title)
            page.go_back(wait_until="load")
            expect(page.get_by_label("Not yet")).to_be_checked()
            page.go_forward(wait_until="load")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert "Money 💷 and the flat — مرحبا" in page.inner_text("main")
    look("check")
    page.get_by_role("link", name="Change Will you come to the meeting?").click()
    page.get_by_label("Yes, by phone").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert "Yes, by phone" in page.inner_text("main")

    send = page.get_by_role("button", name="Send my answers")
    send.dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers have been sent")
    look("done")
    assert db.session.query(FormResponse).count() == 1

    # Opening the link again afterwards: the answers are sent, and more can be added
    page.goto(link)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text("You sent your answers")
    page.get_by_role("button", name="Finish for now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers are saved")
    look("finished")
    page.goto(f"{live_server}/your-say/check")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is not working")
    context.close()
    checker.close()
