"""Importing a file of past attendance: checked whole, then written all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import AuditAction, RecordType
from portal.plans.services import rebuild_plans
from portal.reports.importing.lookup import (
    Known,
    conference_errors,
    known_people,
    people_errors,
)
from portal.reports.importing.parse import parse
from portal.reports.importing.rows import COLUMNS, PLAN_COLUMNS, RowError
from portal.reports.importing.write import write

SHOWN_ERRORS = 50


@dataclass(frozen=True)
class ImportResult:
    errors: list[RowError]
    rows: int = 0
    conferences: int = 0
    children: int = 0
    adults: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False

    @property
    def summary(self) -> str:
        return (
            f"Imported {self.rows} rows: {self.conferences} conferences, {self.children} "
            f"children, {self.adults} adults ({self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged)"
        )


def error_lines(errors: Sequence[RowError], limit: int = SHOWN_ERRORS) -> list[str]:
    """The errors as lines to print, the first ``limit`` of them and how many more."""
    lines = [str(error) for error in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"and {len(errors) - limit} more")
    return lines


class _Counts(TypedDict):
    """What the file holds: ImportResult's first four numbers."""

    rows: int
    conferences: int
    children: int
    adults: int


def import_attendance(data: bytes, *, min_age: int, dry_run: bool = False) -> ImportResult:
    """Check the whole file, then write all of it or nothing (one commit)."""
    parsed = parse(data, min_age)
    known = Known(children={}, adults={})
    if not parsed.errors:
        known = known_people(parsed)
        parsed.errors.extend(people_errors(parsed, known))
        parsed.errors.extend(conference_errors(parsed))
    counts: _Counts = {
        "rows": parsed.rows,
        "conferences": len(parsed.conferences),
        "children": len(parsed.children),
        "adults": len(parsed.adults),
    }
    if parsed.errors:
        db.session.rollback()
        return ImportResult(errors=sorted(parsed.errors, key=_error_order))
    if dry_run:
        db.session.rollback()
        return ImportResult(errors=[], **counts)
    try:
        tally = write(parsed, known)
        # Each child's plans are a history of their held conferences, imported or not.
        rebuild_plans(tally.children_changed)
        if tally.new or tally.updated:  # one event for the whole file, not one per row
            action = AuditAction.CREATE if tally.new else AuditAction.UPDATE
            record_event(action, RecordType.IMPORT, None, fields=["rows"])
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ImportResult(
        errors=[],
        new=tally.new,
        updated=tally.updated,
        unchanged=tally.unchanged,
        written=True,
        **counts,
    )


def _error_order(error: RowError) -> tuple[int, int]:
    columns = (*COLUMNS, *PLAN_COLUMNS)
    column = columns.index(error.column) if error.column in columns else -1
    return (error.line or 0, column)
