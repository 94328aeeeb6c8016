from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.lookups import child_or_404, conference_or_404, member_or_404
from portal.models import Child, Conference, ConferenceType, FamilyMember
from portal.people import case, services
from portal.people.agreed_word_forms import SetAgreedWordForm
from portal.people.directory_forms import FromCaseForm
from portal.people.forms import (
    ChildForm,
    ConfirmContactForm,
    FamilyMemberForm,
    HelpedChildForm,
    InitialChildForm,
    RemoveForm,
    YoungPersonForm,
)
from portal.people.services import ChildDetails, FamilyMemberDetails
from portal.plans.due import plan_statuses
from portal.templating import local_date

bp = Blueprint("people", __name__, url_prefix="/conferences/<int:conference_id>")


def _back_to(conference_id: int, message: str) -> Response:
    flash(message)
    return redirect(url_for("conferences.show", conference_id=conference_id))


def _child_form(
    conference: Conference, data: dict[str, Any], s47: date | None, record_id: int | None = None
) -> ChildForm:
    """An initial conference asks for each child's own section 47 start date. ``record_id`` is
    the child being changed (their own person ID is theirs)."""
    if conference.conference_type != ConferenceType.INITIAL:
        return ChildForm(data=data, record_id=record_id)
    return InitialChildForm(
        data={**data, "section_47_started_on": s47 or conference.section_47_started_on},
        conference_day=conference.day,
        record_id=record_id,
    )


def _section_47(form: ChildForm) -> date | None:
    return form.section_47_started_on.data if isinstance(form, InitialChildForm) else None


@bp.route("/children/new", methods=["GET", "POST"])
def add_child(conference_id: int) -> Response | str:
    conference = conference_or_404(conference_id)
    form = _child_form(conference, {}, None)
    if form.validate_on_submit():
        child = services.add_child(conference, form.details(), _section_47(form))
        return _back_to(conference_id, _("%(name)s added.", name=child.full_name))
    return render_template(
        "people/child_form.html",
        form=form,
        conference=conference,
        child=None,
        in_case=case.case_children(conference),
    )


@bp.route("/children/<int:child_id>/edit", methods=["GET", "POST"])
def edit_child(conference_id: int, child_id: int) -> Response | str:
    conference = conference_or_404(conference_id)
    child = child_or_404(conference_id, child_id)
    link = next(link for link in conference.children if link.child_id == child.id)
    form = _child_form(
        conference,
        ChildForm.data_from(ChildDetails.of(child)),
        link.section_47_started_on,
        record_id=child.id,
    )
    if form.validate_on_submit():
        services.update_child(child, form.details(), conference_id, _section_47(form))
        return _back_to(conference_id, _("%(name)s's details saved.", name=child.full_name))
    page = render_template(
        "people/child_form.html",
        form=form,
        conference=conference,
        child=child,
        plan=plan_statuses([child.id]).get(child.id),
    )
    services.record_viewed(child, conference_id)  # once the page is made: the commit expires rows
    return page


@bp.route("/children/<int:child_id>/remove", methods=["GET", "POST"])
def remove_child(conference_id: int, child_id: int) -> Response | str:
    conference = conference_or_404(conference_id)
    child = child_or_404(conference_id, child_id)
    form = RemoveForm()
    if form.validate_on_submit():
        name = child.full_name
        services.remove_from_conference(conference, child)
        return _back_to(conference_id, _("%(name)s removed from this conference.", name=name))
    return render_template(
        "people/remove.html", form=form, conference=conference, name=child.full_name
    )


@bp.route("/family/new", methods=["GET", "POST"])
def add_family_member(conference_id: int) -> Response | str:
    conference = conference_or_404(conference_id)
    form = FamilyMemberForm()
    if form.validate_on_submit():
        member = services.add_family_member(
            conference, form.details(), agreed_word=form.agreed_word.data
        )
        return _back_to(
            conference_id,
            _(
                "%(name)s added. Check their contact details are safe before anything is sent.",
                name=member.full_name,
            ),
        )
    return render_template(
        "people/family_member_form.html",
        form=form,
        conference=conference,
        member=None,
        in_case=case.case_adults(conference),
    )


@bp.route("/family/<int:member_id>/edit", methods=["GET", "POST"])
def edit_family_member(conference_id: int, member_id: int) -> Response | str:
    conference = conference_or_404(conference_id)
    member = member_or_404(conference_id, member_id)
    details = FamilyMemberDetails.of(member)
    form_class = (
        HelpedChildForm
        if member.helper_name
        else YoungPersonForm
        if member.child_id
        else FamilyMemberForm
    )
    form = form_class(
        data={
            **details.__dict__,
            "relationship": details.relationship.value,
            "preferred_channel": details.preferred_channel.value,
            "second_check": details.second_check.value,
            "language_other": details.language if details.language_code == "other" else "",
        },
        record_id=member.id,
        word_set=member.agreed_word_hash is not None,
    )
    if form.validate_on_submit():
        new_details = form.details_for(member.child) if member.child_id else form.details()
        changed = services.update_family_member(
            member, new_details, conference_id, agreed_word=form.agreed_word.data
        )
        if "contact_confirmed_safe_at" in changed:
            message = _(
                "%(name)s's details saved. Their contact details changed: check again that they "
                "are safe to use.",
                name=member.full_name,
            )
        else:
            message = _("%(name)s's details saved.", name=member.full_name)
        return _back_to(conference_id, message)
    services.record_viewed(member, conference_id)
    return render_template(
        "people/family_member_form.html", form=form, conference=conference, member=member
    )


