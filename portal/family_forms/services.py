"""Saving a family member's answers as they go, and submitting them once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.family_forms.questions import PARENT_FEEDBACK, PARENT_VIEWS, Question, Questionnaire
from portal.models import (
    Addition,
    Answer,
    Conference,
    FamilyMember,
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


def raises_concern(question: Question, value: dict[str, Any]) -> bool:
    return question.concern_choice is not None and value.get("choice") == question.concern_choice


def flag_concern(response: FormResponse) -> None:
    if response.safety_concern_at is None:
        response.safety_concern_at = utcnow()
        db.session.commit()


def conferences_with_concerns(conference_ids: list[int]) -> set[int]:
    """Which of these conferences have an answer saying someone is in danger now."""
    return set(
        db.session.scalars(
            select(Invitation.conference_id)
            .join(FormResponse, FormResponse.invitation_id == Invitation.id)
            .where(
                Invitation.conference_id.in_(conference_ids),
                FormResponse.safety_concern_at.is_not(None),
            )
        )
    )


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
        if response is not None and response.submitted_at:
            return "Sent their answers"
        if response is not None:
            return "Started, not sent yet"
        if invitation is None or invitation.sent_at is None:
            return "Not asked yet"
        if invitation.opened_at:
            return "Opened the link, not started"
        return "Not answered"


def answers_for_conference(conference: Conference) -> list[PersonAnswers]:
    """Per person and form: the live (or latest) link and the answers given through it."""
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.conference_id == conference.id)
        .order_by(Invitation.created_at, Invitation.id)
    ).all()
    latest = {(i.family_member_id, i.form): i for i in invitations}  # the newest wins
    responses = {
        r.invitation_id: r
        for r in db.session.scalars(
            select(FormResponse)
            .where(FormResponse.invitation_id.in_([i.id for i in invitations]))
            .options(selectinload(FormResponse.answers), selectinload(FormResponse.additions))
        )
    }
    result = []
    for adult in sorted(conference.adults, key=lambda a: a.family_member_id):
        for form in FormKind:
            invitation = latest.get((adult.family_member_id, form))
            result.append(
                PersonAnswers(
                    member=adult.family_member,
                    form=form,
                    invitation=invitation,
                    response=responses.get(invitation.id) if invitation else None,
                    questionnaire=questionnaire_for(invitation) if invitation else None,
                )
            )
    return result
