"""Messages in the family's language (issue 16): each person's text and email go in the
language their coordinator recorded, when the council offers it and the message has wording in
it, else in English; the admin edits every message in every language, with the same checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.i18n import OWN_NAMES
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.messaging.default_wording import DEFAULTS, pl, ro, ur
from portal.messaging.wording import FAMILY_KINDS, wording_for
from portal.messaging.wording_checks import problems_with
from portal.messaging.worker import drain
from portal.models import (
    Channel,
    ConferenceStatus,
    FormKind,
    Message,
    MessageKind,
    Relationship,
    Role,
)
from tests.factories import add_contactable_member, make_conference
from tests.fakes.smtp_server import FakeSmtp
from tests.fakes.twilio_server import FakeTwilio

COUNCIL = "Northshire Council"
VIEWS = MessageKind.VIEWS_INVITATION


@pytest.fixture
def every_language(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "FAMILY_LANGUAGES", ["en", "pl", "ro", "ur"])


def _link(app: Flask, invitation: object) -> str:
    return f"{app.config['PUBLIC_BASE_URL']}/r/{token_for(invitation.token_salt)}"  # type: ignore[attr-defined]


def test_a_polish_father_gets_his_text_and_email_in_polish(
    app: Flask, providers: dict, fake_twilio: FakeTwilio, fake_smtp: FakeSmtp
) -> None:
    conference = make_conference()
    father = add_contactable_member(
        conference, relationship=Relationship.FATHER, language="Polish", email="tata@example.com"
    )
    assert father.language_code == "pl"
    invitation = issue_invitation(conference, father, FormKind.VIEWS)
    db.session.commit()
    assert drain(app, providers, "test-worker").sent == 1

    [text] = fake_twilio.sent_bodies()
    assert text == pl.WORDING.sms[VIEWS].format(council=COUNCIL, link=_link(app, invitation))

    father.preferred_channel = Channel.EMAIL
    invitation = issue_invitation(conference, father, FormKind.VIEWS)
    db.session.commit()
    assert drain(app, providers, "test-worker").sent == 1
    [(email, _)] = fake_smtp.messages
    subject, body = pl.WORDING.email[VIEWS]
    assert email["Subject"] == f"{subject} – {COUNCIL}"
    plain = email.get_body(("plain",)).get_content()
    plain = plain.replace("\r\n", "\n")
    assert plain.startswith(body.format(link=_link(app, invitation)))
    assert "Jeśli ten e-mail cię zaskoczył albo potrzebujesz pomocy" in plain  # the footer
    html = email.get_body(("html",)).get_content()
    assert '<html lang="pl" dir="ltr">' in html
    assert f'<a href="{_link(app, invitation)}" dir="ltr"' in html


def test_an_urdu_email_reads_right_to_left(
    app: Flask, providers: dict, fake_smtp: FakeSmtp, every_language: None
) -> None:
    conference = make_conference(starts_in=timedelta(days=-1), status=ConferenceStatus.HELD)
    mother = add_contactable_member(
        conference, language="Urdu", email="ammi@example.com", preferred_channel=Channel.EMAIL
    )
    invitation = issue_invitation(conference, mother, FormKind.FEEDBACK)
    db.session.commit()
    assert drain(app, providers, "test-worker").sent == 1

    [(email, _)] = fake_smtp.messages
    subject, _body = ur.WORDING.email[MessageKind.FEEDBACK_INVITATION]
    assert email["Subject"] == f"{subject} – {COUNCIL}"
    html = email.get_body(("html",)).get_content()
    assert '<html lang="ur" dir="rtl">' in html
    # The link keeps its own order inside the Urdu: an address reads left to right.
    assert f'<a href="{_link(app, invitation)}" dir="ltr"' in html


@pytest.fixture
def english_and_polish(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "FAMILY_LANGUAGES", ["en", "pl"])


def test_a_language_the_council_does_not_offer_gets_english(english_and_polish: None) -> None:
    """Urdu is recorded, but FAMILY_LANGUAGES is en,pl: the pages and the messages are English."""
    conference = make_conference()
    member = add_contactable_member(conference, language="Urdu")
    issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    [message] = db.session.scalars(select(Message)).all()
    assert message.body_text.startswith(f"{COUNCIL}: please tell us your views")


def test_wording_an_admin_sets_aside_goes_in_english_and_the_page_says_so(
    signed_in, every_language: None
) -> None:
    admin = signed_in(Role.ADMIN)
    url = "/admin/wording/views_invitation/sms/ro"
    page = admin.submit(url, {"body": ro.WORDING.sms[VIEWS], "action": "english"})
    assert page.location == "/admin/wording/"
    romanian = admin.get("/admin/wording/").table("Every message in Romanian")
    assert [
        "Views invitation by text message, in Romanian",
        "Text message",
        "Missing: English is sent",
        "",
    ] in (romanian)
    assert "Missing: English is sent" in admin.get(url).text

    member = add_contactable_member(make_conference(), language="Romanian", email="m@example.ro")
    assert wording_for(VIEWS, Channel.SMS, language="ro").text.startswith(
        f"{COUNCIL}: please tell us your views"
    )
    # Only that message by that channel: the email is still Romanian.
    email = wording_for(VIEWS, Channel.EMAIL, language=member.language_code)
    assert email.subject == f"{ro.WORDING.email[VIEWS][0]} – {COUNCIL}"

    admin.submit(url, {"body": "", "action": "reset"})  # back to the Romanian default
    assert wording_for(VIEWS, Channel.SMS, language="ro").text == ro.WORDING.sms[VIEWS].format(
        council=COUNCIL, link="((link))"
    )


def test_a_language_offered_with_no_wording_gets_english_and_every_message_shows_missing(
    app: Flask, signed_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A language with a catalogue and a place in FAMILY_LANGUAGES, but no default wording."""
    monkeypatch.setitem(OWN_NAMES, "lt", "Lietuvių")
    monkeypatch.setitem(app.config, "FAMILY_LANGUAGES", ["en", "pl", "lt"])
    assert "lt" not in DEFAULTS
    rows = signed_in(Role.ADMIN).get("/admin/wording/").table("Every message in lt")
    assert len(rows) == len(FAMILY_KINDS) * 2
    assert {row[2] for row in rows} == {"Missing: English is sent"}
    assert wording_for(VIEWS, Channel.EMAIL, language="lt").html.startswith(
        '<!DOCTYPE html>\n<html lang="en" dir="ltr">'
    )


