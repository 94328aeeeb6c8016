"""The family's visit: the invitation this browser opened through its link, kept in the session
and in a ``FamilyVisit`` row on the server, and the pages that say why a link or a visit no
longer opens anything.

Below every domain: the link's open step begins a visit (portal/invitations/routes.py), the
access policy checks it before any family page runs (portal/auth/access.py), and the family's
pages read it (portal/family_forms/routes.py). "Exit this page", "Finish for now" and the idle
time-out end it on the server: a copy of the cookie taken earlier stops working at that moment,
as a copied staff cookie does after signing out (portal/auth/sessions.py).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from sqlalchemy import delete, select
from wtforms import ValidationError

from portal.extensions import db
from portal.i18n import SESSION_KEY as LANGUAGE_KEY
from portal.models import FamilyVisit, Invitation, utcnow

FAMILY_SESSION_KEY = "family_invitation_id"
FAMILY_SEEN_AT = "family_seen_at"
FAMILY_VISIT_KEY = "family_visit_id"
# Set by "Finish for now" in this browser (nothing personal): its pages then say the answers
# are saved and the link opens them again, instead of "this link is not working".
FAMILY_FINISHED_KEY = "family_finished_for_now"
VISIT_KEYS = (FAMILY_SESSION_KEY, FAMILY_SEEN_AT, FAMILY_VISIT_KEY, FAMILY_FINISHED_KEY)


# The most of a timed-out answer shown back (the longest answer a form takes is 2,000)
TYPED_SHOWN_BACK = 5000


def _id_hash(visit_id: str) -> str:
    return hashlib.sha256(visit_id.encode()).hexdigest()


def begin_visit(invitation: Invitation) -> None:
    """From here the person carries a session cookie, not the token, and the server a row for
    this visit (committed here)."""
    db.session.execute(  # the link's visits that have ended are of no more use
        delete(FamilyVisit).where(
            FamilyVisit.invitation_id == invitation.id, FamilyVisit.ended_at.is_not(None)
        )
    )
    visit_id = secrets.token_urlsafe(32)
    db.session.add(FamilyVisit(id_hash=_id_hash(visit_id), invitation_id=invitation.id))
    session.pop(FAMILY_FINISHED_KEY, None)
    session[FAMILY_SESSION_KEY] = invitation.id
    session[FAMILY_VISIT_KEY] = visit_id
    session[FAMILY_SEEN_AT] = utcnow().timestamp()
    session.permanent = True
    db.session.commit()


def _current_visit() -> FamilyVisit | None:
    visit_id = session.get(FAMILY_VISIT_KEY)
    if not isinstance(visit_id, str):
        return None
    return db.session.get(FamilyVisit, _id_hash(visit_id))


def visit_is_open(invitation: Invitation) -> bool:
    """Whether this browser's visit is still open on the server, for ``invitation``."""
    visit = _current_visit()
    return visit is not None and visit.ended_at is None and visit.invitation_id == invitation.id


def end_visit() -> None:
    """Ends this browser's visit on the server (whoever holds a copy of its cookie), if it has
    one, and commits. Safe to call with no visit at all."""
    visit = _current_visit()
    if visit is not None and visit.ended_at is None:
        visit.ended_at = utcnow()
        db.session.commit()


def forget_visit(*, finished: bool = False) -> None:
    """This browser forgets the visit. With no member of staff signed in here the whole session
    goes (the cookie is deleted) but for the language after "Finish for now", which is not
    personal; a member of staff's own sign-in is left alone."""
    language = session.get(LANGUAGE_KEY)
    if current_user.is_authenticated:
        for key in VISIT_KEYS:
            session.pop(key, None)
    else:
        session.clear()
    if finished:
        session[FAMILY_FINISHED_KEY] = True
        if language:  # the next pages stay in the person's language
            session[LANGUAGE_KEY] = language


def finished_for_now() -> bool:
    return session.get(FAMILY_FINISHED_KEY) is True


def family_visit_timed_out() -> bool:
    """A family's visit ends after ``FAMILY_IDLE_MINUTES`` without a page (a phone left on a
    table), checked on the server; every page counts as activity, and so does Continue in the
    warning the page gives before the end (the keep-alive). Their saved answers stay: the
    link in their message opens them again."""
    seen_at = session.get(FAMILY_SEEN_AT)
    now = utcnow().timestamp()
    idle = family_idle_seconds()
    if not isinstance(seen_at, float) or now - seen_at > idle:
        end_visit()
        for key in (FAMILY_SESSION_KEY, FAMILY_SEEN_AT, FAMILY_VISIT_KEY):
            session.pop(key, None)
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
    """The invitation this browser opened through its link, live or not, read in one statement
    with this browser's visit row (which ``visit_is_open`` then finds in the session's identity
    map: every family page asks for both)."""
    invitation_id = session.get(FAMILY_SESSION_KEY)
    if not invitation_id:
        return None
    visit_id = session.get(FAMILY_VISIT_KEY)
    if not isinstance(visit_id, str):
        return db.session.get(Invitation, invitation_id)
    row = db.session.execute(
        select(Invitation, FamilyVisit)
        .outerjoin(FamilyVisit, FamilyVisit.id_hash == _id_hash(visit_id))
        .where(Invitation.id == invitation_id)
    ).first()
    if row is None:
        return None
    g.family_visit_row = row[1]  # held for the request: the identity map keeps weak references
    return row[0]


def family_invitation() -> Invitation | None:
    """The live invitation this browser opened through its link, or None."""
    if "family_invitation" not in g:
        invitation = opened_invitation()
        if invitation is not None and not visit_is_open(invitation):
            # Ended on the server (Exit, Finish for now, timed out): a copy of the cookie
            # taken earlier opens nothing, and says nothing about the link either.
            g.family_visit_ended, invitation = True, None
        if invitation is not None and family_visit_timed_out():
            g.family_visit_timed_out, invitation = True, None
        g.family_invitation = invitation if invitation and invitation.is_live(utcnow()) else None
    live: Invitation | None = g.family_invitation
    return live


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
