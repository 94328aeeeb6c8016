"""The advocate's pages: their caseload, each child's record, and the manager's referrals list.

Who may open what is decided by the access policy (portal/auth/access.py): an advocate reaches
only the referrals assigned to them; the routes here look records up by id and never widen that.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.advocacy import alerts, assignment, contacts, records, services, uploads
from portal.advocacy.assignment import REASON_MAX, NotAnAdvocate, ReasonNeeded
from portal.advocacy.assignment_forms import AssignForm
from portal.advocacy.forms import AttachmentForm, ContactForm, ReferForm, ViewsForm
from portal.advocacy.records import SHARED_PARTS, RecordClosed
from portal.attachments import EXTENSIONS, RefusedFile, read_stored
from portal.extensions import db, talisman
from portal.lookups import child_or_404, conference_or_404, note_messages
from portal.models import (
    AdvocacyReferral,
    Attachment,
    AttendanceWish,
    GatheringMethod,
    NotSeenReason,
    SharingLevel,
)
from portal.pagination import page_number, paged

bp = Blueprint("advocacy", __name__)


@bp.app_template_global()
def advocacy_referrals(conference_id: int) -> dict[int, AdvocacyReferral]:
    """For the conference page: each referred child's referral, by child id."""
    return services.referrals_at(conference_id)


@bp.app_template_global()
def advocacy_label(enum_name: str, value: str | None) -> str:
    """The label of a stored value of one of the advocacy vocabularies (e.g. "SharingLevel")."""
    if not value:
        return ""
    enum_class = {
        "SharingLevel": SharingLevel,
        "GatheringMethod": GatheringMethod,
        "AttendanceWish": AttendanceWish,
        "NotSeenReason": NotSeenReason,
    }[enum_name]
    try:
        return enum_class(value).label
    except ValueError:
        return value


def _referral_or_404(referral_id: int) -> AdvocacyReferral:
    referral = db.session.get(AdvocacyReferral, referral_id)
    if referral is None:
        abort(404)
    return referral


@bp.post("/conferences/<int:conference_id>/children/<int:child_id>/refer")
def refer_child(conference_id: int, child_id: int) -> Response:
    conference = conference_or_404(conference_id)
    child = child_or_404(conference_id, child_id)
    if ReferForm().validate_on_submit():
        if services.refer_by_hand(conference, child, by=current_user):
            flash(_("%(name)s referred to an advocate.", name=child.full_name))
        else:
            flash(_("%(name)s was already referred to an advocate.", name=child.full_name))
    return redirect(url_for("conferences.show", conference_id=conference_id))


@bp.get("/advocacy/")
def caseload() -> str:
    referrals = services.caseload(current_user)
    record_ids = [r.record.id for r in referrals.referrals if r.record is not None]
    return render_template(
        "advocacy/caseload.html",
        referrals=referrals,
        read=services.read_by_chair(services.READ_ITEM_TYPE, record_ids),
        days_left=services.days_left,
        past_days=services.PAST_DAYS_SHOWN,
    )


def _referrals_page(error: str | None = None, failed_id: int | None = None) -> str:
    per_page = current_app.config["REFERRALS_PER_PAGE"]
    referrals, pagination = paged(
        lambda number: assignment.referrals_to_assign(number, per_page),
        page_number(),
        per_page,
        endpoint="advocacy.referrals",
    )
    return render_template(
        "advocacy/referrals.html",
        referrals=referrals,
        pagination=pagination,
        advocates=assignment.active_advocates(),
        form=AssignForm(),
        error=error,
        failed_id=failed_id,
        days_left=services.days_left,
        age_on=services.age_on_conference_day,
    )


@bp.get("/advocacy/referrals")
def referrals() -> str:
    return _referrals_page()


def _reason_page(referral: AdvocacyReferral, form: AssignForm) -> tuple[str, int]:
    """Asked when a manager gives themselves a child whose conference has started. It names
    neither the child nor the conference: a refused post tells nothing about a past referral."""
    page = render_template(
        "advocacy/assign_reason.html",
        referral=referral,
        form=form,
        reason_max=REASON_MAX,
        page=page_number(),
    )
    return page, 400


