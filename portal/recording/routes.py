"""Recording the conference: held, attendance and participation, outcomes, "You said, we did"."""

from __future__ import annotations

from babel.lists import format_list
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.audit.services import record_conference_viewed
from portal.models import Conference, ConferenceStatus
from portal.plans.due import plan_statuses
from portal.plans.timeliness import held_lateness
from portal.recording import known, services
from portal.recording.forms import YouSaidWeDidForm, posted_held_on, record_form
from portal.recording.services import FeedbackQueued
from portal.templating import format_date

bp = Blueprint("recording", __name__, url_prefix="/conferences/<int:conference_id>")


def _conference_or_404(conference_id: int) -> Conference:
    conference = known.load_for_recording(conference_id)
    if conference is None:
        abort(404)
    return conference


def _may_record(conference: Conference) -> bool:
    return conference.status != ConferenceStatus.CANCELLED and conference.has_started()


@bp.route("/record", methods=["GET", "POST"])
def record(conference_id: int) -> Response | tuple[str, int] | str:
    conference = _conference_or_404(conference_id)
    if not _may_record(conference):
        return render_template("recording/not_yet.html", conference=conference)
    # Ages, and so CP0, are on the day the conference was held: the one posted (when it is a
    # date), else the one the form shows, so the page and the checks use the same day.
    held_on = known.day_shown(conference)
    if request.method == "POST":
        held_on = posted_held_on(request.form) or held_on
    children, adults = known.people_to_record(conference, held_on)
    # A POST is read from what was posted only: nothing shown earlier fills a gap in it.
    shown = known.form_data(conference, children, adults) if request.method == "GET" else {}
    if request.method == "GET" and conference.delay_reason:  # as booked, or as last recorded
        shown |= {
            "delay_reason": conference.delay_reason.value,
            "delay_reason_detail": conference.delay_reason_detail,
        }
    form = record_form(children, adults, shown, late=held_lateness(conference, held_on))
    if form.validate_on_submit():
        queued = services.save_record(conference, form.record(), current_user)
        flash(_recorded_message(queued))
        return redirect(url_for("conferences.show", conference_id=conference.id), code=303)
    page = render_template(
        "recording/record.html",
        form=form,
        conference=conference,
        plans=plan_statuses(child.child.id for child in children),
    )
    # Audited once the page is made, so the commit does not expire what the page reads.
    record_conference_viewed(conference)
    return (page, 400) if request.method == "POST" else page


def _recorded_message(queued: FeedbackQueued) -> str:
    if queued.count:
        parts = [
            ngettext(
                "Conference recorded. Feedback invitations queued for %(num)d family member, "
                "to be sent on %(date)s.",
                "Conference recorded. Feedback invitations queued for %(num)d family members, "
                "to be sent on %(date)s.",
                queued.count,
                date=format_date(queued.send_at),
            )
        ]
    elif queued.why_none:
        parts = [_("Conference recorded. No feedback invitations: %(why)s.", why=queued.why_none)]
    else:
        parts = [_("Conference recorded. No new feedback invitations to queue.")]
    parts += [
        _("Not queued for %(name)s: %(why)s.", name=name, why=why) for name, why in queued.not_sent
    ]
    parts += [
        _("“You said, we did” not sent to %(name)s: %(why)s.", name=name, why=why)
        for name, why in queued.notes_not_sent
    ]
    if queued.not_invited and not queued.why_none:
        parts.append(
            ngettext(
                "No feedback link for %(names)s, as they were recorded as not invited to the "
                "conference.",
                "No feedback links for %(names)s, as they were recorded as not invited to the "
                "conference.",
                len(queued.not_invited),
                names=format_list(queued.not_invited, locale="en_GB"),  # staff pages are English
            )
        )
    return " ".join(parts)


@bp.route("/children/<int:child_id>/you-said-we-did", methods=["GET", "POST"])
def you_said_we_did(conference_id: int, child_id: int) -> Response | tuple[str, int] | str:
    conference = _conference_or_404(conference_id)
    link = services.conference_child(conference_id, child_id)
    if link is None:
        abort(404)
    if conference.status != ConferenceStatus.HELD:
        page = render_template(
            "recording/you_said_we_did_not_yet.html", conference=conference, link=link
        )
        services.record_child_viewed(link)  # once the page is made: the commit expires rows
        return page
    form = YouSaidWeDidForm(data={"note": link.you_said_we_did})
    if form.validate_on_submit():
        problem = services.save_you_said_we_did(link, form.note.data or "")
        flash(_("Note to %(name)s saved.", name=link.child.full_name))
        if problem:
            flash(_("Not sent to them: %(why)s.", why=problem))
        return redirect(url_for("conferences.show", conference_id=conference.id), code=303)
    page = render_template(
        "recording/you_said_we_did.html", form=form, conference=conference, link=link
    )
    services.record_child_viewed(link)  # once the page is made: the commit expires rows
    return (page, 400) if request.method == "POST" else page
