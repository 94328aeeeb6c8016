"""People across conferences: finding a person, and (for an admin) merging two records of one
person. Names and dates of birth are posted, never put in a URL."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.errors import post_shows_a_result
from portal.people import case, merge
from portal.people.directory_forms import FindPersonForm, MergeForm

bp = Blueprint("directory", __name__, url_prefix="/people")


@bp.route("/", methods=["GET", "POST"])
def find() -> str:
    form = FindPersonForm()
    results = None
    if form.validate_on_submit():
        results = case.find_people(
            form.name.data or "", form.date_of_birth.data, form.person_id.data or ""
        )
        post_shows_a_result()  # the results asked for, not a refusal
    return render_template("people/find.html", form=form, results=results)


@bp.route("/merge", methods=["GET", "POST"])
def merge_records() -> Response | str:
    """First POST: both records side by side; the second, confirmed, merges them."""
    form = MergeForm()
    pair = None
    if form.validate_on_submit():
        kind, kept_id, removed_id = form.numbers()
        try:
            if form.confirmed.data != "yes":
                pair = merge.shown_for_merging(kind, kept_id, removed_id)
                post_shows_a_result()  # the check before merging, not a refusal
            else:
                merge.merge(kind, kept_id, removed_id, by=current_user)
                flash(
                    _(
                        "Record %(removed)s merged into record %(kept)s.",
                        removed=removed_id,
                        kept=kept_id,
                    )
                )
                return redirect(url_for("directory.merge_records"))
        except merge.MergeRefused as refused:
            form.removed_id.errors = [*form.removed_id.errors, str(refused)]
    return render_template("people/merge.html", form=form, pair=pair)
