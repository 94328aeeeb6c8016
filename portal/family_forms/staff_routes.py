"""What the chair and coordinator read: each person's views and feedback, and who has not
answered yet."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.audit.services import record_adults_viewed
from portal.family_forms import drawings
from portal.family_forms.services import (
    answers_for_conference,
    reads_chair_only,
    saved_answers,
)
from portal.lookups import conference_or_404
from portal.visibility import reads_named_feedback

bp = Blueprint("family_answers", __name__)


@bp.get("/conferences/<int:conference_id>/family-views")
def conference(conference_id: int) -> str:
    conference = conference_or_404(conference_id)
    record_adults_viewed(conference)
    return render_template(
        "family_forms/answers.html",
        conference=conference,
        people=answers_for_conference(conference, current_user),
        saved_answers=saved_answers,
        reads_chair_only=reads_chair_only(current_user, conference),
        reads_feedback=reads_named_feedback(current_user, conference),
    )


@bp.get("/conferences/<int:conference_id>/drawings/<int:drawing_id>")
def drawing(conference_id: int, drawing_id: int) -> Response:
    """A child's drawing (the Three Houses), shown beside their words; each view audited."""
    found = drawings.shown_to_staff(conference_id, drawing_id)
    png = drawings.png_of(found) if found else None
    if found is None or png is None:
        abort(404)
    drawings.staff_viewed(found, conference_id)
    return current_app.response_class(png, mimetype="image/png")
