"""A recorded conference whose children have their own links, for the "You said, we did" tests
(tests/integration/family_forms/test_meeting_note.py, tests/integration/conferences/
test_you_said_sent.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import (
    Child,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    FamilyMember,
    FormKind,
    Invitation,
    Relationship,
    Role,
    StaffUser,
)
from portal.templating import local_date
from tests.factories import add_child, add_contactable_member, make_conference, make_staff
from tests.pages import PageClient


@dataclass
class Recorded:
    chair: StaffUser
    conference: Conference
    child: Child
    member: FamilyMember  # the child's own contact record: theirs, or their helper's
    invitation: Invitation  # their feedback link

    @property
    def link(self) -> ConferenceChild:
        found = db.session.get(ConferenceChild, (self.conference.id, self.child.id))
        assert found is not None
        return found

    def open_link(self, client: PageClient) -> None:
        opened = client.submit(f"/r/{token_for(self.invitation.token_salt)}")
        assert opened.location == "/your-say/"


def years_ago(day: date, years: int) -> date:
    return day.replace(year=day.year - years) if (day.month, day.day) != (2, 29) else day


def recorded_with_child(
    conference: Conference | None = None, *, age: int = 13, **member_fields: object
) -> Recorded:
    """A conference held yesterday (made, or the one given), a child of ``age`` with their own
    contact record (an adult helping, named, under 10) and a live feedback link."""
    chair = make_staff(Role.CHAIR)
    if conference is None:
        conference = make_conference(chair=chair, starts_in=timedelta(days=-1))
    day = local_date(conference.starts_at)
    child = add_child(conference, first_name="Maya", date_of_birth=years_ago(day, age))
    helped = {"helper_name": "Sam Carter", "helper_relationship": "foster carer"}
    member = add_contactable_member(
        conference,
        first_name=child.first_name,
        relationship=Relationship.YOUNG_PERSON,
        child_id=child.id,
        **(helped if age < 10 else {}),
        **member_fields,
    )
    conference.status, conference.held_on = ConferenceStatus.HELD, day
    db.session.commit()
    invitation = issue_invitation(conference, member, FormKind.FEEDBACK)
    db.session.commit()
    return Recorded(chair, conference, child, member, invitation)
