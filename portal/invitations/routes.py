"""The link a person gets: /r/<token>. GET changes nothing; Continue (POST) opens it.

Where the coordinator asked for a second check (a shared or watched phone), Continue sends a
code by the other channel, or asks for the word agreed with the person, and the invitation
opens only once it is entered. The page asking shows nothing of whose link it is.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, session, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portal.extensions import db, limiter
from portal.family_visit import begin_visit, link_not_working
from portal.i18n import use_recorded_language
from portal.invitations.forms import CheckCodeForm, EnterWordForm
from portal.invitations.services import (
    InvitationRefused,
    check_code,
    check_word,
    find_by_token,
    mark_opened,
    other_channel,
    send_check_code,
    waits_after_too_many_tries,
)
from portal.link_tokens import looks_like_a_token
from portal.models import Invitation, SecondCheck, utcnow

bp = Blueprint("links", __name__)

PENDING_CHECK_KEY = "invitation_awaiting_code"


def _link_limit() -> str:
    return current_app.config["LINK_RATE_LIMIT"]


def _open(invitation: Invitation) -> Response:
    mark_opened(invitation, utcnow())
    # The token leaves the address bar: from here the person carries a session cookie.
    session.pop(PENDING_CHECK_KEY, None)
    begin_visit(invitation)
    use_recorded_language(invitation.family_member.language_code)
    return redirect(url_for("family_forms.landing"))


# Every look-up, GET or POST, counts towards the limit: tokens cannot be guessed by trying.
@bp.route("/r/<token>", methods=["GET", "POST"])
@limiter.limit(_link_limit)
def open_link(token: str) -> Response | tuple[str, int] | str:
    invitation = find_by_token(token) if looks_like_a_token(token) else None
    if invitation is not None:
        # Every page the link leads to is in the person's language, "time has passed" too.
        # Scanners in mail and SMS apps open links: this changes nothing stored (the language
        # for this browser's visit is kept in its own session only).
        use_recorded_language(invitation.family_member.language_code)
    if invitation is None or not invitation.is_live(utcnow()):
        return link_not_working(invitation)
    form = FlaskForm()
    if form.validate_on_submit():
        second_check = invitation.family_member.second_check
        if second_check == SecondCheck.NONE:
            return _open(invitation)
        if second_check == SecondCheck.AGREED_WORD:
            session[PENDING_CHECK_KEY] = invitation.id
            return redirect(url_for("links.enter_word"))
        try:
            send_check_code(invitation, utcnow())
        except InvitationRefused:  # nothing changed
            return link_not_working()
        session[PENDING_CHECK_KEY] = invitation.id
        return redirect(url_for("links.enter_code"))
    return render_template("links/continue.html", form=form, invitation=invitation)


def _awaiting(second_check: SecondCheck) -> Invitation | None:
    """The invitation Continue was pressed on in this browser, if it asks for this check."""
    invitation_id = session.get(PENDING_CHECK_KEY)
    invitation = db.session.get(Invitation, invitation_id) if invitation_id else None
    if invitation is None or invitation.family_member.second_check != second_check:
        return None
    use_recorded_language(invitation.family_member.language_code)
    return invitation


@bp.route("/r/code", methods=["GET", "POST"])
@limiter.limit(_link_limit)
def enter_code() -> Response | tuple[str, int] | str:
    invitation = _awaiting(SecondCheck.CODE)
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


@bp.route("/r/word", methods=["GET", "POST"])
@limiter.limit(_link_limit)
def enter_word() -> Response | tuple[str, int] | str:
    """The same page whoever's link it is: no name, no conference, no form named."""
    invitation = _awaiting(SecondCheck.AGREED_WORD)
    if invitation is None or not invitation.is_live(utcnow()):
        return link_not_working(invitation)
    form = EnterWordForm()
    if form.validate_on_submit():
        problem = check_word(invitation, form.word.data or "")
        if problem is None:
            return _open(invitation)
        form.word.errors.append(problem)
    return render_template(
        "links/enter_word.html", form=form, locked=waits_after_too_many_tries(invitation)
    )