@bp.post("/advocacy/referrals/<int:referral_id>/assign")
def assign(referral_id: int) -> Response | tuple[str, int]:
    referral = _referral_or_404(referral_id)
    form = AssignForm()
    if not form.validate_on_submit():
        if form.reason.errors:
            return _reason_page(referral, form)
        if form.advocate_id.errors:  # not a number we could hold
            return _referrals_page(_("Select an advocate from the list"), referral.id), 400
        return _referrals_page(_("Sorry, that did not work. Try again."), referral.id), 400
    try:
        advocate = assignment.assign(
            referral, form.advocate_id.data, by=current_user, reason=form.reason.data or ""
        )
    except NotAnAdvocate:
        return _referrals_page(_("Select an advocate from the list"), referral.id), 400
    except ReasonNeeded:
        form.reason.errors = [_("Enter why you are assigning this child to yourself")]
        return _reason_page(referral, form)
    flash(
        _(
            "%(child)s assigned to %(advocate)s.",
            child=referral.child.full_name,
            advocate=advocate.full_name,
        )
    )
    page = page_number()  # the page the manager assigned from, carried in the form's address
    return redirect(url_for("advocacy.referrals", page=page if page > 1 else None))


@bp.get("/advocacy/referrals/<int:referral_id>")
def record(referral_id: int) -> str:
    referral = _referral_or_404(referral_id)
    records.record_page_viewed(referral)
    advocate_record = referral.record
    if request.args.get("print") == "you-said-we-did":
        note = records.you_said_we_did_note(referral)
        if note is None:
            abort(404)
        return render_template(
            "advocacy/you_said_we_did_print.html",
            referral=referral,
            conference=referral.conference,
            child=referral.child,
            conference_child=note,
        )
    conference_child = records.conference_child_of(referral)
    return render_template(
        "advocacy/record.html",
        content=records.content_of(advocate_record) if advocate_record else None,
        referral=referral,
        conference=referral.conference,
        child=referral.child,
        advocate_record=advocate_record,
        conference_child=conference_child,
        note_message=note_messages([conference_child] if conference_child else []).get(
            referral.child_id
        ),
        shared_parts=SHARED_PARTS,
        days=services.days_left(referral.conference),
        age=services.age_on_conference_day(referral.conference, referral.child),
        is_open=services.is_open_for_editing(referral.conference),
        record_read=services.read_by_chair(
            services.READ_ITEM_TYPE, [advocate_record.id] if advocate_record else []
        ),
        attachments_read=services.read_by_chair("attachment", [a.id for a in referral.attachments]),
        earlier_versions=records.earlier_versions(advocate_record),
        not_told=alerts.not_told(advocate_record),
        deliveries=alerts.deliveries_for_record(advocate_record),
    )


@bp.route("/advocacy/referrals/<int:referral_id>/views", methods=["GET", "POST"])
def views(referral_id: int) -> Response | str | tuple[str, int]:
    referral = _referral_or_404(referral_id)
    conference = referral.conference
    is_open = services.is_open_for_editing(conference)
    form = ViewsForm(data=ViewsForm.data_from(referral.record))
    # Once submitted, every save is a new submitted version: checked in full.
    form.submitted_before = referral.record is not None and referral.record.version >= 1
    page = {
        "referral": referral,
        "conference": conference,
        "child": referral.child,
        "advocate_record": referral.record,
        "is_open": is_open,
        "shared_parts": SHARED_PARTS,
        "days": services.days_left(conference),
        "form_content": records.content_of(referral.record) if referral.record else None,
    }
    status = 200
    if form.is_submitted() and not is_open:
        status = 409
    elif form.validate_on_submit():
        try:
            outcome = records.save_views(
                referral, form.views_data(), submit=form.submitting, by=current_user
            )
        except RecordClosed:
            page["is_open"] = False
            status = 409
        else:
            if outcome.unchanged:
                flash(
                    _(
                        "Nothing had changed, so version %(n)s is still the one the chair reads.",
                        n=outcome.version,
                    )
                )
            elif outcome.submitted:
                flash(_("Submitted to the chair (version %(n)s).", n=outcome.version))
            else:
                flash(_("Saved as a draft. The chair cannot see it until you submit it."))
            _flash_alerts(outcome)
            return redirect(url_for("advocacy.record", referral_id=referral.id))
    elif form.is_submitted():
        status = 400
    # The page shows the record's words, whether first shown or shown again: one view event.
    records.record_page_viewed(referral)
    return render_template("advocacy/views.html", form=form, **page), status


