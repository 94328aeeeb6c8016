"""Every family form, on a phone, from the link in the person's message: in English with
JavaScript at 375×667, and in Polish without JavaScript at 320×568.

Each page is scanned by axe-core (WCAG 2.2 A/AA), checked for sideways scrolling and for touch
targets of at least 44 by 44 pixels, and photographed into test-artifacts/. On the way: an
unanswered question, the page's Back link, a reload, the browser's back button, changing an
answer from "Check your answers", a double tap on Send, opening the link again afterwards
(with no "Finish for now" once sent), the page after "Finish for now", and a link whose time is
up.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from config import Config
from portal.extensions import db
from portal.family_forms.childrens_questions import (
    CHILD_FEEDBACK,
    CHILD_VIEWS,
    YOUNG_PERSON_FEEDBACK,
    YOUNG_PERSON_VIEWS,
)
from portal.family_forms.questionnaire import Question, Questionnaire
from portal.family_forms.questions import PARENT_FEEDBACK, PARENT_VIEWS
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import ConferenceStatus, FormKind, FormResponse, Relationship
from tests.factories import add_child, add_contactable_member, make_conference
from tests.helpers.browser import assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TYPED = {"en": "Ella loves her new school 💷 — مرحبا", "pl": "Ela lubi nową szkołę — zażółć 💬"}
FORMS = {
    PARENT_VIEWS: None,
    PARENT_FEEDBACK: None,
    YOUNG_PERSON_VIEWS: 13,
    YOUNG_PERSON_FEEDBACK: 15,
    CHILD_VIEWS: 7,
    CHILD_FEEDBACK: 5,
}
# Controls a person taps to answer or move on. Links inside a sentence are exempt, as WCAG's
# target-size criterion allows.
TAPPED = (
    "button, a.govuk-button, .govuk-back-link, .govuk-summary-list__actions a, textarea, "
    "input[type=text], .govuk-radios__input, .govuk-checkboxes__input"
)


def _born(years: int) -> date:
    today = date.today()
    return (
        date(today.year - years - 1, 12, 31) if today.month < 12 else date(today.year - years, 1, 1)
    )


def _link_for(questionnaire: Questionnaire, age: int | None) -> tuple[str, object]:
    feedback = questionnaire in (PARENT_FEEDBACK, YOUNG_PERSON_FEEDBACK, CHILD_FEEDBACK)
    conference = make_conference(
        **({"starts_in": timedelta(days=-1), "status": ConferenceStatus.HELD} if feedback else {})
    )
    if age is None:
        member = add_contactable_member(conference)
    else:
        child = add_child(conference, date_of_birth=_born(age))
        member = add_contactable_member(
            conference, relationship=Relationship.YOUNG_PERSON, child_id=child.id
        )
    invitation = issue_invitation(
        conference, member, FormKind.FEEDBACK if feedback else FormKind.VIEWS
    )
    db.session.commit()
    return token_for(invitation.token_salt), invitation


def _choice_for(question: Question, avoid: str | None = None) -> str:
    """A choice that raises no concern (and differs from ``avoid``): not the danger answer, nor
    a "how safe at home" score low enough to raise a safety alert."""
    return next(
        value
        for value, _ in question.options
        if value not in (question.concern_choice, avoid)
        and not (question.safety_scale and int(value) <= Config.SAFETY_SCALE_ALERT_AT)
    )


def assert_targets_big_enough(page) -> None:
    small = page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
             .filter(element => element.getClientRects().length > 0)
             .map(element => {
               const box = element.getBoundingClientRect();
               return [element.outerHTML.slice(0, 80), box.width, box.height];
             })
             .filter(([, width, height]) => width < 44 || height < 44)""",
        TAPPED,
    )
    assert small == [], f"{page.url}: touch targets under 44px: {small}"


def _as_rendered(page, checker, live_server: str):
    """axe-core is JavaScript: without it, the page as it rendered is scanned in a scripted page."""
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S)
    html = html.replace("<head>", f'<head><base href="{live_server}/">', 1)
    checker.set_content(html)
    return checker


