from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVarTuple
from zoneinfo import ZoneInfo

from flask import current_app
from flask_login import current_user
from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import (
    AdvocacySelfAssignment,
    AuditAction,
    AuditEvent,
    Conference,
    RecordType,
    StaffUser,
)


def record_event(
    action: AuditAction,
    record_type: RecordType,
    record_id: int | None,
    *,
    conference_id: int | None = None,
    fields: Iterable[str] = (),
    actor: StaffUser | None = None,
) -> AuditEvent:
    """Add an audit event to the session; the caller commits it with the change it describes."""
    if actor is None and current_user and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        record_type=RecordType(record_type).value,  # refuses a kind not listed; stores the string
        record_id=record_id,
        conference_id=conference_id,
        fields=",".join(sorted(fields)),
    )
    db.session.add(event)
    return event


def record_views(record_type: RecordType, seen: Iterable[tuple[int, int | None]]) -> None:
    """A list naming many records: a VIEW of each (record id, conference id) in one INSERT,
    however many rows, as ``record_event`` would add them one by one; the caller commits."""
    actor = current_user if current_user and current_user.is_authenticated else None
    rows = [
        {
            "actor_id": actor.id if actor else None,
            "action": AuditAction.VIEW,
            "record_type": RecordType(record_type).value,
            "record_id": record_id,
            "conference_id": conference_id,
            "fields": "",
        }
        for record_id, conference_id in seen
    ]
    if rows:
        db.session.execute(insert(AuditEvent), rows)


def record_conference_viewed(conference: Conference) -> None:
    """The conference page shows every child and adult on it: each of them counts as viewed."""
    record_event(
        AuditAction.VIEW, RecordType.CONFERENCE, conference.id, conference_id=conference.id
    )
    for link in conference.children:
        record_event(AuditAction.VIEW, RecordType.CHILD, link.child_id, conference_id=conference.id)
    record_adults_viewed(conference)


def record_adults_viewed(conference: Conference) -> None:
    """A page showing each adult's details, messages or answers: each counts as viewed."""
    for link in conference.adults:
        record_event(
            AuditAction.VIEW,
            RecordType.FAMILY_MEMBER,
            link.family_member_id,
            conference_id=conference.id,
        )
    commit_views()


def commit_views() -> None:
    """Commit the view events just added, keeping what the page has already read. They only add
    rows, so nothing read is out of date; expiring it all (as a commit does) would have the page
    read the conference, its children and its adults again, collection by collection, as it
    shows them: the conference page read everything twice."""
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    action: str = ""
    record_type: str = ""
    record_id: int | None = None
    conference_id: int | None = None
    from_date: date | None = None
    to_date: date | None = None


Row = TypeVarTuple("Row")  # the selected columns, kept through the filters


def _filtered(query: Select[*Row], wanted: AuditFilter) -> Select[*Row]:
    if wanted.actor_id is not None:
        query = query.where(AuditEvent.actor_id == wanted.actor_id)
    if wanted.action:
        query = query.where(AuditEvent.action == AuditAction(wanted.action))
    if wanted.record_type:
        query = query.where(AuditEvent.record_type == wanted.record_type)
    if wanted.record_id is not None:
        query = query.where(AuditEvent.record_id == wanted.record_id)
    if wanted.conference_id is not None:
        query = query.where(AuditEvent.conference_id == wanted.conference_id)
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    if wanted.from_date:
        query = query.where(
            AuditEvent.occurred_at >= datetime.combine(wanted.from_date, time(), tzinfo=zone)
        )
    if wanted.to_date and wanted.to_date < date.max:  # up to 31 12 9999: no day after it
        day_after = wanted.to_date + timedelta(days=1)
        query = query.where(
            AuditEvent.occurred_at < datetime.combine(day_after, time(), tzinfo=zone)
        )
    return query


def staff_choices() -> list[tuple[int, str]]:
    return [
        (row.id, row.email)
        for row in db.session.execute(
            select(StaffUser.id, StaffUser.email).order_by(StaffUser.email)
        )
    ]


def search_audit_events(
    wanted: AuditFilter, page: int, per_page: int
) -> tuple[list[AuditEvent], int]:
    """One page of matching events, newest first, and the total number that match."""
    total = db.session.scalar(_filtered(select(func.count(AuditEvent.id)), wanted)) or 0
    events = db.session.scalars(
        _filtered(select(AuditEvent).options(joinedload(AuditEvent.actor)), wanted)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(events), total


def self_assignments_for(events: Sequence[AuditEvent]) -> dict[int, AdvocacySelfAssignment]:
    """The self-assignment behind each SELF_ASSIGN event among ``events``, by event id: the
    reason the manager gave, opened for the admin reading the log."""
    ids = [event.id for event in events if event.action == AuditAction.SELF_ASSIGN]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(AdvocacySelfAssignment)
        .where(AdvocacySelfAssignment.audit_event_id.in_(ids))
        .options(joinedload(AdvocacySelfAssignment.previous_advocate))
    )
    return {row.audit_event_id: row for row in rows}
