"""An advocate's new safeguarding concern raises a safety alert (portal/safety), and who could
not be told. The record's save raises it in its own transaction (portal/advocacy/records.py).
"""

from __future__ import annotations

from portal.models import AdvocateRecord, AlertSource, Conference, StaffUser
from portal.safety.raising import TOLD, raise_alert
from portal.safety.services import deliveries_for_record

__all__ = ["alert", "deliveries_for_record", "not_told"]


def alert(record: AdvocateRecord, conference: Conference, by: StaffUser) -> list[str]:
    """Raise the safety alert: the chair, the coordinators' team and the social worker are
    told at once (not only in sending hours); who was told ("chair", "team",
    "social_worker"), in that order. The caller commits.

    The messages name no one and give no case detail: staff with an account are asked to sign
    in, the social worker (who has none) to phone the team.
    """
    raised = raise_alert(
        conference, AlertSource.ADVOCATE_CONCERN, raised_by_staff=by, advocate_record=record
    )
    if raised is None:
        return []
    told = {delivery.told for delivery in raised.deliveries}
    return [who for who in TOLD if who in told]


def not_told(record: AdvocateRecord | None) -> list[str]:
    """Who could not be told automatically about the record's safeguarding concern."""
    if record is None or record.safeguarding_concern_at is None:
        return []
    told = {delivery.told for delivery in deliveries_for_record(record)}
    return [who for who in ("chair", "social_worker") if who not in told]
