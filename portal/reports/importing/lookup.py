"""What the database already holds for an import file: its references, looked up a few thousand
at a time, and the people an earlier import made, who must not change kind."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import BindParameter, bindparam, select

from portal.extensions import db
from portal.models import Child, Conference, FamilyMember
from portal.reports.importing.rows import AdultRow, ChildRow, ParsedFile, RowError

CHUNK = 2000  # references per IN (...) list: well inside every database's parameter limit

T = TypeVar("T")


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def listed(values: Sequence[object]) -> BindParameter[Any]:
    """Values for ``IN (...)`` written into the statement as literals (SQLAlchemy quotes them):
    thousands of separate parameters cost the driver far more time than the query itself."""
    return bindparam("listed", list(values), expanding=True, literal_execute=True)


def by_ref(columns: Sequence[Any], ref_column: Any, refs: Iterable[str]) -> dict[str, Any]:
    """Rows whose external reference is one of ``refs``, keyed by it: a query per chunk."""
    found: dict[str, Any] = {}
    wanted = sorted(set(refs))
    for chunk in chunks(wanted):
        for row in db.session.execute(
            select(ref_column, *columns).where(ref_column.in_(listed(chunk)))
        ):
            found[row[0]] = row
    return found


@dataclass(frozen=True)
class Known:
    """The file's people already in the database (from an earlier import), by person_ref."""

    children: dict[str, Any]  # rows of (external_ref, id, date_of_birth)
    adults: dict[str, Any]  # rows of (external_ref, id, relationship)


def known_people(parsed: ParsedFile) -> Known:
    refs = {row.person_ref for row in _people(parsed)}
    return Known(
        children=by_ref([Child.id, Child.date_of_birth], Child.external_ref, refs),
        adults=by_ref(
            [FamilyMember.id, FamilyMember.relationship], FamilyMember.external_ref, refs
        ),
    )


def _people(parsed: ParsedFile) -> list[ChildRow | AdultRow]:
    return [*parsed.children, *parsed.adults]


def people_errors(parsed: ParsedFile, known: Known) -> list[RowError]:
    """A person_ref already in the database must keep its kind (child or adult) and, for a
    child, its date of birth."""
    errors = []
    first_rows: dict[str, ChildRow | AdultRow] = {}
    for row in _people(parsed):
        if row.person_ref not in first_rows or row.line < first_rows[row.person_ref].line:
            first_rows[row.person_ref] = row
    children, adults = known.children, known.adults
    for ref, row in sorted(first_rows.items(), key=lambda item: item[1].line):
        if isinstance(row, ChildRow):
            if ref in adults:
                errors.append(RowError(row.line, "role", f"{ref} was imported before as an adult"))
            elif ref in children and children[ref].date_of_birth != row.date_of_birth:
                born = children[ref].date_of_birth
                errors.append(
                    RowError(
                        row.line,
                        "date_of_birth",
                        f"{ref} was imported before with date of birth "
                        f"{born.isoformat() if born else 'unknown'}",
                    )
                )
        elif ref in children:
            errors.append(RowError(row.line, "role", f"{ref} was imported before as a child"))
    return errors


def conference_errors(parsed: ParsedFile) -> list[RowError]:
    """A conference_ref of a conference run in the portal (``flask import conferences``) is not
    history: the history import never turns it into an imported conference."""
    run_here = by_ref([Conference.imported], Conference.external_ref, parsed.conferences)
    return [
        RowError(
            row.line,
            "conference_ref",
            f"{ref} is a conference run in the portal (from the case system's upcoming "
            "conferences), not history: it is recorded on its own page",
        )
        for ref, row in parsed.conferences.items()
        if ref in run_here and not run_here[ref].imported
    ]
