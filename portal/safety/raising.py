"""Raising a safety alert and telling people at once.

``raise_alert`` is the one way in: the family forms (an answer that says someone is in danger
now, a young person's very low "how safe do you feel at home"), an advocate's new safeguarding
concern, and text replies call it. It adds the alert and queues its messages in the caller's
transaction (the caller commits), so an answer is never saved without its alert.

Who is told, at once and whatever the sending hours (the worker sends a message as soon as it
is due; only the invitations' schedule keeps to sending hours):

- the conference's chair, by email, and by text when they have set their own mobile on their
  account page (``StaffUser.mobile``);
- the coordinators' team, ``SAFEGUARDING_TEAM_EMAIL`` by email, and ``SAFEGUARDING_TEAM_MOBILE``
  by text when set;
- the allocated social worker, by email and by text where the conference has their address and
  mobile (``Conference.social_worker_email``, ``social_worker_mobile``). They have no account:
  they are asked to phone the team, and their text carries no link.

No message names anyone, quotes an answer or gives a case reference: staff sign in to read it.
Each text fits one SMS segment (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from portal.audit.services import record_event
from portal.extensions import db
from portal.messaging.wording import render
from portal.models import (
    AdvocateRecord,
    AlertRaiser,
    AlertSource,
    AuditAction,
    Channel,
    Conference,
    FamilyMember,
    FormResponse,
    Message,
    MessageKind,
    RecordType,
    Relationship,
    SafetyAlert,
    SafetyAlertDelivery,
    StaffUser,
    TextReply,
    utcnow,
)
from portal.safety import unmatched

SUBJECT = "Heard: a new safety alert"
# Staff with an account (the chair, the coordinators): sign in to read it.
SIGN_IN_BODY = (
    "A safety alert was raised for a meeting you are involved in: someone may be in danger "
    "now.\n\nSign in to Heard now to read it and say what was done: {link}"
)
# The social worker has no account: they phone the team. Still no name, no detail.
PHONE_BODY = (
    "A safety alert was raised for a meeting you are involved in: someone may be in danger "
    "now.\n\nCall the conference team now on {phone} to hear about it."
)
SMS_BODY = "Heard: a safety alert was raised. Someone may be in danger now. Sign in now: {link}"
# The social worker's text: no account, so no link; they phone the team.
PHONE_SMS_BODY = (
    "Heard: a safety alert was raised. Someone may be in danger now. "
    "Call the conference team now on {phone}."
)
ESCALATION_SUBJECT = "Heard: a safety alert nobody has acknowledged"
ESCALATION_BODY = (
    "A safety alert raised {minutes} minutes ago has not been acknowledged: someone may be in "
    "danger now.\n\nSign in to Heard to read it: {link}\n\nOr call the conference team on {phone}."
)
# Who an alert tells, in this order; "duty" is told only when nobody acknowledges it in time.
TOLD = ("chair", "team", "social_worker")


@dataclass(frozen=True)
class Recipient:
    told: str
    channel: Channel
    address: str
    body: str


def raise_alert(
    conference: Conference,
    source: AlertSource,
    *,
    raised_by_staff: StaffUser | None = None,
    family_member: FamilyMember | None = None,
    form_response: FormResponse | None = None,
    advocate_record: AdvocateRecord | None = None,
) -> SafetyAlert | None:
    """Raise an alert and queue its messages; None if this response (or record) has already
    raised one from this source: saving the page again tells nobody twice. The caller commits.
    """
    if already_raised(source, form_response, advocate_record):
        return None
    alert = SafetyAlert(
        conference=conference,
        source=source,
        raised_by=_raiser(family_member, raised_by_staff),
        family_member=family_member,
        form_response=form_response,
        advocate_record=advocate_record,
        raised_by_staff=raised_by_staff,
        raised_at=utcnow(),
    )
    db.session.add(alert)
    db.session.flush()  # the alert's id, for its link and the audit event
    link = alert_link(alert)
    for recipient in recipients(conference):
        queue_delivery(
            alert,
            recipient.told,
            recipient.channel,
            recipient.address,
            SUBJECT,
            recipient.body,
            link,
        )
    record_event(
        AuditAction.CREATE,
        RecordType.SAFETY_ALERT,
        alert.id,
        conference_id=conference.id,
        actor=raised_by_staff,
    )
    return alert


def alert_for_reply(reply: TextReply) -> SafetyAlert | None:
    """A text reply using a danger word (portal/messaging/replies.py hands it here): an alert
    on the conference of the link it is held against. None when it is held against no link:
    no conference for an alert, so the safeguarding team is told instead (portal/safety/
    unmatched.py). The caller commits."""
    if reply.invitation is None:
        unmatched.tell_team()
        return None
    return raise_alert(
        reply.invitation.conference, AlertSource.TEXT_REPLY, family_member=reply.family_member
    )


def already_raised(
    source: AlertSource, form_response: FormResponse | None, advocate_record: AdvocateRecord | None
) -> bool:
    if form_response is None and advocate_record is None:
        return False  # a text reply: each one is its own alert
    query = select(SafetyAlert.id).where(SafetyAlert.source == source)
    if form_response is not None:
        query = query.where(SafetyAlert.form_response_id == form_response.id)
    if advocate_record is not None:
        query = query.where(SafetyAlert.advocate_record_id == advocate_record.id)
    return db.session.scalar(query.limit(1)) is not None


def _raiser(member: FamilyMember | None, staff: StaffUser | None) -> AlertRaiser:
    if member is not None:
        if member.relationship == Relationship.YOUNG_PERSON:
            return AlertRaiser.CHILD
        return AlertRaiser.FAMILY_MEMBER
    return AlertRaiser.ADVOCATE


def recipients(conference: Conference) -> list[Recipient]:
    """Everyone an alert on this conference goes to, by every channel known for them."""
    config = current_app.config
    found = []
    chair = conference.chair
    if chair is not None and chair.email:
        found.append(Recipient("chair", Channel.EMAIL, chair.email, SIGN_IN_BODY))
    if chair is not None and chair.mobile:
        found.append(Recipient("chair", Channel.SMS, chair.mobile, SMS_BODY))
    if config["SAFEGUARDING_TEAM_EMAIL"]:
        found.append(
            Recipient("team", Channel.EMAIL, config["SAFEGUARDING_TEAM_EMAIL"], SIGN_IN_BODY)
        )
    if config["SAFEGUARDING_TEAM_MOBILE"]:
        found.append(Recipient("team", Channel.SMS, config["SAFEGUARDING_TEAM_MOBILE"], SMS_BODY))
    if conference.social_worker_email:
        found.append(
            Recipient("social_worker", Channel.EMAIL, conference.social_worker_email, PHONE_BODY)
        )
    if conference.social_worker_mobile:
        found.append(
            Recipient("social_worker", Channel.SMS, conference.social_worker_mobile, PHONE_SMS_BODY)
        )
    return found


def alert_link(alert: SafetyAlert) -> str:
    """The alert's page (portal/safety/routes.py): a record number only, and nothing without
    signing in. Made without ``url_for``: the worker escalates outside any request."""
    return f"{current_app.config['PUBLIC_BASE_URL']}/safety-alerts/{alert.id}"


def queue_delivery(
    alert: SafetyAlert,
    told: str,
    channel: Channel,
    address: str,
    subject: str,
    body: str,
    link: str,
) -> SafetyAlertDelivery:
    """One message to one person, due now, and the delivery that records it. The caller
    commits."""
    wording = render(channel, subject if channel == Channel.EMAIL else None, body, link=link)
    now = utcnow()
    message = Message(
        family_member=None,
        conference_id=alert.conference_id,
        kind=MessageKind.SAFEGUARDING_ALERT,
        channel=channel,
        to_address=address,
        subject=wording.subject,
        body_text=wording.text,
        body_html=wording.html,
        next_attempt_at=now,
    )
    db.session.add(message)
    delivery = SafetyAlertDelivery(
        told=told, channel=channel, to_address=address, message=message, queued_at=now
    )
    alert.deliveries.append(delivery)
    return delivery
