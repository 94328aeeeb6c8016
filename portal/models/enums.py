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
    # To staff (the chair, the allocated social worker): an advocate raised a new concern.
    SAFEGUARDING_ALERT = "safeguarding_alert"

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
    "safeguarding_alert": _l("Safeguarding alert"),
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


# --- Advocacy, the chair's pack and recording the conference ---------------------------------


class _Labelled(enum.StrEnum):
    """An enum whose members are labelled in ``_LABELS[cls.__name__]``."""

    @property
    def label(self) -> str:
        return str(_LABELS[type(self).__name__][self.value])


class RecordStatus(_Labelled):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class SharingLevel(_Labelled):
    """Who may see one part of what a child said (the child's say, recorded by the advocate)."""

    CHAIR_ONLY = "chair_only"
    CONFERENCE = "conference"  # the chair and the professionals at the conference
    FAMILY = "family"  # the family too


class GatheringMethod(_Labelled):
    CONVERSATION = "conversation"
    THREE_HOUSES = "three_houses"
    DRAWING = "drawing"
    LETTER = "letter"
    AUDIO_VIDEO = "audio_video"
    APP = "app"
    OBSERVATION = "observation"  # non-instructed advocacy: the child could not say


class NotSeenReason(_Labelled):
    DECLINED = "declined"
    PARENT_REFUSED = "parent_refused"
    NOT_CONTACTABLE = "not_contactable"


class AttendanceWish(_Labelled):
    WHOLE = "whole"
    PART = "part"
    NONE = "none"


class ParticipationCode(_Labelled):
    """How a child took part in a conference (design.md, Counting)."""

    CP0 = "CP0"
    CP1 = "CP1"
    CP2 = "CP2"
    CP3 = "CP3"
    CP4 = "CP4"
    CP5 = "CP5"
    CP6 = "CP6"
    CP7 = "CP7"

    @property
    def attended(self) -> bool | None:
        return None if self is ParticipationCode.CP0 else self.value in {"CP1", "CP2", "CP3", "CP4"}

    @property
    def views_heard(self) -> bool | None:
        if self is ParticipationCode.CP0:
            return None
        return self.value in {"CP1", "CP2", "CP3", "CP5", "CP6"}


class PlanOutcome(_Labelled):
    NO_PLAN = "no_plan"  # an initial conference that decided no plan was needed
    STARTED = "started"
    CONTINUED = "continued"
    ENDED_CHILD_IN_NEED = "ended_child_in_need"
    ENDED_LOOKED_AFTER = "ended_looked_after"
    TRANSFERRED = "transferred"


class HarmCategory(_Labelled):
    NEGLECT = "neglect"
    EMOTIONAL = "emotional"
    PHYSICAL = "physical"
    SEXUAL = "sexual"


class NotInvitedReason(_Labelled):
    EXCLUDED = "excluded"  # excluded by the chair from the whole meeting
    WHEREABOUTS_UNKNOWN = "whereabouts_unknown"
    OTHER = "other"


class AdultAttendance(_Labelled):
    NONE = "none"
    PART = "part"
    WHOLE = "whole"


class AttendanceMode(_Labelled):
    IN_PERSON = "in_person"
    VIDEO = "video"
    PHONE = "phone"


class ViewsRoute(_Labelled):
    """The ways an adult's views reached the conference other than attending."""

    PORTAL_FORM = "portal_form"
    MET_CHAIR = "met_chair"
    WRITTEN = "written"
    SUPPORTER = "supporter"
    SOCIAL_WORKER = "social_worker"


_LABELS = {
    "RecordStatus": {"draft": _l("Draft"), "submitted": _l("Submitted")},
    "SharingLevel": {
        "chair_only": _l("The chair only"),
        "conference": _l("The chair and the professionals at the conference"),
        "family": _l("Everyone at the conference, the family too"),
    },
    "GatheringMethod": {
        "conversation": _l("Conversation"),
        "three_houses": _l("Three Houses"),
        "drawing": _l("Drawing"),
        "letter": _l("Letter"),
        "audio_video": _l("Audio or video recording"),
        "app": _l("An app"),
        "observation": _l("Non-instructed (observation)"),
    },
    "NotSeenReason": {
        "declined": _l("The child declined"),
        "parent_refused": _l("A parent refused"),
        "not_contactable": _l("Not contactable"),
    },
    "AttendanceWish": {
        "whole": _l("The whole meeting"),
        "part": _l("Part of the meeting"),
        "none": _l("Not at all"),
    },
    "ParticipationCode": {
        "CP0": _l("CP0: under the age threshold or unborn (not counted)"),
        "CP1": _l("CP1: attended and spoke for themselves"),
        "CP2": _l("CP2: attended; an advocate or the chair spoke for them"),
        "CP3": _l("CP3: attended and conveyed views non-verbally"),
        "CP4": _l("CP4: attended but gave no views"),
        "CP5": _l("CP5: did not attend; briefed an advocate"),
        "CP6": _l("CP6: did not attend; views by other means"),
        "CP7": _l("CP7: did not attend; no views"),
    },
    "PlanOutcome": {
        "no_plan": _l("No plan needed"),
        "started": _l("Plan started"),
        "continued": _l("Plan continued"),
        "ended_child_in_need": _l("Plan ended: child in need"),
        "ended_looked_after": _l("Plan ended: looked after"),
        "transferred": _l("Transferred to another area"),
    },
    "HarmCategory": {
        "neglect": _l("Neglect"),
        "emotional": _l("Emotional abuse"),
        "physical": _l("Physical abuse"),
        "sexual": _l("Sexual abuse"),
    },
    "NotInvitedReason": {
        "excluded": _l("Excluded by the chair"),
        "whereabouts_unknown": _l("Whereabouts unknown"),
        "other": _l("Another reason"),
    },
    "AdultAttendance": {
        "none": _l("Did not attend"),
        "part": _l("Part of the meeting"),
        "whole": _l("The whole meeting"),
    },
    "AttendanceMode": {
        "in_person": _l("In person"),
        "video": _l("Video"),
        "phone": _l("Phone"),
    },
    "ViewsRoute": {
        "portal_form": _l("Portal form"),
        "met_chair": _l("Met or phoned the chair"),
        "written": _l("Written statement"),
        "supporter": _l("Solicitor or supporter"),
        "social_worker": _l("Via the social worker"),
    },
}
