"""The "Listen" button on a family question page (issue 20): the browser's own speech reads the
question, its hint and its options in the page's language.

Headless Chromium may have no voices, so the browser's speechSynthesis is replaced, before any
page script runs, by a stand-in that offers the voices a test names and records what it is
asked to say (``window.__spoken``) and each cancel (in localStorage, so it outlives the page).
That stands in for the browser, not for our code: assets/js/listen.mjs runs as served.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from portal.extensions import db
from portal.family_forms import services
from portal.family_forms.childrens_questions import CHILD_VIEWS
from portal.family_forms.questions import PARENT_VIEWS
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import FormKind, FormResponse, Relationship
from tests.factories import add_child, add_contactable_member, make_conference
from tests.helpers.browser import assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.browser

FAKE_SPEECH = """(() => {
  const langs = %s
  let ready = %s
  // "en-GB" is a voice on the phone; "en-GB@network" one that sends the words away (Chrome's
  // "Google …" voices)
  const voices = langs.map((given, at) => {
    const [lang, where] = given.split('@')
    return {
      lang, name: 'Stand-in ' + given, voiceURI: 'stand-in-' + given,
      localService: where !== 'network', default: at === 0
    }
  })
  const synth = new EventTarget()
  const queue = []
  window.__spoken = []
  synth.speaking = false
  synth.getVoices = () => (ready ? voices.slice() : [])
  synth.speak = (said) => {
    window.__spoken.push({ text: said.text, lang: said.lang, voice: said.voice && said.voice.lang })
    queue.push(said)
    synth.speaking = true
  }
  synth.cancel = () => {
    localStorage.setItem('cancelled', String(Number(localStorage.getItem('cancelled') || 0) + 1))
    synth.speaking = false
    for (const said of queue.splice(0)) if (said.onerror) said.onerror({ error: 'interrupted' })
  }
  synth.pause = synth.resume = () => {}
  window.__finishSpeaking = () => {
    synth.speaking = false
    for (const said of queue.splice(0)) if (said.onend) said.onend({})
  }
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true })
  window.SpeechSynthesisUtterance = class {
    constructor (text) { this.text = text; this.lang = ''; this.voice = null }
  }
  if (!ready) {
    setTimeout(() => { ready = true; synth.dispatchEvent(new Event('voiceschanged')) }, 300)
  }
})()"""


def _years_ago(years: int) -> date:
    today = date.today()
    return (
        date(today.year - years, 1, 1)
        if (today.month, today.day) > (2, 1)
        else date(today.year - years - 1, 1, 1)
    )


def _link(child_age: int | None = None) -> tuple[str, int]:
    conference = make_conference()
    if child_age is None:
        member = add_contactable_member(conference)
    else:
        child = add_child(conference, date_of_birth=_years_ago(child_age))
        member = add_contactable_member(
            conference, relationship=Relationship.YOUNG_PERSON, child_id=child.id
        )
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    return token_for(invitation.token_salt), invitation.id


def _open(browser, base: str, voices: list[str] | None, *, language="en", later=False, js=True):
    """A phone's browser on the first question of a new link's form."""
    token, invitation_id = _link()
    context = browser.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=js)
    context.set_default_timeout(10_000)
    if voices is not None:
        context.add_init_script(FAKE_SPEECH % (json.dumps(voices), "false" if later else "true"))
    page = context.new_page()
    page.goto(f"{base}/r/{token}")
    if language != "en":
        page.locator(f"button[name=language][value={language}]").click()
    page.locator("main form button").first.click()
    page.locator("form[action$='/start'] button").click()
    page.wait_for_url("**/your-say/q/**")
    return context, page, invitation_id


def _listen(page):
    return page.locator("[data-heard-listen]")


def _words(app, text: object, language: str) -> str:
    with app.test_request_context(), force_locale(language):
        return gettext(str(text))


def test_with_a_voice_it_reads_the_question_hint_and_options_in_english(
    app, live_server, browser
) -> None:
    context, page, _ = _open(browser, str(live_server), ["en-GB", "pl-PL"])
    question = PARENT_VIEWS.questions[0]
    listen = _listen(page)
    expect(listen).to_be_visible()
    expect(listen).to_have_text("Listen")
    assert "govuk-button--secondary" in (listen.get_attribute("class") or "")
    assert_accessible(page, [])
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url))
    listen.click()
    expect(listen).to_have_text("Stop")
    assert_accessible(page, [])
    spoken = page.evaluate("window.__spoken")
    assert [said["text"] for said in spoken[:4]] == [
        str(question.label),
        *(str(label) for _, label in question.options),
    ]
    assert {said["lang"] for said in spoken} == {"en-GB"}
    assert {said["voice"] for said in spoken} == {"en-GB"}
    assert not sent, "nothing is sent anywhere while it speaks"
    listen.click()  # Stop
    expect(listen).to_have_text("Listen")
    assert page.evaluate("window.speechSynthesis.speaking") is False
    listen.click()
    page.evaluate("window.__finishSpeaking()")  # read to the end: ready to listen again
    expect(listen).to_have_text("Listen")
    context.close()


def test_an_error_is_read_first_then_the_hint(app, live_server, browser) -> None:
    context, page, _ = _open(browser, str(live_server), ["en-GB"])
    page.locator("main form:not([action]) button[type=submit]").click()  # nothing chosen
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _listen(page).click()
    texts = [said["text"] for said in page.evaluate("window.__spoken")]
    assert texts[0] == "There is a problem"
    error = page.locator(".govuk-error-summary__list a").first.inner_text().strip()
    assert texts[1] == error
    assert texts[2] == str(PARENT_VIEWS.questions[0].label)
    context.close()
    # A question with a hint: the hint follows the question
    context, page, _ = _open(browser, str(live_server), ["en-GB"])
    with_hint = next(q for q in PARENT_VIEWS.questions if q.hint)
    page.goto(f"{live_server}/your-say/q/{with_hint.id}")
    expect(page.locator(".govuk-character-count__status")).to_contain_text("characters")
    _listen(page).click()
    texts = [said["text"] for said in page.evaluate("window.__spoken")]
    assert texts[:2] == [str(with_hint.label), str(with_hint.hint)]
    assert not any("characters" in text for text in texts), texts  # not the character count
    context.close()


def test_a_polish_page_is_read_in_polish(app, live_server, browser) -> None:
    context, page, _ = _open(browser, str(live_server), ["en-GB", "pl-PL"], language="pl")
    assert page.locator("html").get_attribute("lang") == "pl"
    listen = _listen(page)
    expect(listen).to_have_text(_words(app, "Listen", "pl"))
    listen.click()
    expect(listen).to_have_text(_words(app, "Stop", "pl"))
    spoken = page.evaluate("window.__spoken")
    question = PARENT_VIEWS.questions[0]
    assert spoken[0]["text"] == _words(app, question.label, "pl") != str(question.label)
    assert {said["lang"] for said in spoken} == {"pl-PL"}
    assert_accessible(page, [])
    context.close()


def test_voices_that_arrive_later_show_it(live_server, browser) -> None:
    context, page, _ = _open(browser, str(live_server), ["en-GB"], later=True)
    expect(_listen(page)).to_be_visible()
    context.close()


@pytest.mark.parametrize(
    ("voices", "language", "js"),
    [
        ([], "en", True),
        (["pl-PL"], "en", True),
        (["en-GB"], "pl", True),
        (["en-GB"], "en", False),
        (["en-GB@network"], "en", True),  # nothing of the family's words leaves the phone
    ],
    ids=[
        "no voices",
        "only another language",
        "no Polish voice",
        "no JavaScript",
        "only a network voice",
    ],
)
def test_without_a_voice_for_the_page_there_is_no_button(
    live_server, browser, voices, language, js
) -> None:
    context, page, _ = _open(browser, str(live_server), voices, language=language, js=js)
    if js:
        page.wait_for_timeout(500)  # time for any voices to arrive
    expect(_listen(page)).to_be_hidden()
    assert page.locator("main .govuk-button:visible").count() >= 1  # the form is all there
    context.close()


def test_the_form_is_answered_while_it_speaks_and_moving_on_stops_it(live_server, browser) -> None:
    context, page, invitation_id = _open(browser, str(live_server), ["en-GB"])
    _listen(page).click()
    assert page.evaluate("window.speechSynthesis.speaking") is True
    page.evaluate("localStorage.removeItem('cancelled')")
    page.locator("input[name=choice][value=yes]").check()
    page.locator("#text").fill("My worker told me")
    page.locator("main form:not([action]) button[type=submit]").click()
    page.wait_for_url(f"**/your-say/q/{PARENT_VIEWS.questions[1].id}")
    assert int(page.evaluate("localStorage.getItem('cancelled')") or 0) >= 1
    response = db.session.query(FormResponse).filter_by(invitation_id=invitation_id).one()
    db.session.refresh(response)
    assert services.saved_answers(response)[PARENT_VIEWS.questions[0].id] == {
        "choice": "yes",
        "text": "My worker told me",
    }
    # A link (Back) stops it too
    _listen(page).click()
    page.evaluate("localStorage.removeItem('cancelled')")
    page.locator(".govuk-back-link").click()
    page.wait_for_url(f"**/your-say/q/{PARENT_VIEWS.questions[0].id}")
    assert int(page.evaluate("localStorage.getItem('cancelled')") or 0) >= 1
    context.close()


def test_a_childs_form_has_it_too(app, live_server, browser) -> None:
    token, _ = _link(child_age=7)
    context = browser.new_context(viewport={"width": 375, "height": 667})
    context.add_init_script(FAKE_SPEECH % (json.dumps(["en-GB"]), "true"))
    page = context.new_page()
    page.goto(f"{live_server}/r/{token}")
    page.locator("main form button").first.click()
    page.locator("form[action$='/start'] button").click()
    faces = next(q for q in CHILD_VIEWS.questions if q.look == "feelings")  # drawn feelings
    page.goto(f"{live_server}/your-say/q/{faces.id}")
    _listen(page).click()
    texts = [said["text"] for said in page.evaluate("window.__spoken")]
    assert texts[0] == str(faces.label)
    assert all(str(label) in texts for _, label in faces.options), texts
    no_sideways_scroll(page)
    assert_accessible(page, [])
    context.close()
