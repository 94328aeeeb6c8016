"""Escalation: an alert nobody has acknowledged in ``SAFETY_ALERT_ESCALATE_MINUTES`` is sent
again to the duty team (``SAFEGUARDING_DUTY_EMAIL``), once. The worker runs it on every pass
(portal/worker.py); ``escalated_at`` is claimed with a conditional UPDATE, so two workers never
send it twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import AlertState, AuditAction, Channel, RecordType, SafetyAlert
from portal.models.base import rows_matched
from portal.safety.raising import ESCALATION_BODY, ESCALATION_SUBJECT, alert_link, queue_delivery

log = logging.getLogger(__name__)


def escalate_overdue(now: datetime) -> int:
    """Queue the duty team's message for every open alert past its time; how many. Commits."""
    config = current_app.config
    duty = config["SAFEGUARDING_DUTY_EMAIL"]
    minutes = config["SAFETY_ALERT_ESCALATE_MINUTES"]
    if not duty:
        return 0
    due = list(
        db.session.scalars(
            select(SafetyAlert).where(
                SafetyAlert.state == AlertState.OPEN,
                SafetyAlert.escalated_at.is_(None),
                SafetyAlert.raised_at <= now - timedelta(minutes=minutes),
            )
        )
    )
    escalated = 0
    for alert in due:
        claimed = db.session.execute(
            update(SafetyAlert)
            .where(SafetyAlert.id == alert.id, SafetyAlert.escalated_at.is_(None))
            .values(escalated_at=now)
            .execution_options(synchronize_session=False)
        )
        if rows_matched(claimed) != 1:
            continue  # another worker has it
        body = ESCALATION_BODY.replace("{minutes}", str(minutes))
        queue_delivery(
            alert, "duty", Channel.EMAIL, duty, ESCALATION_SUBJECT, body, alert_link(alert)
        )
        record_event(
            AuditAction.UPDATE,
            RecordType.SAFETY_ALERT,
            alert.id,
            conference_id=alert.conference_id,
            fields=["escalated_at"],
        )
        escalated += 1
    db.session.commit()
    if escalated:
        log.info("safety alerts: %s sent to the duty team", escalated)
    return escalated
