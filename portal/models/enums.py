"""Closed vocabularies, stored as short strings with a CHECK constraint in the database."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum

# Labels are shown on pages: each is marked for translation here and translated when read, so
# ``label`` is always a plain str in the current page's language (English outside a request).


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    CHAIR = "chair"
    ADVOCATE = "advocate"
    PARTICIPATION_OFFICER = "participation_officer"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMIN: _l("Admin"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.CHAIR: _l("Independent chair"),
    Role.ADVOCATE: _l("Advocate"),
    Role.PARTICIPATION_OFFICER: _l("Participation officer"),
}


class ConferenceType(enum.StrEnum):
    INITIAL = "initial"
    REVIEW = "review"
    TRANSFER_IN = "transfer_in"

    @property
    def label(self) -> str:
        return str(_CONFERENCE_TYPE_LABELS[self])


_CONFERENCE_TYPE_LABELS = {
    "initial": _l("Initial"),
    "review": _l("Review"),
    "transfer_in": _l("Transfer-in"),
}


class ConferenceFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"

    @property
    def label(self) -> str:
        return str(_CONFERENCE_FORMAT_LABELS[self])


_CONFERENCE_FORMAT_LABELS = {
    "in_person": _l("In person"),
    "virtual": _l("Virtual"),
    "hybrid": _l("Hybrid"),
}


class ConferenceStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(_CONFERENCE_STATUS_LABELS[self])


_CONFERENCE_STATUS_LABELS = {
    "scheduled": _l("Scheduled"),
    "held": _l("Held"),
    "cancelled": _l("Cancelled"),
}


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
        return str(_RELATIONSHIP_LABELS[self])


_RELATIONSHIP_LABELS = {
    "mother": _l("Mother"),
    "father": _l("Father"),
    "parental_responsibility": _l("Other person with parental responsibility"),
    "carer": _l("Carer"),
    "other_family": _l("Other family member"),
    "young_person": _l("The child or young person themself"),
}


class Channel(enum.StrEnum):
    SMS = "sms"
    EMAIL = "email"
    NONE = "none"

    @property
    def label(self) -> str:
        return str(_CHANNEL_LABELS[self])


_CHANNEL_LABELS = {
    "sms": _l("Text message"),
    "email": _l("Email"),
    "none": _l("Neither (phone or letter)"),
}


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
        return str(_FORM_KIND_LABELS[self])


_FORM_KIND_LABELS = {"views": _l("Views before"), "feedback": _l("Feedback after")}


class MessageKind(enum.StrEnum):
    VIEWS_INVITATION = "views_invitation"
    VIEWS_REMINDER = "views_reminder"
    FEEDBACK_INVITATION = "feedback_invitation"
    FEEDBACK_REMINDER = "feedback_reminder"
    RATING_THANKS = "rating_thanks"
    CHECK_CODE = "check_code"  # the second check: a code sent by the other channel

    @property
    def label(self) -> str:
        return str(_MESSAGE_KIND_LABELS[self])


_MESSAGE_KIND_LABELS = {
    "views_invitation": _l("Views invitation"),
    "views_reminder": _l("Views reminder"),
    "feedback_invitation": _l("Feedback invitation"),
    "feedback_reminder": _l("Feedback reminder"),
    "rating_thanks": _l("Rating thanks"),
    "check_code": _l("Check code"),
}


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
        return str(_MESSAGE_STATUS_LABELS[self])


_MESSAGE_STATUS_LABELS = {
    "queued": _l("Queued"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "delivered": _l("Delivered"),
    "undelivered": _l("Undelivered"),
    "failed": _l("Failed"),
    "cancelled": _l("Cancelled"),
}


class SecondCheck(enum.StrEnum):
    NONE = "none"
    CODE = "code"  # a short code sent by the other channel

    @property
    def label(self) -> str:
        return str(_SECOND_CHECK_LABELS[self])


_SECOND_CHECK_LABELS = {
    "none": _l("No"),
    "code": _l("Yes: when they open a link, also send them a code by the other channel"),
}
