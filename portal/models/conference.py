from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.crypto import EncryptedText
from portal.models.base import SERVICE_TIMEZONE, Base, utcnow
from portal.models.enums import (
    AdultAttendance,
    AttendanceMode,
    ConferenceFormat,
    ConferenceStatus,
    ConferenceType,
    DelayReason,
    HarmCategory,
    NotInvitedReason,
    ParticipationCode,
    PlanOutcome,
    db_enum,
)
from portal.models.people import Child, FamilyMember
from portal.models.staff import StaffUser


class Conference(Base):
    __tablename__ = "conference"
    __table_args__ = (
        # Imported history may lack the section 47 date; conferences set up here never do.
        CheckConstraint(
            "conference_type <> 'initial' OR section_47_started_on IS NOT NULL OR imported",
            name="initial_has_section_47_date",
        ),
        CheckConstraint("case_reference = upper(case_reference)", name="case_reference_upper"),
        CheckConstraint(
            "social_worker_mobile IS NULL OR social_worker_mobile LIKE '+%'",
            name="social_worker_mobile_e164",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_reference: Mapped[str] = mapped_column(String(40), index=True)
    conference_type: Mapped[ConferenceType] = mapped_column(
        db_enum(ConferenceType, "conference_type")
    )
    starts_at: Mapped[datetime] = mapped_column(index=True)
    # The conference's date in the council's time zone, kept from ``starts_at``: the reports
    # count by it (quarters of the financial year) in plain SQL on every database.
    conference_date: Mapped[date] = mapped_column(index=True)
    format: Mapped[ConferenceFormat] = mapped_column(db_enum(ConferenceFormat, "conference_format"))
    status: Mapped[ConferenceStatus] = mapped_column(
        db_enum(ConferenceStatus, "conference_status"), default=ConferenceStatus.SCHEDULED
    )
    # The date typed when the conference is set up: each child added gets it as their own
    # ConferenceChild.section_47_started_on (siblings can differ), which the reports count by.
    section_47_started_on: Mapped[date | None]
    # Why it was booked, or held, out of timescale (portal/plans/timeliness.py).
    delay_reason: Mapped[DelayReason | None] = mapped_column(db_enum(DelayReason, "delay_reason"))
    delay_reason_detail: Mapped[str] = mapped_column(EncryptedText(), default="", server_default="")
    # When a coordinator last downloaded the conference's record for the case system.
    record_exported_at: Mapped[datetime | None]
    # The allocated social worker: told at once of a safety alert (portal/safety).
    social_worker_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    social_worker_email: Mapped[str | None] = mapped_column(String(254))
    social_worker_mobile: Mapped[str | None] = mapped_column(String(16))  # E.164
    # Recorded by the chair after the meeting (see portal/recording)
    held_on: Mapped[date | None]
    quorate: Mapped[bool | None]
    recorded_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # When the chair was reminded, once, that the conference is not recorded (portal/tasks).
    record_reminder_at: Mapped[datetime | None]
    chair_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="RESTRICT"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # Past records loaded by ``flask import attendance``: ``external_ref`` is the file's
    # conference_ref, which identifies the row when the same file is imported again.
    imported: Mapped[bool] = mapped_column(default=False, server_default=false())
    external_ref: Mapped[str | None] = mapped_column(String(60), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    chair: Mapped[StaffUser | None] = relationship(foreign_keys=[chair_id])
    recorded_by: Mapped[StaffUser | None] = relationship(foreign_keys=[recorded_by_id])

    @validates("starts_at")
    def _keep_conference_date(self, key: str, starts_at: datetime) -> datetime:
        self.conference_date = starts_at.astimezone(SERVICE_TIMEZONE).date()
        return starts_at

    @property
    def day(self) -> date:
        """The local (Europe/London) date the conference starts on."""
        return self.starts_at.astimezone(SERVICE_TIMEZONE).date()

    def has_started(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.starts_at

    children: Mapped[list[ConferenceChild]] = relationship(
        back_populates="conference", cascade="all, delete-orphan"
    )
    adults: Mapped[list[ConferenceAdult]] = relationship(
        back_populates="conference", cascade="all, delete-orphan"
    )


class ConferenceChild(Base):
    """A child at a conference: the unit the participation report counts."""

    __tablename__ = "conference_child"

    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), primary_key=True
    )
    child_id: Mapped[int] = mapped_column(
        ForeignKey("child.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Day 0 of this child's section 47 enquiry (initial conferences): siblings can differ.
    section_47_started_on: Mapped[date | None]
    # Recorded by the chair after the meeting. CP0 is derived from the date of birth, never typed.
    participation_code: Mapped[ParticipationCode | None] = mapped_column(
        db_enum(ParticipationCode, "participation_code")
    )
    plan_outcome: Mapped[PlanOutcome | None] = mapped_column(db_enum(PlanOutcome, "plan_outcome"))
    harm_category: Mapped[HarmCategory | None] = mapped_column(
        db_enum(HarmCategory, "harm_category")
    )
    # "You said, we did": the chair's note to the child, in words a child understands.
    you_said_we_did: Mapped[str] = mapped_column(EncryptedText(), default="", server_default="")
    you_said_we_did_at: Mapped[datetime | None]
    # The message telling the young person (or their helper) the note is on their link's page,
    # queued once (portal/recording/you_said.py), and when they first opened the note there.
    # No relationship: the message's module imports this one (portal/lookups.py finds it).
    you_said_we_did_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("message.id", ondelete="SET NULL")
    )
    you_said_we_did_opened_at: Mapped[datetime | None]

    conference: Mapped[Conference] = relationship(back_populates="children")
    child: Mapped[Child] = relationship()


class ConferenceAdult(Base):
    """A family member at a conference: invited, heard and counted per conference."""

    __tablename__ = "conference_adult"

    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), primary_key=True
    )
    family_member_id: Mapped[int] = mapped_column(
        ForeignKey("family_member.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A coordinator can hold back every scheduled message to this person for this conference.
    invitations_paused: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Recorded by the chair after the meeting (design.md, Counting). ``invited`` False with
    # reason "excluded" leaves the person out of the participation denominators.
    invited: Mapped[bool | None]
    not_invited_reason: Mapped[NotInvitedReason | None] = mapped_column(
        db_enum(NotInvitedReason, "not_invited_reason")
    )
    attendance: Mapped[AdultAttendance | None] = mapped_column(
        db_enum(AdultAttendance, "adult_attendance")
    )
    attendance_mode: Mapped[AttendanceMode | None] = mapped_column(
        db_enum(AttendanceMode, "attendance_mode")
    )
    # ViewsRoute values: the other ways this person's views came in
    views_routes: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Heard by any route, attending included: what the participation report counts. Set when
    # the chair records the conference (attended, or any other route) and by the import.
    views_heard: Mapped[bool | None]

    conference: Mapped[Conference] = relationship(back_populates="adults")
    family_member: Mapped[FamilyMember] = relationship()
