"""Staff pages for views and feedback given another way: whom the signed-in person may enter
them for, the questions on one page, and what was entered. English only (staff pages)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.auth.policy import enters_for
from portal.family_forms import on_behalf
from portal.family_forms.on_behalf_forms import entry_form
from portal.family_forms.services import reads_chair_only, saved_answers
from portal.lookups import conference_or_404, member_or_404
from portal.models import EntryRoute, FormKind

bp = Blueprint("on_behalf", __name__)

PREFIX = "/conferences/<int:conference_id>"


def _form_kind(form: str) -> FormKind:
    if form not in {kind.value for kind in FormKind}:
        abort(404)
    return FormKind(form)


@bp.get(f"{PREFIX}/given-another-way")
def people(conference_id: int) -> str:
    conference = conference_or_404(conference_id)
    adults = sorted(conference.adults, key=lambda a: a.family_member_id)
    mine = [
        adult.family_member
        for adult in adults
        if enters_for(
            current_user,
            {"conference_id": conference.id, "member_id": adult.family_member_id},
        )
    ]
    return render_template(
        "family_forms/on_behalf/people.html",
        conference=conference,
        people=[(member, on_behalf.entries_of(conference.id, member.id)) for member in mine],
    )


@bp.route(f"{PREFIX}/people/<int:member_id>/given-another-way/<form>", methods=["GET", "POST"])
def enter(conference_id: int, member_id: int, form: str) -> ResponseReturnValue:
    kind = _form_kind(form)
    conference = conference_or_404(conference_id)
    member = member_or_404(conference_id, member_id)
    entered_page = url_for(
        ".entered", conference_id=conference.id, member_id=member.id, form=kind.value
    )
    already = on_behalf.entry_for(conference.id, member.id, kind) is not None
    if already and request.method != "POST":
        return redirect(entered_page)
    problem = on_behalf.entry_problem(conference, member, kind)
    questionnaire = on_behalf.questionnaire_to_enter(conference, member, kind)
    entry = entry_form(questionnaire)
    if not already and problem is None and entry.validate_on_submit():
        try:
            on_behalf.enter(
                conference,
                member,
                kind,
                EntryRoute(entry.route.data),
                entry.answers(),
                current_user,
            )
        except on_behalf.AlreadyEntered:
            already = True  # a colleague saved theirs first: this page says so below
        else:
            flash(f"{member.full_name}'s answers are saved", "message")
            return redirect(entered_page)
    # With someone else's entry standing, what this person typed is shown again, not lost.
    refused = already or (problem is not None and entry.is_submitted())
    return render_template(
        "family_forms/on_behalf/enter.html",
        conference=conference,
        member=member,
        kind=kind,
        questionnaire=questionnaire,
        form=entry,
        problem=None if already else problem,
        not_saved=entered_page if already else None,
    ), 409 if refused else 200


@bp.get(f"{PREFIX}/people/<int:member_id>/given-another-way/<form>/entered")
def entered(conference_id: int, member_id: int, form: str) -> str:
    kind = _form_kind(form)
    conference = conference_or_404(conference_id)
    member = member_or_404(conference_id, member_id)
    invitation = on_behalf.entry_for(conference.id, member.id, kind)
    if invitation is None:
        abort(404)
    return render_template(
        "family_forms/on_behalf/entered.html",
        conference=conference,
        member=member,
        entry=on_behalf.entered(invitation),
        saved_answers=saved_answers,
        # A child's answers for the chair only: the conference's chair, and whoever entered them
        reads_chair_only=reads_chair_only(current_user, conference)
        or invitation.entered_by_id == current_user.id,
    )
