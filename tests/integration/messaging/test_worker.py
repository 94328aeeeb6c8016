"""The outbox worker against real local servers: the Twilio SDK to a fake Twilio, email to
aiosmtpd. Faults, retries, crashes and two workers at once: nothing lost, nothing sent twice
(but for the one duplicate a crash mid-send can cause)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete as sa_delete
from sqlalchemy import select

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.messaging.providers import OutgoingMessage
from portal.messaging.worker import claim_due, drain, requeue_abandoned
from portal.models import (
    Channel,
    FormKind,
    Message,
    MessageKind,
    MessageStatus,
    MessageWording,
    utcnow,
)
from tests.factories import add_contactable_member, make_conference
from tests.helpers.messages import queue_many
from tests.integration.messaging.conftest import SENDER


@pytest.fixture
def quick_retries(app, monkeypatch):
    monkeypatch.setitem(app.config, "RETRY_BASE_SECONDS", 0)  # retry at once, for the test


def test_an_invitation_goes_by_text_with_the_persons_own_link(app, providers, fake_twilio):
    conference = make_conference()
    member = add_contactable_member(conference, mobile="+447700900123")
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()

    result = drain(app, providers, "test-worker")

    assert (result.sent, result.failed) == (1, 0)
    [request] = fake_twilio.requests
    assert request.form["To"] == "+447700900123"
    assert request.form["From"] == SENDER
    assert request.form["StatusCallback"] == "https://heard.example/webhooks/twilio/status"
    link = f"{app.config['PUBLIC_BASE_URL']}/r/{token_for(invitation.token_salt)}"
    assert link in request.form["Body"]
    assert member.first_name not in request.form["Body"]
    db.session.expire_all()
    message = db.session.scalars(select(Message)).one()
    assert message.status == MessageStatus.SENT
    assert message.provider_id.startswith("SM")
    assert message.invitation.sent_at is not None


def test_an_invitation_goes_by_email_in_plain_text_and_html(app, providers, fake_smtp):
    conference = make_conference()
    member = add_contactable_member(
        conference, email="jo@example.com", preferred_channel=Channel.EMAIL
    )
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()

    assert drain(app, providers, "test-worker").sent == 1

    [(email, recipients)] = fake_smtp.messages
    assert recipients == ["jo@example.com"]
    assert email["Subject"].startswith("Your views before the meeting")
    link = f"/r/{token_for(invitation.token_salt)}"
    assert link in email.get_body(preferencelist=("plain",)).get_content()
    assert link in email.get_body(preferencelist=("html",)).get_content()


def test_provider_faults_then_recovery_lose_nothing_and_send_each_once(
    app, providers, fake_twilio, quick_retries
):
    member = add_contactable_member(make_conference())
    queue_many(20, member)
    fake_twilio.fail_next(12, status=500)
    fake_twilio.fail_next(3, status=429, code=20429)
    # Three requests stall past the client's timeout (and are then refused, unseen)
    fake_twilio.hang_next(3, seconds=1.0)
    fake_twilio.fail_next(3, status=503)

    result = drain(app, providers, "test-worker", concurrency=4)

    assert result.sent == 20
    assert result.failed == 0
    assert result.retried == 18
    bodies = Counter(fake_twilio.sent_bodies())
    assert bodies == Counter({f"Message {n}": 1 for n in range(20)})
    db.session.expire_all()
    assert {m.status for m in db.session.scalars(select(Message))} == {MessageStatus.SENT}


def test_retries_back_off_and_give_up_visibly(app, providers, fake_twilio, monkeypatch):
    monkeypatch.setitem(app.config, "MESSAGE_MAX_ATTEMPTS", 3)
    member = add_contactable_member(make_conference())
    queue_many(1, member)
    fake_twilio.fail_next(10, status=500)
    start = utcnow()

    first = drain(app, providers, "test-worker")
    assert first.retried == 1
    db.session.expire_all()
    message = db.session.scalars(select(Message)).one()
    assert message.status == MessageStatus.QUEUED
    assert message.next_attempt_at > start + timedelta(seconds=10)  # backed off, not hammering

    later = start + timedelta(hours=2)
    drain(app, providers, "test-worker", until=later)
    drain(app, providers, "test-worker", until=later + timedelta(hours=2))
    db.session.expire_all()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 3
    assert message.error_code == "20500"


@pytest.mark.parametrize(
    ("code", "opted_out"), [(21211, False), (21610, True)], ids=["invalid", "unsubscribed"]
)
def test_permanent_errors_fail_at_once(app, providers, fake_twilio, code, opted_out):
    conference = make_conference()
    member = add_contactable_member(conference, mobile="+447700900666")
    fake_twilio.error_for("+447700900666", code)
    issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()

    assert drain(app, providers, "test-worker").failed == 1

    assert len(fake_twilio.requests) == 1
    db.session.expire_all()
    message = db.session.scalars(select(Message)).one()
    assert (message.status, message.error_code) == (MessageStatus.FAILED, str(code))
    assert (member.sms_opted_out_at is not None) == opted_out


@pytest.mark.parametrize("provider_lists", [True, False], ids=["twilio-lists", "cannot-list"])
def test_a_crash_mid_send_is_reconciled_with_the_provider_and_nothing_is_lost(
    app, providers, fake_twilio, provider_lists
):
    fake_twilio.listing = provider_lists
    member = add_contactable_member(make_conference())
    queue_many(2, member)
    # A worker claims both, sends the first, and dies before recording anything.
    claimed = claim_due("doomed-worker", 10, utcnow())
    assert len(claimed) == 2
    first = db.session.get(Message, claimed[0])
    taken = providers["sms"].send(
        OutgoingMessage(
            channel="sms", to=first.to_address, body_text=first.body_text, reference=str(first.id)
        )
    )
    # Nothing more happens until the claim's lease runs out; then another worker takes over.
    assert drain(app, providers, "next-worker").handled == 0
    lease = timedelta(seconds=app.config["SENDING_LEASE_SECONDS"] + 1)
    with app.app_context():
        assert requeue_abandoned(utcnow() + lease, app.config["SENDING_LEASE_SECONDS"]) == 2
    assert drain(app, providers, "next-worker", until=utcnow() + lease).sent == 2

    # Twilio's list says the first was taken: recorded as sent with its id, not sent twice.
    # A provider that cannot say gets it again: one duplicate, never a loss.
    duplicates = 0 if provider_lists else 1
    assert Counter(fake_twilio.sent_bodies()) == {"Message 0": 1 + duplicates, "Message 1": 1}
    db.session.expire_all()
    assert db.session.get(Message, first.id).status == MessageStatus.SENT
    assert (db.session.get(Message, first.id).provider_id == taken.provider_id) == provider_lists


def test_two_worker_processes_send_a_thousand_messages_each_exactly_once(app, fake_twilio):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several workers need PostgreSQL (FOR UPDATE SKIP LOCKED); SQLite runs one")
    member = add_contactable_member(make_conference())
    queue_many(1000, member)
    fake_twilio.delay_seconds = 0.01  # so the two workers overlap
    environment = {
        **os.environ,
        "HEARD_CONFIG": "test",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "SMS_PROVIDER": "twilio",
        "TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
        "TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
        "TWILIO_FROM_NUMBER": SENDER,
        "TWILIO_API_BASE_URL": fake_twilio.base_url,
        "WORKER_BATCH_SIZE": "20",
    }
    workers = [
        subprocess.Popen(  # noqa: S603 - a fixed command line
            [sys.executable, "-m", "flask", "worker", "--once"],
            cwd=Path(__file__).resolve().parents[3],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs

    bodies = Counter(fake_twilio.sent_bodies())
    assert len(bodies) == 1000
    assert set(bodies.values()) == {1}
    db.session.expire_all()
    statuses = Counter(db.session.scalars(select(Message.status)))
    assert statuses == {MessageStatus.SENT: 1000}
    # Each worker prints how many it sent: both did some of the work, together all of it.
    sent_by_each = [int(out.split("; sent ")[1].split(",")[0]) for out, _ in outputs]
    assert sum(sent_by_each) == 1000
    assert min(sent_by_each) > 0, f"one worker did all the work: {sent_by_each}"


def test_a_second_check_code_goes_by_the_other_channel_with_the_code_in_it(
    app, providers, fake_smtp
):
    from portal.invitations.services import send_check_code
    from portal.link_tokens import code_for
    from portal.models import SecondCheck

    conference = make_conference()
    member = add_contactable_member(
        conference, email="jo@example.com", second_check=SecondCheck.CODE
    )
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    send_check_code(invitation, utcnow())

    assert drain(app, providers, "test-worker").sent == 2  # the link by text, the code by email
    [(email, _)] = fake_smtp.messages
    body = email.get_body(preferencelist=("plain",)).get_content()
    assert f"Your code is {code_for(invitation.code_salt)}." in body
    assert "/r/" not in body  # the code email carries no link


def test_a_queued_text_is_not_sent_after_the_person_switched_to_email(app, providers, fake_twilio):
    from portal.models import Role
    from portal.people.services import switch_channel
    from tests.factories import make_staff

    conference = make_conference()
    member = add_contactable_member(conference, email="jo@example.com")
    issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    switch_channel(member, Channel.EMAIL, make_staff(Role.COORDINATOR), conference.id)

    result = drain(app, providers, "test-worker")

    assert result.cancelled == 1
    assert fake_twilio.requests == []
    db.session.expire_all()
    message = db.session.scalars(select(Message)).one()
    assert message.error_detail == "They now get links by another channel"


def test_pausing_cancels_what_the_schedule_had_queued(app, providers, fake_twilio):
    from portal.invitations.services import set_paused

    conference = make_conference()
    member = add_contactable_member(conference)
    issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    set_paused(conference.id, member.id, True)
    assert drain(app, providers, "test-worker").sent == 0
    assert fake_twilio.requests == []


def test_a_person_removed_mid_send_does_not_stop_the_worker(app, providers, fake_twilio):
    from portal.messaging.providers import SendResult

    conference = make_conference()
    staying = add_contactable_member(conference, mobile="+447700900111")
    leaving = add_contactable_member(conference, mobile="+447700900222")
    queue_many(1, staying)
    queue_many(1, leaving)
    leaving_id = leaving.id

    class RemovesSomeoneMidSend:
        """While the batch is out, a coordinator removes one person (and their messages)."""

        name = "twilio"

        def send(self, message) -> SendResult:
            if message.to == "+447700900222":
                with app.app_context():
                    db.session.execute(
                        sa_delete(Message).where(Message.family_member_id == leaving_id)
                    )
                    db.session.commit()
            return providers["sms"].send(message)

    result = drain(app, {"sms": RemovesSomeoneMidSend(), "email": providers["email"]}, "w")

    assert result.sent == 1  # the other person's outcome is saved, one by one
    db.session.expire_all()
    [message] = db.session.scalars(select(Message)).all()
    assert (message.to_address, message.status) == ("+447700900111", MessageStatus.SENT)


def test_a_subject_saved_on_two_lines_before_the_check_still_goes_on_one(app, providers, fake_smtp):
    """Wording saved before subjects were checked (or put in the database by hand) must not
    stop every email of its kind: the subject goes folded onto one line, to no one else."""
    db.session.add(
        MessageWording(
            kind=MessageKind.VIEWS_INVITATION,
            channel=Channel.EMAIL,
            subject="Your say\r\nBcc: someone@example.com\u2028now",
            body="Tell us: {link}",
        )
    )
    conference = make_conference()
    member = add_contactable_member(
        conference, email="jo@example.com", preferred_channel=Channel.EMAIL
    )
    issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()

    result = drain(app, providers, "test-worker")

    assert (result.sent, result.retried, result.failed) == (1, 0, 0)
    [(email, recipients)] = fake_smtp.messages
    assert recipients == ["jo@example.com"]
    assert email["Subject"] == "Your say Bcc: someone@example.com now – Northshire Council"
    assert email["Bcc"] is None
