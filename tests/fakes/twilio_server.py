"""A local stand-in for Twilio's Messages API, so the real SDK can be tested offline.

It answers ``POST /2010-04-01/Accounts/<sid>/Messages.json`` the way Twilio does: HTTP Basic
auth, a form-encoded request, a JSON message resource or a JSON error with a Twilio code.
Failures, slow answers and stalls are programmed per test. ``GET`` on the same path lists the
messages it took, newest first, filtered by ``To``, ``From`` and ``DateSent``/``DateSent<``/
``DateSent>`` (a date or a date and time) and paged by ``PageSize``, as the SDK's
``client.messages.list(...)`` asks; ``listing = False`` makes it answer 404 instead (a
provider that cannot say what it sent).
"""

from __future__ import annotations

import base64
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes import FakeHttpServer, LocalServer, answer_json

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
CREATED = 201
DROPPED = 0  # recorded as "answered" for a request the fake hung up on during an outage
CODE_FOR_STATUS = {429: 20429, 500: 20500, 503: 20503}


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    form: dict[str, str]
    auth_user: str | None
    answered: int  # the HTTP status the fake chose for it


@dataclass(frozen=True)
class _Error:
    status: int
    code: int
    message: str


class FakeTwilio(LocalServer):
    """``with FakeTwilio() as twilio:`` then point the provider at ``twilio.base_url``."""

    def __init__(self, account_sid: str = "AC" + "0" * 32, auth_token: str = "test-token") -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.delay_seconds = 0.0  # before every answer: a latency, or a timeout if long enough
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._failures: list[_Error] = []
        self._errors_by_number: dict[str, _Error] = {}
        self._hangs: list[float] = []
        self._outage: _Error | None = None  # every request gets this until come_back()
        self.refusing = False  # the port refuses connections; open ones are dropped
        self.listing = True  # GET Messages.json lists what was taken (False: 404)
        self._taken: list[tuple[datetime, dict[str, Any]]] = []  # (when, the message's JSON)
        self._stopping = threading.Event()
        self._server = FakeHttpServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = self._serving_thread()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def sent_bodies(self) -> list[str]:
        """The Body of every message the fake accepted (answered 201), in arrival order."""
        return [r.form.get("Body", "") for r in self.requests if r.answered == CREATED]

    def fail_next(self, n: int, status: int = 500, code: int | None = None) -> None:
        """The next n requests get this status and a Twilio error (code 20xxx by default)."""
        error = _Error(status, code or CODE_FOR_STATUS.get(status, 20000 + status), "Failure")
        with self._lock:
            self._failures.extend([error] * n)

    def error_for(self, to_number: str, code: int, status: int = 400) -> None:
        """Every send to this number fails with this Twilio error (21211 invalid, 21610 STOP)."""
        # Twilio's messages quote the number, as here: the provider must not pass them on.
        message = f"Unable to create record: error {code} for 'To' number {to_number}"
        with self._lock:
            self._errors_by_number[to_number] = _Error(status, code, message)

    def hang_next(self, n: int, seconds: float) -> None:
        """The next n requests stall this long before answering (longer than a client timeout)."""
        with self._lock:
            self._hangs.extend([seconds] * n)

    def go_down(self, status: int | None = 503) -> None:
        """An outage until ``come_back()``: every request is answered with ``status`` and its
        Twilio error code; with ``None``, connections are refused and those already open are
        dropped when they send a request (no answer at all)."""
        with self._lock:
            if status is not None:
                code = CODE_FOR_STATUS.get(status, 20000 + status)
                self._outage = _Error(status, code, "Service unavailable")
                return
            self.refusing = True
        self._stop_serving()

    def come_back(self) -> None:
        """The outage is over: answer normally again, on the same port."""
        with self._lock:
            self._outage = None
            refused = self.refusing
            self.refusing = False
        if refused:
            self._server = FakeHttpServer(self._server.server_address[:2], _handler_for(self))
            self._thread = self._serving_thread()
            self._thread.start()

    def _serving_thread(self) -> threading.Thread:
        # A short poll interval: stop() waits up to one interval for the serving loop to notice.
        return threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> FakeTwilio:
        self._thread.start()
        return self

    def _stop_serving(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def stop(self) -> None:
        self._stopping.set()  # releases stalled handlers at once
        if not self.refusing:
            self._stop_serving()

    def _answer(
        self, path: str, form: dict[str, str], auth_user: str | None, password: str | None
    ) -> tuple[float, int, dict[str, Any]]:
        """Decide the answer and record the request: (stall seconds, status, JSON payload)."""
        match = MESSAGES_PATH.match(path)
        with self._lock:
            stall = self._hangs.pop(0) if self._hangs else self.delay_seconds
            if (auth_user, password) != (self.account_sid, self.auth_token):
                error: _Error | None = _Error(401, 20003, "Authenticate")
            elif match is None or match["sid"] != self.account_sid:
                error = _Error(404, 20404, "The requested resource was not found")
            elif self._outage:
                error = self._outage
            elif self._failures:
                error = self._failures.pop(0)
            else:
                error = self._errors_by_number.get(form.get("To", ""))
            status = error.status if error else CREATED
            self._requests.append(RecordedRequest(path, form, auth_user, status))
        if error:
            return stall, status, _error_json(error)
        taken = self._message_json(form)
        with self._lock:
            self._taken.append((datetime.now(UTC), taken))
        return stall, status, taken

    def _list(
        self, path: str, query: dict[str, str], auth_user: str | None, password: str | None
    ) -> tuple[int, dict[str, Any]]:
        """GET Messages.json: the messages taken, newest first, filtered as Twilio filters."""
        match = MESSAGES_PATH.match(path)
        if (auth_user, password) != (self.account_sid, self.auth_token):
            return 401, _error_json(_Error(401, 20003, "Authenticate"))
        if match is None or match["sid"] != self.account_sid or not self.listing:
            return 404, _error_json(_Error(404, 20404, "The requested resource was not found"))
        with self._lock:
            taken = list(reversed(self._taken))
        wanted = [
            message
            for when, message in taken
            if query.get("To", message["to"]) == message["to"]
            and query.get("From", message["from"]) == message["from"]
            and _dated(when, query)
        ]
        size = int(query.get("PageSize", "50"))
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        return 200, {
            "messages": wanted[:size],
            "page": 0,
            "page_size": size,
            "start": 0,
            "end": max(0, min(size, len(wanted)) - 1),
            "uri": uri,
            "first_page_uri": uri,
            "next_page_uri": None,
            "previous_page_uri": None,
        }

    def _record_dropped(self, path: str, form: dict[str, str], auth_user: str | None) -> None:
        with self._lock:
            self._requests.append(RecordedRequest(path, form, auth_user, DROPPED))

    def _message_json(self, form: dict[str, str]) -> dict[str, Any]:
        sid = "SM" + uuid.uuid4().hex
        now = format_datetime(datetime.now(UTC), usegmt=True)
        service_sid = form.get("MessagingServiceSid")
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": form.get("Body", ""),
            "date_created": now,
            "date_sent": now,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form.get("From"),
            "messaging_service_sid": service_sid,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            # Twilio answers "accepted" when a Messaging Service will pick the sender.
            "status": "accepted" if service_sid and not form.get("From") else "queued",
            "subresource_uris": {
                "media": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}/Media.json"
            },
            "to": form.get("To"),
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }


