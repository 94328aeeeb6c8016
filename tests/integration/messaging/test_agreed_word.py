"""Opening a link that asks for the word agreed with the person: a second check with one
channel (issue 25). The coordinator's side is in tests/integration/conferences/."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import FormKind, Invitation, SecondCheck
from portal.people.agreed_word import hash_word, normalise
from tests.factories import add_child, add_contactable_member, make_conference
from tests.pages import Page, PageClient

WORD = "Blue Kettle"
WRONG = "red kettle"
TOO_MANY = ["Too many tries. Call us and we will help you open your link"]


def left(tries: int) -> list[str]:
    plural = "try" if tries == 1 else "tries"
    return [f"That is not the word agreed with you. You have {tries} more {plural}."]


def word_link(first_name: str = "Ottoline", **fields: object) -> tuple[Invitation, str]:
    """A live views link to someone whose links ask for WORD."""
    conference = make_conference()
    add_child(conference, first_name="Peregrine", last_name="Quaintance")
    member = add_contactable_member(
        conference,
        first_name=first_name,
        last_name="Vasquez-Ward",
        second_check=SecondCheck.AGREED_WORD,
        agreed_word_hash=hash_word(WORD),
        **fields,
    )
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    return invitation, token_for(invitation.token_salt)


def at_the_word_page(client: PageClient, **fields: object) -> Invitation:
    invitation, token = word_link(**fields)
    assert client.submit(f"/r/{token}").location == "/r/word"
    return invitation


@pytest.fixture
def unlimited(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "LINK_RATE_LIMIT", "1000 per minute")  # not what is tested


def test_the_right_word_opens_the_link_however_it_is_typed(client: PageClient) -> None:
    invitation = at_the_word_page(client)
    assert client.get("/your-say/").status == 404  # not open until the word is given
    answer = client.submit("/r/word", {"word": "  blue   KETTLE "})
    assert answer.location == "/your-say/"
    assert invitation.opened_at is not None
    assert client.get("/your-say/").status == 200


def test_the_same_letters_typed_another_way_are_the_same_word() -> None:
    decomposed, composed = "Łódz\u0301", "łódź"  # a combining accent, then the letter itself
    assert normalise(decomposed) == normalise(composed)
    assert normalise(" Two\tWords \u00a0 Here ") == "two words here"


def test_the_page_asking_gives_nothing_away(client: PageClient, app) -> None:
    """No name, no conference, no child, no form named: the same page whoever's link it is."""
    invitation = at_the_word_page(client)
    page = client.get("/r/word")
    conference = invitation.conference
    for secret in ("Ottoline", "Vasquez", "Peregrine", "Quaintance", conference.case_reference):
        assert secret not in page.response.get_data(as_text=True)
    assert "views" not in page.text.lower()

    other = PageClient(app.test_client())
    at_the_word_page(other, first_name="Zebedee")
    assert _main(other.get("/r/word")) == _main(page)


def _main(page: Page) -> str:
    main = page.soup.select_one("main")
    for token in main.select('input[name="csrf_token"]'):
        token.decompose()
    return str(main)


def test_a_wrong_word_says_how_many_tries_are_left_then_the_link_waits(
    client: PageClient, unlimited
) -> None:
    invitation = at_the_word_page(client)
    for tries_left in (4, 3, 2, 1):
        page = client.submit("/r/word", {"word": WRONG})
        assert page.status == 400
        assert page.error_summary == left(tries_left)
        assert WRONG not in page.response.get_data(as_text=True)  # never shown back
    assert client.submit("/r/word", {"word": WRONG}).error_summary == TOO_MANY  # the fifth
    assert client.post("/r/word", {"word": WORD}).status == 400  # even the right one now
    assert invitation.opened_at is None
    assert invitation.code_attempts == 5
    waiting = client.get("/r/word")
    assert "This link is waiting after too many tries" in waiting.text
    assert waiting.soup.select_one('input[name="word"]') is None


def test_the_fifth_try_is_still_checked_and_the_right_word_starts_the_count_again(
    client: PageClient, unlimited
) -> None:
    invitation = at_the_word_page(client)
    for _ in range(4):
        client.submit("/r/word", {"word": WRONG})
    assert client.submit("/r/word", {"word": WORD}).location == "/your-say/"
    assert invitation.code_attempts == 0  # asked again next time the link is opened, five tries


def test_a_new_link_gives_no_more_guesses_at_the_same_word(client: PageClient, unlimited) -> None:
    invitation = at_the_word_page(client)
    for _ in range(5):
        client.submit("/r/word", {"word": WRONG})
    newer = issue_invitation(invitation.conference, invitation.family_member, FormKind.VIEWS)
    db.session.commit()
    assert newer.code_attempts == 5
    client.submit(f"/r/{token_for(newer.token_salt)}")
    assert client.submit("/r/word", {"word": WORD}).error_summary == TOO_MANY


def test_an_empty_word_is_asked_for_clearly(client: PageClient) -> None:
    invitation = at_the_word_page(client)
    page = client.submit("/r/word", {"word": "   "})
    assert page.status == 400
    assert page.error_summary == ["Enter the word we agreed with you"]
    assert invitation.code_attempts == 0  # not a try


def test_the_word_page_needs_a_link_that_asks_for_a_word(client: PageClient) -> None:
    assert client.get("/r/word").status == 404  # nothing pressed Continue in this browser
    assert client.post("/r/word", {"word": WORD}).status in (400, 404)


def test_the_word_page_is_rate_limited(client: PageClient, app) -> None:
    at_the_word_page(client)
    limit = int(app.config["LINK_RATE_LIMIT"].split()[0])
    answers = [client.get("/r/word").status for _ in range(limit + 1)]
    assert answers == [200] * limit + [429]


HEADINGS = {
    "pl": ("Wpisz słowo, które z tobą uzgodniliśmy", "Zostały ci jeszcze 4 próby."),
    "ro": ("Scrie cuvântul stabilit împreună cu tine", "Mai ai 4 încercări."),
    "ur": ("وہ لفظ لکھیں جو ہم نے آپ کے ساتھ طے کیا تھا", "4 کوششیں اور باقی ہیں۔"),
}


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_the_word_page_is_in_the_persons_language(client: PageClient, language: str) -> None:
    at_the_word_page(client, language_code=language)
    page = client.get("/r/word")
    heading, tries_left = HEADINGS[language]
    assert (page.soup.html["lang"], page.h1) == (language, heading)
    wrong = client.submit("/r/word", {"word": WRONG})
    assert tries_left in wrong.error_summary[0]
    assert client.submit("/r/word", {"word": WORD.upper()}).location == "/your-say/"
