from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, utcnow
from portal.models.enums import LabelledEnum, db_enum
from portal.models.staff import StaffUser


class AuditAction(LabelledEnum):
    VIEW = "view", _l("view")
    CREATE = "create", _l("create")
    UPDATE = "update", _l("update")
    DELETE = "delete", _l("delete")
    SIGN_IN = "sign_in", _l("sign in")
    SIGN_IN_FAILED = "sign_in_failed", _l("sign in failed")
    SIGN_OUT = "sign_out", _l("sign out")
    # Everything held about someone, handed over (subject access)
    EXPORT = "export", _l("export")
    # An advocacy manager gave themselves a child whose conference had started: the reason is
    # kept, sealed, on the AdvocacySelfAssignment that points at this event.
    SELF_ASSIGN = "self_assign", _l("assign to self after the start")
    # Two records of one person made one (portal/people/merge.py): an event on each record.
    MERGE = "merge", _l("merge")


class RecordType(LabelledEnum):
    """What kind of record an audit event is about. Stored as these strings in a plain
    column, without a CHECK constraint: the log is append-only and large, and rows written
    before this list may hold others (the audit page shows those as they are)."""

    CONFERENCE = "conference", _l("conference")
    CHILD = "child", _l("child")
    FAMILY_MEMBER = "family_member", _l("family member")
    STAFF_USER = "staff_user", _l("staff user")
    INVITATION = "invitation", _l("invitation")
    MESSAGE = "message", _l("message")
    MESSAGE_WORDING = "message_wording", _l("message wording")
    ADVOCACY_REFERRAL = "advocacy_referral", _l("advocacy referral")
    ADVOCATE_RECORD = "advocate_record", _l("advocate's record")
    CONTACT_LOG_ENTRY = "contact_log_entry", _l("advocate's contact")
    ATTACHMENT = "attachment", _l("attachment")
    PACK_ITEM_READ = "pack_item_read", _l("read mark in the chair's pack")
    # A person's answers to a family form (entered for them by staff, or seen where entered)
    FORM_RESPONSE = "form_response", _l("family form answers")
    IMPORT = "import", _l("import of past records")  # one event per file (flask import)
    DATA_KEYS = "data_keys", _l("data keys")  # flask keys rotate
    TASK = "task", _l("task")  # a call to make, an interpreter or help to arrange
    SAFETY_ALERT = "safety_alert", _l("safety alert")
    # The annual report's own entries (portal/reports/annual): no family's record
    ANNUAL_TEXT = "annual_text", _l("annual report text")
    COMPARATOR = "comparator", _l("annual report comparator")
    CHILD_POPULATION = "child_population", _l("child population")
    DRAWING = "drawing", _l("child's drawing")  # on the Three Houses form (issue 20)


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
    record_type: Mapped[str] = mapped_column(String(40))  # a RecordType's value
    record_id: Mapped[int | None]
    # The conference the record was seen or changed through, to answer "who looked at this case".
    conference_id: Mapped[int | None] = mapped_column(index=True)
    # Comma-separated names of the fields changed (no values: the log holds nothing personal).
    fields: Mapped[str] = mapped_column(String(500), default="")

    actor: Mapped[StaffUser | None] = relationship()
