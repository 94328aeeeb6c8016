"""English, Polish and the other languages offered: the switch on every family page, a choice
that sticks, `lang` on every page, the language a coordinator recorded, whole catalogues, and
staff pages that stay English."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from config import Config
from portal.extensions import db
from portal.i18n import OWN_NAMES, check_languages
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import ConferenceStatus, FormKind, Role, utcnow
from tests.factories import add_contactable_member, make_conference, make_staff
from tests.pages import PageClient

ROOT = Path(__file__).resolve().parents[3]
# Every file with words a family member or child can see.
FAMILY_SOURCES = [
    *sorted((ROOT / "templates" / "family_forms").glob("*.html")),
    *sorted((ROOT / "templates" / "links").glob("*.html")),
    *sorted((ROOT / "templates" / "errors").glob("*.html")),
    *(ROOT / "templates" / name for name in ("base.html", "_public.html")),
    ROOT / "templates" / "macros" / "time_limit.html",
    *(ROOT / "templates" / "site" / name for name in ("accessibility.html", "privacy.html")),
    *(
        ROOT / "portal" / name
        for name in (
            "family_forms/questionnaire.py",
            "family_forms/questions.py",
            "family_forms/childrens_questions.py",
            "family_forms/forms.py",
            "family_forms/routes.py",
            "invitations/forms.py",
            "invitations/services.py",
            "templating.py",
            "errors.py",
        )
    ),
]
STAFF_ONLY = {
    ROOT / "templates" / "family_forms" / name for name in ("answers.html", "_answers_card.html")
}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
# Every language offered to families besides English: each has a whole catalogue.
TRANSLATED = [code for code in Config.FAMILY_LANGUAGES if code != "en"]
# 999 is the ambulance alone in Poland and no number at all in Romania: every 999 in a
# catalogue names it as the emergency number, in that language's words (issue 21).
EMERGENCY_999 = {
    "pl": "numer alarmowy 999",
    "ro": "numărul de urgență 999",
    "ur": "ایمرجنسی نمبر 999",
}


def _open_link(client: PageClient, **member_fields) -> str:
    conference = make_conference()
    member = add_contactable_member(conference, **member_fields)
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    token = token_for(invitation.token_salt)
    client.submit(f"/r/{token}")
    return token


def _switch(client: PageClient, language: str, back_to: str, on: str = "/your-say/"):
    token = client.get(on).csrf_token()
    return client.post("/language", {"csrf_token": token, "language": language, "back_to": back_to})


def test_the_switch_sticks_on_every_page_until_switched_back(client: PageClient) -> None:
    _open_link(client)
    english = client.get("/your-say/")
    assert english.soup.html["lang"] == "en"
    assert english.soup.select_one("button[name=language][value=pl]").get_text() == "Polski"

    switched = _switch(client, "pl", "/your-say/")
    assert (switched.status, switched.location) == (303, "/your-say/")
    for url in ("/your-say/", "/your-say/finish-missing-page"):
        page = client.get(url)
        assert page.soup.html["lang"] == "pl", url
    landing = client.get("/your-say/")
    assert landing.h1 != english.h1  # in Polish now
    assert landing.soup.select_one("button[name=language][value=en]").get_text() == "English"
    client.submit("/your-say/start", on="/your-say/")
    assert client.get("/your-say/q/why_meeting").soup.html["lang"] == "pl"

    _switch(client, "en", "/your-say/")
    assert client.get("/your-say/").h1 == english.h1


def test_an_answer_that_cannot_be_kept_is_refused_in_polish(client: PageClient) -> None:
    """The shared check's message lives in portal/forms.py, beside staff-only words that
    need no Polish: this test stands in for the catalogue check below."""
    _open_link(client)
    _switch(client, "pl", "/your-say/")
    client.submit("/your-say/start", on="/your-say/")
    page = client.submit("/your-say/q/going_well", {"text": "Szkoła\x07"})
    assert page.status == 400
    assert page.error_summary == [
        "W odpowiedzi jest znak, którego nie możemy zapisać. Usuń go i spróbuj jeszcze raz"
    ]
    assert page.soup.select_one("textarea").get_text() == "Szkoła\x07"


def test_the_language_a_coordinator_recorded_is_used_when_the_link_is_opened(client) -> None:
    _open_link(client, language="Polish")
    assert client.get("/your-say/").soup.html["lang"] == "pl"


def test_a_link_whose_time_has_passed_says_so_in_the_recorded_language(client) -> None:
    """Opened on an English phone by a parent recorded as Polish (issue 21)."""
    conference = make_conference()
    member = add_contactable_member(conference, language="Polish")
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(f"/r/{token_for(invitation.token_salt)}", headers={"Accept-Language": "en"})
    assert page.status == 410
    assert page.soup.html["lang"] == "pl"
    assert page.h1 != "The time to answer has passed"


def test_a_recorded_english_does_not_override_the_browsers_language(client: PageClient) -> None:
    token = _open_link(client, language="English")
    page = client.get(f"/r/{token}", headers={"Accept-Language": "pl"})
    assert page.soup.html["lang"] == "pl"


def test_urdu_pages_are_right_to_left_and_keep_english_names_whole(app, client) -> None:
    """dir="rtl" on <html>; the council's English name, the date and the phone number inside
    Urdu sentences each in a <bdi>, the number always left to right."""
    _open_link(client, language="Urdu")
    page = client.get("/your-say/")
    assert (page.soup.html["lang"], page.soup.html["dir"]) == ("ur", "rtl")
    assert page.h1 == "میٹنگ سے پہلے آپ کی رائے"
    council, when = page.soup.select("main p.govuk-body")[0].select("bdi")
    assert (council.get_text(), council["dir"]) == (app.config["COUNCIL_NAME"], "auto")
    assert "دسمبر" in when.get_text() or "r." not in when.get_text()  # not Polish's "r."
    phone = page.soup.select_one('.govuk-footer bdi[dir="ltr"]')
    assert phone.get_text() == app.config["SERVICE_PHONE"]
    _switch(client, "en", "/your-say/")
    assert client.get("/your-say/").soup.html["dir"] == "ltr"


def test_the_staff_sign_in_page_stays_english(client: PageClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "pl"})
    assert page.soup.html["lang"] == "en"


def test_the_browsers_own_language_is_used_before_anyone_chooses(client: PageClient) -> None:
    page = client.get("/r/" + "A" * 22, headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})
    assert page.soup.html["lang"] == "pl"
    assert page.h1 != "This link is not working"


@pytest.mark.parametrize(
    "back_to",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "", None],
)
def test_the_switch_only_goes_back_to_a_page_of_this_site(client: PageClient, back_to) -> None:
    _open_link(client)
    switched = _switch(client, "pl", back_to)
    assert switched.location == "/"


def test_an_unknown_language_changes_nothing(client: PageClient) -> None:
    _open_link(client)
    _switch(client, "xx", "/your-say/")
    assert client.get("/your-say/").soup.html["lang"] == "en"


def test_staff_pages_stay_english(client: PageClient, signed_in) -> None:
    staff = signed_in(Role.COORDINATOR)
    token = staff.get("/conferences/").csrf_token()
    staff.post("/language", {"csrf_token": token, "language": "pl", "back_to": "/"})
    page = staff.get("/conferences/")
    assert page.soup.html["lang"] == "en"
    assert page.h1 == "Conferences"


def _family_messages() -> set[str]:
    found = set()
    for path in FAMILY_SOURCES:
        if path in STAFF_ONLY:
            continue
        method = "python" if path.suffix == ".py" else "jinja2"
        for _, message, _, _ in extract_from_file(method, str(path), keywords=KEYWORDS):
            if message:
                found.update([message] if isinstance(message, str) else message)
    return found


def _catalogue(code: str) -> Catalog:
    with (ROOT / "portal" / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_offered_language_is_on_the_switch_and_used_once_chosen(client, code) -> None:
    _open_link(client)
    english = client.get("/your-say/")
    assert (
        english.soup.select_one(f"button[name=language][value={code}]").get_text()
        == (OWN_NAMES[code])
    )
    _switch(client, code, "/your-say/")
    page = client.get("/your-say/")
    assert page.soup.html["lang"] == code
    assert page.h1 != english.h1


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_family_facing_string_is_translated(code: str) -> None:
    catalogue = _catalogue(code)
    assert list(catalogue.check()) == []  # placeholders kept in every translation
    missing = []
    for text in sorted(_family_messages()):
        entry = catalogue.get(text) or next(
            (m for m in catalogue if isinstance(m.id, tuple) and text in m.id), None
        )
        strings = entry.string if entry and not entry.fuzzy else None
        if not strings or (isinstance(strings, tuple) and not all(strings)):
            missing.append(text)
    assert missing == [], f"{len(missing)} family strings have no {code}: run make messages"


@pytest.mark.parametrize(("code", "emergency"), EMERGENCY_999.items())
def test_every_999_is_called_the_emergency_number(code: str, emergency: str) -> None:
    """To a Pole "zadzwoń pod 999" reads as "call an ambulance" (issue 21)."""
    bare = [
        text
        for text in _strings(code)
        if len(re.findall(r"\b999\b", text)) != text.count(emergency)
    ]
    assert bare == []


def test_every_language_translated_says_how_it_names_999() -> None:
    assert sorted(EMERGENCY_999) == sorted(TRANSLATED)


def _strings(code: str) -> list[str]:
    found: list[str] = []
    for message in _catalogue(code):
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            found.extend(filter(None, strings))
    return found


def test_polish_reads_as_written_not_translated() -> None:
    """The translator's review (issue 21): no office abbreviations ("ds."), no "wishes and
    feelings" as birthday wishes, and the council named before what it runs."""
    strings = _strings("pl")
    assert [text for text in strings if re.search(r"\bds\.", text)] == []
    assert [text for text in strings if "życzenia i uczucia" in text] == []
    assert [text for text in strings if re.search(r"%\(service\)s prowadzi", text)] == []


