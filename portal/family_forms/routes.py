"""The family's own pages: landing, one question per page, check answers, confirmation."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from portal.family_forms import drawings, meeting_note, services
from portal.family_forms.forms import FamilyCharacterCount, form_for
from portal.family_forms.questionnaire import Questionnaire
from portal.family_visit import end_visit, family_invitation, forget_visit
from portal.forms import PortalForm
from portal.models import FormResponse, Invitation

bp = Blueprint("family_forms", __name__, url_prefix="/your-say")


class AddMoreForm(PortalForm):
    text = TextAreaField(
        _l("Add something more"),
        validators=[
            InputRequired(message=_l("Enter what you want to add")),
            Length(max=2000, message=_l("What you add must be %(max)d characters or fewer")),
        ],
        widget=FamilyCharacterCount(),
    )


def _current() -> tuple[Invitation, Questionnaire, FormResponse | None]:
    """The opened invitation, its form, and the answers so far (None before Start)."""
    invitation = family_invitation()
    assert invitation is not None  # the access policy lets only an opened, live link through
    response = services.response_for(invitation)
    questionnaire = services.questionnaire_for(invitation, response)
    if questionnaire is None:
        abort(404)
    return invitation, questionnaire, response


@bp.get("/")
def landing() -> str:
    invitation, questionnaire, response = _current()
    return render_template(
        "family_forms/landing.html",
        invitation=invitation,
        questionnaire=questionnaire,
        response=response,
        form=FlaskForm(),
        note=meeting_note.note_for(invitation),
    )


@bp.get("/note")
def note() -> str:
    """The chair's "You said, we did" note to this link's child, once the meeting is recorded."""
    invitation = family_invitation()
    assert invitation is not None  # the access policy lets only an opened, live link through
    link = meeting_note.note_for(invitation)
    if link is None:
        abort(404)
    page = render_template(
        "family_forms/note.html",
        link=link,
        helped=invitation.family_member.helper_name is not None,
    )
    meeting_note.mark_opened(link)  # once the page is made: the commit expires rows
    return page


@bp.post("/start")
def start() -> Response:
    invitation, questionnaire, _ = _current()
    if not FlaskForm().validate_on_submit():
        abort(400)
    response = services.start(invitation, questionnaire)
    if response.submitted_at:
        return redirect(url_for("family_forms.done"))
    following = services.first_unanswered(response, questionnaire)
    if following is None:
        return redirect(url_for("family_forms.check"))
    return redirect(url_for("family_forms.question", question_id=following.id))


@bp.route("/q/<question_id>", methods=["GET", "POST"])
def question(question_id: str) -> Response | str:
    invitation, questionnaire, response = _current()
    asked = questionnaire.question(question_id)
    if asked is None or response is None:
        abort(404)
    if response.submitted_at:
        return redirect(url_for("family_forms.done"))
    saved = services.saved_answers(response)
    draws = drawings.draws(questionnaire.id, asked.id)
    form = form_for(asked, saved.get(asked.id), drawing=draws)
    from_check = request.args.get("from") == "check"
    if form.validate_on_submit():
        after = questionnaire.after(asked.id)
        following = services.first_unanswered(response, questionnaire, answering=asked.id)
        change = form.drawing_change()
        if services.save_answer(response, asked, form.value(), change):  # someone in danger now
            return redirect(
                url_for(
                    "family_forms.help_now", next=after.id if after and not from_check else None
                )
            )
        if from_check or after is None:
            return redirect(url_for("family_forms.check"))
        return redirect(url_for("family_forms.question", question_id=(following or after).id))
    previous = questionnaire.before(asked.id)
    return render_template(
        "family_forms/question.html",
        form=form,
        question=asked,
        questionnaire=questionnaire,
        number=questionnaire.questions.index(asked) + 1,
        draws=draws,
        drawing=services.saved_drawing(response, asked.id) if draws else None,
        drawn_by=invitation.family_member.first_name,
        back=url_for("family_forms.check")
        if from_check
        else url_for("family_forms.question", question_id=previous.id)
        if previous
        else url_for("family_forms.landing"),
    )


@bp.get("/q/<question_id>/drawing")
def drawing(question_id: str) -> Response:
    """The child's own drawing for this house, shown on its page to keep, replace or remove."""
    *_, response = _current()
    kept = services.saved_drawing(response, question_id) if response else None
    png = drawings.png_of(kept) if kept else None
    if png is None:
        abort(404)
    return current_app.response_class(png, mimetype="image/png")


@bp.get("/help-now")
def help_now() -> str:
    """Shown at once when an answer says someone is in danger now."""
    following = request.args.get("next")
    _, questionnaire, response = _current()
    carry_on = (
        url_for("family_forms.question", question_id=following)
        if following and questionnaire.question(following)
        else url_for("family_forms.check")
    )
    return render_template(
        "family_forms/help_now.html",
        carry_on=carry_on,
        questionnaire=questionnaire,
        told=services.told_of_alerts(response),
    )


@bp.route("/check", methods=["GET", "POST"])
def check() -> Response | str:
    invitation, questionnaire, response = _current()
    if response is None:
        return redirect(url_for("family_forms.landing"))
    form = FlaskForm()
    missing = services.missing_answers(response, questionnaire)
    # Send pressed on a page shown before an answer was missing: say which, and send nothing.
    refused = form.validate_on_submit() and bool(missing)
    if form.validate_on_submit() and not missing:
        services.submit(response)
        return redirect(url_for("family_forms.done"))
    if response.submitted_at:
        return redirect(url_for("family_forms.done"))
    return render_template(
        "family_forms/check.html",
        form=form,
        invitation=invitation,
        questionnaire=questionnaire,
        answers=services.saved_answers(response),
        missing=missing,
        refused=refused,
    )


@bp.route("/done", methods=["GET", "POST"])
def done() -> Response | str:
    invitation, questionnaire, response = _current()
    if response is None or response.submitted_at is None:
        return redirect(url_for("family_forms.landing"))
    form = AddMoreForm()
    if form.validate_on_submit():
        services.add_more(response, form.text.data.strip())
        return redirect(url_for("family_forms.done", added=1, _anchor="added"))
    return render_template(
        "family_forms/done.html",
        form=form,
        questionnaire=questionnaire,
        invitation=invitation,
        response=response,
        added=request.args.get("added") == "1",
    )


@bp.post("/finish")
def finish_for_now() -> Response:
    """Answers are saved already: end the visit, on the server and in this browser, for a
    phone others may pick up. Then a page of its own (Post/Redirect/Get), which Back and a
    reload show again."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    end_visit()
    forget_visit(finished=True)
    return redirect(url_for("family_visit.finished"), code=303)


@bp.post("/keep-alive")
def keep_alive() -> tuple[str, int]:
    """Continue in the warning before the visit ends (issue 22). The access policy's check of
    the visit has already counted this request as activity: nothing else to do."""
    return "", 204
