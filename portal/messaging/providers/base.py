"""The one small interface every message provider implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutgoingMessage:
    """What to send. ``reference`` is our message id, echoed in callbacks and logs."""

    channel: str  # "sms" or "email"
    to: str  # E.164 mobile number or email address
    body_text: str
    reference: str
    subject: str | None = None  # email only
    body_html: str | None = None  # email only


@dataclass(frozen=True)
class SendResult:
    provider_id: str | None  # the provider's id for the message (Twilio's SID, the Message-ID)
    status: str  # the provider's status on acceptance, e.g. "queued", "accepted"


class SendError(Exception):
    """A send failed. ``code`` is the provider's error code where it gave one."""

    def __init__(self, detail: str, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code


class TransientSendError(SendError):
    """Worth retrying later: a timeout, a 5xx, a rate limit (Twilio 20429), a 4xx SMTP reply."""


class PermanentSendError(SendError):
    """Retrying will not help: an invalid number, an unsubscribed recipient, a refused address.

    ``opted_out`` is True when the recipient has unsubscribed (Twilio 21610): the contact must be
    marked opted out and nothing more sent to it.
    """

    def __init__(self, detail: str, code: str | None = None, opted_out: bool = False) -> None:
        super().__init__(detail, code)
        self.opted_out = opted_out


class Provider(Protocol):
    name: str

    def send(self, message: OutgoingMessage) -> SendResult:
        """Send one message, or raise TransientSendError / PermanentSendError. Thread-safe."""
        ...
