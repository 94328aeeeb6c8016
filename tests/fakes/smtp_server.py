"""A local SMTP server (aiosmtpd) that keeps what it receives, for testing real smtplib sends."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.fakes import LocalServer


def free_port() -> int:
    """A port nobody listens on right now (aiosmtpd cannot bind port 0 itself)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class FakeSmtp(LocalServer):
    """``with FakeSmtp() as smtp:`` then send to 127.0.0.1:``smtp.port``; read ``smtp.messages``."""

    host = "127.0.0.1"

    def __init__(self) -> None:
        self.port = free_port()
        self._lock = threading.Lock()
        self._messages: list[tuple[EmailMessage, list[str]]] = []
        self._rejections: list[tuple[str, int]] = []
        self._controller = Controller(
            _Handler(self), hostname=self.host, port=self.port, server_hostname="fake-smtp.test"
        )

    @property
    def messages(self) -> list[tuple[EmailMessage, list[str]]]:
        """(message, envelope recipients) for every message accepted, in arrival order."""
        with self._lock:
            return list(self._messages)

    def reject_next(self, n: int, code: int = 451, stage: str = "rcpt") -> None:
        """The next n RCPT (stage "rcpt") or DATA (stage "data") commands get this reply code."""
        if stage not in {"rcpt", "data"}:
            raise ValueError(stage)
        with self._lock:
            self._rejections.extend([(stage, code)] * n)

    def _rejection(self, stage: str) -> str | None:
        with self._lock:
            if self._rejections and self._rejections[0][0] == stage:
                code = self._rejections.pop(0)[1]
                return f"{code} {'Try again later' if code < 500 else 'Refused'}"
        return None

    def _keep(self, message: EmailMessage, recipients: list[str]) -> None:
        with self._lock:
            self._messages.append((message, recipients))

    def start(self) -> FakeSmtp:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


class _Handler:
    """aiosmtpd's hooks; they run on the controller's event loop thread."""

    def __init__(self, fake: FakeSmtp) -> None:
        self._fake = fake

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if rejection := self._fake._rejection("rcpt"):
            return rejection
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if rejection := self._fake._rejection("data"):
            return rejection
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self._fake._keep(message, list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"
