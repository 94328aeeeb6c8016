"""Delivery pages: who was sent what, what failed, and the coordinator's actions.

The blueprint keeps its name, "delivery": the access policy and templates/delivery/ go by it.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portal.audit.services import record_adults_viewed
from portal.invitations.delivery import (
    conference_delivery,
    failed_messages,
    recent_messages,
    record_message_list_viewed,
)
from portal.invitations.delivery_forms import SwitchChannelForm
from portal.invitations.services import (
    InvitationRefused,
    form_problem,
    send_link_now,
    set_paused,
)
from portal.lookups import conference_or_404, member_or_404
from portal.messaging.errors import plain_error
from portal.messaging.wording import fill_placeholders
from portal.models import FormKind, utcnow
from portal.people.services import switch_channel

bp = Blueprint("delivery", __name__)


@bp.get("/conferences/<int:conference_id>/messages")
def conference(conference_id: int) -> str:
    conference = conference_or_404(conference_id)
    record_adults_viewed(conference)
    return render_template(
        "delivery/conference.html",
        conference=conference,
        people=conference_delivery(conference),
        # Why a form's link cannot be sent now (not held yet, already started...), or None
        form_problems={form: form_problem(conference, form, utcnow()) for form in FormKind},
        plain_error=plain_error,
    )


@bp.post("/conferences/<int:conference_id>/messages/<int:member_id>/send")
def send_now(conference_id: int, member_id: int) -> Response:
    conference = conference_or_404(conference_id)
    member = member_or_404(conference_id, member_id)
    form_kind = request.form.get("form", "")
    if form_kind not in {f.value for f in FormKind} or not FlaskForm().validate_on_submit():
        abort(400)
    try:
        send_link_now(conference, member, FormKind(form_kind))
    except InvitationRefused as refused:
        flash(_("Not sent to %(name)s: %(reason)s.", name=member.full_name, reason=refused))
    else:
        flash(
            _(
                "A new link for %(name)s is on its way. Any earlier link no longer works.",
                name=member.full_name,
            )
        )
    return redirect(url_for("delivery.conference", conference_id=conference_id))


@bp.post("/conferences/<int:conference_id>/messages/<int:member_id>/pause")
def pause(conference_id: int, member_id: int) -> Response:
    member = member_or_404(conference_id, member_id)
    answer = request.form.get("paused")
    if answer not in ("yes", "no") or not FlaskForm().validate_on_submit():
        abort(400)
    paused = answer == "yes"
    set_paused(conference_id, member_id, paused)
    if paused:
        flash(_("Scheduled messages to %(name)s paused.", name=member.full_name))
    else:
        flash(_("Scheduled messages to %(name)s switched back on.", name=member.full_name))
    return redirect(url_for("delivery.conference", conference_id=conference_id))


@bp.route(
    "/conferences/<int:conference_id>/messages/<int:member_id>/channel", methods=["GET", "POST"]
)
def switch_channel_view(conference_id: int, member_id: int) -> Response | str:
    conference = conference_or_404(conference_id)
    member = member_or_404(conference_id, member_id)
    form = SwitchChannelForm(member=member)
    if form.validate_on_submit():
        switch_channel(member, form.channel_choice(), current_user, conference_id)
        flash(
            _(
                "Links to %(name)s now go by %(channel)s.",
                name=member.full_name,
                channel=form.channel_choice().label.lower(),
            )
        )
        return redirect(url_for("delivery.conference", conference_id=conference_id))
    return render_template(
        "delivery/switch_channel.html", form=form, conference=conference, member=member
    )


@bp.get("/messages/failed")
def failed() -> str:
    record_message_list_viewed()
    return render_template(
        "delivery/failed.html", messages=failed_messages(), plain_error=plain_error
    )


@bp.get("/dev/outbox")
def dev_outbox() -> str:
    """Development only: read what would have been sent, links included."""
    if not current_app.config["SHOW_DEV_OUTBOX"]:
        abort(404)
    messages = recent_messages()
    record_message_list_viewed()
    bodies = {m.id: fill_placeholders(m.body_text, m.invitation) for m in messages}
    return render_template("delivery/dev_outbox.html", messages=messages, bodies=bodies)
