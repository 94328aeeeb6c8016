"""The family's visit: the invitation this browser opened through its link, kept in the session,
and the pages that say why a link or a visit no longer opens anything.

Below every domain: the link's open step begins a visit (portal/invitations/routes.py), the
access policy checks it before any family page runs (portal/auth/access.py), and the family's
pages read it (portal/family_forms/routes.py).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, render_template, request, session
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from portal.extensions import db
from portal.models import Invitation, utcnow

FAMILY_SESSION_KEY = "family_invitation_id"
FAMILY_SEEN_AT = "family_seen_at"
# The most of a timed-out answer shown back (the longest answer a form takes is 2,000)
TYPED_SHOWN_BACK = 5000


def begin_visit(invitation: Invitation) -> None:
    """From here the person carries a session cookie, not the token."""
    session[FAMILY_SESSION_KEY] = invitation.id
    session[FAMILY_SEEN_AT] = utcnow().timestamp()
    session.permanent = True


def family_visit_timed_out() -> bool:
    """A family's visit ends after ``FAMILY_IDLE_MINUTES`` without a page (a phone left on a
    table), checked on the server; every page counts as activity, and so does Continue in the
    warning the page gives before the end (the keep-alive). Their saved answers stay: the
    link in their message opens them again."""
    seen_at = session.get(FAMILY_SEEN_AT)
    now = utcnow().timestamp()
    idle = family_idle_seconds()
    if not isinstance(seen_at, float) or now - seen_at > idle:
        session.pop(FAMILY_SESSION_KEY, None)
        session.pop(FAMILY_SEEN_AT, None)
        return True
    session[FAMILY_SEEN_AT] = now
    return False


def family_idle_seconds() -> float:
    """``FAMILY_IDLE_MINUTES``, or ``FAMILY_IDLE_SECONDS`` when set (browser tests wait seconds)."""
    seconds = current_app.config.get("FAMILY_IDLE_SECONDS") or 0
    return seconds or timedelta(minutes=current_app.config["FAMILY_IDLE_MINUTES"]).total_seconds()


def visit_goes_on() -> bool:
    """Whether this request leaves a live visit behind it (not one just ended or timed out)."""
    return g.get("family_invitation") is not None and FAMILY_SESSION_KEY in session


def opened_invitation() -> Invitation | None:
    """The invitation this browser opened through its link, live or not."""
    invitation_id = session.get(FAMILY_SESSION_KEY)
    return db.session.get(Invitation, invitation_id) if invitation_id else None


def family_invitation() -> Invitation | None:
    """The live invitation this browser opened through its link, or None."""
    if "family_invitation" not in g:
        invitation = opened_invitation()
        if invitation is not None and family_visit_timed_out():
            g.family_visit_timed_out, invitation = True, None
        g.family_invitation = invitation if invitation and invitation.is_live(utcnow()) else None
    return g.family_invitation


def link_not_working(invitation: Invitation | None = None) -> tuple[str, int]:
    """Why a link does not open, kindly.

    A link whose time is up (the conference has started, or feedback has closed) says so; every
    other failure (unknown, replaced by a newer link) gets one page that reveals nothing.
    """
    if invitation is not None and invitation.revoked_at is None:
        return render_template("links/closed.html", form=invitation.form), 410
    return render_template("links/not_working.html"), 404


def visit_timed_out_page() -> tuple[str, int]:
    """Said when the visit ended while the page was open. A form posted then is not saved, but
    the words typed into it are shown back once, in this answer only (never stored), so the
    person can copy them and add them after opening their link again (issue 22)."""
    typed = request.form.get("text", "").strip() if _posted_from_our_page() else ""
    return render_template("links/timed_out.html", typed=typed[:TYPED_SHOWN_BACK]), 401


def _posted_from_our_page() -> bool:
    """Only a form of ours (its CSRF token valid) gets its words back: a page never reflects
    what another site posts (the access policy answers before the CSRF check)."""
    if request.method != "POST":
        return False
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True
