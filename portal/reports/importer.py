"""``flask import attendance``: past records, one row per person per conference, from a CSV file.

The whole file is read and checked first; only a file without a single error is written, in one
transaction. A row is identified by ``conference_ref`` + ``person_ref``: importing the same file
again changes nothing, and a corrected file updates the rows it corrects in place (rows missing
from the new file are left as they are, never deleted).

Columns are found by name, so their order does not matter; the header must hold exactly these
ten names (an unknown, missing or repeated one is an error). Values are trimmed. A value that
looks like a spreadsheet formula is just text here: nothing in the file is ever evaluated.

The writing is done with bulk statements (one query per few thousand references, not one per
row): the models' Python-side hooks do not run, so ``conference_date`` is set here, and nothing
else fires either. No advocacy referral, invitation or message is made for history, and each
imported adult's scheduled messages are held back (``invitations_paused``) so the feedback
schedule never picks up a recent imported conference.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, TypeVar

from sqlalchemy import BindParameter, and_, bindparam, insert, select, update

from portal.audit.services import record_event
from portal.extensions import db
from portal.models import (
    AdultAttendance,
    AuditAction,
    Channel,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceFormat,
    ConferenceStatus,
    ConferenceType,
    FamilyMember,
    ParticipationCode,
    Relationship,
    utcnow,
)
from portal.models.base import SERVICE_TIMEZONE
from portal.models.people import whole_years

COLUMNS = (
    "conference_ref",
    "conference_date",
    "conference_type",
    "person_ref",
    "role",
    "date_of_birth",
    "invited",
    "attended",
    "views_heard",
    "participation_code",
)
ROLES = {
    "mother": Relationship.MOTHER,
    "father": Relationship.FATHER,
    "other_parent": Relationship.PARENTAL_RESPONSIBILITY,
    "carer": Relationship.CARER,
    "other_family": Relationship.OTHER_FAMILY,
}
CHILD_ROLE = "child"
# Columns holding one of a few words, read in any case; references are kept exactly as written.
WORDS = ("conference_type", "role", "invited", "attended", "views_heard")
YES_NO = {"yes": True, "no": False}
REF_LENGTH = 60  # Conference.external_ref, Child.external_ref, FamilyMember.external_ref
CASE_PREFIX = "IMPORTED-"
CASE_REFERENCE_LENGTH = 40
STARTS_AT = time(10)  # the file has no time: 10:00 in the council's time zone
CHUNK = 2000  # references per IN (...) list: well inside every database's parameter limit
SHOWN_ERRORS = 50
EARLIEST_CONFERENCE = date(2000, 1, 1)  # as the reports: nothing before 2000 is history we keep


@dataclass(frozen=True)
class RowError:
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class ConferenceRow:
    line: int
    ref: str
    day: date
    kind: ConferenceType


@dataclass(frozen=True)
class ChildRow:
    line: int
    conference_ref: str
    person_ref: str
    date_of_birth: date
    code: ParticipationCode


@dataclass(frozen=True)
class AdultRow:
    line: int
    conference_ref: str
    person_ref: str
    relationship: Relationship
    invited: bool
    attendance: AdultAttendance
    views_heard: bool


@dataclass
class ParsedFile:
    conferences: dict[str, ConferenceRow] = field(default_factory=dict)
    children: list[ChildRow] = field(default_factory=list)
    adults: list[AdultRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.children) + len(self.adults)


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


# --- Reading and checking ----------------------------------------------------------------------


def _decode(data: bytes) -> str | RowError:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return RowError(line, None, "the file is not UTF-8 text (save it as CSV UTF-8)")


class _UnreadableError(Exception):
    """The csv module gave up on the file (a value over its size limit, a quote it cannot
    close): where it stopped, to report as a line rather than a traceback."""

    def __init__(self, line: int, error: csv.Error) -> None:
        super().__init__(str(error))
        self.error = RowError(line, None, f"the file could not be read as CSV here: {error}")


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on (a quoted value may span lines); a record the
    csv module cannot read raises _UnreadableError with the line it had reached."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _UnreadableError(reader.line_num, error) from None
        yield start, record
        start = reader.line_num + 1


def _blank(record: list[str]) -> bool:
    return not any(value.strip() for value in record)


def _day(value: str) -> date | None:
    """A real calendar date written YYYY-MM-DD, or None."""
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _header_errors(header: list[str], line: int) -> tuple[dict[str, int], list[RowError]]:
    names = [name.strip() for name in header]
    errors = []
    positions: dict[str, int] = {}
    for position, name in enumerate(names):
        if name not in COLUMNS:
            shown = name or f"number {position + 1} (no name)"
            errors.append(
                RowError(line, shown, "unknown column; the columns are " + ",".join(COLUMNS))
            )
        elif name in positions:
            errors.append(RowError(line, name, "this column is in the header twice"))
        else:
            positions[name] = position
    for name in COLUMNS:
        if name not in positions:
            errors.append(RowError(line, name, "missing column"))
    return positions, errors


def _date_problem(value: str, what: str) -> str:
    if not value:
        return f"enter {what} (YYYY-MM-DD)"
    return f"enter a real date as YYYY-MM-DD (not {value!r})"


def _one_of(value: str, choices: Iterable[str]) -> str:
    return " | ".join(choices) + (f" (not {value!r})" if value else "")


def parse(data: bytes, min_age: int) -> ParsedFile:
    """Read and check the whole file; nothing touches the database."""
    parsed = ParsedFile()
    text = _decode(data)
    if isinstance(text, RowError):
        parsed.errors.append(text)
        return parsed
    records = _records(text)
    try:
        # The header is the first line that is not blank
        first = next((item for item in records if not _blank(item[1])), None)
    except _UnreadableError as unreadable:
        parsed.errors.append(unreadable.error)
        return parsed
    if first is None:
        parsed.errors.append(
            RowError(None, None, "the file is empty: expected a header line, then the rows")
        )
        return parsed
    header_line, header = first
    positions, header_errors = _header_errors(header, header_line)
    if header_errors:
        parsed.errors.extend(header_errors)
        return parsed
    width = len(header)
    seen_rows: dict[tuple[str, str], int] = {}
    people: dict[str, tuple[int, str, date | None]] = {}  # person_ref: (line, role, born)
    today = datetime.now(SERVICE_TIMEZONE).date()  # the latest conference date allowed
    try:
        for line, record in records:
            if _blank(record):
                continue
            if len(record) != width:
                parsed.errors.append(
                    RowError(line, None, f"expected {width} values, found {len(record)}")
                )
                continue
            values = {name: record[position].strip() for name, position in positions.items()}
            for name in WORDS:  # "Yes", "Mother", "REVIEW": the word is what matters
                values[name] = values[name].lower()
            _check_row(parsed, line, values, min_age, seen_rows, people, today)
    except _UnreadableError as unreadable:
        parsed.errors.append(unreadable.error)  # the lines after it are not checked
    if not parsed.errors and parsed.rows == 0:
        parsed.errors.append(
            RowError(None, None, "the file has a header but no rows: nothing to import")
        )
    return parsed


def _check_row(  # noqa: C901, PLR0912, PLR0915 - one rule per column, in the file's order
    parsed: ParsedFile,
    line: int,
    values: dict[str, str],
    min_age: int,
    seen_rows: dict[tuple[str, str], int],
    people: dict[str, tuple[int, str, date | None]],
    today: date,
) -> None:
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    conference_ref, person_ref = values["conference_ref"], values["person_ref"]
    for column, ref in (("conference_ref", conference_ref), ("person_ref", person_ref)):
        if not ref:
            fail(column, "enter a reference")
        elif len(ref) > REF_LENGTH:
            fail(column, f"at most {REF_LENGTH} characters (this has {len(ref)})")
        elif not ref.isprintable():
            fail(
                column,
                "a reference is one line of printable text: no line breaks, tabs or control "
                "characters",
            )
    day = _day(values["conference_date"])
    if day is None:
        fail("conference_date", _date_problem(values["conference_date"], "the conference date"))
    elif not EARLIEST_CONFERENCE <= day <= today:
        fail(
            "conference_date",
            f"enter a date from {EARLIEST_CONFERENCE.isoformat()} to today, "
            f"{today.isoformat()} (not {day.isoformat()})",
        )
        day = None  # no other check can use it
    try:
        kind = ConferenceType(values["conference_type"])
    except ValueError:
        kind = None
        fail("conference_type", _one_of(values["conference_type"], ConferenceType))
    role = values["role"]
    if role != CHILD_ROLE and role not in ROLES:
        fail("role", _one_of(role, [CHILD_ROLE, *ROLES]))

    if conference_ref and day is not None and kind is not None:
        known = parsed.conferences.get(conference_ref)
        if known is None:
            parsed.conferences[conference_ref] = ConferenceRow(line, conference_ref, day, kind)
        else:
            if known.day != day:
                fail(
                    "conference_date",
                    f"conference {conference_ref} is on {known.day.isoformat()} on line "
                    f"{known.line}; the same conference must have the same date on every row",
                )
            if known.kind != kind:
                fail(
                    "conference_type",
                    f"conference {conference_ref} is {known.kind.value} on line {known.line}; "
                    "the same conference must have the same type on every row",
                )
    if conference_ref and person_ref:
        first_line = seen_rows.setdefault((conference_ref, person_ref), line)
        if first_line != line:
            fail(
                "person_ref",
                f"duplicate row: {person_ref} at conference {conference_ref} is on lines "
                f"{first_line} and {line}",
            )

    born = None
    code = None
    if role == CHILD_ROLE:
        born = _day(values["date_of_birth"])
        code_text = values["participation_code"].upper()
        if born is None:
            fail(
                "date_of_birth", _date_problem(values["date_of_birth"], "the child's date of birth")
            )
        elif day is not None and born > day:
            fail("date_of_birth", "the date of birth is after the conference date")
        try:
            code = ParticipationCode(code_text) if code_text else None
        except ValueError:
            fail("participation_code", _one_of(values["participation_code"], ParticipationCode))
            code_text = "invalid"
        if born is not None and day is not None and born <= day and code_text != "invalid":
            age = whole_years(born, day)
            if age < min_age:
                if code not in (None, ParticipationCode.CP0):
                    fail(
                        "participation_code",
                        f"the child was {age} on the conference date, under {min_age}: the code "
                        "is CP0 (leave it blank)",
                    )
                code = ParticipationCode.CP0
            elif code is None:
                fail("participation_code", "enter the child's code, CP1 to CP7")
            elif code is ParticipationCode.CP0:
                fail(
                    "participation_code",
                    f"CP0 is only for a child under {min_age}; this child was {age} on the "
                    "conference date",
                )
    elif role in ROLES:
        invited = YES_NO.get(values["invited"])
        if invited is None:
            fail("invited", _one_of(values["invited"], YES_NO))
        try:
            attendance = AdultAttendance(values["attended"])
        except ValueError:
            attendance = None
            fail("attended", _one_of(values["attended"], AdultAttendance))
        heard = YES_NO.get(values["views_heard"])
        if heard is None:
            fail("views_heard", _one_of(values["views_heard"], YES_NO))
        if invited is False and attendance not in (None, AdultAttendance.NONE):
            fail("attended", f"{attendance} but not invited: someone not invited attended none")
        if attendance not in (None, AdultAttendance.NONE) and heard is False:
            fail(
                "views_heard",
                f"no, but attended {attendance}: attending counts as being heard, so views_heard "
                "is yes for anyone who attended",
            )
        if values["participation_code"]:
            fail("participation_code", "leave it blank for an adult (codes are for children)")

    if person_ref and role in (CHILD_ROLE, *ROLES):
        earlier = people.setdefault(person_ref, (line, role, born))
        earlier_line, earlier_role, earlier_born = earlier
        if earlier_line != line:
            if earlier_role != role and CHILD_ROLE in (role, earlier_role):
                fail(
                    "role",
                    f"{person_ref} is {earlier_role_text(earlier_role)} on line {earlier_line}; "
                    "a child on one row cannot be an adult on another",
                )
            elif earlier_role != role:
                fail(
                    "role",
                    f"{person_ref} is {earlier_role} on line {earlier_line}; one person has one "
                    "role in the file",
                )
            elif born is not None and earlier_born is not None and born != earlier_born:
                fail(
                    "date_of_birth",
                    f"{person_ref} was born on {earlier_born.isoformat()} on line "
                    f"{earlier_line}; one child has one date of birth",
                )

    if errors:
        parsed.errors.extend(errors)
        return
    if day is None or kind is None:  # for the type checker: each was an error above
        return
    if role == CHILD_ROLE:
        if born is None or code is None:
            return
        parsed.children.append(ChildRow(line, conference_ref, person_ref, born, code))
    else:
        parsed.adults.append(
            AdultRow(
                line,
                conference_ref,
                person_ref,
                ROLES[role],
                YES_NO[values["invited"]],
                AdultAttendance(values["attended"]),
                YES_NO[values["views_heard"]],
            )
        )


def earlier_role_text(role: str) -> str:
    return "a child" if role == CHILD_ROLE else f"an adult ({role})"


# --- Checking against the database, and writing -----------------------------------------------

T = TypeVar("T")


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _listed(values: Sequence[object]) -> BindParameter[Any]:
    """Values for ``IN (...)`` written into the statement as literals (SQLAlchemy quotes them):
    thousands of separate parameters cost the driver far more time than the query itself."""
    return bindparam("listed", list(values), expanding=True, literal_execute=True)


def _by_ref(columns: Sequence[Any], ref_column: Any, refs: Iterable[str]) -> dict[str, Any]:
    """Rows whose external reference is one of ``refs``, keyed by it: a query per chunk."""
    found: dict[str, Any] = {}
    wanted = sorted(set(refs))
    for chunk in _chunks(wanted):
        for row in db.session.execute(
            select(ref_column, *columns).where(ref_column.in_(_listed(chunk)))
        ):
            found[row[0]] = row
    return found


@dataclass(frozen=True)
class _Known:
    """The file's people already in the database (from an earlier import), by person_ref."""

    children: dict[str, Any]  # rows of (external_ref, id, date_of_birth)
    adults: dict[str, Any]  # rows of (external_ref, id, relationship)


