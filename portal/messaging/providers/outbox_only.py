"""The provider that sends nothing."""

from __future__ import annotations

from portal.messaging.providers.base import OutgoingMessage, SendResult


class OutboxOnlyProvider:
    """The default, so the portal runs with no Twilio or SMTP account.

    Nothing leaves the machine: developers read messages from the outbox table, where the worker
    marks each one delivered as if a provider had confirmed it.
    """

    name = "outbox"

    def send(self, message: OutgoingMessage) -> SendResult:
        return SendResult(provider_id=f"outbox-{message.reference}", status="delivered")