def test_the_polish_landing_page_gives_the_emergency_numbers_as_the_english_does(client) -> None:
    _open_link(client)
    _switch(client, "pl", "/your-say/")
    text = client.get("/your-say/").text
    assert "zadzwoń pod numer alarmowy 999 (albo 112, który też działa w Wielkiej Brytanii)" in text
    assert "odpowiesz „Tak”, od razu wyślemy wiadomość do osoby prowadzącej spotkanie" in text


def test_the_polish_help_now_page_says_who_is_sent_a_message(client) -> None:
    """What portal/safety does, no more: a message now to the team (this conference has no
    chair yet and no social worker's address), and the duty team after the set time."""
    _open_link(client)
    _switch(client, "pl", "/your-say/")
    client.submit("/your-say/start", on="/your-say/")
    token = client.get("/your-say/q/danger_now").csrf_token()
    answer = client.post("/your-say/q/danger_now", {"csrf_token": token, "choice": "yes"})
    page = client.get(answer.location)
    assert page.h1 == "Jeśli ktoś jest teraz w niebezpieczeństwie, zadzwoń pod numer alarmowy 999"
    assert (
        "Wysyłamy teraz wiadomość o tym, o każdej porze dnia i nocy, do: zespołu, który"
        " organizuje spotkanie"
    ) in page.text
    assert "pracownik socjalny" not in page.text
    assert "w ciągu 60 min, wyślemy wiadomość także do dyżurnego zespołu urzędu" in page.text


