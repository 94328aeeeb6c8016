"""Real local servers standing in for Twilio and an SMTP relay, one pair per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.smtp_server import FakeSmtp
from tests.fakes.twilio_server import FakeTwilio


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as server:
        yield server


@pytest.fixture
def fake_smtp() -> Iterator[FakeSmtp]:
    with FakeSmtp() as server:
        yield server
