"""Writing a checked import file with bulk statements: conferences, then people, then who was at
which conference. Only the counts are kept: the commit is the caller's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, update

from portal.extensions import db
from portal.models import (
    Channel,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceStatus,
    FamilyMember,
    utcnow,
)
from portal.models.base import SERVICE_TIMEZONE
from portal.reports.importing.lookup import Known, by_ref, chunks, listed
from portal.reports.importing.rows import ParsedFile

CASE_PREFIX = "IMPORTED-"
CASE_REFERENCE_LENGTH = 40
STARTS_AT = time(10)  # the file has no time: 10:00 in the council's time zone


@dataclass
class Tally:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def write(parsed: ParsedFile, known: Known) -> Tally:
    """Write every row of a file without errors; how many links were new, updated, unchanged."""
    conference_ids, changed_conferences = _write_conferences(parsed)
    child_ids = _write_children(parsed, known)
    member_ids, changed_people = _write_adults(parsed, known)
    tally = Tally()
    _write_child_links(parsed, conference_ids, child_ids, changed_conferences, tally)
    _write_adult_links(
        parsed, conference_ids, member_ids, changed_conferences, changed_people, tally
    )
    return tally


def _starts_at(day: date) -> datetime:
    return datetime.combine(day, STARTS_AT, SERVICE_TIMEZONE)


def _case_reference(ref: str) -> str:
    return (CASE_PREFIX + ref.upper())[:CASE_REFERENCE_LENGTH]


def _write_conferences(parsed: ParsedFile) -> tuple[dict[str, int], set[str]]:
    """Insert the new conferences, correct the changed ones; their ids by reference, and the
    references of the ones changed."""
    existing = by_ref(
        [Conference.id, Conference.conference_type, Conference.conference_date],
        Conference.external_ref,
        parsed.conferences,
    )
    now = utcnow()
    new = [
        {
            "case_reference": _case_reference(row.ref),
            "conference_type": row.kind,
            "starts_at": _starts_at(row.day),
            "conference_date": row.day,
            "format": ConferenceFormat.IN_PERSON,  # not in the file; the usual format
            "status": ConferenceStatus.HELD,
            "held_on": row.day,
            "imported": True,
            "external_ref": row.ref,
            "created_at": now,
            "updated_at": now,
        }
        for ref, row in parsed.conferences.items()
        if ref not in existing
    ]
    changed_refs = [
        (ref, row)
        for ref, row in parsed.conferences.items()
        if ref in existing
        and (existing[ref].conference_type, existing[ref].conference_date) != (row.kind, row.day)
    ]
    changed = [
        {
            "row_id": existing[ref].id,
            "conference_type": row.kind,
            "starts_at": _starts_at(row.day),
            "conference_date": row.day,
            "held_on": row.day,
            "updated_at": now,
        }
        for ref, row in changed_refs
    ]
    for chunk in chunks(new):
        db.session.execute(insert(Conference), list(chunk))
    if changed:
        db.session.execute(
            update(Conference.__table__)
            .where(Conference.__table__.c.id == bindparam("row_id"))
            .values(
                conference_type=bindparam("conference_type"),
                starts_at=bindparam("starts_at"),
                conference_date=bindparam("conference_date"),
                held_on=bindparam("held_on"),
                updated_at=bindparam("updated_at"),
            ),
            changed,
        )
    ids = {ref: row.id for ref, row in existing.items()}
    added = by_ref([Conference.id], Conference.external_ref, [row["external_ref"] for row in new])
    ids.update({ref: row.id for ref, row in added.items()})
    return ids, {ref for ref, _ in changed_refs}


def _write_children(parsed: ParsedFile, known: Known) -> dict[str, int]:
    """Children not yet imported, added; known ones are checked already (same date of birth)."""
    born = {row.person_ref: row.date_of_birth for row in parsed.children}
    existing = known.children
    now = utcnow()
    new = [
        {
            # The file has no names: the reference stands in, so pages never show a blank.
            "first_name": ref,
            "last_name": "",
            "date_of_birth": day,
            "external_ref": ref,
            "created_at": now,
            "updated_at": now,
        }
        for ref, day in born.items()
        if ref not in existing
    ]
    for chunk in chunks(new):
        db.session.execute(insert(Child), list(chunk))
    added = by_ref([Child.id], Child.external_ref, [row["external_ref"] for row in new])
    return {ref: row.id for ref, row in [*existing.items(), *added.items()] if ref in born}


def _write_adults(parsed: ParsedFile, known: Known) -> tuple[dict[str, int], set[str]]:
    roles = {row.person_ref: row.relationship for row in parsed.adults}
    existing = known.adults
    now = utcnow()
    new = [
        {
            "first_name": ref,
            "last_name": "",
            "relationship": relationship,
            "preferred_channel": Channel.NONE,  # no contact details: nothing can be sent
            "external_ref": ref,
            "created_at": now,
            "updated_at": now,
        }
        for ref, relationship in roles.items()
        if ref not in existing
    ]
    for chunk in chunks(new):
        db.session.execute(insert(FamilyMember), list(chunk))
    changed = {
        ref
        for ref, relationship in roles.items()
        if ref in existing and existing[ref].relationship != relationship
    }
    if changed:
        table = FamilyMember.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(relationship=bindparam("new_relationship"), updated_at=bindparam("now")),
            [
                {"row_id": existing[ref].id, "new_relationship": roles[ref], "now": now}
                for ref in changed
            ],
        )
    added = by_ref(
        [FamilyMember.id], FamilyMember.external_ref, [row["external_ref"] for row in new]
    )
    ids = {ref: row.id for ref, row in [*existing.items(), *added.items()] if ref in roles}
    return ids, changed


def _existing_links(
    model: Any, person_column: Any, columns: Sequence[Any], conference_ids: Iterable[int]
) -> dict[tuple[int, int], Any]:
    found: dict[tuple[int, int], Any] = {}
    for chunk in chunks(sorted(set(conference_ids))):
        for row in db.session.execute(
            select(model.conference_id, person_column, *columns).where(
                model.conference_id.in_(listed(chunk))
            )
        ):
            found[(row[0], row[1])] = row
    return found


def _write_child_links(
    parsed: ParsedFile,
    conference_ids: dict[str, int],
    child_ids: dict[str, int],
    changed_conferences: set[str],
    tally: Tally,
) -> None:
    existing = _existing_links(
        ConferenceChild,
        ConferenceChild.child_id,
        [ConferenceChild.participation_code],
        {conference_ids[row.conference_ref] for row in parsed.children},
    )
    now = utcnow()
    new, changed = [], []
    for row in parsed.children:
        key = (conference_ids[row.conference_ref], child_ids[row.person_ref])
        known = existing.get(key)
        if known is None:
            new.append(
                {
                    "conference_id": key[0],
                    "child_id": key[1],
                    "participation_code": row.code,
                    "added_at": now,
                }
            )
            tally.new += 1
        elif known.participation_code != row.code:
            changed.append({"c_id": key[0], "p_id": key[1], "v_participation_code": row.code})
            tally.updated += 1
        elif row.conference_ref in changed_conferences:
            tally.updated += 1
        else:
            tally.unchanged += 1
    _save_links(ConferenceChild, "child_id", new, changed)


def _save_links(
    model: type[ConferenceChild] | type[ConferenceAdult],
    person_column: str,
    new: list[dict[str, object]],
    changed: list[dict[str, object]],
) -> None:
    """Insert the new links a chunk at a time, and update the changed ones in one executemany:
    each changed row is {"c_id", "p_id", "v_<column>": value, ...}."""
    for chunk in chunks(new):
        db.session.execute(insert(model), list(chunk))
    if not changed:
        return
    table = model.__table__
    columns = [key.removeprefix("v_") for key in changed[0] if key.startswith("v_")]
    db.session.execute(
        update(table)
        .where(
            and_(
                table.c.conference_id == bindparam("c_id"),
                table.c[person_column] == bindparam("p_id"),
            )
        )
        .values({column: bindparam(f"v_{column}") for column in columns}),
        changed,
    )


def _write_adult_links(
    parsed: ParsedFile,
    conference_ids: dict[str, int],
    member_ids: dict[str, int],
    changed_conferences: set[str],
    changed_people: set[str],
    tally: Tally,
) -> None:
    existing = _existing_links(
        ConferenceAdult,
        ConferenceAdult.family_member_id,
        [
            ConferenceAdult.invited,
            ConferenceAdult.not_invited_reason,
            ConferenceAdult.attendance,
            ConferenceAdult.views_heard,
        ],
        {conference_ids[row.conference_ref] for row in parsed.adults},
    )
    now = utcnow()
    new, changed = [], []
    for row in parsed.adults:
        key = (conference_ids[row.conference_ref], member_ids[row.person_ref])
        values = {
            "invited": row.invited,
            # The file says only yes or no: why someone was not invited is not known.
            "not_invited_reason": None,
            "attendance": row.attendance,
            "views_heard": row.views_heard,
        }
        known = existing.get(key)
        if known is None:
            new.append(
                {
                    "conference_id": key[0],
                    "family_member_id": key[1],
                    "added_at": now,
                    # History: the feedback schedule must never pick these people up.
                    "invitations_paused": True,
                    **values,
                }
            )
            tally.new += 1
        elif any(getattr(known, name) != value for name, value in values.items()):
            changed.append(
                {"c_id": key[0], "p_id": key[1], **{f"v_{k}": v for k, v in values.items()}}
            )
            tally.updated += 1
        elif row.conference_ref in changed_conferences or row.person_ref in changed_people:
            tally.updated += 1
        else:
            tally.unchanged += 1
    _save_links(ConferenceAdult, "family_member_id", new, changed)
