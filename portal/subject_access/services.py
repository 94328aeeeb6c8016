"""Subject access: the readable file, and the audit events for the records shown and handed over."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from flask import render_template

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import AuditAction, FamilyMember, RecordType, StaffUser
from portal.subject_access.gathering import collect_export


def record_records_viewed(member_ids: Iterable[int]) -> None:
    """Search results and the review page show these records: each is a view."""
    for member_id in member_ids:
        record_event(AuditAction.VIEW, RecordType.FAMILY_MEMBER, member_id)
    db.session.commit()


def record_exported(members: Iterable[FamilyMember], actor: StaffUser | None = None) -> None:
    """One EXPORT event per record handed over; ``actor`` None from the command line."""
    for member in members:
        record_event(AuditAction.EXPORT, RecordType.FAMILY_MEMBER, member.id, actor=actor)
    db.session.commit()


def export_file_name(member_id: int, day: date) -> str:
    return f"subject-access-{member_id}-{day.isoformat()}.html"


def export_html(members: Sequence[FamilyMember]) -> str:
    """The readable file: one self-contained HTML page (no scripts, nothing fetched)."""
    return render_template("subject_access/export.html", export=collect_export(members))
