"""What a subject access export holds: plain data, every label already resolved to a string, so
the template only lays it out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class ConferenceEntry:
    conference_date: date
    conference_type: str
    format: str
    status: str
    added_at: datetime
    invited: str
    attendance: str
    views_heard: str


@dataclass(frozen=True)
class LinkEntry:
    """A link to a form: when it was made, used and stopped. Never the link itself."""

    form: str
    conference_date: date
    created_at: datetime
    expires_at: datetime
    sent_at: datetime | None
    opened_at: datetime | None
    submitted_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class GivenAnotherWay:
    """Views or feedback the person gave another way (by phone, on paper, ...), entered by staff
    on their behalf: no link was ever made for it."""

    form: str
    conference_date: date
    route: str  # "By phone", "On paper", ...
    entered_at: datetime


@dataclass(frozen=True)
class MessageEntry:
    """A message sent (or due to be sent) to the person. Never its wording: that carries the
    link, and a second-check message its code."""

    kind: str
    channel: str
    to_address: str
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    failed_at: datetime | None
    status: str


@dataclass(frozen=True)
class AnswerEntry:
    question: str
    answer: list[str]
    drawing: bool = False  # a child's drawing kept with it: named, not included (as case_record)


@dataclass(frozen=True)
class AdditionEntry:
    text: str
    added_at: datetime


@dataclass(frozen=True)
class FormEntry:
    title: str
    form: str
    conference_date: date
    started_at: datetime | None
    submitted_at: datetime | None
    answers: list[AnswerEntry]
    additions: list[AdditionEntry]
    quick_rating: int | None
    rated_at: datetime | None
    # How it was given, when staff entered it for them (None: through their own link)
    given_another_way: str | None = None


@dataclass(frozen=True)
class AlertEntry:
    """A safety alert raised from what the person said: what raised it, when, and how far staff
    have dealt with it. Never what staff wrote of what they did or of the outcome."""

    conference_date: date
    raised_at: datetime
    source: str
    state: str
    acknowledged_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True)
class TextReplyEntry:
    """A text the person sent us: its words ("" once removed after the retention period)."""

    received_at: datetime
    conference_date: date | None  # the meeting of the link it was held against
    text: str
    rating: int | None


@dataclass(frozen=True)
class HistoryEntry:
    occurred_at: datetime
    staff_role: str
    what: str
    fields: str


@dataclass(frozen=True)
class PersonRecord:
    """Everything held on one FamilyMember row."""

    member_id: int
    full_name: str
    relationship: str
    mobile: str | None
    email: str | None
    preferred_channel: str
    language: str
    interpreter_needed: bool
    access_needs: str
    second_check: str
    contact_confirmed_safe_at: datetime | None
    sms_opted_out_at: datetime | None
    created_at: datetime
    updated_at: datetime
    conferences: list[ConferenceEntry] = field(default_factory=list)
    links: list[LinkEntry] = field(default_factory=list)
    given_another_way: list[GivenAnotherWay] = field(default_factory=list)
    messages: list[MessageEntry] = field(default_factory=list)
    forms: list[FormEntry] = field(default_factory=list)
    alerts: list[AlertEntry] = field(default_factory=list)
    text_replies: list[TextReplyEntry] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "conferences": len(self.conferences),
            "links": len(self.links),
            "given_another_way": len(self.given_another_way),
            "messages": len(self.messages),
            "forms": len(self.forms),
            "alerts": len(self.alerts),
            "text_replies": len(self.text_replies),
            "history": len(self.history),
        }


@dataclass(frozen=True)
class SubjectAccessExport:
    made_at: datetime
    records: list[PersonRecord]

    @property
    def full_name(self) -> str:
        return self.records[0].full_name
