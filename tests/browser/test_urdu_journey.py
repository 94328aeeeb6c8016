"""A parent's views before the meeting in Urdu, right to left, on a 320 pixel phone without
JavaScript: from the link in their message to "Your answers have been sent".

Each page: lang="ur" and dir="rtl" on <html>, the heading in Urdu, axe-core (WCAG 2.2 A/AA) on
the page as rendered, and nothing past either edge of the screen. On a question page the
layout is mirrored: the radio's input and its drawn ring are right of its words, the Back link
at the right with its chevron after the text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from portal.family_forms.questions import PARENT_VIEWS
from tests.browser.layout import assert_nothing_crosses_the_viewport, box, drawn_ring_left
from tests.browser.test_family_journey import _as_rendered, _choice_for, _link_for
from tests.helpers.browser import assert_accessible

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# An answer typed in English and Urdu, a name and a phone number inside: kept as typed.
TYPED = "Sara کا اسکول اچھا ہے، call 07700 900123"


# Where "Sara" and "call" are drawn in the typed answer on "Check your answers".
READING_ORDER = """typed => {
  const bdi = [...document.querySelectorAll('.govuk-summary-list__value bdi')]
    .find(element => element.textContent === typed)
  const text = bdi.firstChild
  const where = word => {
    const range = document.createRange()
    range.setStart(text, text.data.indexOf(word))
    range.setEnd(text, text.data.indexOf(word) + word.length)
    const box = range.getBoundingClientRect()
    return {left: box.left, top: box.top}
  }
  return [where('Sara'), where('call')]
}"""


def _mirrored(page) -> None:
    label = box(page, ".govuk-radios__item .govuk-radios__label")
    radio = box(page, ".govuk-radios__item .govuk-radios__input")
    assert radio["left"] >= label["right"] - 1, (radio, label)
    assert abs(drawn_ring_left(page, ".govuk-radios__item") - (radio["left"] + 2)) <= 1
    back = box(page, ".govuk-back-link")
    width = page.viewport_size["width"]
    assert back["right"] >= width - 20, back
    assert back["left"] > width / 2, back
    chevron_right = page.locator(".govuk-back-link").evaluate(
        "e => getComputedStyle(e, '::before').right"
    )
    assert float(chevron_right.removesuffix("px")) < 5  # the chevron at the link's right end


def test_a_parent_answers_in_urdu_on_a_small_phone_without_javascript(
    app, live_server, browser
) -> None:
    def words(text) -> str:
        with app.test_request_context(), force_locale("ur"):
            return gettext(str(text))

    token, _ = _link_for(PARENT_VIEWS, None)
    context = browser.new_context(viewport={"width": 320, "height": 568}, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    checker = browser.new_page(viewport={"width": 320, "height": 568})
    heading = page.get_by_role("heading", level=1)
    save = page.locator("main form:not([action]) button[type=submit]").first
    scanned: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)

    def look(name: str) -> None:
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
        assert not heading.inner_text().isascii()  # Urdu letters
        assert_accessible(_as_rendered(page, checker, live_server), scanned)
        assert_nothing_crosses_the_viewport(page)
        page.screenshot(path=ARTIFACTS / f"parent_views-ur-320-{name}.png", full_page=True)

    page.goto(f"{live_server}/r/{token}")
    page.locator("button[name=language][value=ur]").click()
    expect(page.locator("main .govuk-button")).to_have_text(words("Continue"))
    look("link")
    page.locator("main .govuk-button").click()
    expect(heading).to_have_text(words(PARENT_VIEWS.title))
    arrow, start = box(page, ".govuk-button__start-icon"), box(page, ".govuk-button--start")
    assert arrow["right"] < (start["left"] + start["right"]) / 2  # after the words: on the left
    look("landing")
    page.locator("form[action$='/start'] button").click()

    for number, question in enumerate(PARENT_VIEWS.questions):
        expect(heading).to_have_text(words(question.label))
        if question.kind == "choice":
            page.locator(f"input[name=choice][value='{_choice_for(question)}']").check()
        elif question.kind == "choices":
            page.locator(f"input[name=choices][value='{question.options[0][0]}']").check()
        if question.kind == "text" or question.detail_label:
            page.locator("#text").fill(TYPED)
        if number == 1:
            _mirrored(page)
        look(question.id)
        save.click()

    expect(heading).to_have_text(words("Check your answers"))
    assert TYPED in page.inner_text("main")
    assert (
        page.locator(f".govuk-summary-list__value bdi:text-is('{TYPED}')").first.get_attribute(
            "dir"
        )
        == "rtl"
    )
    name, call = page.evaluate(READING_ORDER, TYPED)
    # Read from the right: the name that starts the answer comes first, the phone number last
    assert name["top"] < call["top"] - 5 or (
        abs(name["top"] - call["top"]) <= 5 and name["left"] > call["left"]
    ), (name, call)
    change = box(page, ".govuk-summary-list__actions a")
    key = box(page, ".govuk-summary-list__key")
    assert change["right"] <= key["right"]  # one above the other at 320: both from the right
    look("check")
    page.locator("main form:not([action]) button").click()
    expect(heading).to_have_text(words("Your answers have been sent"))
    look("done")
    assert len(scanned) == len(PARENT_VIEWS.questions) + 4
    context.close()
    checker.close()
