"""The worklists: what needs doing, counted in SQL, and the lists behind each count.

The coordinator's home counts (each a link to its list):

- held, not recorded: ``portal.tasks.unrecorded.unrecorded``;
- contacts not confirmed safe: people on a scheduled conference in the next
  ``SOON_WORKING_DAYS`` working days (today included) who get links by text or email and whose
  contact route no coordinator has confirmed safe;
- links not sent or failed: people on a scheduled conference still to come whose live views link
  has a failed or undelivered message, or (in the next ``SOON_WORKING_DAYS`` working days,
  reachable by text or email) who have no views link sent;
- interpreter and access tasks still open, for scheduled conferences still to come.

The chair's home: their conferences in the next ``CHAIR_WORKING_DAYS`` working days with the
pack's readiness (views sent and advocates' records submitted; adults whose views are not in;
of those in, the ones this chair has not marked read), their open calls, and their conferences
held but not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    and_,
    exists,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import selectinload

from portal.audit.services import commit_views, record_views
from portal.extensions import db
from portal.models import (
    COORDINATOR_KINDS,
    AdvocacyReferral,
    AdvocateRecord,
    Channel,
    Conference,
    ConferenceAdult,
    ConferenceStatus,
    FamilyMember,
    FormKind,
    FormResponse,
    Invitation,
    Message,
    MessageStatus,
    PackItemRead,
    RecordStatus,
    RecordType,
    Role,
    StaffUser,
    Task,
    TaskKind,
    TaskState,
)
from portal.safety.services import open_alert_count
from portal.tasks.unrecorded import unrecorded
from portal.templating import local_date
from portal.visibility import visible_conferences
from portal.working_days import add_working_days
from portal.worklists.records_due import records_due_count

SOON_WORKING_DAYS = 5
CHAIR_WORKING_DAYS = 10


def _upcoming(now: datetime, working_days: int | None = None) -> ColumnElement[bool]:
    """Scheduled conferences still to come (within ``working_days`` working days of today)."""
    condition = and_(Conference.status == ConferenceStatus.SCHEDULED, Conference.starts_at > now)
    if working_days is None:
        return condition
    last_day = add_working_days(local_date(now), working_days)
    return and_(condition, Conference.conference_date <= last_day)


def _count(query: Select[*tuple[Any, ...]]) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def sees_list(user: StaffUser) -> ColumnElement[bool]:
    """The conferences on a list for ``user``: an admin (the service manager) sees every one."""
    return true() if user.role == Role.ADMIN else visible_conferences(user)


def unrecorded_query(user: StaffUser, now: datetime) -> Select[Conference]:
    return (
        select(Conference)
        .where(unrecorded(now), sees_list(user))
        .order_by(Conference.starts_at, Conference.id)
    )


def unrecorded_conferences(user: StaffUser, now: datetime) -> list[Conference]:
    return list(
        db.session.scalars(unrecorded_query(user, now).options(selectinload(Conference.chair)))
    )


def _unconfirmed(now: datetime) -> Select[ConferenceAdult]:
    return (
        select(ConferenceAdult)
        .join(Conference, Conference.id == ConferenceAdult.conference_id)
        .join(FamilyMember, FamilyMember.id == ConferenceAdult.family_member_id)
        .where(
            _upcoming(now, SOON_WORKING_DAYS),
            FamilyMember.contact_confirmed_safe_at.is_(None),
            FamilyMember.preferred_channel != Channel.NONE,
        )
    )


def unconfirmed_contacts(now: datetime) -> list[ConferenceAdult]:
    return list(
        db.session.scalars(
            _unconfirmed(now)
            .options(
                selectinload(ConferenceAdult.conference),
                selectinload(ConferenceAdult.family_member),
            )
            .order_by(Conference.starts_at, ConferenceAdult.family_member_id)
        )
    )


def _failed_link() -> ColumnElement[bool]:
    return exists().where(
        Invitation.conference_id == ConferenceAdult.conference_id,
        Invitation.family_member_id == ConferenceAdult.family_member_id,
        Invitation.form == FormKind.VIEWS,
        Invitation.revoked_at.is_(None),
        Message.invitation_id == Invitation.id,
        Message.status.in_([MessageStatus.FAILED, MessageStatus.UNDELIVERED]),
    )


def _link_sent() -> ColumnElement[bool]:
    return exists().where(
        Invitation.conference_id == ConferenceAdult.conference_id,
        Invitation.family_member_id == ConferenceAdult.family_member_id,
        Invitation.form == FormKind.VIEWS,
        Invitation.revoked_at.is_(None),
        Invitation.sent_at.is_not(None),
    )


def _links_problem(now: datetime) -> Select[ConferenceAdult, bool]:
    failed = _failed_link()
    last_soon_day = add_working_days(local_date(now), SOON_WORKING_DAYS)
    not_sent = and_(
        Conference.conference_date <= last_soon_day,
        FamilyMember.preferred_channel != Channel.NONE,
        ~_link_sent(),
    )
    return (
        select(ConferenceAdult, failed.label("failed"))
        .join(Conference, Conference.id == ConferenceAdult.conference_id)
        .join(FamilyMember, FamilyMember.id == ConferenceAdult.family_member_id)
        .where(_upcoming(now), or_(failed, not_sent))
    )


def link_problems(now: datetime) -> list[tuple[ConferenceAdult, bool]]:
    """People whose views link failed (True) or is not sent yet (False)."""
    rows = db.session.execute(
        _links_problem(now)
        .options(
            selectinload(ConferenceAdult.conference), selectinload(ConferenceAdult.family_member)
        )
        .order_by(Conference.starts_at, ConferenceAdult.family_member_id)
    ).all()
    return [(row[0], bool(row[1])) for row in rows]


def _open_tasks(now: datetime, kinds: tuple[TaskKind, ...]) -> Select[Task]:
    return (
        select(Task)
        .join(Conference, Conference.id == Task.conference_id)
        .where(_upcoming(now), Task.kind.in_(kinds), Task.state == TaskState.OPEN)
    )


def coordinator_tasks(now: datetime) -> list[Task]:
    """Interpreter and access tasks for conferences still to come: open ones, soonest first."""
    return list(
        db.session.scalars(
            _open_tasks(now, COORDINATOR_KINDS)
            .options(selectinload(Task.family_member), selectinload(Task.conference))
            .order_by(Task.due_at, Task.id)
        )
    )


def chair_calls(chair: StaffUser, now: datetime) -> list[Task]:
    return list(
        db.session.scalars(
            _open_tasks(now, (TaskKind.SPEAK_TO_CHAIR,))
            .where(Conference.chair_id == chair.id)
            .options(selectinload(Task.family_member), selectinload(Task.conference))
            .order_by(Task.due_at, Task.id)
        )
    )


@dataclass(frozen=True)
class CoordinatorCounts:
    unrecorded: int
    unconfirmed: int
    links: int
    needs: int
    safety_alerts: int  # open: not yet acknowledged
    records_due: int  # words removed within 14 days, record not downloaded


def coordinator_counts(user: StaffUser, now: datetime) -> CoordinatorCounts:
    return CoordinatorCounts(
        unrecorded=_count(unrecorded_query(user, now)),
        unconfirmed=_count(_unconfirmed(now)),
        links=_count(_links_problem(now)),
        needs=_count(_open_tasks(now, COORDINATOR_KINDS)),
        safety_alerts=open_alert_count(user),
        records_due=records_due_count(local_date(now), current_app.config["RETENTION_DAYS"]),
    )


@dataclass(frozen=True)
class Readiness:
    """The pack of one conference, as the chair's home shows it."""

    conference: Conference
    voices_in: int
    missing: int
    unread: int


