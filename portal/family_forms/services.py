"""Saving a family member's answers as they go, and submitting them once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.family_forms.questions import PARENT_FEEDBACK, PARENT_VIEWS, Question, Questionnaire
from portal.models import (
    Addition,
    Answer,
    FormKind,
    FormResponse,
    Invitation,
    Relationship,
    utcnow,
)


def questionnaire_for(invitation: Invitation) -> Questionnaire | None:
    """The form this invitation is for; None where it is not built yet (young people's own)."""
    if invitation.family_member.relationship == Relationship.YOUNG_PERSON:
        return None
    return PARENT_VIEWS if invitation.form == FormKind.VIEWS else PARENT_FEEDBACK


def response_for(invitation: Invitation) -> FormResponse | None:
    return db.session.scalar(
        select(FormResponse).where(FormResponse.invitation_id == invitation.id)
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


def save_answer(response: FormResponse, question: Question, value: dict[str, Any]) -> None:
    answer = next((a for a in response.answers if a.question_id == question.id), None)
    if answer is None:
        response.answers.append(Answer(question_id=question.id, value=value))
    else:
        answer.value = value
    db.session.commit()


def first_unanswered(response: FormResponse, questionnaire: Questionnaire) -> Question | None:
    answered = saved_answers(response)
    return next((q for q in questionnaire.questions if q.id not in answered), None)


def submit(response: FormResponse) -> None:
    """Idempotent: a double tap, a resubmit after a dropped connection, the back button — one
    submission, the same confirmation."""
    if response.submitted_at is None:
        response.submitted_at = utcnow()
        response.invitation.submitted_at = response.submitted_at
        db.session.commit()


def add_more(response: FormResponse, text: str) -> None:
    response.additions.append(Addition(text=text))
    db.session.commit()
