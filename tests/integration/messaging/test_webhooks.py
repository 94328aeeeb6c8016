"""Twilio's callbacks are heard only with Twilio's signature; STOP, START and 1–5 replies (every
other reply: test_text_replies.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.models import (
    ConferenceStatus,
    EarlyCallback,
    FormKind,
    Message,
    MessageKind,
    MessageStatus,
    TextReply,
)
from tests.factories import add_contactable_member, make_conference
from tests.helpers.texts import MOBILE, TOKEN, post_signed, sent_message
from tests.pages import PageClient


@pytest.fixture(autouse=True)
def _twilio_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", TOKEN)


def test_a_signed_delivery_callback_updates_the_message_and_the_funnel(client: PageClient):
    message = sent_message()
    answer = post_signed(
        client,
        "/webhooks/twilio/status",
        {"MessageSid": message.provider_id, "MessageStatus": "delivered"},
    )
    assert answer.status == 204
    assert message.status == MessageStatus.DELIVERED
    assert message.invitation.delivered_at is not None


def test_a_late_sent_callback_does_not_undo_delivered(client: PageClient):
    message = sent_message()
    for status in ("delivered", "sent"):
        post_signed(
            client,
            "/webhooks/twilio/status",
            {"MessageSid": message.provider_id, "MessageStatus": status},
        )
    assert message.status == MessageStatus.DELIVERED


def test_undelivered_records_the_error_code(client: PageClient):
    message = sent_message()
    post_signed(
        client,
        "/webhooks/twilio/status",
        {"MessageSid": message.provider_id, "MessageStatus": "undelivered", "ErrorCode": "30005"},
    )
    assert (message.status, message.error_code) == (MessageStatus.UNDELIVERED, "30005")


@pytest.mark.parametrize("signature", ["", "forged-signature"], ids=["unsigned", "forged"])
def test_unsigned_and_forged_callbacks_are_refused_and_change_nothing(client, signature):
    message = sent_message()
    form = {"MessageSid": message.provider_id, "MessageStatus": "delivered"}
    assert post_signed(client, "/webhooks/twilio/status", form, signature=signature).status == 403
    assert (
        post_signed(
            client,
            "/webhooks/twilio/inbound",
            {"From": MOBILE, "Body": "STOP"},
            signature=signature,
        ).status
        == 403
    )
    assert message.status == MessageStatus.SENT
    assert message.family_member.sms_opted_out_at is None


def test_a_signature_for_other_values_is_refused(client: PageClient):
    message = sent_message()
    signed_for = RequestValidator(TOKEN).compute_signature(
        "http://localhost/webhooks/twilio/status",
        {"MessageSid": message.provider_id, "MessageStatus": "sent"},
    )
    tampered = {"MessageSid": message.provider_id, "MessageStatus": "delivered"}
    assert (
        post_signed(client, "/webhooks/twilio/status", tampered, signature=signed_for).status == 403
    )


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/webhooks/twilio/status", {"MessageSid": "SM\x00", "MessageStatus": "delivered"}),
        ("/webhooks/twilio/inbound", {"From": MOBILE + "\x00", "Body": "STOP"}),
    ],
    ids=["status", "inbound"],
)
def test_a_signed_callback_with_a_nul_is_refused_and_changes_nothing(client, path, form):
    """PostgreSQL cannot store a NUL, and a callback has no form to say so on: 400."""
    message = sent_message()
    assert post_signed(client, path, form).status == 400
    assert db.session.scalars(select(EarlyCallback)).all() == []
    assert message.family_member.sms_opted_out_at is None


def test_stop_then_start(client: PageClient):
    message = sent_message()
    member = message.family_member
    answer = post_signed(client, "/webhooks/twilio/inbound", {"From": MOBILE, "Body": " stop "})
    assert answer.status == 200
    assert "<Response>" in answer.response.get_data(as_text=True)
    assert member.sms_opted_out_at is not None
    post_signed(client, "/webhooks/twilio/inbound", {"From": MOBILE, "Body": "START"})
    assert member.sms_opted_out_at is None


def test_a_reply_of_1_to_5_is_a_quick_rating_thanked_once(client: PageClient):
    message = sent_message(
        FormKind.FEEDBACK, starts_in=timedelta(days=-1), status=ConferenceStatus.HELD
    )
    invitation = message.invitation
    post_signed(client, "/webhooks/twilio/inbound", {"From": MOBILE, "Body": "4"})
    post_signed(client, "/webhooks/twilio/inbound", {"From": MOBILE, "Body": "5"})
    assert invitation.quick_rating == 5  # the latest answer counts
    thanks = db.session.scalars(
        select(Message).where(Message.kind == MessageKind.RATING_THANKS)
    ).all()
    assert len(thanks) == 1


def test_a_number_reply_without_a_feedback_link_is_no_rating_and_is_kept(client: PageClient):
    message = sent_message(FormKind.VIEWS)
    post_signed(client, "/webhooks/twilio/inbound", {"From": MOBILE, "Body": "3"})
    assert message.invitation.quick_rating is None
    reply = db.session.scalars(select(TextReply)).one()
    assert (reply.text, reply.rating, reply.invitation_id) == ("3", None, message.invitation_id)


def test_a_callback_that_arrives_before_the_outcome_is_saved_is_not_lost(app, client) -> None:
    """Twilio can call back while the worker is still waiting on its own answer."""
    from portal.messaging.providers import SendResult
    from portal.messaging.worker import drain
    from portal.models import Channel
    from portal.models import Message as OutboxMessage

    sid = "SM" + "7" * 32

    class CallsBackFirst:
        """A provider whose delivery report arrives before it has even answered the worker."""

        name = "calls-back-first"

        def send(self, message) -> SendResult:
            form = {"MessageSid": sid, "MessageStatus": "delivered"}
            url = "http://localhost/webhooks/twilio/status"
            signature = RequestValidator(TOKEN).compute_signature(url, form)
            answer = app.test_client().post(
                "/webhooks/twilio/status", data=form, headers={"X-Twilio-Signature": signature}
            )
            assert answer.status_code == 204
            return SendResult(provider_id=sid, status="queued")

    conference = make_conference()
    member = add_contactable_member(conference, mobile=MOBILE)
    issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()

    providers = {"sms": CallsBackFirst(), "email": CallsBackFirst()}
    assert drain(app, providers, "test-worker", concurrency=1).sent == 1

    db.session.expire_all()
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.channel == Channel.SMS
    assert message.status == MessageStatus.DELIVERED
    assert message.invitation.delivered_at is not None
