"""Subject access: the safety alerts raised from what the person said.

An alert is the person's: raised from their own answer (in their form, or entered for them) or
their text reply. The file says what raised it, when, and how far staff have dealt with it
(open, acknowledged, closed, and when). What staff wrote of what they did and of the outcome
stays out, as the chair's notes do: those are staff's safeguarding notes, which can name other
people and are considered with the social care record on request.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import FamilyMember, FormResponse, Invitation, SafetyAlert
from portal.subject_access.held import AlertEntry


def collect_alerts(member: FamilyMember) -> list[AlertEntry]:
    """Alerts raised for this person, or from a response of theirs, oldest first."""
    own_responses = (
        select(FormResponse.id)
        .join(Invitation, Invitation.id == FormResponse.invitation_id)
        .where(Invitation.family_member_id == member.id)
    )
    alerts = db.session.scalars(
        select(SafetyAlert)
        .where(
            (SafetyAlert.family_member_id == member.id)
            | SafetyAlert.form_response_id.in_(own_responses)
        )
        .options(joinedload(SafetyAlert.conference))
        .order_by(SafetyAlert.raised_at, SafetyAlert.id)
    ).all()
    return [
        AlertEntry(
            conference_date=alert.conference.conference_date,
            raised_at=alert.raised_at,
            source=alert.source.label,
            state=alert.state.label,
            acknowledged_at=alert.acknowledged_at,
            closed_at=alert.closed_at,
        )
        for alert in alerts
    ]
