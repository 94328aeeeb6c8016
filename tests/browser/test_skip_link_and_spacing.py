"""Issue 22's "should fix" items, in the browser: the skip link leaves no #main-content in the
address to be carried into the next page, and on a 320px phone "Polski" and "Exit this page"
have room between them so a mis-tap does not leave the site, at any scroll (Exit stays at the
top; the language switch scrolls under it)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.family_forms.questions import PARENT_VIEWS
from tests.browser.test_family_journey import _choice_for, _link_for
from tests.helpers.browser import assert_accessible

pytestmark = pytest.mark.browser


def _on_first_question(browser, live_server, width: int):
    token, _ = _link_for(PARENT_VIEWS, None)
    context = browser.new_context(viewport={"width": width, "height": 640})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server}/r/{token}")
    page.locator("main .govuk-button").click()
    page.locator("form[action$='/start'] button").click()
    page.wait_for_url("**/your-say/q/**")
    return context, page


def test_the_skip_link_leaves_the_address_alone(live_server, browser) -> None:
    context, page = _on_first_question(browser, live_server, 375)
    question = PARENT_VIEWS.questions[0]
    page.keyboard.press("Tab")
    skip = page.locator(".govuk-skip-link")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    assert "#" not in page.url

    page.locator(f"input[name=choice][value='{_choice_for(question)}']").check()
    page.locator("main form:not([action]) button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(PARENT_VIEWS.questions[1].title))
    assert "#main-content" not in page.url
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    assert_accessible(page, [])
    context.close()


def test_polski_and_exit_this_page_have_room_between_them_at_320px(live_server, browser) -> None:
    context, page = _on_first_question(browser, live_server, 320)
    polski = page.locator("button[name=language][value=pl]").bounding_box()
    leave = page.locator(".govuk-exit-this-page__button").bounding_box()
    assert polski is not None
    assert leave is not None
    # The gap between the two boxes, across or down, whichever way they are apart
    across = max(
        leave["x"] - (polski["x"] + polski["width"]), polski["x"] - (leave["x"] + leave["width"])
    )
    down = max(
        leave["y"] - (polski["y"] + polski["height"]), polski["y"] - (leave["y"] + leave["height"])
    )
    assert max(across, down) >= 8, (polski, leave)
    page.screenshot(path="test-artifacts/issue-22-language-and-exit-320.png")
    assert_accessible(page, [])
    context.close()


# Where a tap on "Polski" lands, at each scroll: the rows of its box that are not hidden under
# the sticky Exit this page, and how far each is below the Exit button.
TAPPABLE_ROWS = """() => {
  const polski = document.querySelector("button[name=language][value=pl]")
  const exit = document.querySelector(".govuk-exit-this-page__button").getBoundingClientRect()
  const box = polski.getBoundingClientRect()
  const x = box.left + box.width / 2
  const rows = []
  for (let y = Math.ceil(Math.max(box.top, 0)); y < box.bottom; y += 1) {
    const hit = document.elementFromPoint(x, y)
    if (hit && polski.contains(hit)) rows.push(y - exit.bottom)
  }
  return rows
}"""


def test_polski_and_exit_this_page_keep_their_room_as_the_page_scrolls(
    live_server, browser
) -> None:
    context, page = _on_first_question(browser, live_server, 320)
    leave = page.locator(".govuk-exit-this-page__button")
    tapped_somewhere = 0
    for scrolled in range(0, 200, 4):
        page.evaluate(f"window.scrollTo(0, {scrolled})")
        rows = page.evaluate(TAPPABLE_ROWS)
        tapped_somewhere += bool(rows)
        assert all(distance >= 8 for distance in rows), (scrolled, min(rows), leave.bounding_box())
        if scrolled == 96:
            page.screenshot(path="test-artifacts/issue-22-language-and-exit-320-scrolled.png")
    assert tapped_somewhere > 10  # the loop did see Polski while scrolling
    # axe at the top: part way under a sticky bar, any target is "too small" to axe
    page.evaluate("window.scrollTo(0, 0)")
    assert_accessible(page, [])
    context.close()