def test_the_polish_feedback_page_says_who_reads_it_with_the_name(client) -> None:
    conference = make_conference(starts_in=timedelta(days=-1), status=ConferenceStatus.HELD)
    invitation = issue_invitation(conference, add_contactable_member(conference), FormKind.FEEDBACK)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    _switch(client, "pl", "/your-say/")
    assert (
        "Osoba prowadząca twoje spotkanie i koordynatorzy czytają twoje odpowiedzi razem z twoim"
        " imieniem i nazwiskiem, żeby zająć się tym, co cię martwi. Zespół do spraw udziału"
        " dzieci i rodzin czyta je bez twojego imienia i nazwiska i bez numeru sprawy, żeby"
        " spotkania były lepsze."
    ) in client.get("/your-say/").text


def test_the_service_name_leads_a_family_to_their_own_landing_page(client) -> None:
    """Not to the English staff sign-in (issue 21)."""
    token = _open_link(client, language="Polish")
    for path in ["/your-say/", "/privacy", "/accessibility"]:
        header = client.get(path).soup.select_one(".heard-header__service")
        assert header.name == "a"
        assert header["href"] == "/your-say/"
    client.client.delete_cookie("session")
    for path in [f"/r/{token}", "/privacy"]:  # no visit: nowhere of theirs to go
        assert client.get(path).soup.select_one(".heard-header__service").name == "span"


