"""Two safety alerts for the demo: one open (a father answered "someone is in danger now" on the
coming conference a few minutes ago) and one acknowledged by the chair (the same answer on the
conference held yesterday, a week before it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.demo.accounts import staff_by_email
from portal.demo.featured import FEATURED
from portal.extensions import db
from portal.family_forms.questions import PARENT_VIEWS
from portal.models import (
    AlertSource,
    AlertState,
    Answer,
    Conference,
    FamilyMember,
    FormKind,
    FormResponse,
    Invitation,
    MessageStatus,
    Relationship,
    SafetyAlert,
    utcnow,
)
from portal.safety.raising import raise_alert

ACTION_TAKEN = (
    "Phoned the father at once: he was safe, staying with his brother. Told the social worker, "
    "who visited the mother and children the same evening."
)


def add_demo_alerts() -> None:
    """The caller commits."""
    now = utcnow()
    _alert_from_the_father(FEATURED[0], now - timedelta(minutes=20))
    acknowledged = _alert_from_the_father(FEATURED[1], now - timedelta(days=8))
    for delivery in acknowledged.deliveries:
        if delivery.message is not None:
            delivery.message.status = MessageStatus.SENT
            delivery.message.sent_at = delivery.queued_at
    acknowledged.state = AlertState.ACKNOWLEDGED
    acknowledged.acknowledged_at = acknowledged.raised_at + timedelta(minutes=25)
    acknowledged.acknowledged_by_id = staff_by_email("chair@heard.example").id
    acknowledged.action_taken = ACTION_TAKEN


def _alert_from_the_father(reference: str, when: datetime) -> SafetyAlert:
    conference = db.session.scalars(
        select(Conference).where(Conference.case_reference == reference)
    ).one()
    invitation = db.session.scalars(
        select(Invitation)
        .join(FamilyMember)
        .where(
            Invitation.conference_id == conference.id,
            Invitation.form == FormKind.VIEWS,
            FamilyMember.relationship == Relationship.FATHER,
        )
    ).one()
    response = FormResponse(
        invitation_id=invitation.id,
        questionnaire=PARENT_VIEWS.id,
        started_at=when,
        safety_concern_at=when,
        answers=[
            Answer(question_id="why_meeting", value={"choice": "yes"}),
            Answer(question_id="danger_now", value={"choice": "yes"}),
        ],
    )
    invitation.opened_at = invitation.started_at = when
    db.session.add(response)
    db.session.flush()
    alert = raise_alert(
        conference,
        AlertSource.DANGER_ANSWER,
        family_member=invitation.family_member,
        form_response=response,
    )
    assert alert is not None  # a new response: nothing raised before
    alert.raised_at = when
    for delivery in alert.deliveries:
        delivery.queued_at = when
        if delivery.message is not None:
            delivery.message.created_at = delivery.message.next_attempt_at = when
    return alert
