"""Issue 22's small layout points, in the browser: at 200% text a status tag wraps only between
words, and at 320px the 0–10 scale's error link brings its first radio into view; switching
language on a question keeps the words typed (JavaScript on)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.family_forms.childrens_questions import YOUNG_PERSON_VIEWS
from portal.family_forms.questions import PARENT_VIEWS
from portal.models import AlertSource, AlertState, Role, utcnow
from portal.safety.raising import raise_alert
from tests.browser.test_family_journey import _link_for
from tests.factories import add_family_member, add_task, make_conference, make_staff
from tests.helpers.browser import assert_accessible, sign_in

pytestmark = pytest.mark.browser

TWICE_THE_TEXT = "document.documentElement.style.fontSize = '200%'"

# Each tag's words, and for each word whether its letters sit on more than one line: a word
# broken across lines has letters whose boxes start at different heights.
WORDS_BROKEN_IN_TAGS = """() => {
  const broken = []
  const tags = [...document.querySelectorAll('.govuk-tag')].filter(t => t.getClientRects().length)
  for (const tag of tags) {
    const walker = document.createTreeWalker(tag, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange()
        range.setStart(node, match.index)
        range.setEnd(node, match.index + match[0].length)
        const lines = new Set([...range.getClientRects()].map(box => Math.round(box.top)))
        const where = `${location.pathname}: "${match[0]}" in "${tag.textContent.trim()}"`
        if (lines.size > 1) broken.push(where)
      }
    }
    const overflows = `${location.pathname}: "${tag.textContent.trim()}" overflows`
    if (tag.scrollWidth > tag.clientWidth + 1) broken.push(overflows)
  }
  return [tags.length, broken]
}"""


def test_status_tags_wrap_only_between_words_at_200_percent_text(app, live_server, browser) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    conference = make_conference()
    member = add_family_member(
        conference, contact_confirmed_safe_at=utcnow(), contact_confirmed_safe_by_id=coordinator.id
    )
    add_task(conference, member, "interpreter", detail="Polish")
    add_task(conference, member, "speak_to_chair")
    open_alert, acknowledged = (
        raise_alert(conference, AlertSource.DANGER_ANSWER, family_member=member) for _ in "12"
    )
    acknowledged.state, acknowledged.acknowledged_at = AlertState.ACKNOWLEDGED, utcnow()
    acknowledged.action_taken = "Phoned the mother"
    db.session.commit()

    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, live_server, coordinator.email)
    tags_seen = 0
    for url in (
        "/conferences/",
        f"/conferences/{conference.id}",
        "/safety-alerts/",
        f"/safety-alerts/{open_alert.id}",
        f"/safety-alerts/{acknowledged.id}",
        "/tasks/",
    ):
        response = page.goto(f"{live_server}{url}")
        assert response is not None
        if response.status == 404:
            continue
        page.evaluate(TWICE_THE_TEXT)
        tags, broken = page.evaluate(WORDS_BROKEN_IN_TAGS)
        tags_seen += tags
        assert broken == [], broken
    page.goto(f"{live_server}/safety-alerts/{acknowledged.id}")
    page.evaluate(TWICE_THE_TEXT)
    page.screenshot(path="test-artifacts/issue-22-tags-200-percent.png", full_page=True)
    assert tags_seen >= 4
    context.close()


def _on_question(browser, live_server, questionnaire, age, question_id: str):
    token, _ = _link_for(questionnaire, age)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server}/r/{token}")
    page.locator("main .govuk-button").click()
    page.locator("form[action$='/start'] button").click()
    page.wait_for_url("**/your-say/q/**")
    page.goto(f"{live_server}/your-say/q/{question_id}")
    return context, page


def test_the_scales_error_link_brings_the_radio_into_view_at_320px_and_200_percent_text(
    live_server, browser
) -> None:
    context, page = _on_question(browser, live_server, YOUNG_PERSON_VIEWS, 13, "safe_at_home")
    page.locator("main form:not([action]) button[type=submit]").click()  # nothing chosen
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.evaluate(TWICE_THE_TEXT)
    page.locator(".govuk-error-summary__list a").first.click()
    radio = page.locator("input[name=choice]").first
    expect(radio).to_be_focused()
    page.wait_for_timeout(300)  # any smooth scrolling
    box = page.evaluate(
        """() => { const r = document.activeElement.getBoundingClientRect();
                   return [r.top, r.bottom, window.innerHeight] }"""
    )
    top, bottom, height = box
    where = f"the focused radio is at {top}–{bottom}, not in 0–{height}"
    assert top >= 0, where
    assert bottom <= height, where
    page.screenshot(path="test-artifacts/issue-22-scale-error-link-320.png")
    context.close()


def test_switching_language_keeps_the_words_typed(live_server, browser) -> None:
    context, page = _on_question(browser, live_server, PARENT_VIEWS, None, "report_wrong")
    words = "The date of the last visit is wrong"
    page.locator("textarea[name=text]").fill(words)
    page.locator("button[name=language][value=pl]").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    assert "/your-say/q/report_wrong" in page.url
    expect(page.locator("textarea[name=text]")).to_have_value(words)
    assert_accessible(page, [])
    context.close()
