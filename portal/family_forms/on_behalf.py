"""Views and feedback given another way (by phone, on paper, in person at the meeting, through an
interpreter), entered by a coordinator, the conference's chair or the child's advocate on the
person's behalf, through the same questions the person's own link asks.

An entry is an invitation of its own kind (``Invitation.entry_route``): it has no link, is never
sent, and is revoked as it is made, so the link funnel, reminders and the live-link rule leave
it alone, while retention, subject access and the pack find its answers where they find every
other answer. One entry per person, conference and form; not where the person already sent
their answers through their own link (they would be counted twice).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.audit.services import commit_views, record_event
from portal.extensions import db
from portal.family_forms.questionnaire import Questionnaire
from portal.family_forms.services import PersonAnswers, alert_source, questionnaire_for
from portal.link_tokens import new_salt
from portal.models import (
    Answer,
    AuditAction,
    Conference,
    ConferenceStatus,
    EntryRoute,
    FamilyMember,
    FormKind,
    FormResponse,
    Invitation,
    RecordType,
    StaffUser,
    utcnow,
)
from portal.safety.raising import raise_alert
from portal.tasks.services import sync_tasks


class AlreadyEntered(ValueError):
    """Someone else entered this person's answers for this form a moment ago."""


def entry_for(conference_id: int, member_id: int, form: FormKind) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(
            Invitation.conference_id == conference_id,
            Invitation.family_member_id == member_id,
            Invitation.form == form,
            Invitation.entry_route.is_not(None),
        )
    )


def entries_at(conference_id: int) -> list[Invitation]:
    """Every entry at this conference, by person and form, with who entered it."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.conference_id == conference_id, Invitation.entry_route.is_not(None))
            .options(selectinload(Invitation.entered_by), selectinload(Invitation.family_member))
            .order_by(Invitation.family_member_id, Invitation.form)
        )
    )


def entries_of(conference_id: int, member_id: int) -> dict[FormKind, Invitation]:
    """This person's entries at this conference, by form."""
    found = db.session.scalars(
        select(Invitation).where(
            Invitation.conference_id == conference_id,
            Invitation.family_member_id == member_id,
            Invitation.entry_route.is_not(None),
        )
    )
    return {invitation.form: invitation for invitation in found}


def questionnaire_to_enter(
    conference: Conference, member: FamilyMember, form: FormKind
) -> Questionnaire:
    """The questions the person's own link would ask (a young person's by their age)."""
    asked = questionnaire_for(Invitation(conference=conference, family_member=member, form=form))
    assert asked is not None  # None only for a response started on a form no longer in the code
    return asked


def sent_through_link(conference_id: int, member_id: int, form: FormKind) -> datetime | None:
    """When the person sent this form through their own link, if they did."""
    return db.session.scalar(
        select(FormResponse.submitted_at)
        .join(Invitation, Invitation.id == FormResponse.invitation_id)
        .where(
            Invitation.conference_id == conference_id,
            Invitation.family_member_id == member_id,
            Invitation.form == form,
            Invitation.entry_route.is_(None),
            FormResponse.submitted_at.is_not(None),
        )
        .limit(1)
    )


def entry_problem(conference: Conference, member: FamilyMember, form: FormKind) -> str | None:
    """Why nothing can be entered for this person and form now, or None."""
    if conference.status == ConferenceStatus.CANCELLED:
        return "The conference was cancelled: nothing can be entered for it"
    if form == FormKind.FEEDBACK and conference.status != ConferenceStatus.HELD:
        return "Feedback can be entered once the conference is marked as held"
    if sent_through_link(conference.id, member.id, form) is not None:
        return "They sent their answers through their own link: they are already counted"
    return None


def enter(
    conference: Conference,
    member: FamilyMember,
    form: FormKind,
    route: EntryRoute,
    answers: dict[str, dict[str, Any]],
    entered_by: StaffUser,
) -> Invitation:
    """Saves the answers as given another way, sent at once, and audits it; commits. A second
    entry for the same person and form raises AlreadyEntered."""
    questionnaire = questionnaire_to_enter(conference, member, form)
    now = utcnow()
    invitation = Invitation(
        conference_id=conference.id,
        family_member_id=member.id,
        form=form,
        # No link is ever made from these: a random hash no token has, revoked from the start.
        token_salt=new_salt(),
        token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        expires_at=now,
        created_at=now,
        revoked_at=now,
        started_at=now,
        submitted_at=now,
        entry_route=route,
        entered_by_id=entered_by.id,
    )
    scale_at = current_app.config["SAFETY_SCALE_ALERT_AT"]
    sources = {
        source
        for question, value in ((questionnaire.question(q), v) for q, v in answers.items())
        if question is not None and (source := alert_source(question, value, scale_at)) is not None
    }
    response = FormResponse(
        invitation=invitation,
        questionnaire=questionnaire.id,
        started_at=now,
        submitted_at=now,
        safety_concern_at=now if sources else None,
        answers=[Answer(question_id=key, value=value) for key, value in answers.items()],
    )
    db.session.add(response)
    try:
        db.session.flush()
    except IntegrityError as error:  # two people entering the same person's answers at once
        db.session.rollback()
        raise AlreadyEntered from error
    # What the person said acts as it would from their own link: a safety alert at once for
    # someone in danger, and a task for a call or help asked for.
    for source in sorted(sources):
        raise_alert(
            conference,
            source,
            raised_by_staff=entered_by,
            family_member=member,
            form_response=response,
        )
    if form == FormKind.VIEWS:
        sync_tasks(conference, member, now)
    record_event(
        AuditAction.CREATE,
        RecordType.FORM_RESPONSE,
        response.id,
        conference_id=conference.id,
        fields=["answers", "entry_route"],
    )
    db.session.commit()
    return invitation


def entered(invitation: Invitation) -> PersonAnswers:
    """An entry's answers, as seen: audited as a view of the answers (and of the child, for a
    young person's)."""
    response = db.session.scalar(
        select(FormResponse).where(FormResponse.invitation_id == invitation.id)
    )
    assert response is not None  # made with its invitation, in one commit
    conference_id = invitation.conference_id
    record_event(
        AuditAction.VIEW, RecordType.FORM_RESPONSE, response.id, conference_id=conference_id
    )
    child_id = invitation.family_member.child_id
    if child_id is not None:
        record_event(AuditAction.VIEW, RecordType.CHILD, child_id, conference_id=conference_id)
    commit_views()
    return PersonAnswers(
        invitation.family_member,
        invitation.form,
        invitation,
        response,
        questionnaire_for(invitation, response),
    )
