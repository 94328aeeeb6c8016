"""The link a person gets: /r/<token>. GET changes nothing; Continue (POST) opens it."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, session, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portal.extensions import limiter
from portal.invitations.services import find_by_token, mark_opened
from portal.invitations.tokens import looks_like_a_token
from portal.models import Invitation, utcnow

bp = Blueprint("links", __name__)

FAMILY_SESSION_KEY = "family_invitation_id"


def _link_limit() -> str:
    return current_app.config["LINK_RATE_LIMIT"]


def _live(token: str) -> Invitation | None:
    return find_by_token(token, utcnow()) if looks_like_a_token(token) else None


def link_not_working() -> tuple[str, int]:
    """One page for unknown, revoked and expired links alike: it reveals nothing."""
    return render_template("links/not_working.html"), 404


# Every look-up, GET or POST, counts towards the limit: tokens cannot be guessed by trying.
@bp.route("/r/<token>", methods=["GET", "POST"])
@limiter.limit(_link_limit)
def open_link(token: str) -> Response | tuple[str, int] | str:
    invitation = _live(token)
    if invitation is None:
        return link_not_working()
    form = FlaskForm()
    if form.validate_on_submit():
        mark_opened(invitation, utcnow())
        # The token leaves the address bar: from here the person carries a session cookie.
        session[FAMILY_SESSION_KEY] = invitation.id
        session.permanent = True
        return redirect(url_for("family_forms.landing"))
    # Scanners in mail and SMS apps open links: this page must change nothing.
    return render_template("links/continue.html", form=form, invitation=invitation)
