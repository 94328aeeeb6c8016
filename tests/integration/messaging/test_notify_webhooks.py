"""Notify's callbacks are heard only with the bearer token; received texts (STOP, START, a
1–5 rating) reach the same handling as Twilio's; a bad body is a 400 that changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.messaging.notify_callbacks import sender_e164
from portal.models import (
    ConferenceStatus,
    EarlyCallback,
    FormKind,
    Invitation,
    Message,
    MessageStatus,
    SafetyAlert,
    TextReply,
    utcnow,
)
from tests.factories import add_contactable_member, make_conference
from tests.fakes.notify_server import FakeNotify, RecordedRequest
from tests.pages import PageClient

MOBILE = "+447700900321"
NOTIFY_ID = "740e5834-3a29-46b4-9a6f-16142fde533a"
TEXT_ID = "b4e3c1d2-6f7a-4b8c-9d0e-1f2a3b4c5d6e"  # Notify's id for a text received


@pytest.fixture(autouse=True)
def _callback_token(app, fake_notify: FakeNotify, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_CALLBACK_TOKEN", fake_notify.callback_token)


def _sent(form: FormKind = FormKind.VIEWS, **conference_fields) -> Invitation:
    """An invitation whose text Notify has accepted (as NOTIFY_ID)."""
    conference = make_conference(**conference_fields)
    member = add_contactable_member(conference, mobile=MOBILE)
    invitation = issue_invitation(conference, member, form)
    db.session.flush()
    message = invitation.messages[0]
    message.status, message.provider, message.provider_id = MessageStatus.SENT, "notify", NOTIFY_ID
    message.sent_at = invitation.sent_at = utcnow()
    db.session.commit()
    return invitation


def _as_notify_sent(invitation: Invitation) -> RecordedRequest:
    """What the fake would have recorded for this invitation's text."""
    message = invitation.messages[0]
    body = {"phone_number": MOBILE, "template_id": "t", "reference": str(message.id)}
    return RecordedRequest("sms", body, 201, message.provider_id)


@pytest.mark.parametrize("token", ["", "wrong-token", "notify-callback-token "])
def test_callbacks_without_the_bearer_token_are_refused_and_change_nothing(
    fake_notify: FakeNotify, live_server: str, token: str
):
    invitation = _sent()

    assert (
        fake_notify.send_receipt(live_server, _as_notify_sent(invitation), "delivered", token)
        == 403
    )
    assert fake_notify.send_text(live_server, "447700900321", "STOP", token) == 403

    db.session.expire_all()
    assert invitation.messages[0].status == MessageStatus.SENT
    assert invitation.family_member.sms_opted_out_at is None


def test_without_a_token_set_every_callback_is_refused(
    app, fake_notify: FakeNotify, live_server: str, monkeypatch
):
    monkeypatch.setitem(app.config, "NOTIFY_CALLBACK_TOKEN", None)
    invitation = _sent()

    assert fake_notify.send_receipt(live_server, _as_notify_sent(invitation), "delivered") == 403


def test_stop_then_start_by_text_through_notify(fake_notify: FakeNotify, live_server: str):
    member = _sent().family_member

    assert fake_notify.send_text(live_server, "447700900321", " stop ") == 204
    db.session.expire_all()
    assert member.sms_opted_out_at is not None
    assert fake_notify.send_text(live_server, "447700900321", "START") == 204
    db.session.expire_all()
    assert member.sms_opted_out_at is None


def test_a_text_notify_sends_again_is_kept_once_with_one_alert(
    fake_notify: FakeNotify, live_server: str
):
    _sent()

    for _ in range(2):
        sent = fake_notify.send_text(live_server, "447700900321", "I'm scared", text_id=TEXT_ID)
        assert sent == 204

    db.session.expire_all()
    assert db.session.scalars(select(TextReply.provider_message_id)).all() == [TEXT_ID]
    assert db.session.scalar(select(func.count()).select_from(SafetyAlert)) == 1


