"""Subject access requests (admins): find the person, review what the export holds, download it.

The search is posted, so names, emails and mobiles never reach a URL or an access log.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from portal.errors import post_shows_a_result
from portal.models import FamilyMember, utcnow
from portal.subject_access.finding import (
    MemberMatch,
    find_family_members,
    get_family_member,
    members_by_ids,
    possibly_the_same_person,
)
from portal.subject_access.forms import ExportForm, FindForm, describe
from portal.subject_access.gathering import collect_person
from portal.subject_access.services import (
    export_file_name,
    export_html,
    record_exported,
    record_records_viewed,
)
from portal.templating import local_date

bp = Blueprint("subject_access", __name__, url_prefix="/admin/subject-access")


@bp.route("/", methods=["GET", "POST"])
def find() -> str:
    form = FindForm()
    matches: list[MemberMatch] | None = None
    if form.validate_on_submit():
        matches = find_family_members(form.terms())
        record_records_viewed(match.member_id for match in matches)
        post_shows_a_result()  # the results asked for, not a refusal
    return render_template("subject_access/find.html", form=form, matches=matches)


def _member_or_404(member_id: int) -> FamilyMember:
    member = get_family_member(member_id)
    if member is None:
        abort(404)
    return member


def _review_page(member: FamilyMember, form: ExportForm, others: list[MemberMatch]) -> str:
    record_records_viewed([member.id, *(other.member_id for other in others)])
    return render_template(
        "subject_access/review.html",
        member=member,
        record=collect_person(member),
        others=others,
        describe=describe,
        form=form,
    )


@bp.get("/<int:member_id>")
def review(member_id: int) -> str:
    member = _member_or_404(member_id)
    others = possibly_the_same_person(member)
    return _review_page(member, ExportForm(others=others), others)


@bp.post("/<int:member_id>/export")
def export(member_id: int) -> Response | str:
    member = _member_or_404(member_id)
    others = possibly_the_same_person(member)
    form = ExportForm(others=others)
    if not form.validate_on_submit():
        return _review_page(member, form, others)
    members = [member, *members_by_ids(form.chosen_ids())]
    document = export_html(members)
    record_exported(members)  # by the signed-in admin
    post_shows_a_result()  # the file asked for
    response = Response(document, mimetype="text/html")
    name = export_file_name(member.id, local_date(utcnow()))
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
