"""The chair's "You said, we did" note on the child's own link, on a 320 pixel phone without
JavaScript, in every family language: the landing page's banner leads to it; axe-core (WCAG 2.2
A/AA) finds nothing; nothing scrolls sideways. Printed, the helper's page shows the note alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.link_tokens import token_for
from portal.recording.services import save_you_said_we_did
from tests.browser.layout import assert_nothing_crosses_the_viewport
from tests.browser.test_family_journey import _as_rendered
from tests.helpers.browser import assert_accessible
from tests.helpers.notes import recorded_with_child

pytestmark = pytest.mark.browser

NOTE = "You said Quillbright school matters to you, so you will stay there until summer."
RECORDED = {"en": "English", "pl": "Polish", "ro": "Romanian", "ur": "Urdu"}


@pytest.mark.parametrize("language", sorted(RECORDED))
def test_the_note_is_reached_from_the_link_without_javascript_at_320px(
    live_server, browser, language: str
) -> None:
    scanned: list[str] = []
    checker = browser.new_page(viewport={"width": 320, "height": 640})  # axe-core needs scripts
    for age in (13, 7):
        setup = recorded_with_child(age=age, language=RECORDED[language])
        save_you_said_we_did(setup.link, NOTE)
        context = browser.new_context(
            viewport={"width": 320, "height": 640}, java_script_enabled=False
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(f"{live_server}/r/{token_for(setup.invitation.token_salt)}")
        page.locator("main .govuk-button").click()
        expect(page.locator(".govuk-notification-banner__link")).to_be_visible()
        assert_accessible(_as_rendered(page, checker, live_server), scanned)
        assert_nothing_crosses_the_viewport(page)
        page.locator(".govuk-notification-banner__link").click()
        expect(page.locator(".heard-note")).to_be_visible()
        assert page.url == f"{live_server}/your-say/note"
        html = page.locator("html")
        assert html.get_attribute("lang") == language
        assert html.get_attribute("dir") == ("rtl" if language == "ur" else "ltr")
        assert page.locator(".heard-note").inner_text().endswith(NOTE)
        assert_accessible(_as_rendered(page, checker, live_server), scanned)
        assert_nothing_crosses_the_viewport(page)
        context.close()
    checker.close()
    assert len(scanned) == 4


def test_the_helper_s_page_prints_the_note_alone(live_server, browser) -> None:
    setup = recorded_with_child(age=7)
    save_you_said_we_did(setup.link, NOTE)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server}/r/{token_for(setup.invitation.token_salt)}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/your-say/")
    page.goto(f"{live_server}/your-say/note")
    printing = page.get_by_role("button", name="Print this note")
    assert printing.is_visible()  # shown where JavaScript runs

    page.emulate_media(media="print")
    visible = 'e => getComputedStyle(e).visibility === "visible"'
    assert page.locator(".heard-note p").evaluate(visible)
    for hidden in ("h1", ".govuk-inset-text", "[data-heard-print]", ".govuk-exit-this-page"):
        assert not page.locator(hidden).first.evaluate(visible), hidden
    context.close()
