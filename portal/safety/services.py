"""Reading and acting on safety alerts: the list, one alert, acknowledging, closing, counting.

Who sees which alerts is ``alerts_visible_to`` in portal/visibility.py (coordinators and admins
all; a chair those of the conferences they chair). Every view and change is audited here.
"""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from portal.audit.services import commit_views, record_event
from portal.extensions import db
from portal.models import (
    AdvocateRecord,
    AlertState,
    AuditAction,
    Conference,
    RecordType,
    SafetyAlert,
    SafetyAlertDelivery,
    StaffUser,
    utcnow,
)
from portal.visibility import alerts_visible_to

# Open first, then acknowledged, then closed; oldest first within each.
_STATE_ORDER = case(
    (SafetyAlert.state == AlertState.OPEN, 0),
    (SafetyAlert.state == AlertState.ACKNOWLEDGED, 1),
    else_=2,
)
NOTE_MAX = 2000


class AlertRefused(Exception):
    """The alert is not in the state this needs (acknowledged twice, closed before
    acknowledging): nothing was changed. ``str()`` says why, for the page."""


def alerts_for(user: StaffUser, limit: int = 200) -> list[SafetyAlert]:
    """The alerts ``user`` may see: open first, oldest first (the newest ``limit``)."""
    return list(
        db.session.scalars(
            select(SafetyAlert)
            .where(alerts_visible_to(user))
            .order_by(_STATE_ORDER, SafetyAlert.raised_at, SafetyAlert.id)
            .options(selectinload(SafetyAlert.conference).selectinload(Conference.chair))
            .limit(limit)
        )
    )


def record_list_viewed() -> None:
    record_event(AuditAction.VIEW, RecordType.SAFETY_ALERT, None)  # a list: who looked
    db.session.commit()


def get_alert(alert_id: int) -> SafetyAlert | None:
    return db.session.get(SafetyAlert, alert_id)


def record_alert_viewed(alert: SafetyAlert) -> None:
    """The alert's page names who raised it: the alert and that person count as viewed."""
    record_event(
        AuditAction.VIEW, RecordType.SAFETY_ALERT, alert.id, conference_id=alert.conference_id
    )
    if alert.family_member_id is not None:
        record_event(
            AuditAction.VIEW,
            RecordType.FAMILY_MEMBER,
            alert.family_member_id,
            conference_id=alert.conference_id,
        )
    child_id = _child_of(alert.advocate_record)
    if child_id is not None:
        record_event(
            AuditAction.VIEW, RecordType.CHILD, child_id, conference_id=alert.conference_id
        )
    commit_views()


def _child_of(record: AdvocateRecord | None) -> int | None:
    return record.referral.child_id if record is not None else None


def acknowledge(alert: SafetyAlert, by: StaffUser, action_taken: str) -> None:
    """Who acknowledged it, when, and what was done (sealed). Once only."""
    if alert.state != AlertState.OPEN:
        raise AlertRefused(
            f"This alert was already acknowledged by {_name(alert.acknowledged_by)}. "
            "Nothing was changed."
        )
    # Time and person first: reading an expired ``by`` flushes, and the state alone would break
    # the alert's "acknowledged has a time" check.
    alert.acknowledged_at, alert.acknowledged_by_id = utcnow(), by.id
    alert.state = AlertState.ACKNOWLEDGED
    alert.action_taken = action_taken
    record_event(
        AuditAction.UPDATE,
        RecordType.SAFETY_ALERT,
        alert.id,
        conference_id=alert.conference_id,
        fields=["state", "acknowledged_at", "acknowledged_by_id", "action_taken"],
    )
    db.session.commit()


def close(alert: SafetyAlert, by: StaffUser, outcome: str) -> None:
    """Closed with the outcome (sealed): only once acknowledged, so every closed alert says
    who acted on it and what they did."""
    if alert.state == AlertState.OPEN:
        raise AlertRefused(
            "Acknowledge the alert first, saying what was done. Nothing was changed."
        )
    if alert.state == AlertState.CLOSED:
        raise AlertRefused(f"This alert was already closed by {_name(alert.closed_by)}.")
    alert.closed_at, alert.closed_by_id = utcnow(), by.id  # before the state, as above
    alert.state = AlertState.CLOSED
    alert.outcome = outcome
    record_event(
        AuditAction.UPDATE,
        RecordType.SAFETY_ALERT,
        alert.id,
        conference_id=alert.conference_id,
        fields=["state", "closed_at", "closed_by_id", "outcome"],
    )
    db.session.commit()


def _name(user: StaffUser | None) -> str:
    return user.full_name if user is not None else "someone"


def open_alert_count(user: StaffUser) -> int:
    """Open (not yet acknowledged) alerts ``user`` may see: for the worklists."""
    return (
        db.session.scalar(
            select(func.count(SafetyAlert.id)).where(
                alerts_visible_to(user), SafetyAlert.state == AlertState.OPEN
            )
        )
        or 0
    )


def alert_states(conference_ids: list[int]) -> dict[int, AlertState]:
    """Per conference, the state that most needs acting on among its alerts (open before
    acknowledged before closed); conferences without alerts are left out."""
    if not conference_ids:
        return {}
    rows = db.session.execute(
        select(SafetyAlert.conference_id, func.min(_STATE_ORDER))
        .where(SafetyAlert.conference_id.in_(conference_ids))
        .group_by(SafetyAlert.conference_id)
    ).all()
    order = [AlertState.OPEN, AlertState.ACKNOWLEDGED, AlertState.CLOSED]
    return {conference_id: order[rank] for conference_id, rank in rows}


def alerts_on(conference: Conference) -> list[SafetyAlert]:
    """A conference's alerts, open first, oldest first: for its page and the chair's pack."""
    return list(
        db.session.scalars(
            select(SafetyAlert)
            .where(SafetyAlert.conference_id == conference.id)
            .order_by(_STATE_ORDER, SafetyAlert.raised_at, SafetyAlert.id)
        )
    )


def deliveries_for_record(record: AdvocateRecord | None) -> list[SafetyAlertDelivery]:
    """Who was told about an advocate's concern, for the advocate's record page."""
    if record is None:
        return []
    return list(
        db.session.scalars(
            select(SafetyAlertDelivery)
            .join(SafetyAlert)
            .where(SafetyAlert.advocate_record_id == record.id)
            .order_by(SafetyAlertDelivery.id)
            .options(selectinload(SafetyAlertDelivery.message))
        )
    )
