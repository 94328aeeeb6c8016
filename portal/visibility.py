"""Who may see which records: each rule once, for the access policy (portal/auth/access.py)
and for the pages' own queries, so the two cannot drift apart.

Below every domain, needing only the models: the access policy, the conferences list and the
chair's pack all import it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true

from portal.models import (
    Attachment,
    Conference,
    RecordStatus,
    Role,
    SafetyAlert,
    SharingLevel,
    StaffUser,
)


def visible_conferences(user: StaffUser) -> ColumnElement[bool]:
    """SQL condition for the conferences ``user`` may see.

    Coordinators set up every conference; a chair sees the ones they chair, or all of them
    where an admin has granted it. Other roles see none through this route.
    """
    if user.role == Role.COORDINATOR:
        return true()
    if user.role == Role.CHAIR:
        return true() if user.sees_all_conferences else Conference.chair_id == user.id
    return Conference.id.is_(None)  # matches nothing


def sees_conference(user: StaffUser, conference: Conference) -> bool:
    """``visible_conferences`` for a conference already loaded: a list's links ask it of each
    row without a query each."""
    if user.role == Role.COORDINATOR:
        return True
    if user.role == Role.CHAIR:
        return user.sees_all_conferences or conference.chair_id == user.id
    return False


def reads_named_feedback(user: StaffUser, conference: Conference) -> bool:
    """Feedback after a conference, with the person's name: the conference's own chair and the
    coordinators, so they can follow up a worry. Not a chair who may read every conference,
    nor anyone else: the participation team reads it in the feedback report, without names or
    case references. The family pages say exactly this (family_forms/_who_reads_feedback.html).
    """
    if user.role == Role.COORDINATOR:
        return True
    return user.role == Role.CHAIR and conference.chair_id == user.id


def attachment_visible_to(user: StaffUser, attachment: Attachment) -> bool:
    """Who may open a file: the one rule for the file's own page and for the chair's pack.

    The assigned advocate always. Anyone else only once the record is submitted (a file goes
    with the record); then the conference's own chair, and a chair who may read every
    conference unless the child shared it with the chair only.
    """
    referral = attachment.referral
    if referral.advocate_id is not None and referral.advocate_id == user.id:
        return True
    if user.role != Role.CHAIR:
        return False
    record = referral.record
    if record is None or record.status != RecordStatus.SUBMITTED:
        return False
    if referral.conference.chair_id == user.id:
        return True
    return user.sees_all_conferences and attachment.sharing != SharingLevel.CHAIR_ONLY


def alerts_visible_to(user: StaffUser) -> ColumnElement[bool]:
    """SQL condition for the safety alerts ``user`` may see and act on.

    Coordinators and admins all of them (the coordinators' team is told of every one); a chair
    those of the conferences they chair, even where they may read every conference: acting on
    an alert is the conference's own chair's job. Other roles none.
    """
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return true()
    if user.role == Role.CHAIR:
        return SafetyAlert.conference_id.in_(
            select(Conference.id).where(Conference.chair_id == user.id)
        )
    return SafetyAlert.id.is_(None)  # matches nothing
