"""Conference queries and changes. Every view and change is audited here."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import selectinload

from portal.advocacy.services import refer_children_of_age
from portal.audit.services import record_event
from portal.extensions import db
from portal.invitations.services import conference_changed
from portal.models import (
    AuditAction,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceStatus,
    ConferenceType,
    DelayReason,
    RecordType,
    Role,
    StaffUser,
    utcnow,
)
from portal.plans.timeliness import follow_section_47
from portal.tasks.services import follow_conference
from portal.visibility import visible_conferences


@dataclass(frozen=True)
class ConferenceDetails:
    case_reference: str
    conference_type: ConferenceType
    starts_at: datetime
    format: ConferenceFormat
    chair_id: int | None
    section_47_started_on: date | None
    # Told at once of a safety alert (portal/safety).
    social_worker_name: str = ""
    social_worker_email: str | None = None
    social_worker_mobile: str | None = None  # E.164
    # Why it is booked out of timescale (portal/plans/timeliness.py); None when it is not.
    delay_reason: DelayReason | None = None
    delay_reason_detail: str = ""


def active_chairs(also_include: int | None = None) -> list[tuple[int, str]]:
    """Chairs to pick from; ``also_include`` keeps a conference's current chair listed even if
    their account has since been switched off."""
    is_choice: ColumnElement[bool] = StaffUser.is_active_account.is_(True)
    if also_include is not None:
        is_choice = is_choice | (StaffUser.id == also_include)
    rows = db.session.execute(
        select(StaffUser.id, StaffUser.full_name)
        .where(StaffUser.role == Role.CHAIR, is_choice)
        .order_by(StaffUser.full_name)
    )
    return [(row.id, row.full_name) for row in rows]


def list_conferences(
    user: StaffUser, search: str, page: int, per_page: int
) -> tuple[list[Conference], int]:
    """Conferences ``user`` may see: upcoming soonest first, then past ones, latest first."""
    # A list: who looked, not at what. Committed before reading: a commit expires every row read
    # before it, and each would be read again, one query a row, as the page shows it.
    record_event(AuditAction.VIEW, RecordType.CONFERENCE, None)
    db.session.commit()
    now = utcnow()
    condition = visible_conferences(user)
    if search.strip():
        wanted = search.strip().upper()
        condition = condition & Conference.case_reference.contains(wanted, autoescape=True)
    # Upcoming and past each read in the order of the index on starts_at, so a page is found
    # without sorting every conference: the upcoming ones first, then the past ones.
    upcoming = Conference.starts_at >= now
    counts = db.session.execute(
        select(func.count(Conference.id), func.count(Conference.id).filter(upcoming)).where(
            condition
        )
    ).one()
    total, ahead = counts[0] or 0, counts[1] or 0
    listed = select(Conference).where(condition).options(selectinload(Conference.chair))
    skip = (page - 1) * per_page
    conferences: list[Conference] = []
    if skip < ahead:
        conferences += db.session.scalars(
            listed.where(upcoming)
            .order_by(Conference.starts_at, Conference.id)
            .offset(skip)
            .limit(per_page)
        )
    if len(conferences) < per_page and total > ahead:
        conferences += db.session.scalars(
            listed.where(~upcoming)
            .order_by(Conference.starts_at.desc(), Conference.id)
            .offset(max(0, skip - ahead))
            .limit(per_page - len(conferences))
        )
    return list(conferences), total


def counts_of_people(conference_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(children, adults) per conference, counted in SQL."""
    children = dict(
        db.session.execute(
            select(ConferenceChild.conference_id, func.count())
            .where(ConferenceChild.conference_id.in_(conference_ids))
            .group_by(ConferenceChild.conference_id)
        ).all()
    )
    adults = dict(
        db.session.execute(
            select(ConferenceAdult.conference_id, func.count())
            .where(ConferenceAdult.conference_id.in_(conference_ids))
            .group_by(ConferenceAdult.conference_id)
        ).all()
    )
    return {cid: (children.get(cid, 0), adults.get(cid, 0)) for cid in conference_ids}


def create_conference(details: ConferenceDetails, created_by: StaffUser) -> Conference:
    conference = add_conference(details, created_by)
    db.session.commit()
    return conference


def add_conference(
    details: ConferenceDetails, created_by: StaffUser | None, **fields: object
) -> Conference:
    """A new conference, audited; the caller commits. ``fields``: others an import sets."""
    conference = Conference(
        **asdict(details), created_by_id=created_by.id if created_by else None, **fields
    )
    db.session.add(conference)
    db.session.flush()
    record_event(
        AuditAction.CREATE,
        RecordType.CONFERENCE,
        conference.id,
        conference_id=conference.id,
        fields=asdict(details).keys(),
    )
    return conference


def update_conference(
    conference: Conference, details: ConferenceDetails, status: ConferenceStatus
) -> None:
    if change_conference(conference, details, status):
        db.session.commit()


def change_conference(
    conference: Conference, details: ConferenceDetails, status: ConferenceStatus
) -> list[str]:
    """Apply the changes, with what follows them (links expire anew, tasks fall due by the new
    start, children now of age are referred), audited; the fields changed. The caller commits:
    the page, or an import writing a whole file in one transaction."""
    changes = {**asdict(details), "status": status}
    changed = [name for name, value in changes.items() if getattr(conference, name) != value]
    if not changed:
        return []
    if "section_47_started_on" in changed:
        follow_section_47(conference, details.section_47_started_on)  # before it changes
    for name in changed:
        setattr(conference, name, changes[name])
    conference_changed(conference, changed, utcnow())
    if {"status", "starts_at"} & set(changed):
        follow_conference(conference)
    record_event(
        AuditAction.UPDATE,
        RecordType.CONFERENCE,
        conference.id,
        conference_id=conference.id,
        fields=changed,
    )
    if "starts_at" in changed:
        refer_children_of_age(conference)
    return changed
