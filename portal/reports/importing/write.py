"""Writing a checked import file with bulk statements: conferences, then people, then who was at
which conference. Only the counts are kept: the commit is the caller's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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
from portal.models.base import SERVICE_TIMEZONE, table_of
from portal.reports.importing.lookup import Known, by_ref, chunks, listed
from portal.reports.importing.rows import ChildRow, ParsedFile

CASE_PREFIX = "IMPORTED-"
CASE_REFERENCE_LENGTH = 40
STARTS_AT = time(10)  # the file has no time: 10:00 in the council's time zone

Params = dict[str, Any]  # one row's values for a bulk INSERT or an executemany UPDATE


# The optional plan columns and the ConferenceChild columns they set.
PLAN_FIELDS = {
    "section47_started_on": "section_47_started_on",
    "plan_outcome": "plan_outcome",
    "category": "harm_category",
}


@dataclass
class Tally:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    # Children with a new or changed conference row: their plans are derived again.
    children_changed: set[int] = field(default_factory=set)


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
    new: list[Params] = [
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
        table = table_of(Conference)
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
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
    new: list[Params] = [
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
    new: list[Params] = [
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
        table = table_of(FamilyMember)
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


def _child_values(row: ChildRow, plan_columns: Iterable[str]) -> Params:
    """What the row sets on its ConferenceChild: the code, and the plan columns the file has."""
    plan = {
        "section47_started_on": row.section_47_started_on,
        "plan_outcome": row.plan_outcome,
        "category": row.category,
    }
    return {
        "participation_code": row.code,
        **{PLAN_FIELDS[column]: plan[column] for column in plan_columns},
    }


def _write_child_links(
    parsed: ParsedFile,
    conference_ids: dict[str, int],
    child_ids: dict[str, int],
    changed_conferences: set[str],
    tally: Tally,
) -> None:
    fields = ["participation_code", *(PLAN_FIELDS[name] for name in parsed.plan_columns)]
    existing = _existing_links(
        ConferenceChild,
        ConferenceChild.child_id,
        [getattr(ConferenceChild, name) for name in fields],
        {conference_ids[row.conference_ref] for row in parsed.children},
    )
    now = utcnow()
    new: list[Params] = []
    changed: list[Params] = []
    for row in parsed.children:
        key = (conference_ids[row.conference_ref], child_ids[row.person_ref])
        values = _child_values(row, parsed.plan_columns)
        known = existing.get(key)
        if known is None:
            new.append({"conference_id": key[0], "child_id": key[1], "added_at": now, **values})
            tally.new += 1
        elif any(getattr(known, name) != value for name, value in values.items()):
            changed.append(
                {"c_id": key[0], "p_id": key[1], **{f"v_{k}": v for k, v in values.items()}}
            )
            tally.updated += 1
        elif row.conference_ref in changed_conferences:
            tally.updated += 1
        else:
            tally.unchanged += 1
            continue
        tally.children_changed.add(key[1])
    _save_links(ConferenceChild, "child_id", new, changed)


def _save_links(
    model: type[ConferenceChild] | type[ConferenceAdult],
    person_column: str,
    new: list[Params],
    changed: list[Params],
) -> None:
    """Insert the new links a chunk at a time, and update the changed ones in one executemany:
    each changed row is {"c_id", "p_id", "v_<column>": value, ...}."""
    for chunk in chunks(new):
        db.session.execute(insert(model), list(chunk))
    if not changed:
        return
    table = table_of(model)
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
    new: list[Params] = []
    changed: list[Params] = []
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
