"""Closed vocabularies, stored as short strings with a CHECK constraint in the database."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Self

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import Enum


class LabelledEnum(enum.StrEnum):
    """A closed vocabulary whose members carry the words pages show for them, written beside
    each value: ``ADMIN = "admin", _l("Admin")``. The member is the value (a str, stored as
    it is); the label is marked for translation here and translated when read."""

    _lazy_label: LazyString

    # Called only as the class is made, once a member. ``label`` looks optional to a type
    # checker only because the same call shape serves a lookup by value, ``Role("admin")``.
    def __new__(cls, value: str, label: LazyString | None = None) -> Self:
        if label is None:
            raise TypeError(f"{cls.__name__}.{value}: write the label beside the value")
        member = str.__new__(cls, value)
        member._value_ = value
        member._lazy_label = label
        return member

    @property
    def label(self) -> str:
        """A plain str in the current page's language (English outside a request)."""
        return str(self._lazy_label)

    @classmethod
    def choices(cls, members: Iterable[Self] | None = None) -> list[tuple[str, LazyString]]:
        """(value, label) for radios and selects: every member, or those given, in order.
        Made at import time, each label is translated when the page is made."""
        return [
            (member.value, member._lazy_label) for member in (cls if members is None else members)
        ]


class Role(LabelledEnum):
    ADMIN = "admin", _l("Admin")
    COORDINATOR = "coordinator", _l("Coordinator")
    CHAIR = "chair", _l("Independent chair")
    ADVOCATE = "advocate", _l("Advocate")
    PARTICIPATION_OFFICER = "participation_officer", _l("Participation officer")


class ConferenceType(LabelledEnum):
    INITIAL = "initial", _l("Initial")
    REVIEW = "review", _l("Review")
    TRANSFER_IN = "transfer_in", _l("Transfer-in")


class ConferenceFormat(LabelledEnum):
    IN_PERSON = "in_person", _l("In person")
    VIRTUAL = "virtual", _l("Virtual")
    HYBRID = "hybrid", _l("Hybrid")


class ConferenceStatus(LabelledEnum):
    SCHEDULED = "scheduled", _l("Scheduled")
    HELD = "held", _l("Held")
    CANCELLED = "cancelled", _l("Cancelled")


class Relationship(LabelledEnum):
    MOTHER = "mother", _l("Mother")
    FATHER = "father", _l("Father")
    PARENTAL_RESPONSIBILITY = (
        "parental_responsibility",
        _l("Other person with parental responsibility"),
    )
    CARER = "carer", _l("Carer")
    OTHER_FAMILY = "other_family", _l("Other family member")
    # The child or young person themself, invited to give their own views (see FamilyMember.child)
    YOUNG_PERSON = "young_person", _l("The child or young person themself")


class Channel(LabelledEnum):
    SMS = "sms", _l("Text message")
    EMAIL = "email", _l("Email")
    NONE = "none", _l("Neither (phone or letter)")


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


class FormKind(LabelledEnum):
    VIEWS = "views", _l("Views before")  # views before the conference
    FEEDBACK = "feedback", _l("Feedback after")  # feedback after it


class MessageKind(LabelledEnum):
    VIEWS_INVITATION = "views_invitation", _l("Views invitation")
    VIEWS_REMINDER = "views_reminder", _l("Views reminder")
    FEEDBACK_INVITATION = "feedback_invitation", _l("Feedback invitation")
    FEEDBACK_REMINDER = "feedback_reminder", _l("Feedback reminder")
    RATING_THANKS = "rating_thanks", _l("Rating thanks")
    # The second check: a code sent by the other channel
    CHECK_CODE = "check_code", _l("Check code")
    # To staff (the chair, the coordinators' team, the social worker, the duty team): a safety
    # alert (portal/safety).
    SAFEGUARDING_ALERT = "safeguarding_alert", _l("Safeguarding alert")
    # To the chair: a conference started a working day ago and is not recorded yet.
    RECORD_REMINDER = "record_reminder", _l("Reminder to record a meeting")
    # To a young person (or the adult helping a child): the chair's "You said, we did" note is
    # on their link's page. It says only that there is a note from the meeting.
    YOU_SAID_WE_DID = "you_said_we_did", _l("Note from the meeting")


class MessageStatus(LabelledEnum):
    QUEUED = "queued", _l("Queued")  # waiting for the worker (again, after a transient failure)
    SENDING = "sending", _l("Sending")  # claimed by a worker
    SENT = "sent", _l("Sent")  # accepted by the provider
    DELIVERED = "delivered", _l("Delivered")
    UNDELIVERED = "undelivered", _l("Undelivered")
    FAILED = "failed", _l("Failed")  # gave up: a permanent error or too many attempts
    # Not sent: the link was replaced, or the contact is no longer usable
    CANCELLED = "cancelled", _l("Cancelled")


class RecordedLanguage(LabelledEnum):
    """The language a coordinator records for a family member. Only a language the family pages
    are written in (portal/i18n.py LANGUAGES) changes the page language; the rest name the
    interpreter. "other" keeps the name typed."""

    ENGLISH = "en", _l("English")
    POLISH = "pl", _l("Polish")
    ROMANIAN = "ro", _l("Romanian")
    URDU = "ur", _l("Urdu")
    PUNJABI = "pa", _l("Punjabi")
    BENGALI = "bn", _l("Bengali")
    ARABIC = "ar", _l("Arabic")
    LITHUANIAN = "lt", _l("Lithuanian")
    PORTUGUESE = "pt", _l("Portuguese")
    OTHER = "other", _l("Another language")


