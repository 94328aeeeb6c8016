"""The link a person gets: /r/<token>. GET changes nothing; Continue (POST) opens it.

Where the coordinator asked for a second check (a shared or watched phone), Continue sends a
code by the other channel and the invitation opens only once the code is entered.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, redirect, render_template, session, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portal.extensions import db, limiter
from portal.i18n import use_recorded_language
from portal.invitations.forms import CheckCodeForm
from portal.invitations.services import (
    InvitationRefused,
    check_code,
    find_by_token,
    mark_opened,
    needs_second_check,
    other_channel,
    send_check_code,
)
from portal.invitations.tokens import looks_like_a_token
from portal.models import Invitation, utcnow

bp = Blueprint("links", __name__)

FAMILY_SESSION_KEY = "family_invitation_id"
FAMILY_SEEN_AT = "family_seen_at"
PENDING_CHECK_KEY = "invitation_awaiting_code"


def _link_limit() -> str:
    return current_app.config["LINK_RATE_LIMIT"]


def link_not_working(invitation: Invitation | None = None) -> tuple[str, int]:
    """Why a link does not open, kindly.

    A link whose time is up (the conference has started, or feedback has closed) says so; every
    other failure (unknown, replaced by a newer link) gets one page that reveals nothing.
    """
    if invitation is not None and invitation.revoked_at is None:
        return render_template("links/closed.html", form=invitation.form), 410
    return render_template("links/not_working.html"), 404


def family_visit_timed_out() -> bool:
    """A family's visit ends after ``FAMILY_IDLE_MINUTES`` without a page (a phone left on a
    table), checked on the server; every page counts as activity. Their saved answers stay: the
    link in their message opens them again."""
    seen_at = session.get(FAMILY_SEEN_AT)
    now = utcnow().timestamp()
    idle = timedelta(minutes=current_app.config["FAMILY_IDLE_MINUTES"]).total_seconds()
    if not isinstance(seen_at, float) or now - seen_at > idle:
        session.pop(FAMILY_SESSION_KEY, None)
        session.pop(FAMILY_SEEN_AT, None)
        return True
    session[FAMILY_SEEN_AT] = now
    return False


def visit_timed_out_page() -> tuple[str, int]:
    return render_template("links/timed_out.html"), 401


def _open(invitation: Invitation) -> Response:
    mark_opened(invitation, utcnow())
    # The token leaves the address bar: from here the person carries a session cookie.
    session.pop(PENDING_CHECK_KEY, None)
    session[FAMILY_SESSION_KEY] = invitation.id
    session[FAMILY_SEEN_AT] = utcnow().timestamp()
    session.permanent = True
    use_recorded_language(invitation.family_member.language)
    return redirect(url_for("family_forms.landing"))


# Every look-up, GET or POST, counts towards the limit: tokens cannot be guessed by trying.
@bp.route("/r/<token>", methods=["GET", "POST"])
@limiter.limit(_link_limit)
def open_link(token: str) -> Response | tuple[str, int] | str:
    invitation = find_by_token(token) if looks_like_a_token(token) else None
    if invitation is None or not invitation.is_live(utcnow()):
        return link_not_working(invitation)
    form = FlaskForm()
    if form.validate_on_submit():
        if not needs_second_check(invitation):
            return _open(invitation)
        try:
            send_check_code(invitation, utcnow())
        except InvitationRefused:  # nothing changed
            return link_not_working()
        session[PENDING_CHECK_KEY] = invitation.id
        return redirect(url_for("links.enter_code"))
    # Scanners in mail and SMS apps open links: this page must change nothing stored (the
    # language for this browser's visit is kept in its own session only).
    use_recorded_language(invitation.family_member.language)
    return render_template("links/continue.html", form=form, invitation=invitation)


@bp.route("/r/code", methods=["GET", "POST"])
@limiter.limit(_link_limit)
def enter_code() -> Response | tuple[str, int] | str:
    invitation_id = session.get(PENDING_CHECK_KEY)
    invitation = db.session.get(Invitation, invitation_id) if invitation_id else None
    if invitation is None or not invitation.is_live(utcnow()):
        return link_not_working(invitation)
    form = CheckCodeForm()
    if form.validate_on_submit():
        problem = check_code(invitation, form.code.data or "", utcnow())
        if problem is None:
            return _open(invitation)
        form.code.errors.append(problem)
    channel = other_channel(invitation.family_member)
    return render_template("links/enter_code.html", form=form, channel=channel)
