"""Text replies are shown as "replied by text" (date, rating and the words) to the coordinator
on the conference page and to the chair there and in the pack; not to other roles. Replies to a
feedback link are named feedback: not for a chair who merely may read every conference."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.models import ConferenceStatus, FormKind, Relationship, Role, utcnow
from tests.factories import add_child, add_contactable_member, make_conference, make_staff
from tests.helpers.texts import MOBILE, TOKEN, sent_message, text_in
from tests.pages import PageClient

SAID = "Can the meeting be after school? Thanks"


@pytest.fixture(autouse=True)
def _twilio_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", TOKEN)


@pytest.fixture
def replied(client: PageClient):
    """A conference whose parent replied by text; its chair."""
    chair = make_staff(Role.CHAIR)
    message = sent_message(chair=chair)
    text_in(client, SAID)
    return message.invitation.conference, message.family_member, chair


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.CHAIR])
def test_the_conference_page_shows_the_reply_under_the_person(client, replied, role):
    conference, member, chair = replied
    client.sign_in_as(chair if role == Role.CHAIR else make_staff(role))
    page = client.get(f"/conferences/{conference.id}")
    assert page.status == 200
    section = page.soup.find(id="text-replies")
    assert section is not None
    shown = section.find_next("ul").get_text(" ", strip=True)
    assert SAID in shown
    assert member.full_name in section.find_next("h3").get_text()


def test_the_pack_shows_the_reply_in_the_person_s_section(client, replied):
    conference, member, chair = replied
    client.sign_in_as(chair)
    page = client.get(f"/conferences/{conference.id}/pack")
    assert page.status == 200
    section = page.soup.find(id=f"adult-{member.id}")
    assert "Replied by text" in section.get_text()
    assert SAID in section.get_text()


def test_a_young_person_s_own_reply_is_in_their_child_section(client: PageClient):
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair)
    child = add_child(conference, first_name="Maya", date_of_birth=date(2012, 1, 1))
    own = add_contactable_member(
        conference,
        first_name="Maya",
        relationship=Relationship.YOUNG_PERSON,
        child_id=child.id,
        mobile="+447700900555",
    )
    invitation = issue_invitation(conference, own, FormKind.VIEWS)
    invitation.sent_at = utcnow()
    db.session.commit()
    text_in(client, "I want to be in the meeting", sender="+447700900555")

    client.sign_in_as(chair)
    page = client.get(f"/conferences/{conference.id}/pack")
    assert "I want to be in the meeting" in page.soup.find(id=f"child-{child.id}").get_text()
    assert page.soup.find(id=f"adult-{own.id}") is None  # under the child, not twice


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.ADVOCATE, ""),
        (Role.ADMIN, ""),
        (Role.COORDINATOR, "/pack"),
        (Role.ADVOCATE, "/pack"),
    ],
)
def test_other_roles_do_not_see_it(client, replied, role, path):
    conference, _member, _chair = replied
    client.sign_in_as(make_staff(role))
    page = client.get(f"/conferences/{conference.id}{path}")
    assert page.status == 403
    assert SAID not in page.text


def test_another_conference_s_chair_does_not_see_it(client, replied):
    conference, _member, _chair = replied
    client.sign_in_as(make_staff(Role.CHAIR))
    page = client.get(f"/conferences/{conference.id}")
    assert page.status in (403, 404)
    assert SAID not in page.text


VIEWS_SAID = "I can come after school"
RATED_SAID = "thanks, but nobody listened to my son"
FEEDBACK_SAID = "the room was too cold"


@pytest.fixture
def replied_to_both(client: PageClient):
    """A held conference whose parent replied to their views link, then to their feedback link:
    a rating with a comment, and words; its chair."""
    chair = make_staff(Role.CHAIR)
    conference = make_conference(
        chair=chair, starts_in=-timedelta(days=1), status=ConferenceStatus.HELD
    )
    member = add_contactable_member(conference, mobile=MOBILE)
    before = conference.starts_at - timedelta(days=2)
    issue_invitation(conference, member, FormKind.VIEWS, now=before).sent_at = before
    db.session.commit()
    text_in(client, VIEWS_SAID)
    issue_invitation(conference, member, FormKind.FEEDBACK).sent_at = utcnow()
    db.session.commit()
    text_in(client, f"2 {RATED_SAID}")
    text_in(client, FEEDBACK_SAID)
    return conference, member, chair


def _replies_on(client: PageClient, conference, member) -> tuple[str, str]:
    """What the conference page and the pack show of the person's replies."""
    shown = client.get(f"/conferences/{conference.id}").soup.find(id="text-replies")
    pack = client.get(f"/conferences/{conference.id}/pack").soup.find(id=f"adult-{member.id}")
    return shown.find_next("ul").get_text(" ", strip=True), pack.get_text(" ", strip=True)


def test_a_chair_who_reads_every_conference_sees_views_replies_not_feedback(
    client, replied_to_both
):
    conference, member, _chair = replied_to_both
    client.sign_in_as(make_staff(Role.CHAIR, sees_all_conferences=True))
    for shown in _replies_on(client, conference, member):
        assert VIEWS_SAID in shown
        assert RATED_SAID not in shown
        assert FEEDBACK_SAID not in shown
        assert "rated 2 out of 5" not in shown


def test_the_conference_s_own_chair_sees_views_and_feedback_replies(client, replied_to_both):
    conference, member, chair = replied_to_both
    client.sign_in_as(chair)
    for shown in _replies_on(client, conference, member):
        assert VIEWS_SAID in shown
        assert RATED_SAID in shown
        assert "rated 2 out of 5" in shown
        assert FEEDBACK_SAID in shown
