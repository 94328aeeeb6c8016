"""Staff sessions: how one starts, how long it lasts, and how every one of them is ended.

A session records when it started, when it was last used and the account's session generation
at sign-in. It is refused, on the server, when the account is disabled, when the generation has
moved on (sign out everywhere, an admin's action), after ``STAFF_IDLE_MINUTES`` without a
request, or ``STAFF_SESSION_MAX_HOURS`` after signing in, whatever the cookie says.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, session
from flask_login import login_user

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import AuditAction, StaffUser, utcnow

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
GENERATION = "session_generation"
# Why the last session ended, for the sign-in page to say ("idle", "expired", "ended")
ENDED_BECAUSE = "session_ended_because"


def start_session(user: StaffUser) -> None:
    """Sign ``user`` in on a fresh session (no fixation) and record it."""
    now = utcnow().timestamp()
    session.clear()
    session.permanent = True  # the cookie expires after the idle time too
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now
    session[GENERATION] = user.session_generation
    login_user(user)
    user.last_signed_in_at = utcnow()
    record_event(AuditAction.SIGN_IN, "staff_user", user.id, actor=user)
    db.session.commit()


def why_session_is_over(user: StaffUser) -> str | None:
    """None while the session may go on; else a short reason (kept for the sign-in page)."""
    if not user.is_active:
        return "ended"
    if session.get(GENERATION) != user.session_generation:
        return "ended"
    now = utcnow().timestamp()
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if not isinstance(signed_in_at, float) or not isinstance(last_seen_at, float):
        return "ended"
    max_hours = timedelta(hours=current_app.config["STAFF_SESSION_MAX_HOURS"]).total_seconds()
    if now - signed_in_at > max_hours:
        return "expired"
    idle = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"]).total_seconds()
    if now - last_seen_at > idle:
        return "idle"
    return None


def load_session_user(user_id: str) -> StaffUser | None:
    """Flask-Login's user loader: the signed-in person, or None once their session is over."""
    user = db.session.get(StaffUser, int(user_id))
    if user is None:
        return None
    reason = why_session_is_over(user)
    if reason is not None:
        session.clear()
        session[ENDED_BECAUSE] = reason
        return None
    session[LAST_SEEN_AT] = utcnow().timestamp()
    return user


def end_every_session(user: StaffUser, actor: StaffUser) -> None:
    """Sign ``user`` out on every device at once (their own choice, or an admin's)."""
    user.session_generation += 1
    record_event(AuditAction.UPDATE, "staff_user", user.id, actor=actor, fields=["sessions"])
    db.session.commit()
