"""Saving a family member's answers as they go, and submitting them once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal.attachments import CleanedFile
from portal.extensions import db
from portal.family_forms import drawings
from portal.family_forms.childrens_questions import (
    CHILD_FEEDBACK,
    CHILD_VIEWS,
    YOUNG_PERSON_FEEDBACK,
    YOUNG_PERSON_VIEWS,
)
from portal.family_forms.questionnaire import Question, Questionnaire
from portal.family_forms.questions import PARENT_FEEDBACK, PARENT_VIEWS, QUESTIONNAIRES
from portal.i18n import current_language
from portal.models import (
    Addition,
    AlertSource,
    Answer,
    Conference,
    Drawing,
    FamilyMember,
    FormKind,
    FormResponse,
    Invitation,
    Relationship,
    Role,
    SafetyAlert,
    SafetyAlertDelivery,
    StaffUser,
    utcnow,
)
from portal.safety.raising import raise_alert
from portal.tasks.services import TASK_QUESTIONS, sync_tasks
from portal.templating import local_date
from portal.visibility import reads_named_feedback

# A child's drawing sent with an answer: a new one (cleaned), "remove", or None (as it was)
DrawingChange = CleanedFile | Literal["remove"] | None


def questionnaire_for(
    invitation: Invitation, response: FormResponse | None = None
) -> Questionnaire | None:
    """The form this invitation is for.

    Parents and carers get theirs; a child gets the young people's form if they are
    YOUNG_PERSON_MIN_AGE or over on the conference date, else the Three Houses. Once started, a
    response keeps the form it was started on (a birthday or a moved date changes nothing).
    None only for a form no longer in the code.
    """
    if response is not None:
        return QUESTIONNAIRES.get(response.questionnaire)
    views = invitation.form == FormKind.VIEWS
    member = invitation.family_member
    if member.relationship != Relationship.YOUNG_PERSON or member.child is None:
        return PARENT_VIEWS if views else PARENT_FEEDBACK
    age = member.child.age_on(local_date(invitation.conference.starts_at))
    if age is not None and age >= current_app.config["YOUNG_PERSON_MIN_AGE"]:
        return YOUNG_PERSON_VIEWS if views else YOUNG_PERSON_FEEDBACK
    return CHILD_VIEWS if views else CHILD_FEEDBACK


def response_for(invitation: Invitation) -> FormResponse | None:
    """The invitation's response with its answers, in one statement (every question page reads
    both)."""
    return (
        db.session.scalars(
            select(FormResponse)
            .where(FormResponse.invitation_id == invitation.id)
            .options(joinedload(FormResponse.answers))
        )
        .unique()
        .first()
    )


def start(invitation: Invitation, questionnaire: Questionnaire) -> FormResponse:
    """The person's response, made once: pressing Start again carries on where they were."""
    response = response_for(invitation)
    if response is None:
        response = FormResponse(invitation_id=invitation.id, questionnaire=questionnaire.id)
        db.session.add(response)
        invitation.started_at = invitation.started_at or utcnow()
        try:
            db.session.commit()
        except IntegrityError:  # two taps on Start at once: the other one made it
            db.session.rollback()
            response = response_for(invitation)
            assert response is not None
    return response


def saved_answers(response: FormResponse) -> dict[str, dict[str, Any]]:
    return {answer.question_id: answer.value for answer in response.answers}


def save_answer(
    response: FormResponse,
    question: Question,
    value: dict[str, Any],
    drawing: DrawingChange = None,
) -> bool:
    """Saves the answer and, when it says someone may be in danger now, raises a safety alert
    (True): both in one commit, so staff never see the answer without the alert. An answer
    saved again raises no second alert from the same source (portal/safety/raising.py). A
    child's drawing (a house of the Three Houses) is kept, replaced or removed with it."""
    try:
        return _save_answer(response, question, value, drawing)
    except IntegrityError:  # the same page saved twice at once (two tabs): the other one won
        db.session.rollback()
        db.session.refresh(response)
        return _save_answer(response, question, value, drawing)


def _save_answer(
    response: FormResponse, question: Question, value: dict[str, Any], drawing: DrawingChange
) -> bool:
    answer = next((a for a in response.answers if a.question_id == question.id), None)
    if answer is None:
        answer = Answer(question_id=question.id)
        response.answers.append(answer)
    answer.value, answer.language = value, current_language()
    unused = new_file = None  # a drawing's file no row points at once this commit is done
    if isinstance(drawing, CleanedFile):
        unused = drawings.keep(answer, drawing)
        new_file = answer.drawing.storage_name if answer.drawing else None
    elif drawing == "remove":
        unused = drawings.remove(answer)
    try:
        source = _sync_and_commit(response, question, value)
    except Exception:
        # Not saved (two tabs at once, a lost connection): no row will point at the new file.
        drawings.forget_file(new_file)
        raise
    drawings.forget_file(unused)
    return source is not None


def _sync_and_commit(
    response: FormResponse, question: Question, value: dict[str, Any]
) -> AlertSource | None:
    if question.id in TASK_QUESTIONS and response.invitation.form == FormKind.VIEWS:
        # A call for the chair, an interpreter or help to arrange: saved with the answer.
        sync_tasks(response.invitation.conference, response.invitation.family_member)
    source = alert_source(question, value, current_app.config["SAFETY_SCALE_ALERT_AT"])
    if source is not None:
        # Staff acting on the alert may read the answers before they are sent.
        response.safety_concern_at = response.safety_concern_at or utcnow()
        invitation = response.invitation
        db.session.flush()
        raise_alert(
            invitation.conference,
            source,
            family_member=invitation.family_member,
            form_response=response,
        )
    db.session.commit()
    return source


