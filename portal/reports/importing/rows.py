"""The import file's columns and words, and what a checked row becomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.models import (
    AdultAttendance,
    ConferenceType,
    HarmCategory,
    ParticipationCode,
    PlanOutcome,
    Relationship,
)

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
# Optional: a file may have any of these too (on child rows); without them it imports as before,
# and what they set is left as it is.
PLAN_COLUMNS = ("section47_started_on", "plan_outcome", "category")
ROLES = {
    "mother": Relationship.MOTHER,
    "father": Relationship.FATHER,
    "other_parent": Relationship.PARENTAL_RESPONSIBILITY,
    "carer": Relationship.CARER,
    "other_family": Relationship.OTHER_FAMILY,
}
CHILD_ROLE = "child"
# Columns holding one of a few words, read in any case; references are kept exactly as written.
WORDS = ("conference_type", "role", "invited", "attended", "views_heard", *PLAN_COLUMNS[1:])
YES_NO = {"yes": True, "no": False}
REF_LENGTH = 60  # Conference.external_ref, Child.external_ref, FamilyMember.external_ref
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
    # From the optional PLAN_COLUMNS; None when blank or when the file has no such column.
    section_47_started_on: date | None = None
    plan_outcome: PlanOutcome | None = None
    category: HarmCategory | None = None


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
    # Which of PLAN_COLUMNS the header has: only those are written (others are left alone).
    plan_columns: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return len(self.children) + len(self.adults)
