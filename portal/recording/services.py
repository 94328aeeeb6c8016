"""Recording a conference after it: what the portal already knows about each person, saving the
chair's record in one transaction, the feedback invitations it starts, and "You said, we did"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from portal.audit.services import record_event
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
    AdvocacyReferral,
    AdvocateRecord,
    AttendanceMode,
    AuditAction,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceStatus,
    FamilyMember,
    FormKind,
    FormResponse,
    HarmCategory,
    Invitation,
    NotInvitedReason,
    ParticipationCode,
    PlanOutcome,
    Relationship,
    StaffUser,
    ViewsRoute,
    utcnow,
)
from portal.recording.codes import derived_code, participation_min_age

# A category of harm is recorded for a plan that starts or carries on, and only then.
PLAN_IN_PLACE = frozenset({PlanOutcome.STARTED, PlanOutcome.CONTINUED})


# --- What the portal knows ---------------------------------------------------------------------


def day_shown(conference: Conference) -> date:
    """The date the form shows as the day the conference was held: the one recorded, or, before
    it is recorded, the day it was booked for."""
    if conference.recorded_at is not None and conference.held_on is not None:
        return conference.held_on
    return conference.day


@dataclass(frozen=True)
class ChildToRecord:
    link: ConferenceChild
    age: int | None  # on the day the conference was held; None when unborn
    derived: ParticipationCode | None  # CP0, or None: the chair chooses
    has_advocacy: bool  # an advocate was assigned to the child for this conference
    suggested: ParticipationCode | None  # from an advocate's record or the child's own form
    suggested_because: str = ""

    @property
    def child(self) -> Child:
        return self.link.child


@dataclass(frozen=True)
class AdultToRecord:
    link: ConferenceAdult
    sent_views: bool  # submitted their views form through the portal

    @property
    def member(self) -> FamilyMember:
        return self.link.family_member


def _child_ids(query: Select[tuple[int]]) -> set[int]:
    return set(db.session.scalars(query))


def people_to_record(
    conference: Conference, held_on: date
) -> tuple[list[ChildToRecord], list[AdultToRecord]]:
    """Every child and adult at the conference, with what the portal knows about each. Ages, and
    so CP0, are on ``held_on``, the day the conference was held (the day the form shows, or the
    one posted).

    A young person invited in their own right is a child here (recorded by code), not an adult.
    """
    referred = AdvocacyReferral.conference_id == conference.id
    with_advocate = _child_ids(
        select(AdvocacyReferral.child_id).where(referred, AdvocacyReferral.advocate_id.is_not(None))
    )
    briefed = _child_ids(
        select(AdvocacyReferral.child_id)
        .join(AdvocateRecord, AdvocateRecord.referral_id == AdvocacyReferral.id)
        .where(referred, AdvocateRecord.submitted_at.is_not(None))
    )
    sent_views = db.session.execute(
        select(FamilyMember.id, FamilyMember.child_id)
        .join(Invitation, Invitation.family_member_id == FamilyMember.id)
        .join(FormResponse, FormResponse.invitation_id == Invitation.id)
        .where(
            Invitation.conference_id == conference.id,
            Invitation.form == FormKind.VIEWS,
            FormResponse.submitted_at.is_not(None),
        )
    ).all()
    members_who_sent = {row.id for row in sent_views}
    children_who_sent = {row.child_id for row in sent_views if row.child_id is not None}

    day, min_age = held_on, participation_min_age()
    children = []
    for link in sorted(conference.children, key=lambda c: c.child_id):
        derived = derived_code(link.child, day, min_age)
        suggested, because = derived, ""
        if derived is None and link.child_id in briefed:
            suggested, because = ParticipationCode.CP5, _("an advocate's record was sent")
        elif derived is None and link.child_id in children_who_sent:
            suggested, because = ParticipationCode.CP6, _("they sent their own form")
        children.append(
            ChildToRecord(
                link=link,
                age=link.child.age_on(day),
                derived=derived,
                has_advocacy=link.child_id in with_advocate,
                suggested=suggested,
                suggested_because=because,
            )
        )
    adults = [
        AdultToRecord(link=link, sent_views=link.family_member_id in members_who_sent)
        for link in sorted(conference.adults, key=lambda a: a.family_member_id)
        if link.family_member.relationship != Relationship.YOUNG_PERSON
    ]
    return children, adults


def load_for_recording(conference_id: int) -> Conference | None:
    return db.session.scalar(
        select(Conference)
        .where(Conference.id == conference_id)
        .options(
            selectinload(Conference.children).selectinload(ConferenceChild.child),
            selectinload(Conference.adults).selectinload(ConferenceAdult.family_member),
        )
    )


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


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def form_data(
    conference: Conference, children: list[ChildToRecord], adults: list[AdultToRecord]
) -> dict[str, object]:
    """What the form shows first: what was recorded, or, for anything not yet recorded, what
    the portal suggests (the conference's own date; a submitted form ticks "portal form")."""
    recorded = conference.recorded_at is not None
    data: dict[str, object] = {
        "held_on": day_shown(conference),
        "format": conference.format.value,
        "quorate": _yes_no(conference.quorate) if recorded else None,
    }
    for person in children:
        link = person.link
        code = link.participation_code  # a child added since the record was saved has none
        shown = code or person.suggested
        data[f"child-{link.child_id}"] = {
            "code": shown.value if shown else None,
            # Attendance is not stored: it is what the recorded code says
            "attended": _yes_no(code.attended) if code else None,
            "plan_outcome": link.plan_outcome.value if link.plan_outcome else None,
            "harm_category": (
                (link.harm_category.value if link.harm_category else "none") if code else None
            ),
        }
    for adult in adults:
        link = adult.link
        if link.invited is not None:
            routes = list(link.views_routes or [])
            data[f"adult-{link.family_member_id}"] = {
                "invited": _yes_no(link.invited),
                "not_invited_reason": link.not_invited_reason and link.not_invited_reason.value,
                "attendance": link.attendance and link.attendance.value,
                "attendance_mode": link.attendance_mode and link.attendance_mode.value,
                "views_routes": routes,
            }
        else:
            data[f"adult-{link.family_member_id}"] = {
                "invited": "yes",
                "views_routes": [ViewsRoute.PORTAL_FORM.value] if adult.sent_views else [],
            }
    return data


@dataclass
class FeedbackQueued:
    """What marking the conference held did about feedback invitations."""

    count: int = 0
    send_at: datetime | None = None
    not_sent: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    # Recorded by the chair as not invited to the conference: never asked for feedback.
    not_invited: list[str] = field(default_factory=list)  # names
    why_none: str | None = None  # why none can be sent at all


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
        },
    )
    conference.recorded_at, conference.recorded_by_id = now, by.id
    record_event(
        AuditAction.UPDATE,
        "conference",
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
                "child",
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
                "family_member",
                adult.member_id,
                conference_id=conference.id,
                fields=fields,
            )
    queued = queue_feedback_invitations(conference, now)
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


def save_you_said_we_did(link: ConferenceChild, note: str, now: datetime | None = None) -> None:
    link.you_said_we_did = note
    link.you_said_we_did_at = now or utcnow()
    record_event(
        AuditAction.UPDATE,
        "child",
        link.child_id,
        conference_id=link.conference_id,
        fields=["you_said_we_did"],
    )
    db.session.commit()


def record_child_viewed(link: ConferenceChild) -> None:
    record_event(AuditAction.VIEW, "child", link.child_id, conference_id=link.conference_id)
    db.session.commit()
