"""Sign-in throttling per account, on top of the limit per client address.

An attacker spreading guesses over many addresses is stopped by the limit on the account they
aim at: the key is an HMAC of the email address as posted (normalised), so an unknown address is
counted exactly as a real one (nothing tells which accounts exist) and the shared store (Redis)
never holds an address, nor a plain hash of one that a list of staff emails would reverse.
Only failed attempts count: a person who signs in is not locked out by their own successes.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request
from werkzeug.wrappers import Response

from portal.auth.services import AccountError, normalise_email
from portal.extensions import limiter


def account_key() -> str:
    posted = request.form.get("email", "")
    try:
        email = normalise_email(posted)
    except AccountError:
        email = posted.strip().lower()
    secret = current_app.secret_key
    key = secret.encode() if isinstance(secret, str) else bytes(secret or b"")
    digest = hmac.new(key, b"sign-in account:" + email.encode(), hashlib.sha256).hexdigest()
    return f"account:{digest[:32]}"


def sign_in_failed(response: Response) -> bool:
    """A sign-in that worked redirects (to the page asked for, or to the second factor)."""
    return response.status_code != 302


limit_sign_in_per_account = limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    key_func=account_key,
    methods=["POST"],
    deduct_when=sign_in_failed,
)
