"""A sign-in half done: the password was right, the second factor is still to come.

The session holds only who, since when, a random id for this attempt and where to go next;
nobody is signed in until the code is right. It lasts ``PENDING_MINUTES``. Wrong codes are
counted on the server (in the rate limiter's store, Redis where configured), by the attempt's
id, so sending an older copy of the cookie does not buy more guesses; after
``MAX_WRONG_CODES`` the attempt is over and the person starts again from the password.

Every code is also counted against the account (``TWO_FACTOR_ACCOUNT_LIMIT``), whatever the
attempt or the address it comes from, so someone who has the password cannot keep starting new
attempts to guess on. A code is counted before it is checked: guesses sent at the same moment
are all counted. If the shared store stops answering, counting goes on in this process.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from flask import current_app, session
from limits import RateLimitItem, RateLimitItemPerMinute, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from portal.auth.sessions import ENDED_BECAUSE
from portal.auth.two_factor import PENDING_SECRET
from portal.extensions import db, limiter
from portal.models import StaffUser, utcnow

PENDING = "pending_sign_in"
PENDING_MINUTES = 5
MAX_WRONG_CODES = 5
# Five wrong codes in the attempt's lifetime (it cannot outlive that window anyway).
_WRONG_CODES = RateLimitItemPerMinute(MAX_WRONG_CODES, PENDING_MINUTES)
ACCOUNT = "second factor account"
_IN_THIS_PROCESS = MovingWindowRateLimiter(MemoryStorage())

log = logging.getLogger(__name__)


def _count(action: str, item: RateLimitItem, *ids: str) -> bool:
    """``hit``, ``test`` or ``clear`` in the shared store, else in this process."""
    keys = (current_app.config["RATELIMIT_KEY_PREFIX"], *ids)
    try:
        return bool(getattr(limiter.limiter, action)(item, *keys))
    except Exception:  # the store (Redis) did not answer: never a 500, never uncounted
        log.warning("rate limit store unavailable; counting codes in this process")
        return bool(getattr(_IN_THIS_PROCESS, action)(item, *keys))


def _account_limit() -> RateLimitItem:
    return parse(current_app.config["TWO_FACTOR_ACCOUNT_LIMIT"])


def begin(user: StaffUser, next_url: str | None) -> None:
    """Forget any earlier session and remember that ``user`` got the password right."""
    session.clear()
    session[PENDING] = {
        "user_id": user.id,
        "since": utcnow().timestamp(),
        "attempt": secrets.token_urlsafe(16),
        "next": next_url,
    }


def pending_user() -> StaffUser | None:
    """The account waiting for its second factor, or None (nothing pending, or too late)."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    age = utcnow().timestamp() - float(pending.get("since", 0))
    if age > timedelta(minutes=PENDING_MINUTES).total_seconds() or age < 0:
        end("pending_expired")
        return None
    if not _count("test", _WRONG_CODES, PENDING, pending["attempt"]):
        end("too_many_codes")
        return None
    user = db.session.get(StaffUser, pending["user_id"])
    if user is None or not user.is_active:
        end("ended")
        return None
    if not _count("test", _account_limit(), ACCOUNT, str(user.id)):
        end("account_locked")
        return None
    return user


def next_url() -> str | None:
    pending = session.get(PENDING)
    return pending.get("next") if isinstance(pending, dict) else None


def spend_a_try(user: StaffUser) -> bool:
    """Count a code before checking it; False when it is one too many (the attempt is over)."""
    within_attempt = _count("hit", _WRONG_CODES, PENDING, session[PENDING]["attempt"])
    within_account = _count("hit", _account_limit(), ACCOUNT, str(user.id))
    if within_attempt and within_account:
        return True
    end("too_many_codes" if within_account else "account_locked")
    return False


def tries_left(user: StaffUser) -> bool:
    """After a wrong code: may the person try again, or is the attempt over (and ended)?"""
    return pending_user() is user


def forgive(user: StaffUser) -> None:
    """The right code: the account's count starts again (an attacker's guesses included, who
    could not have given it)."""
    _count("clear", _account_limit(), ACCOUNT, str(user.id))


def end(reason: str) -> None:
    """Drop the attempt; the sign-in page says why (``reason``)."""
    session.pop(PENDING, None)
    session.pop(PENDING_SECRET, None)
    session[ENDED_BECAUSE] = reason
