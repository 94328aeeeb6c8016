"""Security headers: a strict content security policy, no caching of personal pages."""

from __future__ import annotations

import logging
import re

from flask import Flask, Response, request

from portal.extensions import talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def init_app(app: Flask) -> None:
    redact_link_tokens_in_logs(app.logger.name)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        # The page template's one inline script carries this nonce.
        content_security_policy_nonce_in=["script-src"],
        referrer_policy="no-referrer",
        frame_options="DENY",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )

    @app.after_request
    def forbid_caching_of_pages(response: Response) -> Response:
        # Pages hold personal data: never keep them in a shared or back-button cache.
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response


class RedactLinkTokens(logging.Filter):
    """Logs (the app's own, the development server's, gunicorn's) never show a link's token."""

    TOKEN_IN_PATH = re.compile(r"/r/[A-Za-z0-9_-]{8,}")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/r/" in message:
            record.msg, record.args = self.TOKEN_IN_PATH.sub("/r/[token]", message), None
        return True


def redact_link_tokens_in_logs(app_logger_name: str) -> None:
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", app_logger_name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactLinkTokens) for f in logger.filters):
            logger.addFilter(RedactLinkTokens())
