"""The advocacy manager's side: the referrals waiting for an advocate, and assigning them.

Every assignment is audited; the list is audited as a view. A manager is an advocate too, and
once assigned a child they read the child's record, the parts for the chair only as well. Giving
themselves a child whose conference has started (the list shows only conferences still to come,
but any referral can be posted to) therefore needs a reason: audited as SELF_ASSIGN, the reason
sealed on an AdvocacySelfAssignment, both shown to admins on the audit page.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from portal.advocacy.services import today
from portal.audit.services import record_event
from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    AdvocacySelfAssignment,
    AuditAction,
    Conference,
    RecordType,
    Role,
    StaffUser,
    utcnow,
)
from portal.templating import local_time


def active_advocates() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(StaffUser.id, StaffUser.full_name)
        .where(StaffUser.role == Role.ADVOCATE, StaffUser.is_active_account.is_(True))
        .order_by(StaffUser.full_name, StaffUser.id)
    )
    return [(row.id, row.full_name) for row in rows]


def referrals_to_assign(page: int, per_page: int) -> tuple[list[AdvocacyReferral], int]:
    """One page of the referrals for conferences still to come: unassigned first, then by
    conference date; and how many there are in all."""
    # A list: who looked, not at what. Committed before reading, as a commit expires every row
    # read before it: each would then be read again, one query a row, as the page shows it.
    record_event(AuditAction.VIEW, RecordType.ADVOCACY_REFERRAL, None)
    db.session.commit()
    start_of_today = datetime.combine(
        today(), datetime.min.time(), tzinfo=local_time(utcnow()).tzinfo
    )
    upcoming = Conference.starts_at >= start_of_today
    total = db.session.scalar(
        select(func.count(AdvocacyReferral.id))
        .join(Conference, Conference.id == AdvocacyReferral.conference_id)
        .where(upcoming)
    )
    referrals = db.session.scalars(
        select(AdvocacyReferral)
        .join(Conference, Conference.id == AdvocacyReferral.conference_id)
        .where(upcoming)
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
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(referrals), total or 0


# Sealed text has no length of its own (portal.crypto): the limit the form checks.
REASON_MAX = 500


class NotAnAdvocate(ValueError):
    pass


class ReasonNeeded(ValueError):
    """A manager giving themselves a child whose conference has started must say why."""


def assign(
    referral: AdvocacyReferral, advocate_id: int | None, by: StaffUser, reason: str = ""
) -> StaffUser:
    """Give the child to an active advocate (again, if reassigned); audited.

    ``by`` giving the child to themselves once the conference has started needs ``reason``
    (ReasonNeeded, nothing changed, without one); any other assignment ignores it.
    """
    advocate = db.session.get(StaffUser, advocate_id) if advocate_id else None
    if advocate is None or advocate.role != Role.ADVOCATE or not advocate.is_active_account:
        raise NotAnAdvocate(advocate_id)
    if referral.advocate_id == advocate.id:
        return advocate
    to_self_late = advocate.id == by.id and referral.conference.has_started()
    reason = reason.strip() if to_self_late else ""
    if to_self_late and not reason:
        raise ReasonNeeded
    if len(reason) > REASON_MAX:
        raise ValueError(f"A reason is {REASON_MAX} characters at most")
    previous_advocate_id = referral.advocate_id
    referral.advocate_id = advocate.id
    referral.assigned_at = utcnow()
    referral.assigned_by_id = by.id
    event = record_event(
        AuditAction.SELF_ASSIGN if to_self_late else AuditAction.UPDATE,
        RecordType.ADVOCACY_REFERRAL,
        referral.id,
        conference_id=referral.conference_id,
        fields=["advocate_id", "reason"] if to_self_late else ["advocate_id"],
    )
    if to_self_late:
        db.session.add(
            AdvocacySelfAssignment(
                referral=referral,
                manager_id=by.id,
                previous_advocate_id=previous_advocate_id,
                reason=reason,
                audit_event=event,
            )
        )
    db.session.commit()
    return advocate
