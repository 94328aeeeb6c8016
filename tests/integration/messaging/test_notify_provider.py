"""The Notify provider through the real notifications-python-client, against a fake Notify."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from portal.messaging.providers import (
    OutgoingMessage,
    PermanentSendError,
    TransientSendError,
    build_providers,
)
from portal.messaging.providers.notify import NotifyProvider
from tests.fakes.notify_server import FakeNotify
from tests.fakes.smtp_server import free_port
from tests.helpers.messages import assert_nothing_personal

NUMBER = "+447700900123"
ADDRESS = "parent@example.org"
BODY = "Your family group conference is on Tuesday 3 June at 10am."
SENDER_ID = "4a1b4a6e-25d5-4a6e-9e3c-bc6a8a3f0c11"
KEY = f"heard-{'1' * 8}-1111-4111-8111-{'1' * 12}-{'2' * 8}-2222-4222-8222-{'2' * 12}"
TEMPLATE = f"{'3' * 8}-3333-4333-8333-{'3' * 12}"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def message(channel: str = "sms", reference: str = "41") -> OutgoingMessage:
    if channel == "sms":
        return OutgoingMessage(channel="sms", to=NUMBER, body_text=BODY, reference=reference)
    return OutgoingMessage(
        channel="email", to=ADDRESS, body_text=BODY, reference=reference, subject="Your meeting"
    )


def notify(fake: FakeNotify, channel: str = "sms", **overrides: object) -> NotifyProvider:
    settings: dict[str, object] = {
        "channel": channel,
        "api_key": fake.api_key,
        "template_id": fake.template_ids[channel],
        "sender_id": SENDER_ID,
        "base_url": fake.base_url,
        "timeout_seconds": 2.0,
    }
    return NotifyProvider(**{**settings, **overrides})  # type: ignore[arg-type]


def test_a_text_goes_with_its_template_our_wording_and_our_id_as_reference(
    fake_notify: FakeNotify,
) -> None:
    result = notify(fake_notify).send(message(reference="41"))

    [request] = fake_notify.requests  # the fake checked the client's JWT to accept it
    assert request.answered == 201
    assert request.body == {
        "phone_number": NUMBER,
        "template_id": fake_notify.template_ids["sms"],
        "personalisation": {"body": BODY},
        "reference": "41",
        "sms_sender_id": SENDER_ID,
    }
    assert result.provider_id == request.notification_id
    assert UUID.match(str(result.provider_id))
    assert result.status == "created"


def test_an_email_goes_with_its_subject_and_reply_to_address(fake_notify: FakeNotify) -> None:
    notify(fake_notify, "email").send(message("email", reference="42"))

    [request] = fake_notify.requests
    assert request.body == {
        "email_address": ADDRESS,
        "template_id": fake_notify.template_ids["email"],
        "personalisation": {"subject": "Your meeting", "body": BODY},
        "reference": "42",
        "email_reply_to_id": SENDER_ID,
    }


def test_without_a_sender_id_notify_uses_the_services_default(fake_notify: FakeNotify) -> None:
    notify(fake_notify, sender_id=None).send(message())

    assert "sms_sender_id" not in fake_notify.requests[0].body


@pytest.mark.parametrize("channel", ["sms", "email"])
@pytest.mark.parametrize("status", [429, 500, 503])
def test_rate_limits_and_server_errors_are_transient(
    fake_notify: FakeNotify, channel: str, status: int
) -> None:
    provider = notify(fake_notify, channel)
    fake_notify.fail_next(1, status=status)

    with pytest.raises(TransientSendError) as caught:
        provider.send(message(channel))

    assert caught.value.code == str(status)
    assert_nothing_personal(caught.value, NUMBER, ADDRESS, BODY)
    provider.send(message(channel))  # the failure was for one request only
    assert fake_notify.sent_bodies() == [BODY]


@pytest.mark.parametrize(
    ("channel", "reason", "code"),
    [
        ("sms", "phone_number Not a UK mobile number", "notify-bad-number"),
        ("email", "email_address Not a valid email address", "notify-bad-email"),
    ],
)
def test_a_refused_recipient_is_permanent_with_notifys_reason(
    fake_notify: FakeNotify, channel: str, reason: str, code: str
) -> None:
    fake_notify.refuse(NUMBER if channel == "sms" else ADDRESS, reason)

    with pytest.raises(PermanentSendError) as caught:
        notify(fake_notify, channel).send(message(channel))

    assert caught.value.code == code
    assert caught.value.detail == f"Notify refused the message: HTTP 400: {reason}"
    assert caught.value.opted_out is False
    assert_nothing_personal(caught.value, NUMBER, ADDRESS, BODY)


def test_a_reason_quoting_the_recipient_is_passed_on_without_it(fake_notify: FakeNotify) -> None:
    fake_notify.refuse(ADDRESS, f"email_address {ADDRESS} is not allowed")

    with pytest.raises(PermanentSendError) as caught:
        notify(fake_notify, "email").send(message("email"))

    assert caught.value.detail.endswith("email_address (the recipient) is not allowed")
    assert_nothing_personal(caught.value, ADDRESS)


def test_a_key_notify_does_not_know_is_refused_permanently(fake_notify: FakeNotify) -> None:
    wrong_key = f"heard_test-{fake_notify.service_id}-00000000-0000-4000-8000-000000000000"

    with pytest.raises(PermanentSendError) as caught:
        notify(fake_notify, api_key=wrong_key).send(message())

    assert caught.value.code == "403"
    assert fake_notify.sent_bodies() == []


def test_a_template_notify_does_not_have_is_refused_permanently(fake_notify: FakeNotify) -> None:
    other_template = "11111111-2222-4333-8444-555555555555"

    with pytest.raises(PermanentSendError) as caught:
        notify(fake_notify, template_id=other_template).send(message())

    assert (caught.value.code, caught.value.detail) == (
        "400",
        "Notify refused the message: HTTP 400: Template not found",
    )


def test_an_answer_slower_than_the_timeout_is_transient(fake_notify: FakeNotify) -> None:
    fake_notify.hang_next(1, seconds=1.0)

    with pytest.raises(TransientSendError) as caught:
        notify(fake_notify, timeout_seconds=0.2).send(message())

    assert caught.value.code == "timeout"


def test_notify_unreachable_is_transient() -> None:
    provider = NotifyProvider(
        channel="sms",
        api_key=KEY,
        template_id=TEMPLATE,
        base_url=f"http://127.0.0.1:{free_port()}",
        timeout_seconds=1.0,
    )

    with pytest.raises(TransientSendError) as caught:
        provider.send(message())

    assert caught.value.code == "network"


def test_the_provider_is_shared_safely_by_worker_threads(fake_notify: FakeNotify) -> None:
    provider = notify(fake_notify)
    fake_notify.delay_seconds = 0.01

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda n: provider.send(message(reference=str(n))), range(40)))

    assert len({r.provider_id for r in results}) == 40
    assert sorted(r.body["reference"] for r in fake_notify.accepted()) == sorted(
        str(n) for n in range(40)
    )


def test_build_providers_makes_notify_for_both_channels(fake_notify: FakeNotify) -> None:
    providers = build_providers(
        {
            "SMS_PROVIDER": "notify",
            "EMAIL_PROVIDER": "notify",
            "NOTIFY_API_KEY": fake_notify.api_key,
            "NOTIFY_SMS_TEMPLATE_ID": fake_notify.template_ids["sms"],
            "NOTIFY_EMAIL_TEMPLATE_ID": fake_notify.template_ids["email"],
            "NOTIFY_EMAIL_REPLY_TO_ID": SENDER_ID,
            "NOTIFY_BASE_URL": fake_notify.base_url,
        }
    )

    providers["sms"].send(message("sms"))
    providers["email"].send(message("email"))

    sms, email = fake_notify.accepted()
    assert (sms.channel, "sms_sender_id" in sms.body) == ("sms", False)
    assert (email.channel, email.body["email_reply_to_id"]) == ("email", SENDER_ID)


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"SMS_PROVIDER": "notify", "NOTIFY_SMS_TEMPLATE_ID": TEMPLATE}, "NOTIFY_API_KEY"),
        ({"SMS_PROVIDER": "notify", "NOTIFY_API_KEY": KEY}, "NOTIFY_SMS_TEMPLATE_ID"),
        ({"EMAIL_PROVIDER": "notify", "NOTIFY_API_KEY": KEY}, "NOTIFY_EMAIL_TEMPLATE_ID"),
        (
            {
                "SMS_PROVIDER": "notify",
                "NOTIFY_API_KEY": "a-secret",
                "NOTIFY_SMS_TEMPLATE_ID": TEMPLATE,
            },
            "NOTIFY_API_KEY",
        ),
        (
            {
                "EMAIL_PROVIDER": "notify",
                "NOTIFY_API_KEY": KEY,
                "NOTIFY_EMAIL_TEMPLATE_ID": "welcome",
            },
            "NOTIFY_EMAIL_TEMPLATE_ID",
        ),
    ],
    ids=["no-key", "no-sms-template", "no-email-template", "not-a-key", "not-a-template"],
)
def test_build_providers_names_the_missing_or_wrong_notify_setting(
    settings: dict[str, str], named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        build_providers(settings)
