"""A child under 10 answers the Three Houses with an adult helping: the coordinator records who
that adult is, the conference page names them, and what they are sent says the form is the
child's, never naming the child (issue 13)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.messaging.default_wording import FORBIDDEN_WORDS
from portal.models import Channel, FamilyMember, FormKind, Message, Role
from tests.factories import add_child, make_conference

CONTACT = {
    "mobile": "07700 900 444",
    "email": "jane@example.com",
    "preferred_channel": "sms",
    "language": "English",
}
HELPER = {"helper_name": "Jane Okafor", "helper_relationship": "foster carer"}


def _seven_year_old(conference):
    today = date.today()
    born = today.replace(year=today.year - 7) - timedelta(days=30)
    return add_child(conference, first_name="Leo", last_name="Brindle", date_of_birth=born)


def test_the_helping_adult_is_asked_for_and_named(signed_in) -> None:
    conference = make_conference()
    child = _seven_year_old(conference)
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/children/{child.id}/invite"
    refused = client.submit(url, CONTACT)
    assert refused.status == 400
    assert refused.error_summary == [
        "Enter the name of the adult who will help them",
        "Enter their relationship to the child",
    ]
    assert client.submit(url, CONTACT | HELPER).status == 302
    contact = db.session.scalars(select(FamilyMember)).one()
    assert (contact.helper_name, contact.helper_relationship) == ("Jane Okafor", "foster carer")

    page = client.get(f"/conferences/{conference.id}")
    row = next(tr for tr in page.soup.select("tbody tr") if "For the child" in tr.get_text(" "))
    assert "For the child: sent to Jane Okafor (foster carer), who helps them" in row.get_text(" ")
    assert "themself" not in row.get_text(" ")

    # Changing the contact keeps the helper, and can change them
    edit = f"/conferences/{conference.id}/family/{contact.id}/edit"
    assert client.get(edit).soup.select_one("#helper_name")["value"] == "Jane Okafor"
    client.submit(edit, CONTACT | HELPER | {"helper_relationship": "grandmother"})
    assert contact.helper_relationship == "grandmother"


def test_what_the_helper_is_sent_says_the_form_is_the_childs(signed_in) -> None:
    conference = make_conference()
    child = _seven_year_old(conference)
    client = signed_in(Role.COORDINATOR)
    client.submit(f"/conferences/{conference.id}/children/{child.id}/invite", CONTACT | HELPER)
    contact = db.session.scalars(select(FamilyMember)).one()
    client.submit(f"/conferences/{conference.id}/family/{contact.id}/contact-safe", {"safe": "yes"})
    issue_invitation(conference, contact, FormKind.VIEWS)
    db.session.commit()
    [sms] = db.session.scalars(select(Message)).all()
    assert sms.channel == Channel.SMS
    assert "for a child you help" in sms.body_text
    every_language = [word for words in FORBIDDEN_WORDS.values() for word in words]
    for secret in ("Leo", "Brindle", "Jane", "Okafor", *every_language):
        assert secret.lower() not in sms.body_text.lower()

    contact.preferred_channel = Channel.EMAIL
    issue_invitation(conference, contact, FormKind.VIEWS)
    db.session.commit()
    email = db.session.scalars(select(Message).where(Message.channel == Channel.EMAIL)).one()
    assert email.subject.startswith("A form for the child you help")
    assert "This form is for the child you help, not for you." in email.body_text
    assert "Leo" not in email.body_text
    assert "Brindle" not in email.body_text