@bp.route("/family/<int:member_id>/remove", methods=["GET", "POST"])
def remove_family_member(conference_id: int, member_id: int) -> Response | str:
    conference = conference_or_404(conference_id)
    member = member_or_404(conference_id, member_id)
    form = RemoveForm()
    if form.validate_on_submit():
        name = member.full_name
        services.remove_from_conference(conference, member)
        return _back_to(conference_id, _("%(name)s removed from this conference.", name=name))
    return render_template(
        "people/remove.html", form=form, conference=conference, name=member.full_name
    )


@bp.route("/family/<int:member_id>/agreed-word", methods=["GET", "POST"])
def set_agreed_word(conference_id: int, member_id: int) -> Response | str:
    """A new word their links ask for: agreed with them again, it unlocks a link that waits
    after five wrong tries. The word is posted, never in the address."""
    conference = conference_or_404(conference_id)
    member = member_or_404(conference_id, member_id)
    form = SetAgreedWordForm()
    if form.validate_on_submit():
        services.set_agreed_word(member, form.word.data or "", conference_id)
        return _back_to(
            conference_id,
            _("%(name)s's links now ask for the new agreed word.", name=member.full_name),
        )
    services.record_viewed(member, conference_id)
    return render_template(
        "people/agreed_word.html", form=form, conference=conference, member=member
    )


@bp.route("/family/<int:member_id>/contact-safe", methods=["GET", "POST"])
def confirm_contact(conference_id: int, member_id: int) -> Response | str:
    conference = conference_or_404(conference_id)
    member = member_or_404(conference_id, member_id)
    form = ConfirmContactForm(data={"safe": "yes" if member.contact_confirmed_safe else None})
    if form.validate_on_submit():
        safe = form.safe.data == "yes"
        services.set_contact_confirmed_safe(
            member, safe, by=current_user, conference_id=conference_id
        )
        if safe:
            message = _("%(name)s's contact details confirmed as safe.", name=member.full_name)
        else:
            message = _(
                "%(name)s's contact details marked as not confirmed safe.", name=member.full_name
            )
        return _back_to(conference_id, message)
    services.record_viewed(member, conference_id)
    return render_template(
        "people/confirm_contact.html", form=form, conference=conference, member=member
    )


@bp.route("/children/<int:child_id>/invite", methods=["GET", "POST"])
def invite_young_person(conference_id: int, child_id: int) -> Response | str:
    """Let a child or young person give their own views: their own contact details and links."""
    conference = conference_or_404(conference_id)
    child = child_or_404(conference_id, child_id)
    min_age = current_app.config["CHILD_FORM_MIN_AGE"]
    age = child.age_on(local_date(conference.starts_at))
    if age is None or age < min_age:
        return _back_to(
            conference_id,
            _("Only children aged %(age)s or over can be sent their own form.", age=min_age),
        )
    existing = services.young_person_contact(child.id)
    if existing is not None:
        # They have their own contact record from another conference: add it here, on a POST.
        confirm = RemoveForm()
        if confirm.validate_on_submit():
            services.add_existing_contact(conference, existing)
            return redirect(
                url_for(
                    "people.edit_family_member", conference_id=conference_id, member_id=existing.id
                )
            )
        return render_template(
            "people/add_existing_contact.html", form=confirm, conference=conference, child=child
        )
    helped = age < current_app.config["YOUNG_PERSON_MIN_AGE"]
    form = HelpedChildForm() if helped else YoungPersonForm()
    if form.validate_on_submit():
        services.add_family_member(
            conference, form.details_for(child), child=child, agreed_word=form.agreed_word.data
        )
        return _back_to(
            conference_id,
            _(
                "%(name)s can now be sent their own links. Check their contact details are safe "
                "before anything is sent.",
                name=child.full_name,
            ),
        )
    services.record_viewed(child, conference_id)
    return render_template(
        "people/family_member_form.html",
        form=form,
        conference=conference,
        member=None,
        child=child,
        helped=helped,
    )


@bp.route("/from-case", methods=["GET", "POST"])
def from_case(conference_id: int) -> Response | str:
    """The people at this case's other conferences, each with "Add to this conference"."""
    conference = conference_or_404(conference_id)
    form = FromCaseForm()
    if form.validate_on_submit():
        kind, record_id = form.chosen()
        added: Child | FamilyMember | None
        if kind == "child":
            added = case.add_child_from_case(conference, record_id)
        else:
            added = case.add_adult_from_case(conference, record_id)
        if added is None:
            flash(_("That person is not in this case, or is already on this conference."))
            return redirect(url_for("people.from_case", conference_id=conference_id))
        if isinstance(added, FamilyMember):
            return _back_to(
                conference_id,
                _(
                    "%(name)s added. Check their contact details are still safe before anything "
                    "is sent.",
                    name=added.full_name,
                ),
            )
        return _back_to(conference_id, _("%(name)s added.", name=added.full_name))
    return render_template(
        "people/from_case.html",
        form=form,
        conference=conference,
        children=case.case_children(conference),
        adults=case.case_adults(conference),
    )
