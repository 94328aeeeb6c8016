"""The provider that sends nothing."""

from __future__ import annotations

from portal.messaging.providers.base import OutgoingMessage, SendResult


class OutboxOnlyProvider:
    """The default, so the portal runs with no Twilio or SMTP account.

    Nothing leaves the machine: developers read messages from the outbox table. It answers
    "delivered" at once, and the worker records that as it records a real provider's delivery
    receipt (``replies.apply_status``), so the funnel in development reads as in production.
    """

    name = "outbox"

    def send(self, message: OutgoingMessage) -> SendResult:
        return SendResult(provider_id=f"outbox-{message.reference}", status="delivered")
