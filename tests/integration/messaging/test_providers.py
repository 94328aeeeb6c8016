"""The providers through the real Twilio SDK and smtplib, against local fake servers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from portal.messaging.providers import (
    OutgoingMessage,
    PermanentSendError,
    TransientSendError,
    build_providers,
)
from portal.messaging.providers.outbox_only import OutboxOnlyProvider
from portal.messaging.providers.smtp_email import SmtpEmailProvider
from portal.messaging.providers.twilio_sms import TwilioSmsProvider
from tests.fakes.smtp_server import FakeSmtp, free_port
from tests.fakes.twilio_server import FakeTwilio
from tests.helpers.messages import assert_nothing_personal

NUMBER = "+447700900123"
BODY = "Your family group conference is on Tuesday 3 June at 10am."
CALLBACK = "https://heard.example/messaging/twilio/status"


def sms(to: str = NUMBER, body: str = BODY, reference: str = "msg-1") -> OutgoingMessage:
    return OutgoingMessage(channel="sms", to=to, body_text=body, reference=reference)


def twilio(fake: FakeTwilio, **overrides: object) -> TwilioSmsProvider:
    settings: dict[str, object] = {
        "account_sid": fake.account_sid,
        "auth_token": fake.auth_token,
        "from_number": "+447700900000",
        "status_callback_url": CALLBACK,
        "api_base_url": fake.base_url,
        "timeout_seconds": 2.0,
    }
    return TwilioSmsProvider(**{**settings, **overrides})


# Twilio


def test_twilio_posts_the_message_with_basic_auth_and_returns_the_sid(
    fake_twilio: FakeTwilio,
) -> None:
    result = twilio(fake_twilio).send(sms())

    [request] = fake_twilio.requests
    assert request.path == f"/2010-04-01/Accounts/{fake_twilio.account_sid}/Messages.json"
    assert request.auth_user == fake_twilio.account_sid
    assert request.answered == 201
    assert request.form == {
        "To": NUMBER,
        "From": "+447700900000",
        "Body": BODY,
        "StatusCallback": CALLBACK,
    }
    assert result.provider_id is not None
    assert result.provider_id.startswith("SM")
    assert len(result.provider_id) == 34
    assert result.status == "queued"


def test_twilio_sends_through_a_messaging_service_without_a_callback(
    fake_twilio: FakeTwilio,
) -> None:
    provider = twilio(
        fake_twilio,
        from_number=None,
        messaging_service_sid="MG" + "1" * 32,
        status_callback_url=None,
    )

    result = provider.send(sms())

    [request] = fake_twilio.requests
    assert request.form == {"To": NUMBER, "MessagingServiceSid": "MG" + "1" * 32, "Body": BODY}
    assert result.status == "accepted"


def test_twilio_wrong_token_is_refused_permanently(fake_twilio: FakeTwilio) -> None:
    with pytest.raises(PermanentSendError) as caught:
        twilio(fake_twilio, auth_token="wrong").send(sms())

    assert caught.value.code == "20003"
    assert fake_twilio.sent_bodies() == []


@pytest.mark.parametrize(
    ("from_number", "service_sid"), [(None, None), ("+447700900000", "MG" + "1" * 32)]
)
def test_twilio_needs_exactly_one_sender(from_number: str | None, service_sid: str | None) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        TwilioSmsProvider(
            account_sid="AC1",
            auth_token="token",
            from_number=from_number,
            messaging_service_sid=service_sid,
        )


@pytest.mark.parametrize(("status", "code"), [(500, "20500"), (503, "20503"), (429, "20429")])
def test_twilio_server_errors_and_rate_limits_are_transient(
    fake_twilio: FakeTwilio, status: int, code: str
) -> None:
    provider = twilio(fake_twilio)
    fake_twilio.fail_next(1, status=status)

    with pytest.raises(TransientSendError) as caught:
        provider.send(sms())

    assert caught.value.code == code
    assert_nothing_personal(caught.value, NUMBER, BODY)
    provider.send(sms())  # the failure was for one request only
    assert fake_twilio.sent_bodies() == [BODY]


def test_twilio_invalid_number_is_permanent_but_not_an_opt_out(fake_twilio: FakeTwilio) -> None:
    fake_twilio.error_for(NUMBER, 21211)

    with pytest.raises(PermanentSendError) as caught:
        twilio(fake_twilio).send(sms())

    assert caught.value.code == "21211"
    assert caught.value.opted_out is False
    assert_nothing_personal(caught.value, NUMBER, BODY)


def test_twilio_unsubscribed_recipient_is_permanent_and_opted_out(
    fake_twilio: FakeTwilio,
) -> None:
    fake_twilio.error_for(NUMBER, 21610)

    with pytest.raises(PermanentSendError) as caught:
        twilio(fake_twilio).send(sms())

    assert caught.value.code == "21610"
    assert caught.value.opted_out is True
    assert_nothing_personal(caught.value, NUMBER, BODY)


def test_twilio_answer_slower_than_the_timeout_is_transient(fake_twilio: FakeTwilio) -> None:
    provider = twilio(fake_twilio, timeout_seconds=0.3)
    fake_twilio.hang_next(1, 1.0)

    with pytest.raises(TransientSendError) as caught:
        provider.send(sms())

    assert caught.value.code == "timeout"
    assert_nothing_personal(caught.value, NUMBER, BODY)
    # The stalled request did reach the server: this is why a retry can duplicate a text.
    assert len(fake_twilio.requests) == 1


def test_twilio_unreachable_is_transient() -> None:
    provider = TwilioSmsProvider(
        account_sid="AC1",
        auth_token="token",
        from_number="+447700900000",
        api_base_url=f"http://127.0.0.1:{free_port()}",
    )

    with pytest.raises(TransientSendError) as caught:
        provider.send(sms())

    assert caught.value.code == "network"
    assert_nothing_personal(caught.value, NUMBER, BODY)


def test_twilio_provider_is_shared_safely_by_worker_threads(fake_twilio: FakeTwilio) -> None:
    provider = twilio(fake_twilio)
    fake_twilio.delay_seconds = 0.01  # keeps several requests in flight at once
    bodies = [f"Message {i}" for i in range(50)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda body: provider.send(sms(body=body)), bodies))

    assert sorted(fake_twilio.sent_bodies()) == sorted(bodies)
    assert len({result.provider_id for result in results}) == 50


# SMTP


def smtp(fake: FakeSmtp, **overrides: object) -> SmtpEmailProvider:
    settings: dict[str, object] = {
        "host": fake.host,
        "port": fake.port,
        "from_address": "Heard <heard@northshire.example>",
        "timeout_seconds": 2.0,
    }
    return SmtpEmailProvider(**{**settings, **overrides})


def email(
    body_html: str | None = "<p>Your conference is on <b>Tuesday</b>.</p>",
) -> OutgoingMessage:
    return OutgoingMessage(
        channel="email",
        to="parent@example.org",
        body_text="Your conference is on Tuesday.",
        reference="msg-2",
        subject="Your family group conference",
        body_html=body_html,
    )


def test_smtp_sends_plain_text_with_an_html_alternative(fake_smtp: FakeSmtp) -> None:
    result = smtp(fake_smtp).send(email())

    [(received, recipients)] = fake_smtp.messages
    assert recipients == ["parent@example.org"]
    assert received["From"] == "Heard <heard@northshire.example>"
    assert received["To"] == "parent@example.org"
    assert received["Subject"] == "Your family group conference"
    assert received["Date"]
    assert received["Message-ID"] == result.provider_id
    assert result.provider_id is not None
    assert result.provider_id.endswith("@northshire.example>")
    assert result.status == "accepted"
    assert received.get_content_type() == "multipart/alternative"
    plain = received.get_body(("plain",))
    html = received.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert plain.get_content().strip() == "Your conference is on Tuesday."
    assert "<b>Tuesday</b>" in html.get_content()


def test_smtp_sends_plain_text_alone_without_html(fake_smtp: FakeSmtp) -> None:
    smtp(fake_smtp).send(email(body_html=None))

    [(received, _)] = fake_smtp.messages
    assert received.get_content_type() == "text/plain"


@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_smtp_4xx_is_transient(fake_smtp: FakeSmtp, stage: str) -> None:
    fake_smtp.reject_next(1, code=451, stage=stage)

    with pytest.raises(TransientSendError) as caught:
        smtp(fake_smtp).send(email())

    assert caught.value.code == "451"
    assert_nothing_personal(caught.value, "parent@example.org")
    assert fake_smtp.messages == []


@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_smtp_5xx_is_permanent(fake_smtp: FakeSmtp, stage: str) -> None:
    fake_smtp.reject_next(1, code=550, stage=stage)

    with pytest.raises(PermanentSendError) as caught:
        smtp(fake_smtp).send(email())

    assert caught.value.code == "550"
    assert caught.value.opted_out is False
    assert_nothing_personal(caught.value, "parent@example.org")


def test_smtp_connection_refused_is_transient() -> None:
    provider = SmtpEmailProvider(host="127.0.0.1", port=free_port(), from_address="heard@localhost")

    with pytest.raises(TransientSendError):
        provider.send(email())


def test_smtp_provider_is_shared_safely_by_worker_threads(fake_smtp: FakeSmtp) -> None:
    provider = smtp(fake_smtp)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: provider.send(email()), range(12)))

    assert sorted(m["Message-ID"] for m, _ in fake_smtp.messages) == sorted(
        r.provider_id for r in results
    )


# Outbox and configuration


def test_outbox_sends_nothing_and_reports_delivery() -> None:
    result = OutboxOnlyProvider().send(sms(reference="abc123"))

    assert result.provider_id == "outbox-abc123"
    assert result.status == "delivered"


def test_build_providers_defaults_to_the_outbox_for_both_channels() -> None:
    providers = build_providers({})

    assert isinstance(providers["sms"], OutboxOnlyProvider)
    assert isinstance(providers["email"], OutboxOnlyProvider)


def test_build_providers_makes_twilio_and_smtp_from_settings(fake_twilio: FakeTwilio) -> None:
    providers = build_providers(
        {
            "SMS_PROVIDER": "twilio",
            "TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
            "TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
            "TWILIO_FROM_NUMBER": "+447700900000",
            "TWILIO_API_BASE_URL": fake_twilio.base_url,
            "EMAIL_PROVIDER": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_STARTTLS": "false",
        }
    )

    assert providers["email"].name == "smtp"
    assert providers["sms"].send(sms()).status == "queued"
    assert fake_twilio.sent_bodies() == [BODY]


@pytest.mark.parametrize(
    ("settings", "missing"),
    [
        ({}, "TWILIO_ACCOUNT_SID"),
        ({"TWILIO_ACCOUNT_SID": "AC1"}, "TWILIO_AUTH_TOKEN"),
        ({"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"}, "TWILIO_FROM_NUMBER"),
    ],
)
def test_build_providers_names_the_missing_twilio_setting(
    settings: dict[str, str], missing: str
) -> None:
    with pytest.raises(ValueError, match=missing):
        build_providers({"SMS_PROVIDER": "twilio", **settings})


def test_build_providers_names_the_missing_smtp_setting() -> None:
    with pytest.raises(ValueError, match="SMTP_HOST"):
        build_providers({"EMAIL_PROVIDER": "smtp"})


def test_build_providers_refuses_an_unknown_provider() -> None:
    with pytest.raises(ValueError, match="SMS_PROVIDER"):
        build_providers({"SMS_PROVIDER": "carrier-pigeon"})
