from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, utcnow
from portal.models.enums import db_enum
from portal.models.staff import StaffUser


class AuditAction(enum.StrEnum):
    VIEW = "view"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    EXPORT = "export"  # everything held about someone, handed over (subject access)
    # An advocacy manager gave themselves a child whose conference had started: the reason is
    # kept, sealed, on the AdvocacySelfAssignment that points at this event.
    SELF_ASSIGN = "self_assign"


class AuditEvent(Base):
    """Who did what to which record, and when. Holds ids and field names, never values."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="RESTRICT"), index=True
    )
    action: Mapped[AuditAction] = mapped_column(db_enum(AuditAction, "audit_action"))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int | None]
    # The conference the record was seen or changed through, to answer "who looked at this case".
    conference_id: Mapped[int | None] = mapped_column(index=True)
    # Comma-separated names of the fields changed (no values: the log holds nothing personal).
    fields: Mapped[str] = mapped_column(String(500), default="")

    actor: Mapped[StaffUser | None] = relationship()
