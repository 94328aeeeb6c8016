from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.audit.services import record_conference_viewed
from portal.conferences import review_setup
from portal.conferences.forms import ConferenceForm, EditConferenceForm, SearchForm
from portal.conferences.review_forms import ReviewForm
from portal.conferences.services import (
    ConferenceDetails,
    active_chairs,
    counts_of_people,
    create_conference,
    list_conferences,
    update_conference,
)
from portal.contact import display_mobile
from portal.family_forms.help_labels import help_labels
from portal.family_forms.on_behalf import entries_at
from portal.lookups import conference_or_404
from portal.messaging.replies import replies_at
from portal.models import Conference, ConferenceStatus
from portal.pagination import page_number, paged
from portal.plans.timeliness import Late, booking_lateness, reviews_late
from portal.safety.services import alert_states, alerts_on
from portal.tasks.services import conference_tasks
from portal.templating import local_time

bp = Blueprint("conferences", __name__, url_prefix="/conferences")


SEARCH_KEY = "conference_search"


@bp.route("/", methods=["GET", "POST"])
def index() -> Response | str:
    search = SearchForm()
    if search.validate_on_submit():
        session[SEARCH_KEY] = search.term()
        return redirect(url_for("conferences.index"))
    if request.method == "GET":
        search.q.data = session.get(SEARCH_KEY, "")
    per_page = current_app.config["CONFERENCES_PER_PAGE"]
    page = page_number()
    # The list is for the last search accepted: a refused one (too long) is only shown back.
    term = session.get(SEARCH_KEY, "")
    conferences, pagination = paged(
        lambda number: list_conferences(current_user, term, number, per_page), page, per_page
    )
    return render_template(
        "conferences/index.html",
        form=search,
        conferences=conferences,
        people=counts_of_people([c.id for c in conferences]),
        alert_states=alert_states([c.id for c in conferences]),
        pagination=pagination,
    )


def _late_for(conference: Conference | None) -> Callable[[ConferenceDetails], list[Late]]:
    """Who the form's conference would be booked out of timescale for."""

    def check(details: ConferenceDetails) -> list[Late]:
        day = local_time(details.starts_at).date()
        return booking_lateness(
            conference, details.conference_type, day, details.section_47_started_on
        )

    return check


@bp.route("/new", methods=["GET", "POST"])
def new() -> Response | str:
    form = ConferenceForm(chairs=active_chairs(), late_check=_late_for(None))
    if form.validate_on_submit():
        conference = create_conference(form.details(), created_by=current_user)
        flash(_("Conference created. Now add the children and family members."))
        return redirect(url_for("conferences.show", conference_id=conference.id))
    return render_template("conferences/form.html", form=form, conference=None)


@bp.get("/<int:conference_id>")
def show(conference_id: int) -> str:
    conference = conference_or_404(conference_id)
    record_conference_viewed(conference)
    return render_template(
        "conferences/show.html",
        conference=conference,
        needs=conference_tasks(conference),
        help_labels=help_labels,
        safety_alerts=alerts_on(conference),
        given_another_way=entries_at(conference.id),
        text_replies=replies_at(conference, current_user),
    )


@bp.route("/<int:conference_id>/edit", methods=["GET", "POST"])
def edit(conference_id: int) -> Response | str:
    conference = conference_or_404(conference_id)
    starts = local_time(conference.starts_at)
    form = EditConferenceForm(
        chairs=active_chairs(also_include=conference.chair_id),
        late_check=_late_for(conference),
        kept_delay=(conference.delay_reason, conference.delay_reason_detail),
        data={
            "case_reference": conference.case_reference,
            "conference_type": conference.conference_type.value,
            "date": starts.date(),
            "start_time": starts.strftime("%H:%M"),
            "format": conference.format.value,
            "chair_id": str(conference.chair_id or ""),
            "section_47_started_on": conference.section_47_started_on,
            "status": conference.status.value,
            "delay_reason": conference.delay_reason.value if conference.delay_reason else None,
            "delay_reason_detail": conference.delay_reason_detail,
            "social_worker_name": conference.social_worker_name,
            "social_worker_email": conference.social_worker_email or "",
            "social_worker_mobile": (
                display_mobile(conference.social_worker_mobile)
                if conference.social_worker_mobile
                else ""
            ),
        },
    )
    if form.validate_on_submit():
        update_conference(conference, form.details(), ConferenceStatus(form.status.data))
        flash(_("Conference details saved."))
        return redirect(url_for("conferences.show", conference_id=conference.id))
    return render_template("conferences/form.html", form=form, conference=conference)


@bp.route("/<int:conference_id>/review", methods=["GET", "POST"])
def set_up_review(conference_id: int) -> Response | str:
    """The next conference from a held one: same case and chair (changeable), due date by
    default, and the people whose plans continue."""
    previous = conference_or_404(conference_id)
    if not review_setup.is_held(previous):
        flash(_("You can set up the review once this conference has been recorded as held."))
        return redirect(url_for("conferences.show", conference_id=conference_id))
    starts = local_time(previous.starts_at)
    due_on = review_setup.due_on(previous)
    people = review_setup.people_for_review(previous)
    coming = {child.id: child.full_name for child in people.children}
    form = ReviewForm(
        chairs=active_chairs(also_include=previous.chair_id),
        late_check=lambda details: reviews_late(coming, local_time(details.starts_at).date()),
        data={
            "case_reference": previous.case_reference,
            "date": due_on,
            "start_time": starts.strftime("%H:%M"),
            "format": previous.format.value,
            "chair_id": str(previous.chair_id or ""),
            "social_worker_name": previous.social_worker_name,
            "social_worker_email": previous.social_worker_email or "",
            "social_worker_mobile": (
                display_mobile(previous.social_worker_mobile)
                if previous.social_worker_mobile
                else ""
            ),
        },
    )
    if form.validate_on_submit():
        review = review_setup.set_up_review(previous, form.details(), created_by=current_user)
        flash(
            _(
                "Review set up. Check each family member's contact details are still safe to "
                "use: nothing is sent for this conference until you have."
            )
        )
        return redirect(url_for("conferences.show", conference_id=review.id))
    return render_template(
        "conferences/review_form.html",
        form=form,
        previous=previous,
        due_on=due_on,
        people=people,
        booked=review_setup.booked_after(previous),
    )
