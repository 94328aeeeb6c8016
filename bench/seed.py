"""Many family links quickly, for the fault runs: a few conferences, each with many people."""

from __future__ import annotations

from datetime import UTC, datetime

from portal.models import Invitation

DRAMA_RANGE = 1000  # Ofcom's 07700 900000–900999: never a real phone


def issue_views_links(count: int, per_conference: int = 25) -> list[Invitation]:
    """``count`` people, each with a live views link (and its queued text) and a mobile of
    their own in the drama range (numbers repeat after 1,000). Inside an app context;
    committed."""
    from portal.extensions import db
    from portal.invitations.services import issue_invitation
    from portal.models import (
        Channel,
        ConferenceAdult,
        FamilyMember,
        FormKind,
        Relationship,
        Role,
    )
    from tests.factories import make_conference, make_staff

    coordinator = make_staff(Role.COORDINATOR)
    now = datetime.now(UTC)
    invitations = []
    conference = None
    for number in range(count):
        if number % per_conference == 0:
            conference = make_conference()
        member = FamilyMember(
            first_name="Jo",
            last_name=f"Tester {number}",
            relationship=Relationship.MOTHER,
            mobile=f"+447700900{number % DRAMA_RANGE:03d}",
            preferred_channel=Channel.SMS,
            contact_confirmed_safe_at=now,
            contact_confirmed_safe_by_id=coordinator.id,
        )
        db.session.add(ConferenceAdult(conference=conference, family_member=member))
        db.session.flush()
        invitations.append(issue_invitation(conference, member, FormKind.VIEWS, now))
    db.session.commit()
    return invitations