WHO = {
    "chair": _l("the chair"),
    "team": _l("the coordinators' team"),
    "social_worker": _l("the social worker"),
}


def _flash_alerts(outcome: records.SaveOutcome) -> None:
    told = [WHO[who] for who in outcome.alerted]
    if len(told) == 1:
        flash(_("Safeguarding concern recorded. Told %(who)s.", who=told[0]))
    elif told:
        flash(
            _(
                "Safeguarding concern recorded. Told %(some)s and %(last)s.",
                some=", ".join(str(who) for who in told[:-1]),
                last=told[-1],
            )
        )
    # Who could not be told is shown on the record page itself, as a warning that stays.


@bp.route("/advocacy/referrals/<int:referral_id>/contacts/new", methods=["GET", "POST"])
def add_contact(referral_id: int) -> Response | str | tuple[str, int]:
    referral = _referral_or_404(referral_id)
    form = ContactForm()
    if form.validate_on_submit():
        if contacts.add_contact(referral, form.details(), by=current_user):
            flash(_("Contact saved."))
        else:
            flash(_("That contact was already saved, so it is in the log once."))
        return redirect(url_for("advocacy.record", referral_id=referral.id))
    page = render_template(
        "advocacy/contact_form.html", form=form, referral=referral, child=referral.child
    )
    return (page, 400) if form.is_submitted() else page


@bp.route("/advocacy/referrals/<int:referral_id>/attachments/new", methods=["GET", "POST"])
def add_attachment(referral_id: int) -> Response | str | tuple[str, int]:
    referral = _referral_or_404(referral_id)
    form = AttachmentForm()
    is_open = services.is_open_for_editing(referral.conference)
    page = {"form": form, "referral": referral, "child": referral.child, "is_open": is_open}
    if not is_open:  # as for the views: shown, but nothing is kept once the conference starts
        status = 409 if form.is_submitted() else 200
        return render_template("advocacy/attachment_form.html", **page), status
    if form.validate_on_submit():
        try:
            uploads.add_upload(
                referral,
                form.file.data.stream,
                form.description.data or "",
                SharingLevel(form.sharing.data),
                by=current_user,
            )
        except RefusedFile as refused:
            form.file.errors = [str(refused)]
        except uploads.AlreadyAttached:
            flash(_("That file is already on the record, so it was not added again."))
            return redirect(url_for("advocacy.record", referral_id=referral.id))
        else:
            flash(_("File uploaded."))
            return redirect(url_for("advocacy.record", referral_id=referral.id))
    status = 400 if form.is_submitted() else 200
    return render_template("advocacy/attachment_form.html", **page), status


@bp.get("/advocacy/referrals/<int:referral_id>/versions/<int:version>")
def version(referral_id: int, version: int) -> str:
    referral = _referral_or_404(referral_id)
    shown = records.saved_version(referral, version)
    if shown is None:
        abort(404)
    return render_template(
        "advocacy/version.html",
        referral=referral,
        conference=referral.conference,
        child=referral.child,
        shown=shown,
        shared_parts=SHARED_PARTS,
    )


# The browser shows the file itself and nothing else: no scripts, no sniffing, no caching.
ATTACHMENT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
ATTACHMENT_CSP = {
    "default-src": "'none'",
    "img-src": "'self'",
    "style-src": "'unsafe-inline'",  # the browser's own image and PDF viewers
    "sandbox": "",
}


@bp.get("/attachments/<int:attachment_id>")
@talisman(content_security_policy=ATTACHMENT_CSP, content_security_policy_nonce_in=[])
def attachment(attachment_id: int) -> Response:
    found = db.session.get(Attachment, attachment_id)
    if found is None:
        abort(404)
    content = read_stored(current_app.config["ATTACHMENT_DIR"], found.storage_name)
    if content is None:
        abort(404)
    uploads.attachment_viewed(found)
    response = current_app.response_class(content, mimetype=found.content_type)
    extension = EXTENSIONS.get(found.content_type, "bin")
    response.headers["Content-Disposition"] = (
        f'inline; filename="attachment-{found.id}.{extension}"'
    )
    response.headers.update(ATTACHMENT_HEADERS)
    return response
