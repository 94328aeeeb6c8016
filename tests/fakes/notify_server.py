"""A local stand-in for GOV.UK Notify's API, so the real notifications-python-client can be
tested offline, and for Notify calling the portal back.

It answers ``POST /v2/notifications/sms`` and ``/v2/notifications/email`` as Notify does: a JWT
bearer token (HS256, ``iss`` the service id, signed with the key's secret, ``iat`` within 30
seconds), a JSON request naming a template, a 201 with the notification's id, or a JSON error
``{"status_code": ..., "errors": [{"error": ..., "message": ...}]}``. Failures and slow answers
are programmed per test. ``send_receipt`` and ``send_text`` call the portal's callbacks with the
bearer token, as Notify does.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

import jwt
import requests

from tests.fakes import FakeHttpServer, LocalServer, answer_json

CREATED = 201
PATHS = {"/v2/notifications/sms": "sms", "/v2/notifications/email": "email"}
RECIPIENT_FIELD = {"sms": "phone_number", "email": "email_address"}
TOKEN_LEEWAY_SECONDS = 30  # Notify refuses a token issued more than 30 s from its own clock
ERROR_NAMES = {400: "BadRequestError", 403: "AuthError", 429: "RateLimitError"}


@dataclass(frozen=True)
class RecordedRequest:
    channel: str | None
    body: dict[str, Any]
    answered: int  # the HTTP status the fake chose for it
    notification_id: str | None  # the id it gave an accepted notification

    @property
    def personalisation(self) -> dict[str, str]:
        return dict(self.body.get("personalisation") or {})


@dataclass(frozen=True)
class _Error:
    status: int
    message: str


class FakeNotify(LocalServer):
    """``with FakeNotify() as notify:`` then give the provider ``notify.api_key`` and
    ``notify.base_url``, and the templates ``notify.template_ids["sms"]`` and ``["email"]``."""

    def __init__(self, callback_token: str = "notify-callback-token") -> None:
        self.service_id = str(uuid.uuid4())
        self.secret = str(uuid.uuid4())
        self.api_key = f"heard_test-{self.service_id}-{self.secret}"
        self.template_ids = {"sms": str(uuid.uuid4()), "email": str(uuid.uuid4())}
        self.callback_token = callback_token
        self.delay_seconds = 0.0  # before every answer: a latency, or a timeout if long enough
        self.receipts_first_to: str | None = None  # see call_back_first
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._failures: list[_Error] = []
        self._errors_by_recipient: dict[str, _Error] = {}
        self._hangs: list[float] = []
        self._stopping = threading.Event()
        self._server = FakeHttpServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def accepted(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.answered == CREATED]

    def accepted_request(self, notification_id: str) -> RecordedRequest:
        return next(r for r in self.accepted() if r.notification_id == notification_id)

    def sent_bodies(self) -> list[str]:
        """The ((body)) of every notification the fake accepted, in arrival order."""
        return [r.personalisation.get("body", "") for r in self.accepted()]

    def fail_next(self, n: int, status: int = 500) -> None:
        """The next n requests get this status and Notify's error for it."""
        message = "Exceeded rate limit" if status == 429 else "Internal server error"
        with self._lock:
            self._failures.extend([_Error(status, message)] * n)

    def refuse(self, recipient: str, message: str, status: int = 400) -> None:
        """Every send to this number or address fails so, e.g. "phone_number Not a UK mobile
        number" (Notify's reasons name the field, not the recipient)."""
        with self._lock:
            self._errors_by_recipient[recipient] = _Error(status, message)

    def hang_next(self, n: int, seconds: float) -> None:
        """The next n requests stall this long before answering (longer than a client timeout)."""
        with self._lock:
            self._hangs.extend([seconds] * n)

    def call_back_first(self, app_url: str) -> None:
        """Send a "delivered" receipt to the portal before answering each accepted request (and
        before any stall): Notify can call back before the worker has heard its answer, or
        before the client gives up waiting for it."""
        self.receipts_first_to = app_url

    def send_receipt(
        self, app_url: str, sent: RecordedRequest, status: str, token: str | None = None
    ) -> int:
        """POST a delivery receipt for an accepted notification, as Notify does; the answer's
        HTTP status. ``token`` replaces the bearer token (a wrong one, or "" for none)."""
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
        receipt = {
            "id": sent.notification_id,
            "reference": sent.body.get("reference"),
            "to": sent.body[RECIPIENT_FIELD[str(sent.channel)]],
            "status": status,
            "created_at": now,
            "completed_at": now,
            "sent_at": now,
            "notification_type": sent.channel,
            "template_id": sent.body["template_id"],
            "template_version": 1,
        }
        return self._call(f"{app_url}/webhooks/notify/status", receipt, token)

    def send_text(
        self,
        app_url: str,
        source_number: str,
        text: str,
        token: str | None = None,
        text_id: str | None = None,
    ) -> int:
        """POST a text someone sent to the service's number: ``source_number`` as Notify gives
        it, international digits without a "+" (447700900123). ``text_id``, Notify's id for
        the text, is new each time unless given (Notify sends a callback again with the same)."""
        received = {
            "id": text_id or str(uuid.uuid4()),
            "source_number": source_number,
            "destination_number": "07700900000",
            "message": text,
            "date_received": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
        }
        return self._call(f"{app_url}/webhooks/notify/inbound", received, token)

    def _call(self, url: str, payload: dict[str, Any], token: str | None) -> int:
        token = self.callback_token if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.post(url, json=payload, headers=headers, timeout=10).status_code

    def start(self) -> FakeNotify:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases stalled handlers at once
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _answer(
        self, path: str, authorization: str, body: dict[str, Any]
    ) -> tuple[float, int, dict[str, Any]]:
        """Decide the answer and record the request: (stall seconds, status, JSON payload)."""
        channel = PATHS.get(path)
        with self._lock:
            stall = self._hangs.pop(0) if self._hangs else self.delay_seconds
            error = (
                self._token_error(authorization)
                or self._request_error(channel, body)
                or (self._failures.pop(0) if self._failures else None)
            )
            if channel and not error:
                error = self._errors_by_recipient.get(body.get(RECIPIENT_FIELD[channel], ""))
            status = error.status if error else CREATED
            notification_id = None if error else str(uuid.uuid4())
            self._requests.append(RecordedRequest(channel, body, status, notification_id))
        if error:
            name = ERROR_NAMES.get(error.status, "Exception")
            errors = [{"error": name, "message": error.message}]
            return stall, status, {"status_code": status, "errors": errors}
        return stall, status, self._notification_json(str(channel), body, str(notification_id))

    def _token_error(self, authorization: str) -> _Error | None:
        if not authorization.startswith("Bearer "):
            return _Error(401, "Unauthorized: authentication token must be provided")
        try:
            claims = jwt.decode(authorization[7:], self.secret, algorithms=["HS256"])
        except jwt.InvalidTokenError:
            return _Error(403, "Invalid token: API key not found")
        if claims.get("iss") != self.service_id:
            return _Error(403, "Invalid token: service not found")
        if abs(time.time() - float(claims.get("iat", 0))) > TOKEN_LEEWAY_SECONDS:
            return _Error(403, "Error: Your system clock must be accurate to within 30 seconds")
        return None

    def _request_error(self, channel: str | None, body: dict[str, Any]) -> _Error | None:
        if channel is None:
            return _Error(404, "Not Found")
        if body.get("template_id") != self.template_ids[channel]:
            return _Error(400, "Template not found")
        needed = {"body", "subject"} if channel == "email" else {"body"}
        missing = needed - set(body.get("personalisation") or {})
        if missing:
            return _Error(400, f"Missing personalisation: {', '.join(sorted(missing))}")
        if not body.get(RECIPIENT_FIELD[channel]):
            return _Error(400, f"{RECIPIENT_FIELD[channel]} is a required property")
        return None

    def _notification_json(
        self, channel: str, body: dict[str, Any], notification_id: str
    ) -> dict[str, Any]:
        fields = body["personalisation"]
        content: dict[str, Any] = {"body": fields["body"]}
        if channel == "sms":
            content["from_number"] = "HEARD"
        else:
            content.update(subject=fields["subject"], from_email="heard@notifications.example")
        template_id = body["template_id"]
        return {
            "id": notification_id,
            "reference": body.get("reference"),
            "content": content,
            "uri": f"{self.base_url}/v2/notifications/{notification_id}",
            "template": {
                "id": template_id,
                "version": 1,
                "uri": f"{self.base_url}/v2/template/{template_id}",
            },
            "scheduled_for": None,
        }


def _handler_for(fake: FakeNotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the client's requests.Session expects
        disable_nagle_algorithm = True  # see twilio_server: 40 ms per answer otherwise

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            stall, status, payload = fake._answer(
                self.path, self.headers.get("Authorization", ""), body
            )
            if status == CREATED and fake.receipts_first_to:
                accepted = fake.accepted_request(payload["id"])
                fake.send_receipt(fake.receipts_first_to, accepted, "delivered")
            if stall:
                fake._stopping.wait(stall)
            answer_json(self, status, payload)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: pytest shows failures, not every request."""

    return Handler