def test_a_reply_of_3_through_notify_is_a_quick_rating(fake_notify: FakeNotify, live_server: str):
    invitation = _sent(
        FormKind.FEEDBACK, starts_in=timedelta(days=-1), status=ConferenceStatus.HELD
    )

    assert fake_notify.send_text(live_server, "447700900321", "3") == 204

    db.session.expire_all()
    assert invitation.quick_rating == 3


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("447700900321", "+447700900321"),
        ("+447700900321", "+447700900321"),
        ("07700900321", "+447700900321"),
        ("33612345678", "+33612345678"),
        ("not a number", "not a number"),
    ],
)
def test_the_sender_is_put_as_family_mobiles_are_stored(given: str, stored: str):
    assert sender_e164(given) == stored


def _post_json(client: PageClient, path: str, body: object, token: str = "notify-callback-token"):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        path,
        data=data,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


RECEIPT = {"id": NOTIFY_ID, "reference": None, "status": "delivered", "notification_type": "sms"}
TEXT = {"id": TEXT_ID, "source_number": "447700900321", "message": "STOP"}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/webhooks/notify/status", "{not json"),
        ("/webhooks/notify/status", ["a list"]),
        ("/webhooks/notify/status", {**RECEIPT, "id": NOTIFY_ID + "\x00"}),
        ("/webhooks/notify/status", {**RECEIPT, "status": "lost-in-the-post"}),
        ("/webhooks/notify/status", {**RECEIPT, "notification_type": "letter"}),
        ("/webhooks/notify/status", {**RECEIPT, "id": "x" * 101}),
        ("/webhooks/notify/status", {key: v for key, v in RECEIPT.items() if key != "status"}),
        ("/webhooks/notify/inbound", "{not json"),
        ("/webhooks/notify/inbound", {**TEXT, "source_number": "447700900321\x00"}),
        ("/webhooks/notify/inbound", {**TEXT, "message": 3}),
        ("/webhooks/notify/inbound", {key: v for key, v in TEXT.items() if key != "id"}),
        ("/webhooks/notify/inbound", {**TEXT, "id": "x" * 101}),
    ],
    ids=[
        "bad-json",
        "not-an-object",
        "nul",
        "unknown-status",
        "letter",
        "long-id",
        "no-status",
        "inbound-bad-json",
        "inbound-nul",
        "inbound-not-text",
        "inbound-no-id",
        "inbound-long-id",
    ],
)
def test_a_callback_with_a_bad_body_is_refused_and_changes_nothing(client, path, body):
    invitation = _sent()

    assert _post_json(client, path, body).status == 400

    assert db.session.scalar(select(func.count()).select_from(EarlyCallback)) == 0
    assert invitation.messages[0].status == MessageStatus.SENT
    assert invitation.family_member.sms_opted_out_at is None


def test_a_receipt_for_no_message_we_know_is_kept_for_when_it_is_saved(client: PageClient):
    receipt = {**RECEIPT, "id": "11111111-2222-4333-8444-555555555555", "reference": "99999999999"}

    assert _post_json(client, "/webhooks/notify/status", receipt).status == 204

    [early] = db.session.scalars(select(EarlyCallback)).all()
    assert (early.provider_id, early.status) == (receipt["id"], "delivered")


def test_a_reference_sent_by_another_provider_is_not_matched(client: PageClient):
    """Our ids are only Notify's references for what Notify sent: a Twilio message keeps its
    own status."""
    invitation = _sent()
    message = invitation.messages[0]
    message.provider, message.provider_id = "twilio", "SM" + "1" * 32
    db.session.commit()
    receipt = {**RECEIPT, "reference": str(message.id), "status": "permanent-failure"}

    assert _post_json(client, "/webhooks/notify/status", receipt).status == 204

    assert message.status == MessageStatus.SENT
    assert db.session.scalars(select(Message.provider_id)).one() == "SM" + "1" * 32
