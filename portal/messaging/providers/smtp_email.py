"""Email through any SMTP relay, with the standard library."""

from __future__ import annotations

import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from portal.messaging.headers import one_line
from portal.messaging.providers.base import (
    OutgoingMessage,
    PermanentSendError,
    SendError,
    SendResult,
    TransientSendError,
)


class SmtpEmailProvider:
    """Sends each message on its own SMTP connection.

    A connection per message keeps ``send`` thread-safe without a lock or a pool, and an email
    to a family is rare enough that the extra handshake does not matter.
    """

    name = "smtp"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        from_address: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        use_ssl: bool = False,
        timeout_seconds: float = 10.0,
    ) -> None:
        if starttls and use_ssl:
            raise ValueError("Choose starttls or use_ssl, not both")
        self._host = host
        self._port = port
        self._from_address = from_address
        self._username = username
        self._password = password
        self._starttls = starttls
        self._use_ssl = use_ssl
        self._timeout_seconds = timeout_seconds
        self._msgid_domain = parseaddr(from_address)[1].rpartition("@")[2] or "localhost"

    def _build(self, message: OutgoingMessage) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self._from_address
        email["To"] = message.to
        # Folded, not refused: wording saved before subjects were checked must not stop every
        # email of its kind (a send that can never work is retried until it fails for good).
        email["Subject"] = one_line(message.subject or "")
        email["Date"] = format_datetime(datetime.now(UTC))
        email["Message-ID"] = make_msgid(domain=self._msgid_domain)
        email.set_content(message.body_text)
        if message.body_html:
            email.add_alternative(message.body_html, subtype="html")
        return email

    def _connect(self) -> smtplib.SMTP:
        if self._use_ssl:
            return smtplib.SMTP_SSL(
                self._host,
                self._port,
                timeout=self._timeout_seconds,
                context=ssl.create_default_context(),
            )
        return smtplib.SMTP(self._host, self._port, timeout=self._timeout_seconds)

    def send(self, message: OutgoingMessage) -> SendResult:
        email = self._build(message)
        # Details, and tracebacks ("from None"), give the reply code and the exception type only:
        # a server's reply text often quotes the address.
        try:
            with self._connect() as smtp:
                if self._starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self._username:
                    smtp.login(self._username, self._password or "")
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            (code, _reply), *_ = exc.recipients.values()
            raise _classify(code, exc) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise _classify(exc.smtp_code, exc) from None
        except OSError as exc:  # every other SMTPException, refused connections, timeouts, TLS
            smtp_code = getattr(exc, "smtp_code", None)
            detail = f"SMTP send failed ({type(exc).__name__})"
            raise TransientSendError(detail, code=str(smtp_code) if smtp_code else None) from exc
        return SendResult(provider_id=email["Message-ID"], status="accepted")


def _classify(code: int, exc: smtplib.SMTPException) -> SendError:
    detail = f"SMTP server refused the message: {code} ({type(exc).__name__})"
    if 500 <= code < 600:
        return PermanentSendError(detail, code=str(code))
    return TransientSendError(detail, code=str(code))
