"""Exit this page, in the browser, with JavaScript on (the GOV.UK Frontend module: three Shift
presses, its loading overlay) and off (a plain link): answer two questions, Exit, Back, then
open /your-say/check and /your-say/done. No answer appears in any page, and axe finds nothing
on them (issue 13, part 2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.family_forms.questions import PARENT_VIEWS
from tests.browser.test_family_journey import ARTIFACTS, _as_rendered, _choice_for, _link_for
from tests.helpers.browser import assert_accessible

pytestmark = pytest.mark.browser
TYPED = "Quillamber is what the report gets wrong"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_exit_then_back_shows_none_of_the_answers(
    app, live_server, browser, javascript, monkeypatch
) -> None:
    # The exit page is another site; here a plain page of the live server, so the test needs
    # no internet (a Playwright route does not catch the redirect's second request).
    elsewhere = f"{live_server}/healthz"
    monkeypatch.setitem(app.config, "EXIT_PAGE_URL", elsewhere)
    token, _ = _link_for(PARENT_VIEWS, None)
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, java_script_enabled=javascript
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    checker = browser.new_page(viewport={"width": 375, "height": 667})
    scanned: list[str] = []

    def look(name: str) -> None:
        assert TYPED not in page.content(), page.url
        expect(page.locator("body")).not_to_contain_text("Check your answers")
        assert_accessible(page if javascript else _as_rendered(page, checker, live_server), scanned)
        page.screenshot(path=ARTIFACTS / f"exit-this-page-{name}-{javascript=}.png")

    page.goto(f"{live_server}/r/{token}")
    page.locator("main .govuk-button").click()
    page.locator("form[action$='/start'] button").click()
    save = page.locator("main form:not([action]) button[type=submit]").first
    first, second, third = PARENT_VIEWS.questions[:3]
    page.locator(f"input[name=choice][value='{_choice_for(first)}']").check()
    save.click()
    page.locator(f"input[name=choice][value='{_choice_for(second)}']").check()
    save.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(third.label))
    page.locator("textarea[name=text]").fill(TYPED)
    save.click()
    page.goto(f"{live_server}/your-say/check")
    expect(page.locator("main")).to_contain_text(TYPED)  # saved, and on screen before Exit
    page.goto(f"{live_server}/your-say/q/{third.id}")  # the answer, as the person left it
    expect(page.locator("textarea[name=text]")).to_have_value(TYPED)

    [visit_cookie] = [cookie["value"] for cookie in context.cookies(live_server)]
    if javascript:
        exit_this_page = page.locator(".govuk-exit-this-page")
        expect(exit_this_page).to_have_attribute("data-govuk-exit-this-page-init", "")
        page.locator("body").click()
        for _ in range(3):  # the component's keyboard shortcut
            page.keyboard.press("Shift")
    else:
        page.locator(".govuk-exit-this-page__button").click()
    page.wait_for_url(elsewhere)
    assert TYPED not in page.content()
    # The visit's cookie is deleted (a page elsewhere may set a fresh, empty one of its own)
    assert visit_cookie not in [cookie["value"] for cookie in context.cookies(live_server)]

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is not working")
    look("back")
    for url in ("/your-say/check", "/your-say/done", "/your-say/"):
        page.goto(f"{live_server}{url}")
        expect(page.get_by_role("heading", level=1)).to_have_text("This link is not working")
        look(url.strip("/").replace("/", "-"))
    context.close()
    checker.close()
