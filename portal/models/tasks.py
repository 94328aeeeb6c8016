"""Tasks: what families ask for that a person must do before the meeting.

A parent who asks to speak to the chair gives the chair a call to make; an interpreter or
another access need (asked for in a family form, or recorded by the coordinator on the family
member) gives the coordinators something to arrange. One task per kind, person and conference,
so saving an answer again never makes a second one (portal/tasks/services.py keeps them in step).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText
from portal.models.base import Base, utcnow
from portal.models.conference import Conference
from portal.models.enums import LabelledEnum, db_enum
from portal.models.people import FamilyMember
from portal.models.staff import StaffUser


class TaskKind(LabelledEnum):
    SPEAK_TO_CHAIR = "speak_to_chair", _l("Speak to the chair before the meeting")
    INTERPRETER = "interpreter", _l("Arrange an interpreter")
    ACCESS = "access", _l("Arrange help to take part")


class TaskState(LabelledEnum):
    OPEN = "open", _l("To do")
    DONE = "done", _l("Done")  # contacted (a call) or arranged (an interpreter, access)
    NOT_DONE = "not_done", _l("Not done")  # the chair could not make the call: why is kept
    CANCELLED = "cancelled", _l("No longer needed")  # the need was taken back while open


class ContactMethod(LabelledEnum):
    PHONE = "phone", _l("Phone call")
    VIDEO = "video", _l("Video call")
    IN_PERSON = "in_person", _l("In person")
    EMAIL = "email", _l("Email")
    TEXT = "text", _l("Text message")


# The kinds the coordinators arrange; the chair makes the calls.
COORDINATOR_KINDS = (TaskKind.INTERPRETER, TaskKind.ACCESS)
FINISHED_STATES = (TaskState.DONE, TaskState.NOT_DONE)


class Task(Base):
    __tablename__ = "task"
    __table_args__ = (
        UniqueConstraint("conference_id", "family_member_id", "kind", name="uq_task_need"),
        CheckConstraint(
            "state NOT IN ('done', 'not_done') OR (done_at IS NOT NULL AND done_by_id IS NOT NULL)",
            name="finished_says_who_and_when",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TaskKind] = mapped_column(db_enum(TaskKind, "task_kind"))
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    family_member_id: Mapped[int] = mapped_column(
        ForeignKey("family_member.id", ondelete="CASCADE"), index=True
    )
    # For an interpreter: the language (as recorded on the family member), or "" if unknown.
    detail: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # Before the conference starts: kept in step when the answers or the person change.
    due_at: Mapped[datetime]
    state: Mapped[TaskState] = mapped_column(
        db_enum(TaskState, "task_state"), default=TaskState.OPEN, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Who recorded it done (or not done), and when they recorded it.
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="RESTRICT"))
    # A call: when it was made and how (the chair says), as the chair recorded it.
    contacted_at: Mapped[datetime | None]
    contact_method: Mapped[ContactMethod | None] = mapped_column(
        db_enum(ContactMethod, "contact_method")
    )
    # What came of it, what was arranged, or why it could not be done: sealed at rest.
    outcome: Mapped[str] = mapped_column(EncryptedText(), default="", server_default="")

    conference: Mapped[Conference] = relationship()
    family_member: Mapped[FamilyMember] = relationship()
    done_by: Mapped[StaffUser | None] = relationship()
