"""Checking the import file's rows, one concern at a time, in the file's column order.

A row is checked against the rules for its columns and against the rows before it: a conference
keeps its date and type, a person keeps their role and date of birth, and no row is there twice.
Every problem in a row is reported, not just the first; a row without one is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.models import (
    AdultAttendance,
    ConferenceType,
    HarmCategory,
    ParticipationCode,
    PlanOutcome,
)
from portal.models.people import whole_years
from portal.reports.importing.rows import (
    CHILD_ROLE,
    EARLIEST_CONFERENCE,
    PLAN_COLUMNS,
    REF_LENGTH,
    ROLES,
    YES_NO,
    AdultRow,
    ChildRow,
    ConferenceRow,
    ParsedFile,
    RowError,
)

# The outcomes that say the child is on a plan after the conference: a category goes with them.
PLAN_IN_PLACE = (PlanOutcome.STARTED, PlanOutcome.CONTINUED)


def day_of(value: str) -> date | None:
    """A real calendar date written YYYY-MM-DD, or None."""
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def date_problem(value: str, what: str) -> str:
    if not value:
        return f"enter {what} (YYYY-MM-DD)"
    return f"enter a real date as YYYY-MM-DD (not {value!r})"


def one_of(value: str, choices: Iterable[str]) -> str:
    return " | ".join(choices) + (f" (not {value!r})" if value else "")


def _earlier_role_text(role: str) -> str:
    return "a child" if role == CHILD_ROLE else f"an adult ({role})"


@dataclass
class _Row:
    """One row being checked: its trimmed values, and every problem found in it so far."""

    line: int
    values: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))


@dataclass
class RowChecker:
    """Checks one file's rows in turn; a row without an error is added to ``parsed``."""

    parsed: ParsedFile
    min_age: int
    today: date  # the latest conference date allowed
    first_lines: dict[tuple[str, str], int] = field(default_factory=dict)  # by (conference, person)
    people: dict[str, tuple[int, str, date | None]] = field(
        default_factory=dict
    )  # line, role, born

    def check(self, line: int, values: dict[str, str]) -> None:
        row = _Row(line, values)
        _check_refs(row)
        day = _conference_day(row, self.today)
        kind = _conference_type(row)
        role = _role(row)
        _check_same_conference(row, self.parsed.conferences, day, kind)
        _check_not_repeated(row, self.first_lines)
        born: date | None = None
        code: ParticipationCode | None = None
        plan = _Plan()
        if role == CHILD_ROLE:
            born = _child_born(row, day)
            code = _child_code(row, born, day, self.min_age)
            plan = _child_plan(row, day, kind)
        elif role in ROLES:
            _check_adult(row)
        _check_same_person(row, self.people, role, born)

        if row.errors:
            self.parsed.errors.extend(row.errors)
            return
        if day is None or kind is None:  # for the type checker: each was an error above
            return
        conference_ref, person_ref = values["conference_ref"], values["person_ref"]
        if role != CHILD_ROLE:
            self.parsed.adults.append(_adult_row(row))
        elif born is not None and code is not None:  # as day and kind
            self.parsed.children.append(
                ChildRow(
                    line,
                    conference_ref,
                    person_ref,
                    born,
                    code,
                    plan.section_47_started_on,
                    plan.outcome,
                    plan.category,
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
            row.fail(
                column,
                "a reference is one line of printable text: no line breaks, tabs or control "
                "characters",
            )


def _conference_day(row: _Row, today: date) -> date | None:
    day = day_of(row.values["conference_date"])
    if day is None:
        row.fail(
            "conference_date", date_problem(row.values["conference_date"], "the conference date")
        )
    elif not EARLIEST_CONFERENCE <= day <= today:
        row.fail(
            "conference_date",
            f"enter a date from {EARLIEST_CONFERENCE.isoformat()} to today, "
            f"{today.isoformat()} (not {day.isoformat()})",
        )
        return None  # no other check can use it
    return day


def _conference_type(row: _Row) -> ConferenceType | None:
    try:
        return ConferenceType(row.values["conference_type"])
    except ValueError:
        row.fail("conference_type", one_of(row.values["conference_type"], ConferenceType))
        return None


def _role(row: _Row) -> str:
    role = row.values["role"]
    if role != CHILD_ROLE and role not in ROLES:
        row.fail("role", one_of(role, [CHILD_ROLE, *ROLES]))
    return role


def _check_same_conference(
    row: _Row,
    conferences: dict[str, ConferenceRow],
    day: date | None,
    kind: ConferenceType | None,
) -> None:
    """The first good row of a conference gives its date and type; every later row repeats them."""
    conference_ref = row.values["conference_ref"]
    if not conference_ref or day is None or kind is None:
        return
    known = conferences.get(conference_ref)
    if known is None:
        conferences[conference_ref] = ConferenceRow(row.line, conference_ref, day, kind)
        return
    if known.day != day:
        row.fail(
            "conference_date",
            f"conference {conference_ref} is on {known.day.isoformat()} on line "
            f"{known.line}; the same conference must have the same date on every row",
        )
    if known.kind != kind:
        row.fail(
            "conference_type",
            f"conference {conference_ref} is {known.kind.value} on line {known.line}; "
            "the same conference must have the same type on every row",
        )


def _check_not_repeated(row: _Row, first_lines: dict[tuple[str, str], int]) -> None:
    conference_ref, person_ref = row.values["conference_ref"], row.values["person_ref"]
    if not conference_ref or not person_ref:
        return
    first_line = first_lines.setdefault((conference_ref, person_ref), row.line)
    if first_line != row.line:
        row.fail(
            "person_ref",
            f"duplicate row: {person_ref} at conference {conference_ref} is on lines "
            f"{first_line} and {row.line}",
        )


def _child_born(row: _Row, day: date | None) -> date | None:
    born = day_of(row.values["date_of_birth"])
    if born is None:
        row.fail(
            "date_of_birth", date_problem(row.values["date_of_birth"], "the child's date of birth")
        )
    elif day is not None and born > day:
        row.fail("date_of_birth", "the date of birth is after the conference date")
    return born


def _child_code(
    row: _Row, born: date | None, day: date | None, min_age: int
) -> ParticipationCode | None:
    """The code as written, checked against the child's age on the day: under ``min_age`` the
    code is CP0, and left blank in the file."""
    written = row.values["participation_code"]
    try:
        code = ParticipationCode(written.upper()) if written else None
    except ValueError:
        row.fail("participation_code", one_of(written, ParticipationCode))
        return None
    if born is None or day is None or born > day:
        return code  # no age to check it against: the dates' own errors say why
    age = whole_years(born, day)
    if age < min_age:
        if code not in (None, ParticipationCode.CP0):
            row.fail(
                "participation_code",
                f"the child was {age} on the conference date, under {min_age}: the code "
                "is CP0 (leave it blank)",
            )
        return ParticipationCode.CP0
    if code is None:
        row.fail("participation_code", "enter the child's code, CP1 to CP7")
    elif code is ParticipationCode.CP0:
        row.fail(
            "participation_code",
            f"CP0 is only for a child under {min_age}; this child was {age} on the conference date",
        )
    return code


def _check_adult(row: _Row) -> None:
    values = row.values
    invited = YES_NO.get(values["invited"])
    if invited is None:
        row.fail("invited", one_of(values["invited"], YES_NO))
    try:
        attendance = AdultAttendance(values["attended"])
    except ValueError:
        attendance = None
        row.fail("attended", one_of(values["attended"], AdultAttendance))
    heard = YES_NO.get(values["views_heard"])
    if heard is None:
        row.fail("views_heard", one_of(values["views_heard"], YES_NO))
    attended = attendance not in (None, AdultAttendance.NONE)
    if invited is False and attended:
        row.fail("attended", f"{attendance} but not invited: someone not invited attended none")
    if attended and heard is False:
        row.fail(
            "views_heard",
            f"no, but attended {attendance}: attending counts as being heard, so views_heard "
            "is yes for anyone who attended",
        )
    if values["participation_code"]:
        row.fail("participation_code", "leave it blank for an adult (codes are for children)")
    for column in PLAN_COLUMNS:
        if values[column]:
            row.fail(column, "leave it blank for an adult (plans are children's)")


@dataclass(frozen=True)
class _Plan:
    section_47_started_on: date | None = None
    outcome: PlanOutcome | None = None
    category: HarmCategory | None = None


def _child_plan(row: _Row, day: date | None, kind: ConferenceType | None) -> _Plan:
    """The optional plan columns of a child's row (each blank when the file lacks it)."""
    values = row.values
    started = day_of(values["section47_started_on"])
    if values["section47_started_on"] and started is None:
        row.fail("section47_started_on", date_problem(values["section47_started_on"], ""))
    elif started is not None and kind is not None and kind is not ConferenceType.INITIAL:
        row.fail(
            "section47_started_on",
            f"only for an initial conference (this is {kind.value}): leave it blank",
        )
    elif started is not None and day is not None and started > day:
        row.fail(
            "section47_started_on",
            f"the section 47 enquiry starts on or before the conference date, "
            f"{day.isoformat()} (not {started.isoformat()})",
        )
    outcome = _word(row, "plan_outcome", PlanOutcome)
    category = _word(row, "category", HarmCategory)
    if outcome is PlanOutcome.STARTED and category is None and not values["category"]:
        row.fail(
            "category", "enter the category of the plan that started: " + one_of("", HarmCategory)
        )
    elif category is not None and outcome not in PLAN_IN_PLACE:
        row.fail(
            "category",
            "a category is only for a plan that started or continued: leave it blank",
        )
    return _Plan(started, outcome, category)


def _word(row: _Row, column: str, words: type[PlanOutcome] | type[HarmCategory]) -> Any:
    """The column's word as one of ``words``, None when blank (or wrong: an error)."""
    value = row.values[column]
    if not value:
        return None
    try:
        return words(value)
    except ValueError:
        row.fail(column, one_of(value, words))
        return None


def _adult_row(row: _Row) -> AdultRow:
    """The adult's row, once ``_check_adult`` has found nothing wrong with it."""
    values = row.values
    return AdultRow(
        row.line,
        values["conference_ref"],
        values["person_ref"],
        ROLES[values["role"]],
        YES_NO[values["invited"]],
        AdultAttendance(values["attended"]),
        YES_NO[values["views_heard"]],
    )


def _check_same_person(
    row: _Row, people: dict[str, tuple[int, str, date | None]], role: str, born: date | None
) -> None:
    """A person's first row gives their role (and a child's date of birth); later rows agree."""
    person_ref = row.values["person_ref"]
    if not person_ref or role not in (CHILD_ROLE, *ROLES):
        return
    earlier_line, earlier_role, earlier_born = people.setdefault(person_ref, (row.line, role, born))
    if earlier_line == row.line:
        return
    if earlier_role != role and CHILD_ROLE in (role, earlier_role):
        row.fail(
            "role",
            f"{person_ref} is {_earlier_role_text(earlier_role)} on line {earlier_line}; "
            "a child on one row cannot be an adult on another",
        )
    elif earlier_role != role:
        row.fail(
            "role",
            f"{person_ref} is {earlier_role} on line {earlier_line}; one person has one "
            "role in the file",
        )
    elif born is not None and earlier_born is not None and born != earlier_born:
        row.fail(
            "date_of_birth",
            f"{person_ref} was born on {earlier_born.isoformat()} on line "
            f"{earlier_line}; one child has one date of birth",
        )
