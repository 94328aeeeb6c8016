"""The upcoming-conferences file's columns and words, and what a checked row becomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from portal.models import Channel, ConferenceType, Relationship
from portal.reports.importing.rows import RowError

COLUMNS = (
    "conference_ref",
    "conference_type",
    "starts_at",
    "chair_email",
    "case_ref",
    "person_ref",
    "role",
    "first_name",
    "last_name",
    "date_of_birth",
    "mobile",
    "email",
    "preferred_channel",
    "language",
    "access_needs",
    "section47_started_on",
    "social_worker_email",
)
# The conference's own columns: the same on every row of one conference.
CONFERENCE_COLUMNS = (
    "conference_type",
    "starts_at",
    "chair_email",
    "case_ref",
    "social_worker_email",
)
# The contact columns: an adult's (or a young person's own); blank on a child's row.
CONTACT_COLUMNS = ("mobile", "email", "preferred_channel", "language", "access_needs")
WORDS = ("conference_type", "role", "preferred_channel")  # read in any case
CHILD_ROLE = "child"
# A child at the conference who is also invited in their own right, with their own contacts.
YOUNG_PERSON_ROLE = "young_person"
ADULT_ROLES = {
    relationship.value: relationship
    for relationship in Relationship
    if relationship is not Relationship.YOUNG_PERSON
}
ROLES = (CHILD_ROLE, YOUNG_PERSON_ROLE, *ADULT_ROLES)
REF_LENGTH = 60
NAME_LENGTH = 100
ACCESS_NEEDS_LENGTH = 1000
LANGUAGE_LENGTH = 60

__all__ = ["RowError"]


@dataclass(frozen=True)
class ConferenceRow:
    """A conference as its first good row gives it."""

    line: int
    ref: str
    kind: ConferenceType
    starts_at: datetime  # aware, from local time in Europe/London
    day: date  # its local date
    chair_email: str
    case_reference: str
    social_worker_email: str | None


@dataclass(frozen=True)
class Contact:
    mobile: str | None
    email: str | None
    preferred_channel: Channel
    language_code: str
    language: str
    access_needs: str


@dataclass(frozen=True)
class PersonRow:
    line: int
    conference_ref: str
    person_ref: str
    role: str  # CHILD_ROLE, YOUNG_PERSON_ROLE or a key of ADULT_ROLES
    first_name: str
    last_name: str
    date_of_birth: date | None  # children and young people
    section_47_started_on: date | None  # children at an initial conference
    contact: Contact | None  # adults and young people

    @property
    def is_child(self) -> bool:
        return self.role in (CHILD_ROLE, YOUNG_PERSON_ROLE)


@dataclass
class ParsedFile:
    conferences: dict[str, ConferenceRow] = field(default_factory=dict)
    people: list[PersonRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
