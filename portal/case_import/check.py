"""Checking each row of an upcoming-conferences file on its own and against the rows before it.

A conference's own columns are given by its first good row and repeated on every later one; a
person keeps one role and one date of birth in the file; no person is twice at one conference.
Every problem in a row is reported, not just the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from portal.case_import.rows import (
    ACCESS_NEEDS_LENGTH,
    ADULT_ROLES,
    CHILD_ROLE,
    CONFERENCE_COLUMNS,
    CONTACT_COLUMNS,
    LANGUAGE_LENGTH,
    NAME_LENGTH,
    REF_LENGTH,
    ROLES,
    YOUNG_PERSON_ROLE,
    ConferenceRow,
    Contact,
    ParsedFile,
    PersonRow,
    RowError,
)
from portal.conferences.forms import CASE_REFERENCE
from portal.contact import ContactError, normalise_email, normalise_mobile
from portal.models import Channel, ConferenceType, RecordedLanguage
from portal.models.people import whole_years
from portal.reports.importing.check import date_problem, day_of, one_of

LANGUAGES = {
    name: language
    for language in RecordedLanguage
    if language is not RecordedLanguage.OTHER
    for name in (language.value, str(language.label).casefold())
}


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))


@dataclass
class RowChecker:
    """Checks one file's rows in turn; each good row is added to ``parsed``."""

    parsed: ParsedFile
    zone: ZoneInfo
    young_person_min_age: int
    first_lines: dict[tuple[str, str], int] = field(default_factory=dict)
    people: dict[str, tuple[int, bool, date | None]] = field(default_factory=dict)

    def check(self, line: int, values: dict[str, str]) -> None:
        row = _Row(line, values)
        _check_refs(row)
        conference = _conference(row, self.zone)
        _check_same_conference(row, self.parsed.conferences, conference)
        _check_not_repeated(row, self.first_lines)
        role = values["role"]
        if role not in ROLES:
            row.fail("role", one_of(role, ROLES))
        names = _names(row)
        born = s47 = None
        contact = None
        if role in (CHILD_ROLE, YOUNG_PERSON_ROLE):
            born = _born(row, conference)
            s47 = _section_47(row, conference)
        elif values["section47_started_on"]:
            row.fail("section47_started_on", "leave it blank for an adult (it is each child's)")
        if role == CHILD_ROLE:
            for column in CONTACT_COLUMNS:
                if values[column]:
                    row.fail(
                        column,
                        "leave it blank for a child; a child invited with their own contact "
                        f"details is {YOUNG_PERSON_ROLE}",
                    )
        elif role in ROLES:
            contact = _contact(row)
        if role == YOUNG_PERSON_ROLE:
            _check_old_enough(row, born, conference, self.young_person_min_age)
        _check_same_person(row, self.people, role, born)
        if row.errors or conference is None or names is None:
            self.parsed.errors.extend(row.errors)
            return
        self.parsed.people.append(
            PersonRow(
                line,
                values["conference_ref"],
                values["person_ref"],
                role,
                *names,
                born,
                s47,
                contact,
            )
        )


def _check_refs(row: _Row) -> None:
    for column in ("conference_ref", "person_ref"):
        ref = row.values[column]
        if not ref:
            row.fail(column, "enter a reference")
        elif len(ref) > REF_LENGTH:
            row.fail(column, f"at most {REF_LENGTH} characters (this has {len(ref)})")
        elif not ref.isprintable():
            row.fail(column, "a reference is one line of printable text")


def starts_at_of(value: str, zone: ZoneInfo) -> datetime | str:
    """ISO 8601 local time (``2026-03-12T10:00``; an offset, if given, is kept): the moment, or
    what is wrong with it."""
    try:
        moment = datetime.fromisoformat(value) if len(value) > 10 else None
    except ValueError:
        moment = None
    if moment is None:
        return f"enter the date and time as YYYY-MM-DDTHH:MM, like 2026-03-12T10:00 (not {value!r})"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
        # A time the clocks skip in spring does not exist: it would not come back the same.
        if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(
            tzinfo=None
        ):
            return f"{value} does not exist in local time (the clocks go forward then)"
    this_year = datetime.now(zone).year
    if not 2000 <= moment.year <= this_year + 2:
        return f"enter a date from 2000 to {this_year + 2} (not {value!r})"
    return moment


def _conference(row: _Row, zone: ZoneInfo) -> ConferenceRow | None:
    values = row.values
    try:
        kind: ConferenceType | None = ConferenceType(values["conference_type"])
    except ValueError:
        kind = None
        row.fail("conference_type", one_of(values["conference_type"], ConferenceType))
    starts_at = starts_at_of(values["starts_at"], zone)
    if isinstance(starts_at, str):
        row.fail("starts_at", starts_at)
    chair_email = values["chair_email"].lower()
    if not chair_email:
        row.fail("chair_email", "enter the chair's email address (their account in the portal)")
    case_reference = values["case_ref"].upper()
    if not CASE_REFERENCE.match(case_reference):
        row.fail(
            "case_ref",
            "enter the case reference: 2 to 40 letters, numbers, hyphens and slashes "
            f"(not {values['case_ref']!r})",
        )
    social_worker_email = _email(row, "social_worker_email")
    if kind is None or isinstance(starts_at, str) or row.errors:
        return None
    return ConferenceRow(
        row.line,
        values["conference_ref"],
        kind,
        starts_at,
        starts_at.astimezone(zone).date(),
        chair_email,
        case_reference,
        social_worker_email,
    )


