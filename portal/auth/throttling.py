"""Sign-in throttling per account, on top of the limit per client address.

An attacker spreading guesses over many addresses is stopped by the limit on the account they
aim at: the key is an HMAC of the email address as posted (normalised), so an unknown address is
counted exactly as a real one (nothing tells which accounts exist) and the shared store (Redis)
never holds an address, nor a plain hash of one that a list of staff emails would reverse.

Every attempt is counted before the password is checked (an atomic increment in the shared
store), as the second factor's codes are: guesses sent at the same moment are all counted, so
no more than the limit are ever checked (issue 15: counted after the answer, 30 sent at once
were all checked). A right password then clears the account's count (``forgive_account``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from flask import current_app, request

from portal.auth.services import AccountError, normalise_email
from portal.extensions import limiter

log = logging.getLogger(__name__)


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


# No ``deduct_when``: Flask-Limiter then counts the attempt before the view runs (with it, it
# only tests before and counts after the answer, which concurrent requests overran).
limit_sign_in_per_account = limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    key_func=account_key,
    methods=["POST"],
)


def forgive_account() -> None:
    """The right password: the account's count starts again.

    Cleared, rather than this one attempt given back: it works the same with every limiter
    strategy and store (a count given back after its window ended would start the next one
    below zero), and it mirrors the second factor (``pending.forgive``). Nothing is lost by it:
    whoever posted the right password needs no more guesses at it; the failures it clears are
    most likely the person's own typing, which should not lock them out next time; an attacker
    guessing meanwhile gains at most one limit's worth per real sign-in, which they can neither
    see nor time, and the limit per address still holds. The second factor's own counts are
    kept until a right code.
    """
    key = account_key()
    for applied in limiter.current_limits:
        if key in applied.request_args:
            try:
                applied.limiter.clear(applied.limit, *applied.request_args)
            except Exception:  # the store stopped answering: signing in must still work
                log.warning("rate limit store unavailable; the account's count is kept")
