"""Fresh family links for ``flask demo``: one working link for each family form, printed beside
the staff accounts, so a newcomer can try the family pages at once without first acting as a
coordinator (issue 13).

Each run issues new links, as a coordinator's "Send a new link" does: the ones printed before
stop working. The people are the demo's own invented family members: a parent, a young person
and a child young enough for the Three Houses at a conference still to come (the featured one
first), and a parent at the latest held conference whose feedback window is still open. A
person whose form is already sent back is passed over, so the link always opens a form to fill.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from portal.demo.conferences import CASE_PREFIX, demo_mobile
from portal.demo.featured import FEATURED
from portal.extensions import db
from portal.invitations.services import form_problem, issue_invitation, live_invitation
from portal.link_tokens import token_for
from portal.messaging.reachable import contact_problem
from portal.models import (
    Channel,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceStatus,
    FamilyMember,
    FormKind,
    MessageStatus,
    Relationship,
    SecondCheck,
    StaffUser,
    utcnow,
)
from portal.templating import local_date

PARENT_VIEWS = "Parent's views"
PARENT_FEEDBACK = "Parent's feedback"
YOUNG_PERSON_VIEWS = "Young person's views"
THREE_HOUSES = "Three Houses (children under 10)"


@dataclass(frozen=True)
class FamilyLink:
    form: str  # which form it opens, as printed
    case_reference: str
    url: str


def _demo_conferences(status: ConferenceStatus, newest_first: bool) -> list[Conference]:
    order = Conference.starts_at.desc() if newest_first else Conference.starts_at
    found = db.session.scalars(
        select(Conference)
        .where(
            Conference.case_reference.startswith(CASE_PREFIX),  # the featured ones too
            Conference.status == status,
            Conference.imported.is_(False),
        )
        .order_by(order, Conference.id)
    ).all()
    # The featured conference first: its pack is the one the demo shows the chair.
    return sorted(found, key=lambda conference: conference.case_reference != FEATURED[0])


def _can_open(conference: Conference, member: FamilyMember, form: FormKind) -> bool:
    """A fresh link would reach this person and open a form still to fill in."""
    if contact_problem(member) is not None or member.second_check != SecondCheck.NONE:
        return False
    link = db.session.get(ConferenceAdult, (conference.id, member.id))
    if form == FormKind.FEEDBACK and (link is None or link.invited is False):
        return False
    earlier = live_invitation(conference.id, member.id, form)
    return earlier is None or earlier.submitted_at is None


def _parent(conference: Conference, form: FormKind) -> FamilyMember | None:
    """A parent who can open the form and is recorded as speaking English, so a newcomer's
    first look is in English (the switch on every page shows the Polish)."""
    adults = sorted(conference.adults, key=lambda link: link.family_member_id)
    return next(
        (
            link.family_member
            for link in adults
            if link.family_member.relationship != Relationship.YOUNG_PERSON
            and link.family_member.language_code == "en"
            and _can_open(conference, link.family_member, form)
        ),
        None,
    )


def _childs_own_contact(
    conference: Conference, child: Child, coordinator: StaffUser
) -> FamilyMember:
    """The child's own contact (for the Three Houses, the phone of the adult who helps them), as
    a coordinator adds it; made the first time it is needed."""
    existing = db.session.scalar(select(FamilyMember).where(FamilyMember.child_id == child.id))
    if existing is not None:
        return existing
    member = FamilyMember(
        first_name=child.first_name,
        last_name=child.last_name,
        relationship=Relationship.YOUNG_PERSON,
        child=child,
        mobile=demo_mobile(random.Random(child.first_name)),
        preferred_channel=Channel.SMS,
        contact_confirmed_safe_at=utcnow(),
        contact_confirmed_safe_by_id=coordinator.id,
    )
    conference.adults.append(ConferenceAdult(family_member=member))
    db.session.flush()
    return member


def _child_aged(
    low: int, high: int, coordinator: StaffUser
) -> Callable[[Conference, FormKind], FamilyMember | None]:
    """Finds a child aged ``low`` to ``high`` (inclusive) on the conference date, with their own
    contact; the contact is added if the child has none."""

    def find(conference: Conference, form: FormKind) -> FamilyMember | None:
        day = local_date(conference.starts_at)
        children = sorted(conference.children, key=lambda link: link.child_id)
        for child in (link.child for link in children):
            age = child.age_on(day)
            if age is None or not low <= age <= high:
                continue
            member = _childs_own_contact(conference, child, coordinator)
            if _can_open(conference, member, form):
                return member
        return None

    return find


def _first_in(
    conferences: list[Conference],
    form: FormKind,
    now: datetime,
    find: Callable[[Conference, FormKind], FamilyMember | None],
) -> Iterator[tuple[Conference, FamilyMember]]:
    for conference in conferences:
        # An hour's margin: a views link must still work when the newcomer gets to it
        if form_problem(conference, form, now + timedelta(hours=1)) is not None:
            continue
        member = find(conference, form)
        if member is not None:
            yield conference, member
            return


def issue_demo_family_links(
    coordinator: StaffUser, now: datetime | None = None
) -> list[FamilyLink]:
    """A new link for each family form (the earlier ones revoked), as if sent and delivered at
    once; commits. A form with no one to ask in the demo data is left out."""
    now = now or utcnow()
    config = current_app.config
    young = config["YOUNG_PERSON_MIN_AGE"]
    coming = _demo_conferences(ConferenceStatus.SCHEDULED, newest_first=False)
    held = _demo_conferences(ConferenceStatus.HELD, newest_first=True)
    wanted = [
        (PARENT_VIEWS, coming, FormKind.VIEWS, _parent),
        (PARENT_FEEDBACK, held, FormKind.FEEDBACK, _parent),
        (YOUNG_PERSON_VIEWS, coming, FormKind.VIEWS, _child_aged(young, 17, coordinator)),
        (
            THREE_HOUSES,
            coming,
            FormKind.VIEWS,
            _child_aged(config["CHILD_FORM_MIN_AGE"], young - 1, coordinator),
        ),
    ]
    links = []
    for label, conferences, form, find in wanted:
        for conference, member in _first_in(conferences, form, now, find):
            invitation = issue_invitation(conference, member, form, now)
            # Handed over here rather than by the worker: counted as sent and delivered.
            invitation.sent_at = invitation.delivered_at = now
            for message in invitation.messages:
                message.status, message.sent_at, message.delivered_at = (
                    MessageStatus.DELIVERED,
                    now,
                    now,
                )
            url = f"{config['PUBLIC_BASE_URL']}/r/{token_for(invitation.token_salt)}"
            links.append(FamilyLink(label, conference.case_reference, url))
    db.session.commit()
    return links