def test_a_romanian_word_that_says_what_it_is_about_is_refused(
    signed_in, every_language: None
) -> None:
    url = "/admin/wording/views_invitation/sms/ro"
    page = signed_in(Role.ADMIN).submit(
        url, {"body": "{council}: despre cazul copilului: {link}", "action": "save"}
    )
    assert page.status == 400
    assert page.error_summary == [
        "Remove “caz”: someone else may read the message, and it must not say what it is about"
    ]
    assert wording_for(VIEWS, Channel.SMS, language="ro").text.startswith(f"{COUNCIL}: vă rugăm")


def test_an_admin_saves_polish_wording_and_only_polish_messages_use_it(signed_in) -> None:
    admin = signed_in(Role.ADMIN)
    body = "{council}: napisz nam przed spotkaniem, co myślisz: {link}"
    preview = admin.submit("/admin/wording/views_invitation/sms/pl", {"body": body})
    assert preview.status == 200
    assert "Sent as Unicode (UCS-2), because of “ś” (latin small letter s with acute)" in (
        preview.text
    )
    assert preview.soup.select_one("#body")["lang"] == "pl"
    saved = admin.submit("/admin/wording/views_invitation/sms/pl", {"body": body, "action": "save"})
    assert saved.location == "/admin/wording/"
    assert wording_for(VIEWS, Channel.SMS, language="pl").text == (
        f"{COUNCIL}: napisz nam przed spotkaniem, co myślisz: ((link))"
    )
    assert wording_for(VIEWS, Channel.SMS).text.startswith(f"{COUNCIL}: please tell us")
    english = admin.submit("/admin/wording/views_invitation/sms", {"body": "{council}: {link}"})
    assert "Sent as GSM-7: 160 characters fit in one text, 153 in each part" in english.text


def test_languages_not_offered_and_english_instead_of_english_are_refused(
    signed_in, english_and_polish: None
) -> None:
    admin = signed_in(Role.ADMIN)
    assert admin.get("/admin/wording/views_invitation/sms/ur").status == 404
    assert admin.get("/admin/wording/views_invitation/none/pl").status == 404
    refused = admin.submit(
        "/admin/wording/views_invitation/sms", {"body": "x", "action": "english"}
    )
    assert refused.status == 400


@pytest.mark.parametrize("language", list(DEFAULTS))
@pytest.mark.parametrize("kind", list(DEFAULTS["en"].helper_sms))
def test_every_default_to_a_childs_helper_passes_the_checks(app, language, kind) -> None:
    defaults = DEFAULTS[language]
    assert problems_with(kind, Channel.SMS, None, defaults.helper_sms[kind]) == []
    assert problems_with(kind, Channel.EMAIL, *defaults.helper_email[kind]) == []