def _check_same_conference(
    row: _Row, conferences: dict[str, ConferenceRow], conference: ConferenceRow | None
) -> None:
    """The first good row of a conference gives its own columns; every later row repeats them."""
    if conference is None:
        return
    known = conferences.setdefault(conference.ref, conference)
    if known is conference:
        return
    for column, name in zip(
        CONFERENCE_COLUMNS,
        ("kind", "starts_at", "chair_email", "case_reference", "social_worker_email"),
        strict=True,
    ):
        if getattr(known, name) != getattr(conference, name):
            row.fail(
                column,
                f"conference {known.ref} has another {column} on line {known.line}; "
                "the same conference must have the same one on every row",
            )


def _check_not_repeated(row: _Row, first_lines: dict[tuple[str, str], int]) -> None:
    key = (row.values["conference_ref"], row.values["person_ref"])
    if not all(key):
        return
    first_line = first_lines.setdefault(key, row.line)
    if first_line != row.line:
        row.fail(
            "person_ref",
            f"duplicate row: {key[1]} at conference {key[0]} is on lines {first_line} and "
            f"{row.line}",
        )


def _names(row: _Row) -> tuple[str, str] | None:
    for column in ("first_name", "last_name"):
        name = row.values[column]
        if not name:
            row.fail(column, f"enter the {column.replace('_', ' ')}")
        elif len(name) > NAME_LENGTH:
            row.fail(column, f"at most {NAME_LENGTH} characters (this has {len(name)})")
    if any(error.column in ("first_name", "last_name") for error in row.errors):
        return None
    return row.values["first_name"], row.values["last_name"]


def _born(row: _Row, conference: ConferenceRow | None) -> date | None:
    born = day_of(row.values["date_of_birth"])
    if born is None:
        row.fail(
            "date_of_birth",
            date_problem(row.values["date_of_birth"], "the child's date of birth")
            + "; an unborn child is added on the conference page",
        )
    elif conference is not None and born > conference.day:
        row.fail("date_of_birth", "the date of birth is after the conference date")
    return born


def _section_47(row: _Row, conference: ConferenceRow | None) -> date | None:
    value = row.values["section47_started_on"]
    started = day_of(value)
    if conference is None:
        return started
    if conference.kind is not ConferenceType.INITIAL:
        if value:
            row.fail(
                "section47_started_on",
                f"only for an initial conference (this is {conference.kind.value}): leave it blank",
            )
        return None
    if started is None:
        row.fail(
            "section47_started_on",
            date_problem(value, "the day this child's section 47 enquiry started"),
        )
    elif started > conference.day:
        row.fail(
            "section47_started_on", "the section 47 enquiry starts on or before the conference"
        )
    return started


def _email(row: _Row, column: str) -> str | None:
    if not row.values[column]:
        return None
    try:
        return normalise_email(row.values[column])
    except ContactError as error:
        row.fail(column, str(error))
        return None


def _contact(row: _Row) -> Contact | None:
    values = row.values
    mobile = None
    if values["mobile"]:
        try:
            mobile = normalise_mobile(values["mobile"])
        except ContactError as error:
            row.fail("mobile", str(error))
    email = _email(row, "email")
    channel = _channel(row, mobile, email)
    language = values["language"]
    if len(language) > LANGUAGE_LENGTH:
        row.fail("language", f"at most {LANGUAGE_LENGTH} characters")
    if len(values["access_needs"]) > ACCESS_NEEDS_LENGTH:
        row.fail("access_needs", f"at most {ACCESS_NEEDS_LENGTH} characters")
    if channel is None or any(error.column in CONTACT_COLUMNS for error in row.errors):
        return None
    known = LANGUAGES.get(language.casefold() or RecordedLanguage.ENGLISH.value)
    return Contact(
        mobile,
        email,
        channel,
        known.value if known else RecordedLanguage.OTHER.value,
        str(known.label) if known else language,
        values["access_needs"],
    )


def _channel(row: _Row, mobile: str | None, email: str | None) -> Channel | None:
    """As written; blank: text if there is a mobile, else email if there is an address."""
    written = row.values["preferred_channel"]
    if not written:
        return Channel.SMS if mobile else Channel.EMAIL if email else Channel.NONE
    try:
        channel = Channel(written)
    except ValueError:
        row.fail("preferred_channel", one_of(written, Channel))
        return None
    if channel is Channel.SMS and not row.values["mobile"]:
        row.fail("preferred_channel", "sms needs a mobile number")
    elif channel is Channel.EMAIL and not row.values["email"]:
        row.fail("preferred_channel", "email needs an email address")
    return channel


def _check_old_enough(
    row: _Row, born: date | None, conference: ConferenceRow | None, min_age: int
) -> None:
    if born is None or conference is None or born > conference.day:
        return
    age = whole_years(born, conference.day)
    if age < min_age:
        row.fail(
            "role",
            f"the child is {age} on the conference day, under {min_age}: a younger child is "
            "invited with an adult helping them, set up on the conference page (make this row "
            f"{CHILD_ROLE})",
        )


def _check_same_person(
    row: _Row, people: dict[str, tuple[int, bool, date | None]], role: str, born: date | None
) -> None:
    """A person's first row says child or adult (and a child's date of birth); later rows agree."""
    ref = row.values["person_ref"]
    if not ref or role not in ROLES:
        return
    is_child = role not in ADULT_ROLES
    line, was_child, earlier_born = people.setdefault(ref, (row.line, is_child, born))
    if line == row.line:
        return
    if was_child != is_child:
        row.fail(
            "role",
            f"{ref} is {'a child' if was_child else 'an adult'} on line {line}; a child on one "
            "row cannot be an adult on another",
        )
    elif born is not None and earlier_born is not None and born != earlier_born:
        row.fail(
            "date_of_birth",
            f"{ref} was born on {earlier_born.isoformat()} on line {line}; one child has one "
            "date of birth",
        )