def _error_json(error: _Error) -> dict[str, Any]:
    return {
        "code": error.code,
        "message": error.message,
        "more_info": f"https://www.twilio.com/docs/errors/{error.code}",
        "status": error.status,
    }


def _when(value: str) -> datetime:
    """A DateSent filter's value: 2026-12-07 or 2026-12-07T10:00:00Z."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _dated(when: datetime, query: dict[str, str]) -> bool:
    if "DateSent" in query and when.date() != _when(query["DateSent"]).date():
        return False
    if "DateSent>" in query and when < _when(query["DateSent>"]):
        return False
    return not ("DateSent<" in query and when > _when(query["DateSent<"]))


def _basic_auth(header: str | None) -> tuple[str | None, str | None]:
    if not header or not header.startswith("Basic "):
        return None, None
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return user, password


def _handler_for(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's requests.Session expects
        # Headers and body go out in separate writes: without this, Nagle's algorithm and the
        # client's delayed ACK add about 40 ms to every answer.
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
            user, password = _basic_auth(self.headers.get("Authorization"))
            if fake.refusing:  # down: hang up without a word, as a dead host's proxy would
                fake._record_dropped(self.path, form, user)
                self.close_connection = True
                return
            stall, status, payload = fake._answer(self.path, form, user, password)
            if stall:
                fake._stopping.wait(stall)
            answer_json(self, status, payload)

        def do_GET(self) -> None:
            target = urlsplit(self.path)
            user, password = _basic_auth(self.headers.get("Authorization"))
            query = dict(parse_qsl(target.query, keep_blank_values=True))
            status, payload = fake._list(target.path, query, user, password)
            answer_json(self, status, payload)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: pytest shows failures, not every request."""

    return Handler
