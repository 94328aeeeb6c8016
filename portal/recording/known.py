"""What the portal already knows when the chair records a conference: the day it was held, each
child's code where the rules decide it or a record suggests one, whether each adult sent their
views; and so what the chair's form shows first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    AdvocateRecord,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    EntryRoute,
    FamilyMember,
    FormKind,
    FormResponse,
    Invitation,
    ParticipationCode,
    Relationship,
    ViewsRoute,
)
from portal.recording.codes import derived_code, participation_min_age


def day_shown(conference: Conference) -> date:
    """The date the form shows as the day the conference was held: the one recorded, or, before
    it is recorded, the day it was booked for."""
    if conference.recorded_at is not None and conference.held_on is not None:
        return conference.held_on
    return conference.day


@dataclass(frozen=True)
class ChildToRecord:
    link: ConferenceChild
    age: int | None  # on the day the conference was held; None when unborn
    derived: ParticipationCode | None  # CP0, or None: the chair chooses
    has_advocacy: bool  # an advocate was assigned to the child for this conference
    suggested: ParticipationCode | None  # from an advocate's record or the child's own form
    suggested_because: str = ""

    @property
    def child(self) -> Child:
        return self.link.child


@dataclass(frozen=True)
class AdultToRecord:
    link: ConferenceAdult
    sent_views: bool  # submitted their views form through the portal
    entered_views: bool = False  # views given another way, entered by staff for them

    @property
    def member(self) -> FamilyMember:
        return self.link.family_member


def _child_ids(query: Select[int]) -> set[int]:
    return set(db.session.scalars(query))


def people_to_record(
    conference: Conference, held_on: date
) -> tuple[list[ChildToRecord], list[AdultToRecord]]:
    """Every child and adult at the conference, with what the portal knows about each. Ages, and
    so CP0, are on ``held_on``, the day the conference was held (the day the form shows, or the
    one posted).

    A young person invited in their own right is a child here (recorded by code), not an adult.
    """
    referred = AdvocacyReferral.conference_id == conference.id
    with_advocate = _child_ids(
        select(AdvocacyReferral.child_id).where(referred, AdvocacyReferral.advocate_id.is_not(None))
    )
    briefed = _child_ids(
        select(AdvocacyReferral.child_id)
        .join(AdvocateRecord, AdvocateRecord.referral_id == AdvocacyReferral.id)
        .where(referred, AdvocateRecord.submitted_at.is_not(None))
    )
    # Views sent through the person's own link, or given another way and entered by staff
    # (entry_route: by phone, on paper, in person at the meeting, through an interpreter)
    views_in = db.session.execute(
        select(FamilyMember.id, FamilyMember.child_id, Invitation.entry_route)
        .join(Invitation, Invitation.family_member_id == FamilyMember.id)
        .join(FormResponse, FormResponse.invitation_id == Invitation.id)
        .where(
            Invitation.conference_id == conference.id,
            Invitation.form == FormKind.VIEWS,
            FormResponse.submitted_at.is_not(None),
        )
    ).all()
    sent_views = [row for row in views_in if row.entry_route is None]
    entered = [row for row in views_in if row.entry_route is not None]
    members_who_sent = {row.id for row in sent_views}
    children_who_sent = {row.child_id for row in sent_views if row.child_id is not None}
    members_entered = {row.id for row in entered}
    # Given in the room, the child attended: how they took part is the chair's to say
    children_entered = {
        row.child_id
        for row in entered
        if row.child_id is not None and row.entry_route != EntryRoute.IN_PERSON
    }

    day, min_age = held_on, participation_min_age()
    children = []
    for link in sorted(conference.children, key=lambda c: c.child_id):
        derived = derived_code(link.child, day, min_age)
        suggested, because = derived, ""
        if derived is None and link.child_id in briefed:
            suggested, because = ParticipationCode.CP5, _("an advocate's record was sent")
        elif derived is None and link.child_id in children_who_sent:
            suggested, because = ParticipationCode.CP6, _("they sent their own form")
        elif derived is None and link.child_id in children_entered:
            suggested, because = ParticipationCode.CP6, _("their views were given another way")
        children.append(
            ChildToRecord(
                link=link,
                age=link.child.age_on(day),
                derived=derived,
                has_advocacy=link.child_id in with_advocate,
                suggested=suggested,
                suggested_because=because,
            )
        )
    adults = [
        AdultToRecord(
            link=link,
            sent_views=link.family_member_id in members_who_sent,
            entered_views=link.family_member_id in members_entered,
        )
        for link in sorted(conference.adults, key=lambda a: a.family_member_id)
        if link.family_member.relationship != Relationship.YOUNG_PERSON
    ]
    return children, adults


def load_for_recording(conference_id: int) -> Conference | None:
    return db.session.scalar(
        select(Conference)
        .where(Conference.id == conference_id)
        .options(
            selectinload(Conference.children).selectinload(ConferenceChild.child),
            selectinload(Conference.adults).selectinload(ConferenceAdult.family_member),
        )
    )


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def form_data(
    conference: Conference, children: list[ChildToRecord], adults: list[AdultToRecord]
) -> dict[str, object]:
    """What the form shows first: what was recorded, or, for anything not yet recorded, what
    the portal suggests (the conference's own date; a submitted form ticks "portal form", views
    given another way and entered by staff tick their route)."""
    recorded = conference.recorded_at is not None
    data: dict[str, object] = {
        "held_on": day_shown(conference),
        "format": conference.format.value,
        "quorate": _yes_no(conference.quorate) if recorded else None,
    }
    for person in children:
        link = person.link
        code = link.participation_code  # a child added since the record was saved has none
        shown = code or person.suggested
        data[f"child-{link.child_id}"] = {
            "code": shown.value if shown else None,
            # Attendance is not stored: it is what the recorded code says
            "attended": _yes_no(code.attended) if code else None,
            "plan_outcome": link.plan_outcome.value if link.plan_outcome else None,
            "harm_category": (
                (link.harm_category.value if link.harm_category else "none") if code else None
            ),
        }
    for adult in adults:
        adult_link = adult.link
        if adult_link.invited is not None:
            routes = list(adult_link.views_routes or [])
            data[f"adult-{adult_link.family_member_id}"] = {
                "invited": _yes_no(adult_link.invited),
                "not_invited_reason": adult_link.not_invited_reason
                and adult_link.not_invited_reason.value,
                "attendance": adult_link.attendance and adult_link.attendance.value,
                "attendance_mode": adult_link.attendance_mode and adult_link.attendance_mode.value,
                "views_routes": routes,
            }
        else:
            data[f"adult-{adult_link.family_member_id}"] = {
                "invited": "yes",
                "views_routes": [ViewsRoute.PORTAL_FORM.value] * adult.sent_views
                + [ViewsRoute.ENTERED_FOR_THEM.value] * adult.entered_views,
            }
    return data
