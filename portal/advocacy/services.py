"""Advocacy: the conference's dates as an advocate counts them, referrals, the advocate's
caseload, and what the chair has read. Beside it: assigning referrals to advocates
(assignment.py), the record of a child's wishes and feelings and its versions (records.py), the
safeguarding alerts a new concern sends (alerts.py), the contact log (contacts.py) and the
files kept for a child (uploads.py, cleaned by attachments.py).

Every view and every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    AdvocateRecord,
    Attachment,
    AuditAction,
    Child,
    Conference,
    ConferenceStatus,
    PackItemRead,
    RecordType,
    StaffUser,
    utcnow,
)
from portal.templating import local_time
from portal.working_days import is_working_day

READ_ITEM_TYPE = "advocate_record"


# --- Dates -------------------------------------------------------------------------------


def today() -> date:
    return local_time(utcnow()).date()


def age_on_conference_day(conference: Conference, child: Child) -> int | None:
    """Whole years on the local date the conference starts; None for an unborn child."""
    return child.age_on(conference.day)


@dataclass(frozen=True)
class DaysLeft:
    days: int  # calendar days from today to the conference day; negative once it has passed
    working_days: int  # working days after today, up to and including the conference day

    @property
    def passed(self) -> bool:
        return self.days < 0


def days_left(conference: Conference) -> DaysLeft:
    start, end = today(), conference.day
    days = (end - start).days
    working = sum(1 for n in range(1, days + 1) if is_working_day(start + timedelta(days=n)))
    return DaysLeft(days, working)


def is_open_for_editing(conference: Conference) -> bool:
    """The advocate's record, its contacts and files can change until the conference starts."""
    return not conference.has_started()


# --- Referrals ---------------------------------------------------------------------------


def referral_for(conference_id: int, child_id: int) -> AdvocacyReferral | None:
    return db.session.scalar(
        select(AdvocacyReferral).where(
            AdvocacyReferral.conference_id == conference_id,
            AdvocacyReferral.child_id == child_id,
        )
    )


def _refer(
    conference: Conference, child: Child, automatic: bool, by: StaffUser | None
) -> AdvocacyReferral | None:
    """A new referral, or None if one was made for the child at the same moment."""
    referral = AdvocacyReferral(
        conference_id=conference.id,
        child_id=child.id,
        automatic=automatic,
        referred_by_id=by.id if by else None,
    )
    try:
        with db.session.begin_nested():  # a referral made at the same moment: keep that one
            db.session.add(referral)
    except IntegrityError:
        return None
    record_event(
        AuditAction.CREATE,
        RecordType.ADVOCACY_REFERRAL,
        referral.id,
        conference_id=conference.id,
        fields=["automatic"] if automatic else [],
        actor=by,
    )
    return referral


def refer_automatically(
    conference: Conference, child: Child, by: StaffUser | None = None
) -> AdvocacyReferral | None:
    """Refer a child at or over the advocacy age on the conference day (the caller commits)."""
    age = age_on_conference_day(conference, child)
    if age is None or age < current_app.config["ADVOCACY_MIN_AGE"]:
        return None
    if referral_for(conference.id, child.id) is not None:
        return None
    return _refer(conference, child, automatic=True, by=by)


def refer_children_of_age(conference: Conference, children: Iterable[Child] | None = None) -> None:
    """Refer each child (all the conference's, or ``children``) at the advocacy age on the
    conference day who is not referred yet, as adding a child does: after the date moves, or a
    child's date of birth is corrected. Only for a conference still to come; a referral is never
    taken away. The caller commits."""
    if conference.status == ConferenceStatus.CANCELLED or conference.has_started():
        return
    for child in children if children is not None else [c.child for c in conference.children]:
        refer_automatically(conference, child)


def refer_by_hand(conference: Conference, child: Child, by: StaffUser) -> bool:
    """Refer a child of any age; False if they were already referred (nothing changes)."""
    if referral_for(conference.id, child.id) is not None:
        return False
    if _refer(conference, child, automatic=False, by=by) is None:
        db.session.rollback()
        return False
    try:
        db.session.commit()
    except IntegrityError:  # referred at the same moment (by hand, or automatically)
        db.session.rollback()
        return False
    return True


def referrals_at(conference_id: int) -> dict[int, AdvocacyReferral]:
    """Each referred child's referral at one conference, by child id (for the conference page)."""
    referrals = db.session.scalars(
        select(AdvocacyReferral)
        .where(AdvocacyReferral.conference_id == conference_id)
        .options(selectinload(AdvocacyReferral.advocate))
    )
    return {referral.child_id: referral for referral in referrals}


def _by_conference_date(query: Any) -> Any:
    """Upcoming conferences soonest first, then past ones, latest first."""
    now = utcnow()
    return query.order_by(
        case((Conference.starts_at < now, 1), else_=0),
        case((Conference.starts_at >= now, Conference.starts_at)).asc(),
        Conference.starts_at.desc(),
        AdvocacyReferral.id,
    )


# How long a past conference stays on the advocate's caseload.
PAST_DAYS_SHOWN = 90


@dataclass(frozen=True)
class Caseload:
    upcoming: list[AdvocacyReferral]  # conferences not started yet, soonest first
    past: list[AdvocacyReferral]  # started in the last PAST_DAYS_SHOWN days, latest first

    @property
    def referrals(self) -> list[AdvocacyReferral]:
        return self.upcoming + self.past


def caseload(advocate: StaffUser) -> Caseload:
    """Only the advocate's own referrals; older past conferences are not listed."""
    # A list: who looked, not at what. Committed first: a commit expires the rows read before it.
    record_event(AuditAction.VIEW, RecordType.ADVOCACY_REFERRAL, None)
    db.session.commit()
    now = utcnow()
    referrals = db.session.scalars(
        _by_conference_date(
            select(AdvocacyReferral)
            .join(Conference, Conference.id == AdvocacyReferral.conference_id)
            .where(
                AdvocacyReferral.advocate_id == advocate.id,
                Conference.starts_at >= now - timedelta(days=PAST_DAYS_SHOWN),
            )
            .options(
                selectinload(AdvocacyReferral.child),
                selectinload(AdvocacyReferral.conference),
                selectinload(AdvocacyReferral.record),
            )
        )
    ).all()
    return Caseload(
        upcoming=[r for r in referrals if r.conference.starts_at >= now],
        past=[r for r in referrals if r.conference.starts_at < now],
    )


def read_by_chair(item_type: str, item_ids: list[int]) -> dict[int, datetime]:
    """When the conference's chair marked each item read in the pack, by item id."""
    if not item_ids:
        return {}
    item: type[AdvocateRecord] | type[Attachment]
    if item_type == READ_ITEM_TYPE:
        owner = select(AdvocateRecord.id.label("item_id"), AdvocacyReferral.conference_id).join(
            AdvocacyReferral, AdvocacyReferral.id == AdvocateRecord.referral_id
        )
        item = AdvocateRecord
    else:
        owner = select(Attachment.id.label("item_id"), AdvocacyReferral.conference_id).join(
            AdvocacyReferral, AdvocacyReferral.id == Attachment.referral_id
        )
        item = Attachment
    owned = owner.where(item.id.in_(item_ids)).subquery()
    rows = db.session.execute(
        select(PackItemRead.item_id, PackItemRead.read_at)
        .join(owned, owned.c.item_id == PackItemRead.item_id)
        .join(Conference, Conference.id == owned.c.conference_id)
        .where(PackItemRead.item_type == item_type, PackItemRead.read_by_id == Conference.chair_id)
    )
    return {row.item_id: row.read_at for row in rows}
