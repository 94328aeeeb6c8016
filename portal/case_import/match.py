"""What the portal already holds for an upcoming-conferences file, and what the file may not do
to it: a chair must have an active chair's account, a conference must still be to come, held
or cancelled conferences and past history are not changed, and a person keeps their kind
(child or adult) and a child their date of birth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from portal.case_import.rows import ConferenceRow, ParsedFile, PersonRow, RowError
from portal.extensions import db
from portal.models import (
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceStatus,
    FamilyMember,
    Role,
    StaffUser,
)
from portal.reports.importing.lookup import chunks, listed


@dataclass(frozen=True)
class Portal:
    """The file's chairs, conferences and people as the portal has them."""

    chairs: dict[str, int]  # active chairs' ids by email
    conferences: dict[str, Conference]  # by conference_ref
    children: dict[str, Child]  # by person_ref
    adults: dict[str, FamilyMember]  # by person_ref
    refs_at: dict[int, set[str]]  # person_refs already on each of those conferences


def _by_ref(model: Any, refs: set[str]) -> dict[str, Any]:
    """Records of ``model`` (any with ``external_ref``) by reference, a query per chunk."""
    found = {}
    for chunk in chunks(sorted(refs)):
        for record in db.session.scalars(
            select(model).where(model.external_ref.in_(listed(chunk)))
        ):
            found[record.external_ref] = record
    return found


def look_up(parsed: ParsedFile) -> Portal:
    emails = {row.chair_email for row in parsed.conferences.values()}
    chairs = {
        email: chair_id
        for chair_id, email in db.session.execute(
            select(StaffUser.id, StaffUser.email).where(
                StaffUser.email.in_(sorted(emails)),
                StaffUser.role == Role.CHAIR,
                StaffUser.is_active_account.is_(True),
            )
        )
    }
    person_refs = {row.person_ref for row in parsed.people}
    conferences = _by_ref(Conference, set(parsed.conferences))
    return Portal(
        chairs=chairs,
        conferences=conferences,
        children=_by_ref(Child, person_refs),
        adults=_by_ref(FamilyMember, person_refs),
        refs_at=refs_on([conference.id for conference in conferences.values()]),
    )


def refs_on(conference_ids: list[int]) -> dict[int, set[str]]:
    """The person_refs of the people on these conferences (people added by hand have none)."""
    found: dict[int, set[str]] = {conference_id: set() for conference_id in conference_ids}
    for chunk in chunks(conference_ids):
        for conference_id, ref in db.session.execute(
            select(ConferenceChild.conference_id, Child.external_ref)
            .join(Child, Child.id == ConferenceChild.child_id)
            .where(ConferenceChild.conference_id.in_(chunk), Child.external_ref.is_not(None))
            .union_all(
                select(ConferenceAdult.conference_id, FamilyMember.external_ref)
                .join(FamilyMember, FamilyMember.id == ConferenceAdult.family_member_id)
                .where(
                    ConferenceAdult.conference_id.in_(chunk),
                    FamilyMember.external_ref.is_not(None),
                )
            )
        ):
            if ref is not None:  # excluded by the query: for the type checker
                found[conference_id].add(ref)
    return found


def portal_errors(parsed: ParsedFile, portal: Portal, now: datetime) -> list[RowError]:
    errors: list[RowError] = []
    for row in parsed.conferences.values():
        if row.chair_email not in portal.chairs:
            errors.append(
                RowError(
                    row.line,
                    "chair_email",
                    f"no active chair's account has the email address {row.chair_email}",
                )
            )
        errors.extend(_conference_errors(row, portal, now, parsed.people))
    for person in parsed.people:
        errors.extend(_person_errors(person, portal))
    return errors


def _conference_errors(
    row: ConferenceRow, portal: Portal, now: datetime, people: list[PersonRow]
) -> list[RowError]:
    existing = portal.conferences.get(row.ref)
    if existing is None:
        if row.starts_at <= now:
            return [RowError(row.line, "starts_at", "this is past: only conferences to come")]
        return []
    if existing.imported:
        return [
            RowError(
                row.line,
                "conference_ref",
                f"{row.ref} is a past conference imported as history; a conference to come "
                "needs a reference of its own",
            )
        ]
    moved = existing.starts_at != row.starts_at
    if existing.status != ConferenceStatus.SCHEDULED:
        others = (existing.conference_type, existing.case_reference, existing.chair_id) != (
            row.kind,
            row.case_reference,
            portal.chairs.get(row.chair_email),
        )
        joining = {p.person_ref for p in people if p.conference_ref == row.ref} - portal.refs_at[
            existing.id
        ]
        if moved or others or joining:
            return [
                RowError(
                    row.line,
                    "conference_ref",
                    f"conference {row.ref} is {existing.status.value} in the portal: an import "
                    "changes only conferences still scheduled",
                )
            ]
    elif moved and row.starts_at <= now:
        return [
            RowError(row.line, "starts_at", "this is past: a conference moves to a time to come")
        ]
    return []


def _person_errors(person: PersonRow, portal: Portal) -> list[RowError]:
    ref = person.person_ref
    if person.is_child and ref in portal.adults:
        return [RowError(person.line, "role", f"{ref} is an adult in the portal")]
    if not person.is_child and ref in portal.children:
        return [RowError(person.line, "role", f"{ref} is a child in the portal")]
    child = portal.children.get(ref)
    if person.is_child and child is not None and child.date_of_birth != person.date_of_birth:
        held = child.date_of_birth.isoformat() if child.date_of_birth else "none (unborn)"
        return [
            RowError(
                person.line,
                "date_of_birth",
                f"{ref} has date of birth {held} in the portal: correct whichever is wrong "
                "(the portal's on the conference page) and import again",
            )
        ]
    return []
