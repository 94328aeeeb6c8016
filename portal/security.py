"""Security headers: a strict content security policy, no caching of personal pages."""

from __future__ import annotations

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
