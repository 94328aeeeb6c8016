"""What the delivery pages show: per person, the plan, each invitation and every message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.audit.services import record_event
from portal.extensions import db
from portal.invitations.schedule import first_send_date
from portal.invitations.services import waits_after_too_many_tries
from portal.messaging.reachable import contact_problem
from portal.models import (
    AuditAction,
    Conference,
    ConferenceAdult,
    FamilyMember,
    FormKind,
    Invitation,
    Message,
    MessageStatus,
    RecordType,
)


@dataclass(frozen=True)
class PersonDelivery:
    adult: ConferenceAdult
    member: FamilyMember
    contact_problem: str | None
    planned: dict[FormKind, date]
    invitations: list[Invitation]  # newest first, with their messages

    def messages(self, form: FormKind) -> list[Message]:
        """Every message about this form, newest first, across old and new links."""
        found = [m for i in self.invitations if i.form == form for m in i.messages]
        return sorted(found, key=lambda m: m.id, reverse=True)

    def live(self, form: FormKind) -> Invitation | None:
        return next((i for i in self.invitations if i.form == form and i.revoked_at is None), None)

    def locked(self, form: FormKind) -> bool:
        """The live link waits after five wrong tries at the second check."""
        live = self.live(form)
        return live is not None and waits_after_too_many_tries(live)


def conference_delivery(conference: Conference) -> list[PersonDelivery]:
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.conference_id == conference.id)
        .options(selectinload(Invitation.messages))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ).all()
    by_person: dict[int, list[Invitation]] = {}
    for invitation in invitations:
        by_person.setdefault(invitation.family_member_id, []).append(invitation)
    planned = {form: first_send_date(conference, form) for form in FormKind}
    return [
        PersonDelivery(
            adult=adult,
            member=adult.family_member,
            contact_problem=contact_problem(adult.family_member),
            planned=planned,
            invitations=by_person.get(adult.family_member_id, []),
        )
        for adult in sorted(conference.adults, key=lambda a: a.family_member_id)
    ]


def failed_messages(limit: int = 200) -> list[Message]:
    """Every message that gave up or was not delivered, newest first, across the service."""
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.status.in_([MessageStatus.FAILED, MessageStatus.UNDELIVERED]))
            .options(selectinload(Message.family_member))
            .order_by(Message.created_at.desc())
            .limit(limit)
        )
    )


def recent_messages(limit: int = 50) -> list[Message]:
    return list(
        db.session.scalars(
            select(Message)
            .options(selectinload(Message.invitation), selectinload(Message.family_member))
            .order_by(Message.id.desc())
            .limit(limit)
        )
    )


def record_message_list_viewed() -> None:
    # A list across the service: who looked
    record_event(AuditAction.VIEW, RecordType.MESSAGE, None)
    db.session.commit()