def _known_people(parsed: ParsedFile) -> _Known:
    refs = {row.person_ref for row in [*parsed.children, *parsed.adults]}
    return _Known(
        children=_by_ref([Child.id, Child.date_of_birth], Child.external_ref, refs),
        adults=_by_ref(
            [FamilyMember.id, FamilyMember.relationship], FamilyMember.external_ref, refs
        ),
    )


def _people_errors(parsed: ParsedFile, known: _Known) -> list[RowError]:
    """A person_ref already in the database must keep its kind (child or adult) and, for a
    child, its date of birth."""
    errors = []
    first_rows: dict[str, ChildRow | AdultRow] = {}
    for row in [*parsed.children, *parsed.adults]:
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


def _starts_at(day: date) -> datetime:
    return datetime.combine(day, STARTS_AT, SERVICE_TIMEZONE)


def _case_reference(ref: str) -> str:
    return (CASE_PREFIX + ref.upper())[:CASE_REFERENCE_LENGTH]


def _write_conferences(parsed: ParsedFile) -> tuple[dict[str, int], set[str]]:
    """Insert the new conferences, correct the changed ones; their ids by reference, and the
    references of the ones changed."""
    existing = _by_ref(
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
    for chunk in _chunks(new):
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
    added = _by_ref([Conference.id], Conference.external_ref, [row["external_ref"] for row in new])
    ids.update({ref: row.id for ref, row in added.items()})
    return ids, {ref for ref, _ in changed_refs}


def _write_children(parsed: ParsedFile, known: _Known) -> dict[str, int]:
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
    for chunk in _chunks(new):
        db.session.execute(insert(Child), list(chunk))
    added = _by_ref([Child.id], Child.external_ref, [row["external_ref"] for row in new])
    return {ref: row.id for ref, row in [*existing.items(), *added.items()] if ref in born}


def _write_adults(parsed: ParsedFile, known: _Known) -> tuple[dict[str, int], set[str]]:
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
    for chunk in _chunks(new):
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
    added = _by_ref(
        [FamilyMember.id], FamilyMember.external_ref, [row["external_ref"] for row in new]
    )
    ids = {ref: row.id for ref, row in [*existing.items(), *added.items()] if ref in roles}
    return ids, changed


def _existing_links(
    model: Any, person_column: Any, columns: Sequence[Any], conference_ids: Iterable[int]
) -> dict[tuple[int, int], Any]:
    found: dict[tuple[int, int], Any] = {}
    for chunk in _chunks(sorted(set(conference_ids))):
        for row in db.session.execute(
            select(model.conference_id, person_column, *columns).where(
                model.conference_id.in_(_listed(chunk))
            )
        ):
            found[(row[0], row[1])] = row
    return found


@dataclass
class _Tally:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def _write_child_links(
    parsed: ParsedFile,
    conference_ids: dict[str, int],
    child_ids: dict[str, int],
    changed_conferences: set[str],
    tally: _Tally,
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
    for chunk in _chunks(new):
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
    tally: _Tally,
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


def import_attendance(data: bytes, *, min_age: int, dry_run: bool = False) -> ImportResult:
    """Check the whole file, then write all of it or nothing (one commit)."""
    parsed = parse(data, min_age)
    known = _Known(children={}, adults={})
    if not parsed.errors:
        known = _known_people(parsed)
        parsed.errors.extend(_people_errors(parsed, known))
    counts = {
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
        conference_ids, changed_conferences = _write_conferences(parsed)
        child_ids = _write_children(parsed, known)
        member_ids, changed_people = _write_adults(parsed, known)
        tally = _Tally()
        _write_child_links(parsed, conference_ids, child_ids, changed_conferences, tally)
        _write_adult_links(
            parsed, conference_ids, member_ids, changed_conferences, changed_people, tally
        )
        if tally.new or tally.updated:  # one event for the whole file, not one per row
            action = AuditAction.CREATE if tally.new else AuditAction.UPDATE
            record_event(action, "import", None, fields=["rows"])
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
    column = COLUMNS.index(error.column) if error.column in COLUMNS else -1
    return (error.line or 0, column)


__all__ = ["COLUMNS", "ImportResult", "RowError", "error_lines", "import_attendance", "parse"]
