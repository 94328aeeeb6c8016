"""A parent answers the views form in Romanian on a 375px phone with JavaScript: from the link,
through the switch to Română, every question, "Check your answers", Send and the confirmation.

Each page says lang="ro" and shows Romanian words, has no axe-core violations, and nothing on
it crosses the screen's edge: Romanian words run longer than English ones.
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from portal.extensions import db
from portal.family_forms.questions import PARENT_VIEWS
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import FormKind
from tests.browser.layout import assert_nothing_crosses_the_viewport
from tests.browser.test_family_journey import _choice_for, assert_targets_big_enough
from tests.factories import add_contactable_member, make_conference
from tests.helpers.browser import assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.browser
TYPED = "Școala merge bine; îi place să citească — mulțumim"


def test_a_parent_answers_in_romanian_on_a_phone(app, live_server, browser) -> None:
    def words(text: object) -> str:
        with app.test_request_context(), force_locale("ro"):
            translated = gettext(str(text))
        assert translated != str(text) or not text, f"no Romanian for {text!r}"
        return translated

    conference = make_conference()
    invitation = issue_invitation(conference, add_contactable_member(conference), FormKind.VIEWS)
    db.session.commit()
    context = browser.new_context(viewport={"width": 375, "height": 667})
    context.set_default_timeout(10_000)
    page = context.new_page()
    heading = page.get_by_role("heading", level=1)
    save = page.locator("main form:not([action]) button[type=submit]").first
    scanned: list[str] = []

    def look() -> None:
        assert page.locator("html").get_attribute("lang") == "ro"
        assert_accessible(page, scanned)
        no_sideways_scroll(page)
        assert_nothing_crosses_the_viewport(page)
        assert_targets_big_enough(page)

    page.goto(f"{live_server}/r/{token_for(invitation.token_salt)}")
    page.locator("button[name=language][value=ro]").click()
    expect(page.locator("main .govuk-button")).to_have_text("Continuă")
    look()
    page.locator("main .govuk-button").click()
    expect(heading).to_have_text("Părerea ta înainte de întâlnire")
    expect(page.locator("main")).to_contain_text("numărul de urgență 999")
    look()
    page.locator("form[action$='/start'] button").click()

    for question in PARENT_VIEWS.questions:
        expect(heading).to_have_text(words(question.label))
        if question.kind == "choice":
            page.locator(f"input[name=choice][value='{_choice_for(question)}']").check()
        elif question.kind == "choices":
            page.locator(f"input[name=choices][value='{question.options[0][0]}']").check()
        if question.kind == "text" or question.detail_label:
            page.locator("#text").fill(TYPED)
        expect(save).to_have_text("Salvează și continuă")
        look()
        save.click()

    expect(heading).to_have_text("Verifică-ți răspunsurile")
    assert TYPED in page.inner_text("main")
    look()
    page.locator("main form:not([action]) button").click()
    expect(heading).to_have_text("Răspunsurile tale au fost trimise")
    expect(page.locator("main")).to_contain_text("Ce urmează")
    look()
    assert len(scanned) == len(PARENT_VIEWS.questions) + 4
    context.close()
