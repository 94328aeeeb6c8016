"""The providers the worker tests send through: the real Twilio SDK to a fake Twilio, and email
to aiosmtpd, both on 127.0.0.1."""

from __future__ import annotations

import pytest

from portal.messaging.providers import Provider, build_providers
from tests.fakes.smtp_server import FakeSmtp
from tests.fakes.twilio_server import FakeTwilio

SENDER = "+447700900001"


@pytest.fixture
def providers(fake_twilio: FakeTwilio, fake_smtp: FakeSmtp) -> dict[str, Provider]:
    return build_providers(
        {
            "SMS_PROVIDER": "twilio",
            "TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
            "TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
            "TWILIO_FROM_NUMBER": SENDER,
            "TWILIO_STATUS_CALLBACK_URL": "https://heard.example/webhooks/twilio/status",
            "TWILIO_API_BASE_URL": fake_twilio.base_url,
            "EMAIL_PROVIDER": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": fake_smtp.port,
            "EMAIL_FROM": "heard@council.example",
            "MESSAGING_TIMEOUT_SECONDS": 0.5,
        }
    )
