"""Real servers on 127.0.0.1 standing in for Twilio, GOV.UK Notify and an SMTP relay."""

from __future__ import annotations

import json
import sys
from abc import ABC, abstractmethod
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self


class LocalServer(ABC):
    """``with Fake() as server:`` starts it and always stops it; subclasses give start/stop."""

    @abstractmethod
    def start(self) -> Self: ...

    @abstractmethod
    def stop(self) -> None: ...

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class FakeHttpServer(ThreadingHTTPServer):
    """The HTTP fakes' server: a deep backlog, and quiet about clients that hung up."""

    request_queue_size = 256  # the default listen backlog of 5 refuses a busy worker's sends
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that timed out has hung up: writing the late answer fails, harmlessly."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def answer_json(handler: BaseHTTPRequestHandler, status: int, payload: Any) -> None:
    """Answer a request as both providers' APIs do: JSON with its length."""
    data = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)