def test_staff_see_which_answers_were_written_in_polish(client, signed_in) -> None:
    """Polish free text reaches English-only staff marked, the danger box too (issue 21)."""
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair)
    invitation = issue_invitation(
        conference, add_contactable_member(conference, language="Polish"), FormKind.VIEWS
    )
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    client.submit("/your-say/start", on="/your-say/")
    client.submit("/your-say/q/danger_now", {"choice": "yes", "text": "On krzyczy"})
    _switch(client, "en", "/your-say/")
    client.submit("/your-say/q/going_well", {"text": "Typed in English"})

    views = signed_in(Role.CHAIR, chair).get(f"/conferences/{conference.id}/family-views")
    rows = {
        row.select_one(".govuk-summary-list__key").get_text(strip=True): row.select_one(
            ".govuk-summary-list__value"
        ).get_text(" ", strip=True)
        for row in views.soup.select(".govuk-summary-list__row")
    }
    danger = next(value for value in rows.values() if "On krzyczy" in value)
    assert danger.startswith("Written in Polish: get it read")
    english = next(value for value in rows.values() if "Typed in English" in value)
    assert "Written in" not in english


def test_only_the_languages_offered_are_switched_to(app, client: PageClient, monkeypatch) -> None:
    """FAMILY_LANGUAGES is what a family may choose: a language with a catalogue that the council
    does not offer is refused like an unknown one, and is not on the switch."""
    _open_link(client)
    assert _switch(client, "pl", "/your-say/").status == 303
    monkeypatch.setitem(app.config, "FAMILY_LANGUAGES", ["en"])  # the app outlives this test
    page = client.get("/your-say/")
    assert page.soup.html["lang"] == "en"
    assert "Polski" not in page.text
    assert _switch(client, "pl", "/your-say/").status == 400


def test_an_unknown_family_language_stops_the_app_at_start_up():
    with pytest.raises(ValueError, match="FAMILY_LANGUAGES"):
        check_languages(["en", "xx"])
    with pytest.raises(ValueError, match="FAMILY_LANGUAGES"):
        check_languages(["pl"])
    check_languages(["en", "pl", "ro", "ur"])


@pytest.mark.parametrize("autoescape", [True, False])
def test_templates_translate_as_jinjas_own_gettext_does(app, autoescape: bool) -> None:
    """portal/i18n.py's _() and ngettext() for templates, against Jinja's newstyle gettext:
    the same text, escaped the same way, and inside a loop with a variable of its own (where
    Jinja's copies the page's context for every call)."""
    from jinja2 import Environment

    source = (
        "{% for name in names %}{% set n = loop.index %}"
        '{{ _("<i>Hello</i> %(name)s", name=name) }} '
        '{{ ngettext("%(num)s child", "%(num)s children", n) }}'
        " {{ _('100%% sure') }};{% endfor %}"
    )
    # Both settings: plain-text templates (the messages) are not escaped.
    jinjas = Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])  # noqa: S701
    jinjas.install_gettext_callables(  # type: ignore[attr-defined]
        lambda s: s, lambda s, p, n: s if n == 1 else p, newstyle=True
    )
    names = ["Ann", "<b>Bo</b> & Cy"]
    with app.test_request_context("/"):
        ours = app.jinja_env.overlay(autoescape=autoescape).from_string(source)
        assert ours.render(names=names) == jinjas.from_string(source).render(names=names)
        assert (
            "<i>Hello</i> &lt;b&gt;Bo&lt;/b&gt; &amp; Cy" in ours.render(names=names)
        ) is autoescape
