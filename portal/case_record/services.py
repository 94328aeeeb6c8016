"""The conference's record for the case system: what each person said, the advocates' records
and the chair's record, as one self-contained HTML file a coordinator attaches to the case
record before retention removes the words (portal/retention.py).

Nothing is queried afresh: the words come from the chair's pack (``build_pack``) read as the
coordinator who downloads it, so the same rules hold. Answers and parts of an advocate's record
a child shared with the chair only stay out of the file (design.md: "shown to the chair only"),
and files (drawings, letters) are named but not included: a coordinator may not open them.
The chair's record is the conference's own rows; each child's plan is the ChildPlan that covers
the conference's day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, render_template
from sqlalchemy import or_, select

from portal.audit.services import record_event
from portal.extensions import db
from portal.family_forms.services import saved_answers
from portal.models import (
    AuditAction,
    ChildPlan,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    RecordType,
    Relationship,
    StaffUser,
    utcnow,
)
from portal.pack.services import Pack, build_pack, record_pack_viewed
from portal.retention import retention_cutoff
from portal.subject_access.gathering import adult_attendance, adult_invited, adult_views_heard


@dataclass(frozen=True)
class ChildOutcome:
    """The chair's record for one child, with the plan that covers the conference's day."""

    link: ConferenceChild
    plan: ChildPlan | None


@dataclass(frozen=True)
class AdultOutcome:
    """The chair's record for one adult, in words (as their subject access file says it)."""

    link: ConferenceAdult
    invited: str
    attendance: str
    views_heard: str


@dataclass(frozen=True)
class CaseRecord:
    conference: Conference
    pack: Pack
    children: list[ChildOutcome]
    adults: list[AdultOutcome]  # the chair records adults; young people are children here
    made_at: datetime
    made_by: StaffUser
    words_removed: bool  # retention has already run past it: the words are no longer held

    @property
    def day(self) -> date:
        return self.conference.held_on or self.conference.conference_date


def _plans_on(child_ids: list[int], day: date) -> dict[int, ChildPlan]:
    """Each child's plan open on ``day`` (started on or before it, not ended before it)."""
    plans = db.session.scalars(
        select(ChildPlan)
        .where(
            ChildPlan.child_id.in_(child_ids),
            ChildPlan.started_on <= day,
            or_(ChildPlan.ended_on.is_(None), ChildPlan.ended_on >= day),
        )
        .order_by(ChildPlan.started_on, ChildPlan.id)
    )
    return {plan.child_id: plan for plan in plans}  # the latest started wins


def build_case_record(conference: Conference, reader: StaffUser) -> CaseRecord:
    """``conference`` comes from ``get_conference`` (children and adults already loaded)."""
    pack = build_pack(conference, reader)
    day = conference.held_on or conference.conference_date
    links = sorted(conference.children, key=lambda link: link.child_id)
    plans = _plans_on([link.child_id for link in links], day)
    adults = [
        AdultOutcome(link, adult_invited(link), adult_attendance(link), adult_views_heard(link))
        for link in sorted(conference.adults, key=lambda link: link.family_member_id)
        if link.family_member.relationship != Relationship.YOUNG_PERSON
    ]
    return CaseRecord(
        conference=conference,
        pack=pack,
        children=[ChildOutcome(link, plans.get(link.child_id)) for link in links],
        adults=adults,
        made_at=utcnow(),
        made_by=reader,
        words_removed=conference.conference_date
        < retention_cutoff(current_app.config["RETENTION_DAYS"]),
    )


def export_html(record: CaseRecord) -> str:
    """The file: one self-contained HTML page (inline styles, no scripts, nothing fetched)."""
    return render_template(
        "case_record/export.html", record=record, pack=record.pack, saved_answers=saved_answers
    )


def file_name(record: CaseRecord) -> str:
    """The conference's id and date: no names, no case reference."""
    return f"conference-{record.conference.id}-{record.day.isoformat()}-record.html"


def record_exported(record: CaseRecord) -> None:
    """The conference is exported and its export time kept; every child, adult and advocate's
    record in the file is a view, audited as the pack audits them. One commit."""
    conference = record.conference
    conference.record_exported_at = record.made_at
    record_event(
        AuditAction.EXPORT,
        RecordType.CONFERENCE,
        conference.id,
        conference_id=conference.id,
        fields=("record_exported_at",),
    )
    record_pack_viewed(record.pack)  # commits
