"""The outbox worker sending through GOV.UK Notify: the real client to a fake Notify, which
calls the portal back (served on 127.0.0.1) with receipts. Faults and retries lose nothing and
send nothing twice; a receipt reaches its message however early or orphaned it comes."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.messaging.errors import plain_error
from portal.messaging.providers import OutgoingMessage, build_providers
from portal.messaging.worker import claim_due, drain, requeue_abandoned
from portal.models import (
    Channel,
    Conference,
    EarlyCallback,
    FamilyMember,
    FormKind,
    Invitation,
    Message,
    MessageStatus,
    Role,
    utcnow,
)
from tests.factories import add_contactable_member, make_conference
from tests.fakes.notify_server import FakeNotify
from tests.helpers.messages import queue_many

ADDRESS = "jo@example.com"


@pytest.fixture
def providers(app, fake_notify: FakeNotify, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_CALLBACK_TOKEN", fake_notify.callback_token)
    return build_providers(
        {
            "SMS_PROVIDER": "notify",
            "EMAIL_PROVIDER": "notify",
            "NOTIFY_API_KEY": fake_notify.api_key,
            "NOTIFY_SMS_TEMPLATE_ID": fake_notify.template_ids["sms"],
            "NOTIFY_EMAIL_TEMPLATE_ID": fake_notify.template_ids["email"],
            "NOTIFY_BASE_URL": fake_notify.base_url,
            "MESSAGING_TIMEOUT_SECONDS": 0.5,
        }
    )


@pytest.fixture
def quick_retries(app, monkeypatch):
    monkeypatch.setitem(app.config, "RETRY_BASE_SECONDS", 0)  # retry at once, for the test


def _member(channel: Channel, conference: Conference | None = None, **fields) -> FamilyMember:
    return add_contactable_member(
        conference or make_conference(), email=ADDRESS, preferred_channel=channel, **fields
    )


def _invite(channel: Channel, **fields) -> Invitation:
    """A views invitation queued for a new person who gets links by ``channel``."""
    conference = make_conference()
    member = _member(channel, conference, **fields)
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    return invitation


def _only_message() -> Message:
    db.session.expire_all()
    return db.session.scalars(select(Message)).one()


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.EMAIL])
def test_an_invitation_goes_through_notify_with_the_persons_own_link(
    app, providers, fake_notify, channel
):
    invitation = _invite(channel, mobile="+447700900123")
    member = invitation.family_member

    assert drain(app, providers, "test-worker").sent == 1

    [request] = fake_notify.requests
    assert request.channel == channel.value
    assert request.body["template_id"] == fake_notify.template_ids[channel.value]
    recipient = request.body.get("phone_number") or request.body.get("email_address")
    assert recipient == ("+447700900123" if channel == Channel.SMS else ADDRESS)
    link = f"{app.config['PUBLIC_BASE_URL']}/r/{token_for(invitation.token_salt)}"
    assert link in request.personalisation["body"]
    assert member.first_name not in request.personalisation["body"]
    assert ("subject" in request.personalisation) == (channel == Channel.EMAIL)
    message = _only_message()
    assert request.body["reference"] == str(message.id)
    assert (message.status, message.provider) == (MessageStatus.SENT, "notify")
    assert message.provider_id == request.notification_id


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.EMAIL])
def test_faults_then_recovery_lose_nothing_and_send_each_once(
    app, providers, fake_notify, quick_retries, channel
):
    queue_many(20, _member(channel), channel)
    fake_notify.fail_next(8, status=500)
    fake_notify.fail_next(4, status=429)
    fake_notify.fail_next(3, status=503)
    # The first three also stall past the client's timeout: it gives up on them unanswered
    fake_notify.hang_next(3, seconds=1.0)

    result = drain(app, providers, "test-worker", concurrency=4)

    assert (result.sent, result.failed, result.retried) == (20, 0, 15)
    assert Counter(fake_notify.sent_bodies()) == Counter({f"Message {n}": 1 for n in range(20)})
    db.session.expire_all()
    assert {m.status for m in db.session.scalars(select(Message))} == {MessageStatus.SENT}


@pytest.mark.parametrize("status", [429, 500])
def test_retries_back_off_and_give_up_visibly(app, providers, fake_notify, monkeypatch, status):
    monkeypatch.setitem(app.config, "MESSAGE_MAX_ATTEMPTS", 3)
    queue_many(1, _member(Channel.SMS))
    fake_notify.fail_next(10, status=status)
    start = utcnow()

    assert drain(app, providers, "test-worker").retried == 1
    message = _only_message()
    assert message.status == MessageStatus.QUEUED
    assert message.next_attempt_at > start + timedelta(seconds=10)  # backed off, not hammering

    later = start + timedelta(hours=2)
    drain(app, providers, "test-worker", until=later)
    drain(app, providers, "test-worker", until=later + timedelta(hours=2))
    message = _only_message()
    assert (message.status, message.attempts, message.error_code) == (
        MessageStatus.FAILED,
        3,
        str(status),
    )
    assert len(fake_notify.requests) == 3


def test_a_number_notify_refuses_fails_at_once_with_its_reason(
    app, providers, fake_notify, signed_in
):
    fake_notify.refuse("+447700900666", "phone_number Not a UK mobile number")
    _invite(Channel.SMS, mobile="+447700900666")

    assert drain(app, providers, "test-worker").failed == 1

    assert len(fake_notify.requests) == 1
    message = _only_message()
    assert (message.status, message.error_code) == (MessageStatus.FAILED, "notify-bad-number")
    assert message.error_detail.endswith("phone_number Not a UK mobile number")
    page = signed_in(Role.COORDINATOR).get("/messages/failed")
    assert "The number is not a valid mobile number" in page.text


@pytest.mark.parametrize(
    ("channel", "receipt", "status", "reason"),
    [
        (Channel.SMS, "sending", MessageStatus.SENT, None),
        (Channel.SMS, "delivered", MessageStatus.DELIVERED, None),
        (Channel.EMAIL, "delivered", MessageStatus.DELIVERED, None),
        (
            Channel.SMS,
            "permanent-failure",
            MessageStatus.UNDELIVERED,
            "not delivered: the number does not exist or cannot get texts",
        ),
        (
            Channel.EMAIL,
            "permanent-failure",
            MessageStatus.UNDELIVERED,
            "not delivered: the address does not accept mail",
        ),
        (
            Channel.SMS,
            "temporary-failure",
            MessageStatus.UNDELIVERED,
            "not delivered: the phone was off or the inbox full for 3 days",
        ),
        (
            Channel.EMAIL,
            "technical-failure",
            MessageStatus.FAILED,
            "not delivered: a fault at the message service, not the person",
        ),
    ],
)
def test_each_receipt_gives_the_message_its_state_and_plain_reason(
    app, providers, fake_notify, live_server, channel, receipt, status, reason
):
    invitation = _invite(channel)
    drain(app, providers, "test-worker")
    [sent] = fake_notify.accepted()

    assert fake_notify.send_receipt(live_server, sent, receipt) == 204

    message = _only_message()
    assert message.status == status
    assert (invitation.delivered_at is not None) == (status == MessageStatus.DELIVERED)
    if reason:
        assert plain_error(message.error_code, message.error_detail) == reason


def test_an_email_bounce_shows_in_words_on_the_conference_page(
    app, providers, fake_notify, live_server, signed_in
):
    invitation = _invite(Channel.EMAIL)
    drain(app, providers, "test-worker")

    fake_notify.send_receipt(live_server, fake_notify.accepted()[0], "permanent-failure")

    page = signed_in(Role.COORDINATOR).get(f"/conferences/{invitation.conference_id}/messages")
    assert "not delivered: the address does not accept mail" in page.text
    assert "not delivered: the address does not accept mail" in (
        signed_in(Role.COORDINATOR).get("/messages/failed").text
    )


def test_a_receipt_before_notifys_answer_reaches_the_worker_is_kept(
    app, providers, fake_notify, live_server
):
    fake_notify.call_back_first(live_server)
    _invite(Channel.SMS)

    assert drain(app, providers, "test-worker").sent == 1

    message = _only_message()
    assert message.status == MessageStatus.DELIVERED
    assert message.invitation.delivered_at is not None


@pytest.mark.parametrize(
    ("receipt", "status"),
    [("sending", MessageStatus.SENT), ("delivered", MessageStatus.DELIVERED)],
)
def test_a_receipt_for_a_send_whose_answer_was_lost_is_matched_by_reference_and_not_resent(
    app, providers, fake_notify, live_server, receipt, status
):
    """Notify took the message but its answer came after the client gave up: the worker will
    try again later. The receipt, found by our id, settles it and nothing goes twice."""
    queue_many(1, _member(Channel.SMS))
    fake_notify.hang_next(1, seconds=1.0)  # accepted, answered too late
    assert drain(app, providers, "test-worker").retried == 1
    [accepted] = fake_notify.accepted()
    assert _only_message().provider_id is None

    assert fake_notify.send_receipt(live_server, accepted, receipt) == 204

    message = _only_message()
    assert (message.status, message.provider_id) == (status, accepted.notification_id)
    assert message.sent_at is not None
    drain(app, providers, "test-worker", until=utcnow() + timedelta(hours=2))
    assert fake_notify.sent_bodies() == ["Message 0"]


def test_a_receipt_that_comes_while_the_send_times_out_settles_it_and_it_is_not_sent_again(
    app, providers, fake_notify, live_server
):
    """Notify took the message and sent its receipt, but its answer came after the client gave
    up: the receipt, kept with our id, tells the worker it was sent, so it is not sent twice."""
    fake_notify.call_back_first(live_server)
    fake_notify.hang_next(1, seconds=1.0)  # the receipt first, then the answer too late
    _invite(Channel.SMS)

    result = drain(app, providers, "test-worker")

    assert (result.sent, result.retried) == (1, 0)
    [accepted] = fake_notify.accepted()
    message = _only_message()
    assert (message.status, message.provider_id) == (
        MessageStatus.DELIVERED,
        accepted.notification_id,
    )
    assert (message.error_code, message.attempts) == (None, 1)
    assert message.invitation.sent_at is not None
    assert message.invitation.delivered_at is not None
    assert db.session.scalars(select(EarlyCallback)).all() == []  # applied, none left
    drain(app, providers, "test-worker", until=utcnow() + timedelta(hours=2))
    assert len(fake_notify.requests) == 1


def test_a_receipt_for_a_send_a_killed_worker_made_settles_it_after_the_lease(
    app, providers, fake_notify, live_server
):
    """A worker claims a text, Notify takes it, the worker dies before saving anything; the
    receipt comes meanwhile and is kept with our id ("reference"). After the lease the next
    worker finds it and records the text as delivered, without sending it again."""
    queue_many(1, _member(Channel.SMS))
    [claimed] = claim_due("doomed-worker", 10, utcnow())
    held = db.session.get(Message, claimed)
    providers["sms"].send(
        OutgoingMessage(
            channel="sms", to=held.to_address, body_text=held.body_text, reference=str(held.id)
        )
    )
    [accepted] = fake_notify.accepted()
    assert fake_notify.send_receipt(live_server, accepted, "delivered") == 204
    assert _only_message().status == MessageStatus.SENDING  # still held: the receipt is kept

    lease = timedelta(seconds=app.config["SENDING_LEASE_SECONDS"] + 1)
    with app.app_context():
        assert requeue_abandoned(utcnow() + lease, app.config["SENDING_LEASE_SECONDS"]) == 1
    assert drain(app, providers, "next-worker", until=utcnow() + lease).sent == 1

    assert len(fake_notify.accepted()) == 1  # not sent again
    message = _only_message()
    assert (message.status, message.provider_id) == (
        MessageStatus.DELIVERED,
        accepted.notification_id,
    )
    assert db.session.scalars(select(EarlyCallback)).all() == []


def test_a_receipt_puts_right_a_send_failed_only_for_want_of_notifys_answer(
    app, providers, fake_notify, live_server, monkeypatch
):
    monkeypatch.setitem(app.config, "MESSAGE_MAX_ATTEMPTS", 1)
    fake_notify.hang_next(1, seconds=1.0)  # taken, answered too late: the one try timed out
    _invite(Channel.SMS)
    assert drain(app, providers, "test-worker").failed == 1
    [accepted] = fake_notify.accepted()

    assert fake_notify.send_receipt(live_server, accepted, "delivered") == 204

    message = _only_message()
    assert (message.status, message.provider_id) == (
        MessageStatus.DELIVERED,
        accepted.notification_id,
    )
    assert (message.error_code, message.failed_at) == (None, None)
    assert message.invitation.delivered_at is not None
