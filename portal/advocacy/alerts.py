"""The safeguarding alerts a new concern on an advocate's record sends, and who could not be
told. The record's save queues them in its own transaction (portal/advocacy/records.py).
"""

from __future__ import annotations

from flask import current_app, url_for

from portal.extensions import db
from portal.messaging.wording import render
from portal.models import (
    AdvocateRecord,
    Channel,
    Conference,
    Message,
    MessageKind,
    SafeguardingAlert,
    StaffUser,
    utcnow,
)

ALERT_SUBJECT = "Heard: a new safeguarding concern"
# The chair has an account: they sign in and read the concern in the pack.
ALERT_BODY = (
    "An advocate has recorded a new safeguarding concern for a meeting you are involved in.\n\n"
    "Sign in to Heard to read it today: {link}"
)
# The social worker has no account: they call the advocacy service. Still no name, no detail.
SOCIAL_WORKER_ALERT_BODY = (
    "An advocate has recorded a new safeguarding concern for a meeting you are involved in.\n\n"
    "Call the advocacy service today on {phone} to hear about it."
)


def alert(record: AdvocateRecord, conference: Conference, by: StaffUser) -> list[str]:
    """Tell the chair and the social worker by email, at once (not only in sending hours);
    who was told ("chair", "social_worker"), in that order. The caller commits.

    The message names no one and gives no case detail: the chair is asked to sign in, the
    social worker (who has no account) to call the advocacy service.
    """
    recipients = []
    if conference.chair is not None and conference.chair.email:
        recipients.append(("chair", conference.chair.email, ALERT_BODY))
    if conference.social_worker_email:
        recipients.append(
            ("social_worker", conference.social_worker_email, SOCIAL_WORKER_ALERT_BODY)
        )
    if not recipients:
        return []
    link = (current_app.config["PUBLIC_BASE_URL"] + url_for("site.home")).rstrip("/") + "/"
    now = utcnow()
    alerted = []
    for told, address, body in recipients:
        wording = render(Channel.EMAIL, ALERT_SUBJECT, body, link=link)
        message = Message(
            family_member=None,
            conference_id=conference.id,
            kind=MessageKind.SAFEGUARDING_ALERT,
            channel=Channel.EMAIL,
            to_address=address,
            subject=wording.subject,
            body_text=wording.text,
            body_html=wording.html,
            next_attempt_at=now,
        )
        db.session.add(message)
        record.alerts.append(
            SafeguardingAlert(
                told=told, to_address=address, message=message, raised_at=now, raised_by_id=by.id
            )
        )
        alerted.append(told)
    return alerted


def not_told(record: AdvocateRecord | None) -> list[str]:
    """Who could not be told automatically about the record's safeguarding concern."""
    if record is None or record.safeguarding_concern_at is None:
        return []
    told = {alert.told for alert in record.alerts}
    return [who for who in ("chair", "social_worker") if who not in told]
