"""A danger-word text held against no one (a number on no record, or on several) still reaches
a person: the safeguarding team is told at once, quoting nothing; coordinators and admins read
it on "Texts held against no one", linked from the Safety alerts page."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.messaging.sms import sms_segments
from portal.models import (
    AuditAction,
    AuditEvent,
    Channel,
    Message,
    MessageKind,
    Role,
    SafetyAlert,
    utcnow,
)
from tests.factories import add_contactable_member, make_conference, make_staff
from tests.helpers.texts import MOBILE, TOKEN, sent_message, text_in
from tests.pages import PageClient

UNKNOWN = "+447700900999"
TEAM_MOBILE = "+447700900123"
SCARED = "I'm scared, Grimbleshanks is back"
PAGE = "/safety-alerts/texts-to-no-one"


@pytest.fixture(autouse=True)
def _twilio_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", TOKEN)


def _team_messages() -> list[Message]:
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.kind == MessageKind.SAFEGUARDING_ALERT)
            .order_by(Message.id)
        )
    )


def test_a_danger_word_from_an_unknown_number_tells_the_team_quoting_nothing(
    app, client: PageClient, monkeypatch, caplog
):
    monkeypatch.setitem(app.config, "SAFEGUARDING_TEAM_MOBILE", TEAM_MOBILE)
    caplog.set_level(logging.INFO, logger="portal.messaging.replies")
    sent_message()  # someone else's link: the sender is still no one
    assert text_in(client, SCARED, sender=UNKNOWN).status == 200

    told = _team_messages()
    assert [(m.channel, m.to_address) for m in told] == [
        (Channel.EMAIL, app.config["SAFEGUARDING_TEAM_EMAIL"]),
        (Channel.SMS, TEAM_MOBILE),
    ]
    for message in told:
        said = message.body_text + (message.subject or "") + (message.body_html or "")
        assert "scared" not in said.lower()
        assert "Grimbleshanks" not in said
        assert UNKNOWN not in said
        assert UNKNOWN[1:] not in said
        assert message.conference_id is None
        assert message.family_member_id is None
        assert message.next_attempt_at <= utcnow()  # due now, not held for sending hours
        assert app.config["PUBLIC_BASE_URL"] + PAGE in message.body_text
    assert "no conference was told" in told[0].body_text
    assert sms_segments(told[1].body_text) == 1, told[1].body_text
    assert db.session.scalars(select(SafetyAlert)).all() == []
    assert "Grimbleshanks" not in caplog.text
    assert UNKNOWN not in caplog.text
    assert "the safeguarding team was told" in caplog.text


def test_without_a_team_mobile_only_the_email_goes(client: PageClient):
    text_in(client, SCARED, sender=UNKNOWN)
    assert [m.channel for m in _team_messages()] == [Channel.EMAIL]


def test_an_ordinary_unmatched_text_tells_no_one(client: PageClient):
    text_in(client, "who is this?", sender=UNKNOWN)
    assert _team_messages() == []


def test_a_coordinator_reads_them_newest_first_tagged_and_audited(client: PageClient):
    text_in(client, "who is this? <b>hi</b>", sender=UNKNOWN)
    text_in(client, SCARED, sender=UNKNOWN)
    sent_message()
    text_in(client, "thanks, see you there")  # held against a link: not listed
    coordinator = make_staff(Role.COORDINATOR)
    client.sign_in_as(coordinator)

    page = client.get(PAGE)
    assert page.status == 200
    assert page.text.index("Grimbleshanks") < page.text.index("who is this?")  # newest first
    assert page.text.count("Danger word") == 1
    assert "who is this? <b>hi</b>" in page.text  # shown as written: escaped
    assert "<b>hi" not in page.response.get_data(as_text=True)
    assert "see you there" not in page.text
    [event] = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.VIEW, AuditEvent.record_type == "message"
        )
    )
    assert (event.actor_id, event.record_id, event.fields) == (coordinator.id, None, "")


def test_the_page_is_paginated(app, client: PageClient, monkeypatch):
    monkeypatch.setitem(app.config, "HELD_TEXTS_PER_PAGE", 2)
    for n in range(3):
        text_in(client, f"text number {n}", sender=UNKNOWN)
    client.sign_in_as(make_staff(Role.ADMIN))
    first, second = client.get(PAGE).text, client.get(f"{PAGE}?page=2").text
    assert "text number 2" in first
    assert "text number 1" in first
    assert "text number 0" not in first
    assert "text number 0" in second
    assert "text number 0" in client.get(f"{PAGE}?page=9").text  # past the end: the last page


@pytest.mark.parametrize("role", [Role.CHAIR, Role.ADVOCATE])
def test_a_chair_or_an_advocate_is_refused(client: PageClient, role):
    text_in(client, SCARED, sender=UNKNOWN)
    client.sign_in_as(make_staff(role))
    page = client.get(PAGE)
    assert page.status == 403
    assert "Grimbleshanks" not in page.text


def test_the_safety_alerts_page_counts_them_for_coordinators_not_chairs(client: PageClient):
    for body in ("hello?", SCARED):
        text_in(client, body, sender=UNKNOWN)
    client.sign_in_as(make_staff(Role.COORDINATOR))
    page = client.get("/safety-alerts/")
    assert page.link("2 texts that reached no conference") == PAGE
    client.sign_in_as(make_staff(Role.CHAIR))
    assert "reached no conference" not in client.get("/safety-alerts/").text


def test_someone_never_sent_a_link_is_told_of_and_listed_by_name(client: PageClient):
    """A person on record whose link has not gone yet has no conference to tell: the team is
    told, and the page says whose number it came from."""
    conference = make_conference()
    add_contactable_member(conference, mobile=MOBILE, first_name="Petra", last_name="Wren")
    db.session.commit()
    text_in(client, SCARED)
    assert [m.channel for m in _team_messages()] == [Channel.EMAIL]
    client.sign_in_as(make_staff(Role.COORDINATOR))
    page = client.get(PAGE)
    assert "From Petra Wren (never sent a link)" in page.text
    assert page.text.count("Danger word") == 1
