"""Staff sessions: how one starts, how long it lasts, and how it ends.

Each signed-in browser has a row (``StaffSession``) whose id the sealed cookie carries. A
session is refused, on the server, when its row has ended (signing out, "sign out everywhere",
an admin's action, a password change elsewhere), when the account is disabled, after
``STAFF_IDLE_MINUTES`` without a request, or ``STAFF_SESSION_MAX_HOURS`` after signing in,
whatever the cookie says: a copy of the cookie taken earlier stops working at the same moment.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, session
from flask_login import login_user
from sqlalchemy import delete, update

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import AuditAction, RecordType, StaffSession, StaffUser, utcnow

SESSION_ID = "staff_session_id"
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# Why the last session ended, for the sign-in page to say ("idle", "expired", "ended")
ENDED_BECAUSE = "session_ended_because"


def _id_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session_record(user: StaffUser) -> str:
    """A new session row for ``user`` (and their long-finished ones removed); returns the id
    the cookie carries. The caller commits."""
    now = utcnow()
    oldest = now - timedelta(hours=current_app.config["STAFF_SESSION_MAX_HOURS"])
    db.session.execute(
        delete(StaffSession).where(
            StaffSession.staff_user_id == user.id, StaffSession.started_at < oldest
        )
    )
    session_id = secrets.token_urlsafe(32)
    db.session.add(StaffSession(id_hash=_id_hash(session_id), staff_user_id=user.id))
    return session_id


def start_session(user: StaffUser, *, signed_in_at: float | None = None) -> None:
    """Sign ``user`` in on a fresh session (no fixation) and record it. ``signed_in_at`` keeps
    the original sign-in time when a session is renewed (a password change), so renewing never
    stretches the absolute limit."""
    now = utcnow().timestamp()
    session.clear()
    session.permanent = True  # the cookie outlives the browser; the server decides the end
    session[SESSION_ID] = open_session_record(user)
    session[SIGNED_IN_AT] = signed_in_at or now
    session[LAST_SEEN_AT] = now
    login_user(user)
    user.last_signed_in_at = utcnow()
    record_event(AuditAction.SIGN_IN, RecordType.STAFF_USER, user.id, actor=user)
    db.session.commit()


def _current_record() -> StaffSession | None:
    session_id = session.get(SESSION_ID)
    if not isinstance(session_id, str):
        return None
    return db.session.get(StaffSession, _id_hash(session_id))


def why_session_is_over(user: StaffUser) -> str | None:
    """None while the session may go on; else a short reason (kept for the sign-in page)."""
    if not user.is_active:
        return "ended"
    record = _current_record()
    if record is None or record.ended_at is not None or record.staff_user_id != user.id:
        return "ended"
    now = utcnow().timestamp()
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if not isinstance(signed_in_at, float) or not isinstance(last_seen_at, float):
        return "ended"
    max_hours = timedelta(hours=current_app.config["STAFF_SESSION_MAX_HOURS"]).total_seconds()
    if now - signed_in_at > max_hours:
        return "expired"
    if now - last_seen_at > staff_idle_seconds():
        return "idle"
    return None


def staff_idle_seconds() -> float:
    """``STAFF_IDLE_MINUTES``, or ``STAFF_IDLE_SECONDS`` when set (browser tests wait seconds)."""
    seconds = current_app.config.get("STAFF_IDLE_SECONDS") or 0
    return seconds or timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"]).total_seconds()


def seconds_left() -> tuple[float, float]:
    """For the page's warning: the seconds until this session ends if nothing more happens, and
    until it ends whatever happens (``STAFF_SESSION_MAX_HOURS`` after signing in). Read after
    this request has counted as activity."""
    now = utcnow().timestamp()
    signed_in_at = session.get(SIGNED_IN_AT)
    max_seconds = timedelta(hours=current_app.config["STAFF_SESSION_MAX_HOURS"]).total_seconds()
    at_most = max_seconds - (now - signed_in_at) if isinstance(signed_in_at, float) else 0.0
    return min(staff_idle_seconds(), at_most), at_most


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


def end_this_session() -> None:
    """Signing out: this browser's session row ends, whoever holds a copy of its cookie."""
    record = _current_record()
    if record is not None and record.ended_at is None:
        record.ended_at = utcnow()
        db.session.commit()


def end_every_session(user: StaffUser, actor: StaffUser, *, except_this_one: bool = False) -> None:
    """Sign ``user`` out on every device at once (their own choice, an admin's, or a password
    change, which keeps the browser that made it: ``except_this_one``)."""
    ending = update(StaffSession).where(
        StaffSession.staff_user_id == user.id, StaffSession.ended_at.is_(None)
    )
    if except_this_one and isinstance(session.get(SESSION_ID), str):
        ending = ending.where(StaffSession.id_hash != _id_hash(session[SESSION_ID]))
    db.session.execute(ending.values(ended_at=utcnow()))
    record_event(
        AuditAction.UPDATE, RecordType.STAFF_USER, user.id, actor=actor, fields=["sessions"]
    )
    db.session.commit()
