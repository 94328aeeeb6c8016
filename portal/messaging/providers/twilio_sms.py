"""Text messages through Twilio's Programmable Messaging API, with the official SDK."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from portal.messaging.providers.base import (
    OutgoingMessage,
    PermanentSendError,
    SendError,
    SendResult,
    TransientSendError,
)

RATE_LIMITED = 20429
OPTED_OUT = 21610
# How far back a look in Twilio's list goes: the newest messages to the number, and a margin
# for the clocks of this machine and Twilio's.
LOOK_BACK_MESSAGES = 20
CLOCK_MARGIN = timedelta(minutes=2)


class _RedirectingHttpClient(TwilioHttpClient):
    """Sends every request to ``base_url`` instead of api.twilio.com.

    The SDK's ``edge``/``region`` settings can only pick another twilio.com host, so pointing it
    at a local fake means rewriting the URL here, after the SDK has built and signed the request.
    """

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(timeout=timeout)
        target = urlsplit(base_url)
        self._scheme, self._netloc = target.scheme, target.netloc

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        parts = urlsplit(url)._replace(scheme=self._scheme, netloc=self._netloc)
        return super().request(method, urlunsplit(parts), *args, **kwargs)


class TwilioSmsProvider:
    """Sends SMS with ``client.messages.create`` and sorts failures into retry or give up.

    Error details carry codes and statuses only: Twilio's own messages quote the number.
    """

    name = "twilio"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        status_callback_url: str | None = None,
        api_base_url: str | None = None,
        timeout_seconds: float = 10.0,
    ) -> None:
        if bool(from_number) == bool(messaging_service_sid):
            raise ValueError("Give exactly one of from_number and messaging_service_sid")
        self._account_sid = account_sid
        self._auth_token = auth_token
        self._api_base_url = api_base_url
        self._timeout_seconds = timeout_seconds
        self._create_args: dict[str, str] = {}
        if from_number:
            self._create_args["from_"] = from_number
        if messaging_service_sid:
            self._create_args["messaging_service_sid"] = messaging_service_sid
        if status_callback_url:
            self._create_args["status_callback"] = status_callback_url
        # TwilioHttpClient shares one requests.Session, which is not thread-safe (and the client
        # stores the last request and response on itself): each worker thread gets its own.
        self._local = threading.local()
        self._local.client = self._build_client()  # here too, so bad settings fail at start-up

    def _build_client(self) -> Client:
        http_client = (
            _RedirectingHttpClient(self._api_base_url, self._timeout_seconds)
            if self._api_base_url
            else TwilioHttpClient(timeout=self._timeout_seconds)
        )
        return Client(self._account_sid, self._auth_token, http_client=http_client)

    def _client(self) -> Client:
        client: Client | None = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._build_client()
        return client

    def send(self, message: OutgoingMessage) -> SendResult:
        try:
            sent = self._client().messages.create(
                to=message.to, body=message.body_text, **self._create_args
            )
        except (TwilioRestException, TwilioServiceException) as exc:
            # "from None": Twilio's message quotes the number, and a logged traceback would too.
            raise _classify(exc.code, exc.status) from None
        except requests.exceptions.Timeout as exc:
            # The request may have reached Twilio: a retry can, rarely, send a duplicate.
            raise TransientSendError("Twilio did not answer in time", code="timeout") from exc
        except requests.exceptions.RequestException as exc:
            detail = f"Could not reach Twilio ({type(exc).__name__})"
            raise TransientSendError(detail, code="network") from exc
        return SendResult(provider_id=sent.sid, status=sent.status or "unknown")

    def find_sent(self, message: OutgoingMessage, since: datetime) -> SendResult | None:
        """The message, if Twilio already took it: one sent to the same number with the same
        text, created since ``since`` (Twilio's list of messages, newest first). Raises
        TransientSendError when Twilio cannot be asked."""
        since = (since if since.tzinfo else since.replace(tzinfo=UTC)) - CLOCK_MARGIN
        try:
            listed = self._client().messages.list(to=message.to, limit=LOOK_BACK_MESSAGES)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise _classify(exc.code, exc.status) from None
        except requests.exceptions.RequestException as exc:
            raise TransientSendError(f"Could not list ({type(exc).__name__})") from exc
        for sent in listed:
            created = sent.date_created
            if (
                sent.body == message.body_text
                and str(sent.direction or "").startswith("outbound")
                and created is not None
                and created >= since
            ):
                return SendResult(provider_id=sent.sid, status=str(sent.status or "unknown"))
        return None


def _classify(code: int | None, status: int) -> SendError:
    detail = f"Twilio refused the message: HTTP {status}, error {code}"
    if code == RATE_LIMITED or status == 429 or not 400 <= status < 500:
        return TransientSendError(detail, code=str(code or status))
    if code == OPTED_OUT:
        return PermanentSendError(detail, code=str(OPTED_OUT), opted_out=True)
    return PermanentSendError(detail, code=str(code or status))