def chair_conferences(chair: StaffUser, now: datetime) -> list[Readiness]:
    """The chair's conferences in the next CHAIR_WORKING_DAYS working days, with the pack's
    readiness: four queries, whatever the number of conferences."""
    conferences = list(
        db.session.scalars(
            select(Conference)
            .where(_upcoming(now, CHAIR_WORKING_DAYS), Conference.chair_id == chair.id)
            .order_by(Conference.starts_at, Conference.id)
        )
    )
    ids = [conference.id for conference in conferences]
    views_in = _grouped_counts(_views_in(ids, chair))
    records_in = _grouped_counts(_records_in(ids, chair))
    adults = dict(
        db.session.execute(
            select(ConferenceAdult.conference_id, func.count())
            .where(ConferenceAdult.conference_id.in_(ids))
            .group_by(ConferenceAdult.conference_id)
        ).all()
    )
    result = []
    for conference in conferences:
        views, views_unread = views_in.get(conference.id, (0, 0))
        records, records_unread = records_in.get(conference.id, (0, 0))
        result.append(
            Readiness(
                conference=conference,
                voices_in=views + records,
                missing=max(adults.get(conference.id, 0) - views, 0),
                unread=views_unread + records_unread,
            )
        )
    return result


def _grouped_counts(query: Select[int, int, int]) -> dict[int, tuple[int, int]]:
    return {row[0]: (row[1], row[2]) for row in db.session.execute(query).all()}


