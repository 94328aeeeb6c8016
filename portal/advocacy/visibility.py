"""Who may open an advocate's attachment: one rule, for the file's own address (the access
policy) and for the chair's pack, so the two cannot drift apart.

A module of its own, needing only the models: the access policy imports it.
"""

from __future__ import annotations

from portal.models import Attachment, RecordStatus, Role, SharingLevel, StaffUser


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