@pytest.mark.parametrize(
    ("language", "width", "height", "javascript"),
    [("en", 375, 667, True), ("pl", 320, 568, False)],
    ids=["en-375-js", "pl-320-no-js"],
)
@pytest.mark.parametrize("questionnaire", list(FORMS), ids=lambda q: q.id)
def test_a_family_member_answers_on_a_phone(
    app, live_server, browser, questionnaire, language, width, height, javascript
) -> None:
    def words(text, **values) -> str:
        with app.test_request_context(), force_locale(language):
            return gettext(str(text), **values) if values else gettext(str(text))

    token, invitation = _link_for(questionnaire, FORMS[questionnaire])
    link = f"{live_server}/r/{token}"
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=javascript
    )
    context.set_default_timeout(10_000)  # a step that hangs fails in seconds, with its place
    page = context.new_page()
    checker = browser.new_page(viewport={"width": width, "height": height})
    scanned: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    heading = page.get_by_role("heading", level=1)
    save = page.locator("main form:not([action]) button[type=submit]").first

    def look(name: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        scan = page if javascript else _as_rendered(page, checker, live_server)
        assert_accessible(scan, scanned)
        no_sideways_scroll(scan)
        assert_targets_big_enough(page)
        page.screenshot(
            path=ARTIFACTS / f"{questionnaire.id}-{language}-{width}-{name}.png", full_page=True
        )

    page.goto(link)
    if language != "en":
        page.locator(f"button[name=language][value={language}]").click()
    expect(page.locator("main .govuk-button")).to_have_text(words("Continue"))
    look("link")
    page.locator("main .govuk-button").click()
    expect(heading).to_have_text(words(questionnaire.title))
    look("landing")
    page.locator("form[action$='/start'] button").click()

    questions = questionnaire.questions
    for number, question in enumerate(questions):
        expect(heading).to_have_text(words(question.label))
        if number == 0 and question.kind == "choice":
            save.click()  # nothing chosen: a clear error, in the page's language
            expect(page.locator(".govuk-error-summary")).to_contain_text(words(question.error))
            look("error")
        if question.kind == "choice":
            page.locator(f"input[name=choice][value='{_choice_for(question)}']").check()
        elif question.kind == "choices":
            page.locator(f"input[name=choices][value='{question.options[0][0]}']").check()
        if question.kind == "text" or question.detail_label:
            page.locator("#text").fill(TYPED[language])
        look(question.id)
        save.click()
        if number == 0:
            # The page's own Back link, then a reload: what was saved is still there
            expect(heading).to_have_text(words(questions[1].label))
            page.locator(".govuk-back-link").click()
            page.reload()
            expect(heading).to_have_text(words(question.label))
            if question.kind == "choice":
                expect(page.locator(f"input[value='{_choice_for(question)}']")).to_be_checked()
            save.click()
        if number == 1:
            # The browser's back button (once the next page is there), then forward again
            expect(heading).to_have_text(words(questions[2].label))
            page.go_back(wait_until="load")
            expect(heading).to_have_text(words(question.label))
            page.go_forward(wait_until="load")

    expect(heading).to_have_text(words("Check your answers"))
    assert TYPED[language] in page.inner_text("main")
    look("check")
    changed = next(
        q for q in questions if q.kind == "choice" and len(q.options) > 2 and not q.concern_choice
    )
    page.locator(f"a[href*='/q/{changed.id}?from=check']").click()
    other = _choice_for(changed, avoid=_choice_for(changed))
    page.locator(f"input[name=choice][value='{other}']").check()
    save.click()
    expect(heading).to_have_text(words("Check your answers"))
    page.locator("main form:not([action]) button").dblclick()
    expect(heading).to_have_text(words("Your answers have been sent"))
    look("done")
    # "Add this" says so (issue 22): a success banner by the box, in focus so it is read out
    page.locator("main textarea").fill("One more thing")
    page.get_by_role("button", name=words("Add this")).click()
    added = page.get_by_role("alert")
    expect(added).to_have_accessible_name(words("Success"))
    expect(added).to_contain_text(words("We have added what you wrote."))
    expect(added).to_be_focused()
    expect(added).to_be_in_viewport()
    look("added")
    assert db.session.query(FormResponse).filter_by(invitation_id=invitation.id).count() == 1
    response = db.session.query(FormResponse).filter_by(invitation_id=invitation.id).one()
    assert response.submitted_at is not None
    saved = {answer.question_id: answer.value for answer in response.answers}
    assert saved[changed.id]["choice"] == other

    # The link again afterwards: sent already, and more can be added; nothing is left to
    # finish for now (Exit this page ends the visit: tests/browser/test_exit_this_page.py)
    page.goto(link)
    page.locator("main .govuk-button").click()
    expect(page.locator("main a[href$='/your-say/done']")).to_be_visible()
    expect(page.locator("form[action$='/finish']")).to_have_count(0)
    page.goto(f"{live_server}/your-say/finished")  # the page after "Finish for now"
    expect(heading).to_have_text(words("Your answers are saved"))
    look("finished")

    # When the link's time is up, it says so kindly
    invitation.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    page.goto(link)
    expect(heading).to_have_text(words("The time to answer has passed"))
    look("closed")
    context.close()
    checker.close()