def _read(
    item_type: str, item_id: SQLColumnExpression[int], chair: StaffUser
) -> ColumnElement[bool]:
    return exists().where(
        PackItemRead.item_type == item_type,
        PackItemRead.item_id == item_id,
        PackItemRead.read_by_id == chair.id,
    )


def _views_in(ids: list[int], chair: StaffUser) -> Select[int, int, int]:
    """Per conference: adults whose views are sent, and how many of those the chair has not
    marked read. One sent response per person (a replaced link's answers are not counted
    twice)."""
    unread = ~_read("form_response", FormResponse.id, chair)
    return (
        select(
            Invitation.conference_id,
            func.count(func.distinct(Invitation.family_member_id)),
            func.count(func.distinct(Invitation.family_member_id)).filter(unread),
        )
        .join(FormResponse, FormResponse.invitation_id == Invitation.id)
        .where(
            Invitation.conference_id.in_(ids),
            Invitation.form == FormKind.VIEWS,
            FormResponse.submitted_at.is_not(None),
        )
        .group_by(Invitation.conference_id)
    )


def _records_in(ids: list[int], chair: StaffUser) -> Select[int, int, int]:
    """Per conference: advocates' records submitted, and those the chair has not read since."""
    read_since = exists().where(
        PackItemRead.item_type == "advocate_record",
        PackItemRead.item_id == AdvocateRecord.id,
        PackItemRead.read_by_id == chair.id,
        PackItemRead.read_at >= AdvocateRecord.submitted_at,
    )
    return (
        select(
            AdvocacyReferral.conference_id,
            func.count(AdvocateRecord.id),
            func.count(AdvocateRecord.id).filter(~read_since),
        )
        .join(AdvocateRecord, AdvocateRecord.referral_id == AdvocacyReferral.id)
        .where(
            AdvocacyReferral.conference_id.in_(ids),
            AdvocateRecord.status == RecordStatus.SUBMITTED,
        )
        .group_by(AdvocacyReferral.conference_id)
    )


def chair_unrecorded(chair: StaffUser, now: datetime) -> list[Conference]:
    """The chair's own conferences held but not recorded: theirs to record."""
    return list(
        db.session.scalars(
            select(Conference)
            .where(unrecorded(now), Conference.chair_id == chair.id)
            .order_by(Conference.starts_at, Conference.id)
        )
    )


def record_people_listed(people: list[tuple[int, int]]) -> None:
    """A list naming family members is a view of each of them, through its conference."""
    seen = dict.fromkeys(people)
    record_views(
        RecordType.FAMILY_MEMBER, [(member_id, conference_id) for conference_id, member_id in seen]
    )
    if people:
        commit_views()
