"""Every text reply is kept (issue 16): sealed, against the person's latest link that was sent;
"5 thanks" rates with a comment; a danger word raises a safety alert that quotes nothing; a
number nobody has is kept too."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.models import (
    AlertSource,
    ConferenceStatus,
    FormKind,
    Message,
    MessageKind,
    Role,
    SafetyAlert,
    TextReply,
)
from tests.factories import add_contactable_member, make_conference, make_staff
from tests.helpers.texts import MOBILE, TOKEN, sent_message, text_in
from tests.pages import PageClient

SAID = "Please call me, Grimbleshanks was at the door again"


@pytest.fixture(autouse=True)
def _twilio_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", TOKEN)


def _replies() -> list[TextReply]:
    return list(db.session.scalars(select(TextReply).order_by(TextReply.id)))


def _alerts() -> list[SafetyAlert]:
    return list(db.session.scalars(select(SafetyAlert)))


def test_a_reply_is_kept_sealed_against_the_latest_link_sent(client: PageClient):
    first = sent_message(FormKind.VIEWS)
    member, conference = first.family_member, first.invitation.conference
    later = issue_invitation(conference, member, FormKind.VIEWS)  # a resend: the first revoked
    later.sent_at = first.sent_at + timedelta(minutes=5)
    db.session.commit()

    assert text_in(client, f"  {SAID}\n").status == 200

    [reply] = _replies()
    assert (reply.text, reply.family_member_id, reply.invitation_id) == (SAID, member.id, later.id)
    assert reply.rating is None
    assert reply.safety_alert_id is None
    raw = db.session.execute(text("SELECT text FROM text_reply")).scalar_one()
    assert "Grimbleshanks" not in raw
    assert _alerts() == []  # an ordinary reply raises nothing


def test_five_thanks_is_a_rating_of_five_with_its_comment(client: PageClient):
    message = sent_message(
        FormKind.FEEDBACK, starts_in=timedelta(days=-1), status=ConferenceStatus.HELD
    )
    invitation = message.invitation
    text_in(client, "5 thanks")
    text_in(client, "4 - it was ok")
    assert invitation.quick_rating == 4
    assert [(r.rating, r.text, r.invitation_id) for r in _replies()] == [
        (5, "thanks", invitation.id),
        (4, "it was ok", invitation.id),
    ]
    thanks = db.session.scalars(select(Message).where(Message.kind == MessageKind.RATING_THANKS))
    assert len(thanks.all()) == 1


def test_a_bare_rating_is_the_link_s_and_keeps_no_reply(client: PageClient):
    message = sent_message(
        FormKind.FEEDBACK, starts_in=timedelta(days=-1), status=ConferenceStatus.HELD
    )
    text_in(client, " 3 ")
    assert message.invitation.quick_rating == 3
    assert _replies() == []


def test_a_number_that_is_no_rating_is_kept_as_it_came(client: PageClient):
    message = sent_message(
        FormKind.FEEDBACK, starts_in=timedelta(days=-1), status=ConferenceStatus.HELD
    )
    for body in ("10", "5pm is better", "5.5"):
        text_in(client, body)
    assert message.invitation.quick_rating is None
    assert [(r.rating, r.text) for r in _replies()] == [
        (None, "10"),
        (None, "5pm is better"),
        (None, "5.5"),
    ]


def test_stop_and_start_keep_no_reply(client: PageClient):
    member = sent_message().family_member
    text_in(client, "STOP")
    assert member.sms_opted_out_at is not None
    text_in(client, "start")
    assert member.sms_opted_out_at is None
    assert _replies() == []


def test_a_number_nobody_has_is_kept_with_no_one(client: PageClient):
    sent_message()
    text_in(client, "who is this? I am scared", sender="+447700900999")
    [reply] = _replies()
    assert (reply.family_member_id, reply.invitation_id) == (None, None)
    assert reply.text == "who is this? I am scared"
    assert _alerts() == []  # no conference for an alert: the team is told (test_texts_to_no_one)


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ("I'm SCARED of him", "SCARED"),
        ("please help  me, ZQX", "ZQX"),
        ("Boję się", "Boję"),
        ("mi-e frică acasă", "frică"),
        ("مجھے ڈر لگ رہا ہے", "ڈر"),
    ],
)
def test_a_danger_word_raises_the_alert_the_forms_raise_quoting_nothing(client, body, word):
    chair = make_staff(Role.CHAIR, email="chair.r@council.example")
    message = sent_message(chair=chair)
    text_in(client, body)
    [alert] = _alerts()
    [reply] = _replies()
    assert (alert.source, alert.family_member_id) == (
        AlertSource.TEXT_REPLY,
        reply.family_member_id,
    )
    assert alert.conference_id == message.invitation.conference_id
    assert reply.safety_alert_id == alert.id
    told = [delivery.message for delivery in alert.deliveries]
    assert told  # the chair and the team, by email
    for sent in told:
        assert word.lower() not in (sent.body_text + (sent.subject or "")).lower()
        assert "someone may be in danger now" in sent.body_text.lower()


def test_a_text_twilio_sends_again_is_kept_once_with_one_alert(client: PageClient):
    sent_message()
    for sid in ("SM" + "a" * 32, "SM" + "a" * 32, "SM" + "b" * 32):
        assert text_in(client, "I'm scared", sid=sid).status == 200
    # The repeat of the first is heard once; another text saying the same is kept
    assert [reply.provider_message_id for reply in _replies()] == ["SM" + "a" * 32, "SM" + "b" * 32]
    assert len(_alerts()) == 2


@pytest.mark.parametrize("body", ["hurtle along", "thanks, all fine", "Scaredy cat"])
def test_a_word_only_containing_a_danger_word_raises_nothing(client, body):
    sent_message()
    text_in(client, body)
    assert _alerts() == []
    assert len(_replies()) == 1


def test_the_danger_words_are_a_setting(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TEXT_REPLY_DANGER_WORDS", ["grimbleshanks"])
    sent_message()
    text_in(client, "I'm scared")
    assert _alerts() == []
    text_in(client, SAID)
    assert len(_alerts()) == 1


def test_the_alert_s_page_leads_to_the_text(client: PageClient):
    chair = make_staff(Role.CHAIR)
    conference = sent_message(chair=chair).invitation.conference
    text_in(client, "I am scared to go home")
    [alert] = _alerts()
    client.sign_in_as(chair)
    page = client.get(f"/safety-alerts/{alert.id}")
    assert "I am scared" not in page.text  # the alert itself quotes nothing
    assert page.link("Read the text they sent") == f"/conferences/{conference.id}#text-replies"
    assert "I am scared to go home" in client.get(f"/conferences/{conference.id}").text


@pytest.fixture
def shared_number():
    """A link sent to MOBILE, and a second person on another conference with that number too
    (a foster carer's number on children's records in two families)."""
    message = sent_message(
        FormKind.FEEDBACK, starts_in=timedelta(days=-1), status=ConferenceStatus.HELD
    )
    other = add_contactable_member(make_conference(), first_name="Sam", mobile=MOBILE)
    return message.invitation, other


def test_a_number_on_several_records_keeps_the_reply_against_no_one(client, shared_number, caplog):
    caplog.set_level(logging.INFO, logger="portal.messaging.replies")
    text_in(client, SAID)
    [reply] = _replies()
    assert (reply.family_member_id, reply.invitation_id, reply.text) == (None, None, SAID)
    assert f"Text reply {reply.id} is from a number on several people's records" in caplog.text
    assert "Grimbleshanks" not in caplog.text
    assert MOBILE not in caplog.text


def test_a_number_on_several_records_rates_no_one_s_link(client, shared_number):
    invitation, _other = shared_number
    text_in(client, "5 thanks")
    text_in(client, "I am scared of him")
    assert invitation.quick_rating is None
    assert [(r.family_member_id, r.rating, r.text) for r in _replies()] == [
        (None, None, "5 thanks"),
        (None, None, "I am scared of him"),
    ]
    assert _alerts() == []  # no one's conference: the team is told (test_texts_to_no_one)
    assert (
        db.session.scalar(select(Message).where(Message.kind == MessageKind.RATING_THANKS)) is None
    )
