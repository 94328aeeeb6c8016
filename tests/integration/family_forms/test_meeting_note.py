"""The chair's "You said, we did" note on the child's own link (issue 25): the young person's,
or their helper's for a child under 10; only the note written to that child; in every family
language; its first opening kept."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import ConferenceStatus, FormKind
from portal.recording.services import save_you_said_we_did
from tests.factories import add_contactable_member
from tests.helpers.notes import recorded_with_child
from tests.pages import PageClient

NOTE = "You said you want to stay at Quillbright school. You will."
SIBLING_NOTE = "You said Tarnwhistle football matters. It does."
# The note page's heading and the landing page's banner, in each family language
HEADING = {
    "en": "A note from the meeting",
    "pl": "Notatka ze spotkania",
    "ro": "O notă de la întâlnire",
    "ur": "میٹنگ کی طرف سے ایک نوٹ",
}
RECORDED = {"en": "English", "pl": "Polish", "ro": "Romanian", "ur": "Urdu"}


def test_a_young_person_opens_the_note_from_their_link_and_the_first_opening_is_kept(
    client: PageClient,
) -> None:
    setup = recorded_with_child()
    save_you_said_we_did(setup.link, NOTE)
    setup.open_link(client)

    landing = client.get("/your-say/")
    assert landing.banners == ["There is a note from the meeting for you. Read the note"]
    assert landing.link("Read the note") == "/your-say/note"
    assert setup.link.you_said_we_did_opened_at is None  # the banner is not the note

    page = client.get("/your-say/note")
    assert page.status == 200
    assert page.h1 == "A note from the meeting"
    assert NOTE in page.text
    assert "Words to read with the child" not in page.text
    assert page.soup.select_one("[data-heard-print]") is None  # printing is for the helper
    first = setup.link.you_said_we_did_opened_at
    assert first is not None

    assert client.get("/your-say/note").status == 200
    assert setup.link.you_said_we_did_opened_at == first


def test_the_adult_helping_a_child_under_10_reads_it_with_them_and_can_print_only_the_note(
    client: PageClient,
) -> None:
    setup = recorded_with_child(age=7)
    save_you_said_we_did(setup.link, NOTE)
    setup.open_link(client)

    assert client.get("/your-say/").banners == [
        "There is a note from the meeting for the child you help. Read the note"
    ]
    page = client.get("/your-say/note")
    assert "Words to read with the child" in page.text
    assert "This note is for the child you help." in page.text
    assert page.soup.select_one("button[data-heard-print][hidden]") is not None  # JS shows it
    assert "Print command" in page.text  # without JavaScript, the browser's own
    note = page.soup.select_one(".heard-note")
    assert NOTE in note.get_text()
    sheet = page.soup.select_one('link[rel=stylesheet][media=print][href*="/note-print."]')
    assert sheet is not None
    printed = client.client.get(sheet["href"]).get_data(as_text=True)
    assert ".heard-note" in printed
    assert "visibility: hidden" in printed


def test_a_young_person_sees_only_the_note_written_to_them(client: PageClient) -> None:
    setup = recorded_with_child()
    sibling = recorded_with_child(setup.conference, age=15)
    save_you_said_we_did(setup.link, NOTE)
    save_you_said_we_did(sibling.link, SIBLING_NOTE)

    setup.open_link(client)
    for url in ("/your-say/", "/your-say/note", "/your-say/note?child_id=" + str(sibling.child.id)):
        page = client.get(url)
        assert SIBLING_NOTE not in page.text, url
    assert NOTE in client.get("/your-say/note").text

    other = PageClient(client.client.application.test_client())
    sibling.open_link(other)
    assert SIBLING_NOTE in other.get("/your-say/note").text
    assert NOTE not in other.get("/your-say/note").text
    assert sibling.link.you_said_we_did_opened_at is not None


def test_no_note_page_for_a_parent_before_the_record_or_with_no_note(client: PageClient) -> None:
    setup = recorded_with_child()
    parent = add_contactable_member(setup.conference, first_name="Kelly")
    parent_link = issue_invitation(setup.conference, parent, FormKind.FEEDBACK)
    db.session.commit()
    save_you_said_we_did(setup.link, NOTE)

    client.submit(f"/r/{token_for(parent_link.token_salt)}")
    assert client.get("/your-say/note").status == 404
    assert client.get("/your-say/").banners == []

    child = PageClient(client.client.application.test_client())
    setup.open_link(child)
    setup.conference.status = ConferenceStatus.SCHEDULED  # the record taken back
    db.session.commit()
    assert child.get("/your-say/note").status == 404
    setup.conference.status = ConferenceStatus.HELD
    setup.link.you_said_we_did = ""
    db.session.commit()
    assert child.get("/your-say/note").status == 404
    assert setup.link.you_said_we_did_opened_at is None


def test_without_a_link_opened_there_is_no_note(client: PageClient) -> None:
    setup = recorded_with_child()
    save_you_said_we_did(setup.link, NOTE)
    page = client.get("/your-say/note")
    assert page.status == 404
    assert NOTE not in page.text


@pytest.mark.parametrize("language", sorted(HEADING))
@pytest.mark.parametrize("age", [13, 7])
def test_the_note_page_and_its_banner_in_each_family_language(
    client: PageClient, language: str, age: int
) -> None:
    setup = recorded_with_child(age=age, language=RECORDED[language])
    save_you_said_we_did(setup.link, NOTE)
    setup.open_link(client)

    landing = client.get("/your-say/")
    assert landing.soup.html["lang"] == language
    banner = landing.soup.select_one(".govuk-notification-banner__link")
    assert banner["href"] == "/your-say/note"
    page = client.get("/your-say/note")
    assert (page.soup.html["lang"], page.soup.html["dir"]) == (
        language,
        "rtl" if language == "ur" else "ltr",
    )
    assert page.h1 == HEADING[language]
    assert page.soup.select_one(".heard-note [dir=auto]").get_text() == NOTE
    if language != "en":
        english = "Words to read with the child" if age < 10 else "After your meeting on"
        assert english not in page.text
        assert banner.get_text() != "Read the note"


def test_after_exit_this_page_the_note_is_gone_from_this_browser(client: PageClient) -> None:
    """A shared phone: once the child leaves by Exit this page, Back shows no note."""
    setup = recorded_with_child()
    save_you_said_we_did(setup.link, NOTE)
    setup.open_link(client)
    assert NOTE in client.get("/your-say/note").text

    client.get("/your-say/exit")

    again = client.get("/your-say/note")
    assert NOTE not in again.text
    assert again.status == 404
    assert "This link is not working" in again.text
