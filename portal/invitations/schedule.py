"""The schedule: when each person's invitations and reminders are due, and issuing them.

Views: an invitation N working days before the conference, a reminder M days after it was sent
if not answered. Feedback: an invitation the working day after the conference is marked held,
one reminder. Dates are working days in England (bank holidays excluded); all from settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.invitations.services import (
    InvitationRefused,
    issue_invitation,
    queue_reminder,
)
from portal.messaging.reachable import contact_problem
from portal.models import (
    Conference,
    ConferenceAdult,
    ConferenceStatus,
    FormKind,
    Invitation,
)
from portal.working_days import add_working_days, is_working_day, next_working_day


def _local_date(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def first_send_date(conference: Conference, form: FormKind) -> date:
    conference_day = _local_date(conference.starts_at)
    if form == FormKind.VIEWS:
        days_before = current_app.config["VIEWS_INVITATION_WORKING_DAYS_BEFORE"]
        return add_working_days(conference_day, -days_before)
    return next_working_day(conference_day)


def first_send_at(conference: Conference, form: FormKind, now: datetime) -> datetime:
    """The first moment the schedule would send this form's first invitation: on or after its
    send date and ``now``, on a working day, within sending hours (UTC)."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    start_hour = time(current_app.config["SEND_FROM_HOUR"])
    day = max(first_send_date(conference, form), _local_date(now))
    while True:
        if is_working_day(day):
            opens = datetime.combine(day, start_hour, zone)
            if opens >= now:
                return opens.astimezone(UTC)
            if _within_sending_hours(now):  # today, and sending has already begun
                return now
        day += timedelta(days=1)


def reminder_delay(form: FormKind) -> timedelta:
    key = "VIEWS_REMINDER_AFTER_DAYS" if form == FormKind.VIEWS else "FEEDBACK_REMINDER_AFTER_DAYS"
    return timedelta(days=current_app.config[key])


@dataclass(frozen=True)
class ScheduleRun:
    invitations: int
    reminders: int
    skipped: int


def never_invited(form: FormKind) -> ColumnElement[bool]:
    """The person at the conference (a ``ConferenceAdult`` row) has no invitation for ``form``."""
    return ~exists().where(
        Invitation.conference_id == ConferenceAdult.conference_id,
        Invitation.family_member_id == ConferenceAdult.family_member_id,
        Invitation.form == form,
    )


def not_recorded_as_uninvited() -> ColumnElement[bool]:
    """Not recorded by the chair as not invited to the conference (excluded, whereabouts
    unknown...): nobody so recorded is asked for feedback. Not yet recorded (NULL) is fine."""
    return ConferenceAdult.invited.is_not(False)


def _due_first_invitations(form: FormKind, now: datetime) -> list[ConferenceAdult]:
    """People at conferences whose first invitation for ``form`` is due and not yet made."""
    if form == FormKind.VIEWS:
        # The send date is at most N working days (plus weekends and holidays) before.
        horizon = now + timedelta(
            days=current_app.config["VIEWS_INVITATION_WORKING_DAYS_BEFORE"] * 2 + 14
        )
        window = and_(
            Conference.status == ConferenceStatus.SCHEDULED,
            Conference.starts_at > now,
            Conference.starts_at <= horizon,
        )
    else:
        window = and_(
            not_recorded_as_uninvited(),
            Conference.status == ConferenceStatus.HELD,
            Conference.starts_at <= now,
            Conference.starts_at > now - timedelta(days=current_app.config["FEEDBACK_LINK_DAYS"]),
        )
    candidates = db.session.scalars(
        select(ConferenceAdult)
        .join(Conference)
        .where(window, ConferenceAdult.invitations_paused.is_(False), never_invited(form))
        .options(
            selectinload(ConferenceAdult.conference), selectinload(ConferenceAdult.family_member)
        )
    ).all()
    today = _local_date(now)
    return [c for c in candidates if first_send_date(c.conference, form) <= today]


def _due_reminders(now: datetime) -> list[Invitation]:
    due: list[Invitation] = []
    for form in FormKind:
        due += db.session.scalars(
            select(Invitation)
            .join(
                ConferenceAdult,
                and_(
                    ConferenceAdult.conference_id == Invitation.conference_id,
                    ConferenceAdult.family_member_id == Invitation.family_member_id,
                ),
            )
            .where(
                Invitation.form == form,
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
                Invitation.submitted_at.is_(None),
                Invitation.reminder_queued_at.is_(None),
                Invitation.sent_at <= now - reminder_delay(form),
                ConferenceAdult.invitations_paused.is_(False),
            )
            .options(selectinload(Invitation.family_member))
        ).all()
    return due


# Any fixed number: the key of the PostgreSQL advisory lock that one schedule run holds.
SCHEDULE_LOCK = 727_001


def _within_sending_hours(now: datetime) -> bool:
    hour = now.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).hour
    start: int = current_app.config["SEND_FROM_HOUR"]
    until: int = current_app.config["SEND_UNTIL_HOUR"]
    return start <= hour < until


def _only_runner() -> bool:
    """One schedule run at a time across workers (PostgreSQL); SQLite runs one worker anyway."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.session.scalar(select(func.pg_try_advisory_xact_lock(SCHEDULE_LOCK))))


def run_schedule(now: datetime) -> ScheduleRun:
    """Issue every invitation and reminder that is due, in sending hours. Safe to run as often as
    you like, from several workers at once."""
    if not _within_sending_hours(now) or not _only_runner():
        db.session.commit()
        return ScheduleRun(invitations=0, reminders=0, skipped=0)
    invitations = skipped = 0
    for form in FormKind:
        for adult in _due_first_invitations(form, now):
            if contact_problem(adult.family_member):
                skipped += 1  # shown to the coordinator on the delivery page
                continue
            try:
                issue_invitation(adult.conference, adult.family_member, form, now)
                invitations += 1
            except InvitationRefused:
                skipped += 1
    reminders = sum(1 for invitation in _due_reminders(now) if queue_reminder(invitation, now))
    db.session.commit()
    return ScheduleRun(invitations=invitations, reminders=reminders, skipped=skipped)