class SecondCheck(LabelledEnum):
    NONE = "none", _l("No")
    # A short code sent by the other channel
    CODE = "code", _l("Yes: when they open a link, also send them a code by the other channel")
    # A word or number agreed with the person by phone or in person: one channel is enough
    AGREED_WORD = "agreed_word", _l("Yes: when they open a link, ask for a word agreed with them")


# --- Advocacy, the chair's pack and recording the conference ---------------------------------


class RecordStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Submitted")


class SharingLevel(LabelledEnum):
    """Who may see one part of what a child said (the child's say, recorded by the advocate)."""

    CHAIR_ONLY = "chair_only", _l("The chair only")
    CONFERENCE = "conference", _l("The chair and the professionals at the conference")
    FAMILY = "family", _l("Everyone at the conference, the family too")


class GatheringMethod(LabelledEnum):
    CONVERSATION = "conversation", _l("Conversation")
    THREE_HOUSES = "three_houses", _l("Three Houses")
    DRAWING = "drawing", _l("Drawing")
    LETTER = "letter", _l("Letter")
    AUDIO_VIDEO = "audio_video", _l("Audio or video recording")
    APP = "app", _l("An app")
    # Non-instructed advocacy: the child could not say
    OBSERVATION = "observation", _l("Non-instructed (observation)")


class NotSeenReason(LabelledEnum):
    DECLINED = "declined", _l("The child declined")
    PARENT_REFUSED = "parent_refused", _l("A parent refused")
    NOT_CONTACTABLE = "not_contactable", _l("Not contactable")


class AttendanceWish(LabelledEnum):
    WHOLE = "whole", _l("The whole meeting")
    PART = "part", _l("Part of the meeting")
    NONE = "none", _l("Not at all")


class ParticipationCode(LabelledEnum):
    """How a child took part in a conference (design.md, Counting)."""

    CP0 = "CP0", _l("CP0: under the age threshold or unborn (not counted)")
    CP1 = "CP1", _l("CP1: attended and spoke for themselves")
    CP2 = "CP2", _l("CP2: attended; an advocate or the chair spoke for them")
    CP3 = "CP3", _l("CP3: attended and conveyed views non-verbally")
    CP4 = "CP4", _l("CP4: attended but gave no views")
    CP5 = "CP5", _l("CP5: did not attend; briefed an advocate")
    CP6 = "CP6", _l("CP6: did not attend; views by other means")
    CP7 = "CP7", _l("CP7: did not attend; no views")

    @property
    def attended(self) -> bool | None:
        return None if self is ParticipationCode.CP0 else self.value in {"CP1", "CP2", "CP3", "CP4"}

    @property
    def views_heard(self) -> bool | None:
        if self is ParticipationCode.CP0:
            return None
        return self.value in {"CP1", "CP2", "CP3", "CP5", "CP6"}


class PlanOutcome(LabelledEnum):
    NO_PLAN = "no_plan", _l("No plan needed")  # an initial conference decided none was needed
    STARTED = "started", _l("Plan started")
    CONTINUED = "continued", _l("Plan continued")
    ENDED_CHILD_IN_NEED = "ended_child_in_need", _l("Plan ended: child in need")
    ENDED_LOOKED_AFTER = "ended_looked_after", _l("Plan ended: looked after")
    TRANSFERRED = "transferred", _l("Transferred to another area")


class HarmCategory(LabelledEnum):
    NEGLECT = "neglect", _l("Neglect")
    EMOTIONAL = "emotional", _l("Emotional abuse")
    PHYSICAL = "physical", _l("Physical abuse")
    SEXUAL = "sexual", _l("Sexual abuse")


class DelayReason(LabelledEnum):
    """Why a conference was booked or held out of timescale (the service's delay spreadsheet)."""

    QUORACY = "quoracy", _l("Not quorate")
    CHAIR_UNAVAILABLE = "chair_unavailable", _l("Chair unavailable")
    SOCIAL_WORKER_UNAVAILABLE = "social_worker_unavailable", _l("Social worker unavailable")
    FAMILY_REQUEST = "family_request", _l("The family asked for another date")
    OTHER = "other", _l("Another reason")


class NotInvitedReason(LabelledEnum):
    EXCLUDED = "excluded", _l("Excluded by the chair")  # from the whole meeting
    WHEREABOUTS_UNKNOWN = "whereabouts_unknown", _l("Whereabouts unknown")
    OTHER = "other", _l("Another reason")


class AdultAttendance(LabelledEnum):
    NONE = "none", _l("Did not attend")
    PART = "part", _l("Part of the meeting")
    WHOLE = "whole", _l("The whole meeting")


class AttendanceMode(LabelledEnum):
    IN_PERSON = "in_person", _l("In person")
    VIDEO = "video", _l("Video")
    PHONE = "phone", _l("Phone")


class ViewsRoute(LabelledEnum):
    """The ways an adult's views reached the conference other than attending."""

    PORTAL_FORM = "portal_form", _l("Portal form")
    MET_CHAIR = "met_chair", _l("Met or phoned the chair")
    WRITTEN = "written", _l("Written statement")
    SUPPORTER = "supporter", _l("Solicitor or supporter")
    SOCIAL_WORKER = "social_worker", _l("Via the social worker")
    # Their answers to the portal's questions, entered for them by staff (EntryRoute says how)
    ENTERED_FOR_THEM = "entered_for_them", _l("Given another way, entered by staff")


class EntryRoute(LabelledEnum):
    """How views or feedback given another way reached the member of staff who entered them."""

    PHONE = "phone", _l("By phone")
    PAPER = "paper", _l("On paper")
    IN_PERSON = "in_person", _l("In person at the meeting")
    INTERPRETER = "interpreter", _l("Through an interpreter")
