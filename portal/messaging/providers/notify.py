"""Texts and emails through GOV.UK Notify, with its official client.

The portal keeps its own wording: each channel has one Notify template whose content is
``((body))`` (an email's subject line ``((subject))``), filled in per message.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

import requests
from notifications_python_client.errors import HTTPError, InvalidResponse
from notifications_python_client.notifications import NotificationsAPIClient

from portal.messaging.providers.base import (
    OutgoingMessage,
    PermanentSendError,
    SendError,
    SendResult,
    TransientSendError,
)

NOTIFY_API = "https://api.notifications.service.gov.uk"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# A key is "<its name>-<service id>-<secret>"; the client takes the two ids from the end.
API_KEY = re.compile(rf"^.+-{_UUID}-{_UUID}$", re.IGNORECASE)
TEMPLATE_ID = re.compile(rf"^{_UUID}$", re.IGNORECASE)
# Notify's 400 reasons begin with the field at fault: which one says what the coordinator can do.
CODE_FOR_FIELD = {"phone_number": "notify-bad-number", "email_address": "notify-bad-email"}

# The client logs each failure with Notify's reason, which may quote the recipient; the worker
# records every outcome itself (without it).
logging.getLogger("notifications_python_client").setLevel(logging.ERROR)


class NotifyProvider:
    """Sends one channel's messages with ``send_sms_notification`` or
    ``send_email_notification``, our message id as Notify's ``reference``.

    Error details carry statuses and Notify's reason, never the recipient.
    """

    name = "notify"

    def __init__(
        self,
        *,
        channel: str,
        api_key: str,
        template_id: str,
        sender_id: str | None = None,
        base_url: str | None = None,
        timeout_seconds: float = 10.0,
    ) -> None:
        if channel not in ("sms", "email"):
            raise ValueError(f"Notify sends 'sms' or 'email', not {channel!r}")
        if not API_KEY.match(api_key):
            raise ValueError("NOTIFY_API_KEY is not a Notify API key (name-service id-secret)")
        if not TEMPLATE_ID.match(template_id):
            raise ValueError(f"NOTIFY_{channel.upper()}_TEMPLATE_ID is not a Notify template ID")
        self._channel = channel
        self._api_key = api_key
        self._template_id = template_id
        self._sender_id = sender_id
        self._base_url = base_url or NOTIFY_API
        self._timeout_seconds = timeout_seconds
        # The client keeps one requests.Session and says it is not thread-safe: one per thread.
        self._local = threading.local()

    def _client(self) -> NotificationsAPIClient:
        client: NotificationsAPIClient | None = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = NotificationsAPIClient(
                self._api_key, base_url=self._base_url, timeout=self._timeout_seconds
            )
        return client

    def send(self, message: OutgoingMessage) -> SendResult:
        try:
            answer = self._post(message)
        except HTTPError as exc:
            # "from None": a logged traceback must not carry Notify's answer about the recipient.
            raise _classify(exc, message.to) from None
        except InvalidResponse:
            # Accepted (2xx) but unreadable: it may have gone, so a retry may, rarely, repeat it.
            raise TransientSendError(
                "Notify's answer could not be read", code="bad-answer"
            ) from None
        return SendResult(provider_id=str(answer["id"]), status="created")

    def _post(self, message: OutgoingMessage) -> dict[str, Any]:
        client = self._client()
        if self._channel == "sms":
            answer = client.send_sms_notification(
                phone_number=message.to,
                template_id=self._template_id,
                personalisation={"body": message.body_text},
                reference=message.reference,
                sms_sender_id=self._sender_id,
            )
        else:
            answer = client.send_email_notification(
                email_address=message.to,
                template_id=self._template_id,
                personalisation={"subject": message.subject or "", "body": message.body_text},
                reference=message.reference,
                email_reply_to_id=self._sender_id,
            )
        if not isinstance(answer, dict) or "id" not in answer:
            raise InvalidResponse(message="No notification id in Notify's answer")
        return answer


def _classify(error: HTTPError, recipient: str) -> SendError:
    """Retry what may work later (429, 5xx, no answer); give up at once on the rest."""
    if error.response is None:  # the client reports a timeout or a refused connection as 503
        if isinstance(error.__cause__, requests.exceptions.Timeout):
            # The request may have reached Notify: a retry can, rarely, send a duplicate.
            return TransientSendError("Notify did not answer in time", code="timeout")
        cause = type(error.__cause__).__name__
        return TransientSendError(f"Could not reach Notify ({cause})", code="network")
    status = error.status_code
    if status == 429 or status >= 500:
        return TransientSendError(f"Notify refused the message: HTTP {status}", code=str(status))
    if status == 403:
        return PermanentSendError("Notify refused the API key: HTTP 403", code="403")
    reason = _reason(error.message).replace(recipient, "(the recipient)")
    field = reason.split(" ", 1)[0]
    return PermanentSendError(
        f"Notify refused the message: HTTP {status}: {reason}",
        code=CODE_FOR_FIELD.get(field, str(status)),
    )


def _reason(message: str | list[Any] | None) -> str:
    """Notify's v2 API answers ``{"errors": [{"error": ..., "message": ...}]}``."""
    if not message:
        return "no reason given"
    if isinstance(message, str):
        return message
    return "; ".join(
        str(item.get("message", item.get("error", ""))) if isinstance(item, dict) else str(item)
        for item in message
    )
