"""The coordinator's and the chair's home pages, and the lists their counts link to."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.family_forms.help_labels import help_labels
from portal.lookups import conference_or_404
from portal.models import COORDINATOR_KINDS, TaskKind, TaskState, utcnow
from portal.plans import due as plans_due
from portal.tasks import services as tasks
from portal.tasks.services import with_answers
from portal.templating import local_date
from portal.worklists import services
from portal.worklists.forms import ArrangedForm, ContactForm
from portal.worklists.records_due import WARNING_DAYS, removal_day
from portal.worklists.records_due import records_due as records_due_list

bp = Blueprint("worklists", __name__)


@bp.get("/worklist")
def coordinator() -> str:
    now = utcnow()
    counts = services.coordinator_counts(current_user, now)
    reviews = plans_due.count_reviews_to_book(local_date(now))
    return render_template("worklists/coordinator.html", counts=counts, reviews=reviews)


@bp.get("/plans/reviews-due")
def reviews_due() -> str:
    due = plans_due.reviews_due(local_date(utcnow()))
    page = render_template(
        "worklists/reviews_due.html", due=due, working_days=plans_due.DUE_WORKING_DAYS
    )
    plans_due.record_children_listed(due)  # once the page is made: the commit expires rows
    return page


@bp.get("/worklist/chair")
def chair() -> str:
    now = utcnow()
    calls = with_answers(services.chair_calls(current_user, now))
    page = render_template(
        "worklists/chair.html",
        conferences=services.chair_conferences(current_user, now),
        calls=calls,
        unrecorded=services.chair_unrecorded(current_user, now),
        soon=services.CHAIR_WORKING_DAYS,
    )
    services.record_people_listed([(v.task.conference_id, v.task.family_member_id) for v in calls])
    return page


@bp.get("/worklist/not-recorded")
def unrecorded() -> str:
    conferences = services.unrecorded_conferences(current_user, utcnow())
    return render_template("worklists/unrecorded.html", conferences=conferences)


@bp.get("/worklist/contacts-to-confirm")
def unconfirmed() -> str:
    adults = services.unconfirmed_contacts(utcnow())
    page = render_template(
        "worklists/unconfirmed.html", adults=adults, soon=services.SOON_WORKING_DAYS
    )
    services.record_people_listed([(a.conference_id, a.family_member_id) for a in adults])
    return page


@bp.get("/worklist/links")
def links() -> str:
    problems = services.link_problems(utcnow())
    page = render_template(
        "worklists/links.html", problems=problems, soon=services.SOON_WORKING_DAYS
    )
    services.record_people_listed([(a.conference_id, a.family_member_id) for a, _ in problems])
    return page


@bp.get("/worklist/needs")
def needs() -> str:
    tasks = with_answers(services.coordinator_tasks(utcnow()))
    page = render_template("worklists/needs.html", tasks=tasks, help_labels=help_labels)
    services.record_people_listed([(v.task.conference_id, v.task.family_member_id) for v in tasks])
    return page


@bp.get("/worklist/records-to-download")
def records_due() -> str:
    days = current_app.config["RETENTION_DAYS"]
    conferences = records_due_list(local_date(utcnow()), days)
    return render_template(
        "worklists/records_due.html",
        conferences=conferences,
        removal_day=lambda conference: removal_day(conference, days),
        warning_days=WARNING_DAYS,
    )


@bp.route("/conferences/<int:conference_id>/calls/<int:call_id>", methods=["GET", "POST"])
def record_contact(conference_id: int, call_id: int) -> Response | str | tuple[str, int]:
    conference = conference_or_404(conference_id)
    task = tasks.task_of(conference, call_id, (TaskKind.SPEAK_TO_CHAIR,))
    if task is None:
        abort(404)
    form = ContactForm()
    if task.state == TaskState.OPEN and form.validate_on_submit():
        tasks.record_contact(
            task,
            current_user,
            contacted=form.contacted.data == "yes",
            contacted_at=form.contacted_at(),
            method=form.contact_method(),
            outcome=form.outcome.data or "",
        )
        flash(_("Call recorded."))
        return redirect(url_for("worklists.chair"))
    view = with_answers([task])[0]
    page = render_template("tasks/contact.html", form=form, view=view, conference=conference)
    services.record_people_listed([(conference.id, task.family_member_id)])
    if form.is_submitted():
        return page, (409 if task.state != TaskState.OPEN else 400)
    return page


@bp.route("/conferences/<int:conference_id>/tasks/<int:task_id>/arranged", methods=["GET", "POST"])
def arrange(conference_id: int, task_id: int) -> Response | str | tuple[str, int]:
    conference = conference_or_404(conference_id)
    task = tasks.task_of(conference, task_id, COORDINATOR_KINDS)
    if task is None:
        abort(404)
    form = ArrangedForm()
    if task.state == TaskState.OPEN and form.validate_on_submit():
        tasks.mark_arranged(task, current_user, form.note.data or "")
        flash(_("Marked as arranged."))
        return redirect(url_for("worklists.needs"))
    view = with_answers([task])[0]
    page = render_template(
        "tasks/arranged.html", form=form, view=view, conference=conference, help_labels=help_labels
    )
    services.record_people_listed([(conference.id, task.family_member_id)])
    if form.is_submitted():
        return page, (409 if task.state != TaskState.OPEN else 400)
    return page
