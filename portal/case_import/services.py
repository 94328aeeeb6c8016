"""Importing a file of upcoming conferences: checked whole, then written all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask import current_app

from portal.case_import.check import RowChecker
from portal.case_import.match import look_up, portal_errors
from portal.case_import.rows import COLUMNS, WORDS, ParsedFile, RowError
from portal.case_import.write import NEW, UNCHANGED, UPDATED, Missing, missing_people, write
from portal.extensions import db
from portal.models import StaffUser, utcnow
from portal.reports.importing.parse import CsvFile
from portal.reports.importing.services import error_lines

__all__ = ["UpcomingResult", "error_lines", "import_conferences", "parse"]


@dataclass(frozen=True)
class UpcomingResult:
    errors: list[RowError]
    rows: int = 0
    conferences: dict[str, int] = field(default_factory=dict)  # new, updated, unchanged
    people: dict[str, int] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)
    written: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.conferences.get(NEW) or self.conferences.get(UPDATED)) or bool(
            self.people.get(NEW) or self.people.get(UPDATED)
        )

    @property
    def summary(self) -> str:
        c, p = self.conferences, self.people
        return (
            f"{self.rows} rows: {sum(c.values())} conferences ({c[NEW]} new, {c[UPDATED]} "
            f"changed, {c[UNCHANGED]} unchanged), {p[NEW]} people added to a conference, "
            f"{p[UPDATED]} updated, {p[UNCHANGED]} unchanged; {len(self.missing)} in the portal "
            "but not in this file"
        )


def parse(data: bytes) -> ParsedFile:
    """Read and check every row; nothing touches the database."""
    parsed = ParsedFile()
    file = CsvFile(data, COLUMNS)
    checker = RowChecker(
        parsed,
        ZoneInfo(current_app.config["TIMEZONE"]),
        current_app.config["YOUNG_PERSON_MIN_AGE"],
    )
    for line, values in file.rows():
        for name in WORDS:  # "Initial", "MOTHER", "SMS": the word is what matters
            values[name] = values[name].lower()
        checker.check(line, values)
    parsed.errors.extend(file.errors)
    if not parsed.errors and not parsed.people:
        parsed.errors.append(
            RowError(None, None, "the file has a header but no rows: nothing to import")
        )
    return parsed


def import_conferences(
    data: bytes, *, by: StaffUser | None = None, dry_run: bool = False
) -> UpcomingResult:
    """Check the whole file, then write all of it (one commit) or nothing. A dry run goes as far
    as writing, to say what would change and who is missing, then rolls it all back."""
    parsed = parse(data)
    if not parsed.errors:
        portal = look_up(parsed)
        parsed.errors.extend(portal_errors(parsed, portal, utcnow()))
    if parsed.errors:
        db.session.rollback()
        return UpcomingResult(errors=sorted(parsed.errors, key=_error_order))
    try:
        tally = write(parsed.conferences, parsed.people, portal, by)
        db.session.flush()
        missing = missing_people(portal.conferences, parsed.people)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return UpcomingResult(
        errors=[],
        rows=len(parsed.people),
        conferences=tally.conferences,
        people=tally.people,
        missing=missing,
        written=not dry_run,
    )


def _error_order(error: RowError) -> tuple[int, int]:
    column = COLUMNS.index(error.column) if error.column in COLUMNS else -1
    return (error.line or 0, column)
