"""Merging two records of one person (two Child records, or two FamilyMember records).

The kept record gets the other's conferences, and every row that points at the removed record
(found from the schema's foreign keys, so a table added later is not missed) points at the kept
one. Where both records are at the same conference the kept record's place there stays, and the
removed one's goes, but only if nothing hangs on it there (an advocacy referral, an invitation,
a task): otherwise the merge is refused, with what to do first. What the removed record held is
kept, sealed, on a PersonMerge row. One commit; audited on both records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Column, delete, func, insert, select, update

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import (
    AuditAction,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    FamilyMember,
    PersonMerge,
    RecordType,
    StaffUser,
)
from portal.models.base import table_of
from portal.plans.services import rebuild_plans

CHILD_FIELDS = ("first_name", "last_name", "date_of_birth", "expected_date_of_birth")
ADULT_FIELDS = (
    "first_name",
    "last_name",
    "relationship",
    "child_id",
    "mobile",
    "email",
    "preferred_channel",
    "language_code",
    "language",
    "interpreter_needed",
    "access_needs",
    "contact_confirmed_safe_at",
    "sms_opted_out_at",
    "helper_name",
    "helper_relationship",
    "second_check",
)


class MergeRefused(Exception):
    """Why these two records cannot be merged; shown to the admin as it is."""


@dataclass(frozen=True)
class Kind:
    model: type[Child] | type[FamilyMember]
    link: type[ConferenceChild] | type[ConferenceAdult]
    link_column: str
    record_type: RecordType
    fields: tuple[str, ...]


CHILDREN = Kind(Child, ConferenceChild, "child_id", RecordType.CHILD, CHILD_FIELDS)
ADULTS = Kind(
    FamilyMember, ConferenceAdult, "family_member_id", RecordType.FAMILY_MEMBER, ADULT_FIELDS
)
KINDS = {"child": CHILDREN, "adult": ADULTS}


def _pointers(kind: Kind) -> list[Column[Any]]:
    """Every column, outside the conference links, holding the id of a record of this kind."""
    target = table_of(kind.model).c.id
    link_table = table_of(kind.link)
    return [
        fk.parent
        for table in db.metadata.sorted_tables
        if table is not link_table
        for fk in table.foreign_keys
        if fk.column is target
    ]


def _conference_ids(kind: Kind, record_id: int) -> set[int]:
    link = table_of(kind.link)
    return set(
        db.session.scalars(
            select(link.c.conference_id).where(link.c[kind.link_column] == record_id)
        )
    )


def records_for(kind_name: str, kept_id: int, removed_id: int) -> tuple[Any, Any]:
    """Both records, or MergeRefused naming the number not found."""
    kind = KINDS[kind_name]
    found = []
    for record_id in (kept_id, removed_id):
        record = db.session.get(kind.model, record_id)
        if record is None:
            raise MergeRefused(_("There is no record numbered %(number)s", number=record_id))
        found.append(record)
    return found[0], found[1]


def shown_for_merging(kind_name: str, kept_id: int, removed_id: int) -> list[tuple[Any, list]]:
    """Both records with their conferences, for the admin to check; the view is audited."""
    kind = KINDS[kind_name]
    pair = [
        (record, conferences_of(kind_name, record.id))
        for record in records_for(kind_name, kept_id, removed_id)
    ]
    for record, _conferences in pair:
        record_event(AuditAction.VIEW, kind.record_type, record.id, fields=["merge"])
    db.session.commit()
    return pair


def conferences_of(kind_name: str, record_id: int) -> list[Conference]:
    kind = KINDS[kind_name]
    return list(
        db.session.scalars(
            select(Conference)
            .where(Conference.id.in_(_conference_ids(kind, record_id)))
            .order_by(Conference.starts_at)
        )
    )


def _check_shared(kind: Kind, removed_id: int, shared: set[int]) -> None:
    for column in _pointers(kind):
        conference_column = column.table.c.get("conference_id")
        if conference_column is None or not shared:
            continue
        held_there = db.session.scalar(
            select(func.count())
            .select_from(column.table)
            .where(column == removed_id, conference_column.in_(shared))
        )
        if held_there:
            raise MergeRefused(
                _(
                    "Both records are at the same conference, and the record to merge has "
                    "%(what)s records there: remove it from that conference first, or merge "
                    "the other way round",
                    what=column.table.name.replace("_", " "),
                )
            )


def _check_people(kind: Kind, kept: Any, removed: Any) -> None:
    if kind is CHILDREN:
        contacts = db.session.scalar(
            select(func.count())
            .select_from(FamilyMember)
            .where(FamilyMember.child_id.in_([kept.id, removed.id]))
        )
        if contacts == 2:
            raise MergeRefused(
                _(
                    "Both children have their own contact record: merge those two adult "
                    "records first"
                )
            )
    elif kept.child_id != removed.child_id:
        raise MergeRefused(
            _(
                "One of these is a young person's own contact record and the other is not, or "
                "they belong to different children: merge the children first"
            )
        )


def _snapshot(kind: Kind, removed: Any) -> str:
    link = table_of(kind.link)
    links = [
        dict(row._mapping)
        for row in db.session.execute(select(link).where(link.c[kind.link_column] == removed.id))
    ]
    record = {name: getattr(removed, name) for name in (*kind.fields, "external_ref", "created_at")}
    return json.dumps({"record": record, "conferences": links}, default=str, sort_keys=True)


def _move_links(kind: Kind, kept_id: int, removed_id: int, shared: set[int]) -> None:
    """The removed record's conferences become the kept one's: new link rows first (rows
    elsewhere point at a link), then the pointers, then the old links go."""
    link = table_of(kind.link)
    key = link.c[kind.link_column]
    rows = [
        {**dict(row._mapping), kind.link_column: kept_id}
        for row in db.session.execute(
            select(link).where(key == removed_id, link.c.conference_id.not_in(shared))
        )
    ]
    if rows:
        db.session.execute(insert(link), rows)
    for column in _pointers(kind):
        table = column.table
        db.session.execute(update(table).where(column == removed_id).values({column.name: kept_id}))
    db.session.execute(delete(link).where(key == removed_id))


def merge(kind_name: str, kept_id: int, removed_id: int, by: StaffUser) -> PersonMerge:
    """Merge record ``removed_id`` into ``kept_id``; MergeRefused says why not (nothing
    changed)."""
    kind = KINDS[kind_name]
    if kept_id == removed_id:
        raise MergeRefused(_("Enter two different record numbers"))
    kept, removed = records_for(kind_name, kept_id, removed_id)
    shared = _conference_ids(kind, kept_id) & _conference_ids(kind, removed_id)
    _check_people(kind, kept, removed)
    _check_shared(kind, removed_id, shared)
    history = PersonMerge(
        record_type=kind.record_type.value,
        kept_id=kept_id,
        removed_id=removed_id,
        removed_record=_snapshot(kind, removed),
        merged_by_id=by.id,
    )
    db.session.add(history)
    person_id = removed.external_ref
    db.session.flush()
    # Core statements below: the session must not hold stale copies of the moved rows.
    db.session.expunge(removed)
    _move_links(kind, kept_id, removed_id, shared)
    db.session.execute(delete(table_of(kind.model)).where(table_of(kind.model).c.id == removed_id))
    db.session.expire_all()
    kept = db.session.get(kind.model, kept_id)
    if kept is not None and kept.external_ref is None and person_id:
        kept.external_ref = person_id  # the case system's ID, once the removed record is gone
    for record_id in (kept_id, removed_id):
        record_event(AuditAction.MERGE, kind.record_type, record_id, fields=["merged"])
    if kind is CHILDREN:
        rebuild_plans([kept_id])
    db.session.commit()
    return history
