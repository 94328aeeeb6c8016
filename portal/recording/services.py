"""Recording a conference after it: saving the chair's record in one transaction, the feedback
invitations it starts, and "You said, we did". What the portal already knows about each person
before the record is in portal.recording.known."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.audit.services import commit_views, record_event
from portal.extensions import db
from portal.invitations.schedule import first_send_at, never_invited, not_recorded_as_uninvited
from portal.invitations.services import (
    NOT_INVITED,
    InvitationRefused,
    expiry_for,
    form_problem,
    issue_invitation,
    live_invitation,
    revoke,
)
from portal.messaging.reachable import contact_problem
from portal.models import (
    AdultAttendance,
    AttendanceMode,
    AuditAction,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceStatus,
    DelayReason,
    FormKind,
    HarmCategory,
    NotInvitedReason,
    ParticipationCode,
    PlanOutcome,
    RecordType,
    StaffUser,
    utcnow,
)
from portal.plans.services import rebuild_plans
from portal.recording.you_said import queue_note_message, queue_note_messages

# A category of harm is recorded for a plan that starts or carries on, and only then.
PLAN_IN_PLACE = frozenset({PlanOutcome.STARTED, PlanOutcome.CONTINUED})


# --- The record --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRecord:
    child_id: int
    code: ParticipationCode
    plan_outcome: PlanOutcome
    harm_category: HarmCategory | None


@dataclass(frozen=True)
class AdultRecord:
    member_id: int
    invited: bool
    not_invited_reason: NotInvitedReason | None
    attendance: AdultAttendance
    attendance_mode: AttendanceMode | None
    views_routes: list[str]


@dataclass(frozen=True)
class ConferenceRecord:
    held_on: date
    format: ConferenceFormat
    quorate: bool
    children: list[ChildRecord]
    adults: list[AdultRecord]
    # Why it was held out of timescale (portal/plans/timeliness.py); None when it was not.
    delay_reason: DelayReason | None = None
    delay_reason_detail: str = ""


@dataclass
class FeedbackQueued:
    """What marking the conference held did about feedback invitations."""

    count: int = 0
    send_at: datetime | None = None
    not_sent: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    # Recorded by the chair as not invited to the conference: never asked for feedback.
    not_invited: list[str] = field(default_factory=list)  # names
    why_none: str | None = None  # why none can be sent at all
    # Children with a note already whose message could not be queued: (name, why)
    notes_not_sent: list[tuple[str, str]] = field(default_factory=list)


def _changed(record: object, values: dict[str, object]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    return changed


def save_record(
    conference: Conference, record: ConferenceRecord, by: StaffUser, now: datetime | None = None
) -> FeedbackQueued:
    """Save the whole record and queue the feedback invitations, all in one commit."""
    now = now or utcnow()
    # One save at a time per conference (PostgreSQL; SQLite writes one at a time anyway), so two
    # saves at once cannot both find someone not yet invited.
    db.session.execute(
        select(Conference.id).where(Conference.id == conference.id).with_for_update()
    )
    changed = _changed(
        conference,
        {
            "status": ConferenceStatus.HELD,
            "held_on": record.held_on,
            "format": record.format,
            "quorate": record.quorate,
            "delay_reason": record.delay_reason,
            "delay_reason_detail": record.delay_reason_detail,
        },
    )
    conference.recorded_at, conference.recorded_by_id = now, by.id
    record_event(
        AuditAction.UPDATE,
        RecordType.CONFERENCE,
        conference.id,
        conference_id=conference.id,
        fields=[*changed, "recorded_at", "recorded_by_id"],
    )
    children = {link.child_id: link for link in conference.children}
    for child in record.children:
        fields = _changed(
            children[child.child_id],
            {
                "participation_code": child.code,
                "plan_outcome": child.plan_outcome,
                "harm_category": child.harm_category,
            },
        )
        if fields:
            record_event(
                AuditAction.UPDATE,
                RecordType.CHILD,
                child.child_id,
                conference_id=conference.id,
                fields=fields,
            )
    adults = {link.family_member_id: link for link in conference.adults}
    for adult in record.adults:
        fields = _changed(
            adults[adult.member_id],
            {
                "invited": adult.invited,
                "not_invited_reason": adult.not_invited_reason,
                "attendance": adult.attendance,
                "attendance_mode": adult.attendance_mode,
                "views_routes": adult.views_routes,
                # What the participation report counts: attended, or heard by another route
                "views_heard": adult.attendance != AdultAttendance.NONE or bool(adult.views_routes),
            },
        )
        if fields:
            record_event(
                AuditAction.UPDATE,
                RecordType.FAMILY_MEMBER,
                adult.member_id,
                conference_id=conference.id,
                fields=fields,
            )
    rebuild_plans(children)
    queued = queue_feedback_invitations(conference, now)
    queued.notes_not_sent = queue_note_messages(conference, now)  # a note saved before
    db.session.commit()
    return queued


def queue_feedback_invitations(conference: Conference, now: datetime) -> FeedbackQueued:
    """The feedback invitations the schedule would send once the conference is held, made now
    and queued for the schedule's first send time. Nobody is invited twice: people with a
    feedback invitation already (an earlier save, or the schedule's own run) are left alone.
    The caller commits."""
    db.session.flush()  # the schedule's queries see the conference as held
    queued = FeedbackQueued(not_invited=_leave_out_the_not_invited(conference, now))
    queued.why_none = form_problem(conference, FormKind.FEEDBACK, now)
    if queued.why_none:
        return queued
    queued.send_at = first_send_at(conference, FormKind.FEEDBACK, now)
    if queued.send_at >= expiry_for(conference, FormKind.FEEDBACK):
        queued.why_none = _("The time for feedback on this conference has passed")
        return queued
    waiting = db.session.scalars(
        select(ConferenceAdult)
        .where(
            ConferenceAdult.conference_id == conference.id,
            ConferenceAdult.invitations_paused.is_(False),
            not_recorded_as_uninvited(),
            never_invited(FormKind.FEEDBACK),
        )
        .options(selectinload(ConferenceAdult.family_member))
        .order_by(ConferenceAdult.family_member_id)
    ).all()
    for adult in waiting:
        member = adult.family_member
        problem = contact_problem(member)
        if problem is None:
            try:
                issue_invitation(conference, member, FormKind.FEEDBACK, now, due_at=queued.send_at)
                queued.count += 1
                continue
            except InvitationRefused as refused:
                problem = str(refused)
        queued.not_sent.append((member.full_name, problem))
    return queued


def _leave_out_the_not_invited(conference: Conference, now: datetime) -> list[str]:
    """The names of the adults the chair recorded as not invited. None of them is asked for
    feedback: a feedback link already made for one (before the record was corrected) stops
    working, and its unsent messages are not sent."""
    left_out = [
        link
        for link in sorted(conference.adults, key=lambda a: a.family_member_id)
        if link.invited is False
    ]
    for link in left_out:
        earlier = live_invitation(conference.id, link.family_member_id, FormKind.FEEDBACK)
        if earlier is not None:
            revoke(earlier, now, NOT_INVITED)
    return [link.family_member.full_name for link in left_out]


# --- "You said, we did" ------------------------------------------------------------------------


def conference_child(conference_id: int, child_id: int) -> ConferenceChild | None:
    return db.session.get(ConferenceChild, (conference_id, child_id))


def save_you_said_we_did(
    link: ConferenceChild, note: str, now: datetime | None = None
) -> str | None:
    """Save the note, and queue the message telling the child of it (once): why it could not
    be queued, else None."""
    now = now or utcnow()
    link.you_said_we_did = note
    link.you_said_we_did_at = now
    record_event(
        AuditAction.UPDATE,
        RecordType.CHILD,
        link.child_id,
        conference_id=link.conference_id,
        fields=["you_said_we_did"],
    )
    problem = queue_note_message(link, now)
    db.session.commit()
    return problem


def record_child_viewed(link: ConferenceChild) -> None:
    record_event(
        AuditAction.VIEW, RecordType.CHILD, link.child_id, conference_id=link.conference_id
    )
    commit_views()
