"""Closed vocabularies, stored as short strings with a CHECK constraint in the database."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    CHAIR = "chair"
    ADVOCATE = "advocate"
    PARTICIPATION_OFFICER = "participation_officer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Admin",
    Role.COORDINATOR: "Coordinator",
    Role.CHAIR: "Independent chair",
    Role.ADVOCATE: "Advocate",
    Role.PARTICIPATION_OFFICER: "Participation officer",
}


class ConferenceType(enum.StrEnum):
    INITIAL = "initial"
    REVIEW = "review"
    TRANSFER_IN = "transfer_in"

    @property
    def label(self) -> str:
        return {"initial": "Initial", "review": "Review", "transfer_in": "Transfer-in"}[self]


class ConferenceFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"

    @property
    def label(self) -> str:
        return {"in_person": "In person", "virtual": "Virtual", "hybrid": "Hybrid"}[self]


class ConferenceStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Relationship(enum.StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    PARENTAL_RESPONSIBILITY = "parental_responsibility"
    CARER = "carer"
    OTHER_FAMILY = "other_family"
    # The child or young person themself, invited to give their own views (see FamilyMember.child)
    YOUNG_PERSON = "young_person"

    @property
    def label(self) -> str:
        return {
            "mother": "Mother",
            "father": "Father",
            "parental_responsibility": "Other person with parental responsibility",
            "carer": "Carer",
            "other_family": "Other family member",
            "young_person": "The child or young person themself",
        }[self]


class Channel(enum.StrEnum):
    SMS = "sms"
    EMAIL = "email"
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            "sms": "Text message",
            "email": "Email",
            "none": "Neither (phone or letter)",
        }[self]


def db_enum(enum_class: type[enum.StrEnum], name: str) -> Enum:
    """A VARCHAR column holding the enum's values, guarded by a named CHECK constraint."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class FormKind(enum.StrEnum):
    VIEWS = "views"  # views before the conference
    FEEDBACK = "feedback"  # feedback after it

    @property
    def label(self) -> str:
        return {"views": "Views before", "feedback": "Feedback after"}[self]


class MessageKind(enum.StrEnum):
    VIEWS_INVITATION = "views_invitation"
    VIEWS_REMINDER = "views_reminder"
    FEEDBACK_INVITATION = "feedback_invitation"
    FEEDBACK_REMINDER = "feedback_reminder"
    RATING_THANKS = "rating_thanks"
    CHECK_CODE = "check_code"  # the second check: a code sent by the other channel

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class MessageStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for the worker (again, after a transient failure)
    SENDING = "sending"  # claimed by a worker
    SENT = "sent"  # accepted by the provider
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"  # gave up: a permanent error or too many attempts
    CANCELLED = "cancelled"  # not sent: the link was replaced, or the contact is no longer usable

    @property
    def label(self) -> str:
        return self.value.capitalize()


class SecondCheck(enum.StrEnum):
    NONE = "none"
    CODE = "code"  # a short code sent by the other channel

    @property
    def label(self) -> str:
        return {
            "none": "No",
            "code": "Yes: when they open a link, also send them a code by the other channel",
        }[self]
