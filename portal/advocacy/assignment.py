"""The advocacy manager's side: the referrals waiting for an advocate, and assigning them.

Every assignment is audited; the list is audited as a view.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from portal.advocacy.services import today
from portal.audit.services import record_event
from portal.extensions import db
from portal.models import AdvocacyReferral, AuditAction, Conference, Role, StaffUser, utcnow
from portal.templating import local_time


def active_advocates() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(StaffUser.id, StaffUser.full_name)
        .where(StaffUser.role == Role.ADVOCATE, StaffUser.is_active_account.is_(True))
        .order_by(StaffUser.full_name, StaffUser.id)
    )
    return [(row.id, row.full_name) for row in rows]


def referrals_to_assign() -> list[AdvocacyReferral]:
    """Referrals for conferences still to come: unassigned first, then by conference date."""
    start_of_today = datetime.combine(
        today(), datetime.min.time(), tzinfo=local_time(utcnow()).tzinfo
    )
    referrals = db.session.scalars(
        select(AdvocacyReferral)
        .join(Conference, Conference.id == AdvocacyReferral.conference_id)
        .where(Conference.starts_at >= start_of_today)
        .options(
            selectinload(AdvocacyReferral.child),
            selectinload(AdvocacyReferral.conference),
            selectinload(AdvocacyReferral.advocate),
        )
        .order_by(
            case((AdvocacyReferral.advocate_id.is_(None), 0), else_=1),
            Conference.starts_at,
            AdvocacyReferral.id,
        )
    ).all()
    record_event(AuditAction.VIEW, "advocacy_referral", None)  # a list: who looked, not at what
    db.session.commit()
    return list(referrals)


class NotAnAdvocate(ValueError):
    pass


def assign(referral: AdvocacyReferral, advocate_id: int | None, by: StaffUser) -> StaffUser:
    """Give the child to an active advocate (again, if reassigned); audited."""
    advocate = db.session.get(StaffUser, advocate_id) if advocate_id else None
    if advocate is None or advocate.role != Role.ADVOCATE or not advocate.is_active_account:
        raise NotAnAdvocate(advocate_id)
    if referral.advocate_id != advocate.id:
        referral.advocate_id = advocate.id
        referral.assigned_at = utcnow()
        referral.assigned_by_id = by.id
        record_event(
            AuditAction.UPDATE,
            "advocacy_referral",
            referral.id,
            conference_id=referral.conference_id,
            fields=["advocate_id"],
        )
        db.session.commit()
    return advocate