def saved_drawing(response: FormResponse, question_id: str) -> Drawing | None:
    answer = next((a for a in response.answers if a.question_id == question_id), None)
    return None if answer is None else answer.drawing


def raises_concern(question: Question, value: dict[str, Any]) -> bool:
    return question.concern_choice is not None and value.get("choice") == question.concern_choice


def alert_source(
    question: Question, value: dict[str, Any], scale_alert_at: int
) -> AlertSource | None:
    """Whether this answer raises a safety alert, and as what: "someone is in danger now", or
    a 0 to 10 "how safe do you feel" at or below ``scale_alert_at``."""
    if raises_concern(question, value):
        return AlertSource.DANGER_ANSWER
    choice = value.get("choice")
    if question.safety_scale and isinstance(choice, str) and choice.isdigit():
        return AlertSource.SAFETY_SCALE if int(choice) <= scale_alert_at else None
    return None


def told_of_alerts(response: FormResponse | None) -> set[str]:
    """Who the safety alerts this response raised went to ("chair", "team", "social_worker"),
    for the family's help page to say exactly that."""
    if response is None:
        return set()
    return set(
        db.session.scalars(
            select(SafetyAlertDelivery.told)
            .join(SafetyAlert)
            .where(SafetyAlert.form_response_id == response.id)
        )
    )


def reads_chair_only(user: StaffUser, conference: Conference) -> bool:
    """Answers a child marked "only the chair" are for this conference's own chair: not for
    coordinators, nor for other chairs who may see every conference."""
    return user.role == Role.CHAIR and conference.chair_id == user.id


def first_unanswered(
    response: FormResponse, questionnaire: Questionnaire, answering: str | None = None
) -> Question | None:
    """The first question with no answer yet, counting ``answering`` (the question being saved)
    as answered: asked before its save commits, it costs no second read of the answers."""
    answered = saved_answers(response).keys() | {answering}
    return next((q for q in questionnaire.questions if q.id not in answered), None)


def missing_answers(response: FormResponse, questionnaire: Questionnaire) -> list[Question]:
    """The required questions not answered yet: until there are none, nothing can be sent."""
    answered = saved_answers(response)
    return [q for q in questionnaire.questions if q.required and q.id not in answered]


def submit(response: FormResponse) -> None:
    """Idempotent: a double tap, a resubmit after a dropped connection, the back button — one
    submission, the same confirmation."""
    if response.submitted_at is None:
        response.submitted_at = utcnow()
        response.invitation.submitted_at = response.submitted_at
        db.session.commit()


def add_more(response: FormResponse, text: str) -> None:
    response.additions.append(Addition(text=text, language=current_language()))
    db.session.commit()


@dataclass(frozen=True)
class PersonAnswers:
    """What one person has said for one form, for the chair and coordinator."""

    member: FamilyMember
    form: FormKind
    invitation: Invitation | None
    response: FormResponse | None
    questionnaire: Questionnaire | None

    @property
    def state(self) -> str:
        invitation, response = self.invitation, self.response
        if invitation is not None and invitation.entry_route is not None:
            return _(
                "Given %(route)s, entered by %(name)s",
                route=invitation.entry_route.label.lower(),
                name=invitation.entered_by.full_name if invitation.entered_by else "",
            )
        if response is not None and response.submitted_at:
            return _("Sent their answers")
        if response is not None:
            return _("Started, not sent yet")
        if invitation is None or invitation.sent_at is None:
            return _("Not asked yet")
        if invitation.opened_at:
            return _("Opened the link, not started")
        return _("Not answered")


def answers_for_conference(conference: Conference, reader: StaffUser) -> list[PersonAnswers]:
    """Per person and form: the live (or latest) link and the answers given through it.
    Feedback only for those who read it with the name (``reads_named_feedback``)."""
    forms = list(FormKind) if reads_named_feedback(reader, conference) else [FormKind.VIEWS]
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.conference_id == conference.id)
        .order_by(Invitation.created_at, Invitation.id)
    ).all()
    # The newest link wins; views or feedback given another way (no link) stand beside it.
    latest = {(i.family_member_id, i.form): i for i in invitations if i.entry_route is None}
    entered = {(i.family_member_id, i.form): i for i in invitations if i.entry_route is not None}
    responses = {
        r.invitation_id: r
        for r in db.session.scalars(
            select(FormResponse)
            .where(FormResponse.invitation_id.in_([i.id for i in invitations]))
            .options(
                selectinload(FormResponse.answers).selectinload(Answer.drawing),
                selectinload(FormResponse.additions),
            )
        )
    }
    result = []
    for adult in sorted(conference.adults, key=lambda a: a.family_member_id):
        for form in forms:
            invitation = latest.get((adult.family_member_id, form))
            entry = entered.get((adult.family_member_id, form))
            if entry is not None:
                result.append(
                    PersonAnswers(
                        adult.family_member,
                        form,
                        entry,
                        responses.get(entry.id),
                        questionnaire_for(entry, responses.get(entry.id)),
                    )
                )
                if invitation is None or invitation.id not in responses:
                    continue  # their link, unanswered, says nothing more
            result.append(
                PersonAnswers(
                    member=adult.family_member,
                    form=form,
                    invitation=invitation,
                    response=responses.get(invitation.id) if invitation else None,
                    questionnaire=questionnaire_for(invitation, responses.get(invitation.id))
                    if invitation
                    else None,
                )
            )
    return result
