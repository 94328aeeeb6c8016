"""Forms for the advocate's record: the child's views, the contact log, attachments."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length

from portal.advocacy.contacts import ContactDetails
from portal.advocacy.records import SHARED_PARTS, WORD_PARTS, ViewsData
from portal.forms import YES_NO, GovDateField, GovSubmit, PortalForm, choices, strip
from portal.models import (
    AdvocateRecord,
    AttendanceWish,
    GatheringMethod,
    NotSeenReason,
    SharingLevel,
    utcnow,
)
from portal.templating import local_date

WORDS_MAX = 2000
SHORT_MAX = 500
NOTE_MAX = 2000


def _max_length(max_length: int, name: Any) -> Any:
    def check(form: Any, field: Field) -> None:
        if field.data and len(field.data) > max_length:
            raise ValidationError(
                _("%(name)s must be %(max)s characters or fewer", name=name, max=max_length)
            )

    return check


def _text(label: Any, max_length: int, name: Any, **kwargs: Any) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovCharacterCount(),
        validators=[_max_length(max_length, name)],
        filters=[strip],
        **kwargs,
    )


def _optional_radio(label: Any, items: Any, **kwargs: Any) -> RadioField:
    """Radios that may be left empty (a draft); the value is checked when one is chosen."""
    return RadioField(label, choices=items, widget=GovRadioInput(), validate_choice=False, **kwargs)


SCALE_CHOICES = choices(
    [("", _l("Not used"))] + [(str(n), str(n)) for n in range(11)]  # 0 to 10
)


class ViewsForm(PortalForm):
    methods = SelectMultipleField(
        _l("How were the child's views gathered?"),
        description=_l("Select all that apply"),
        choices=choices(GatheringMethod.choices()),
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    good_things = _text(_l("Good things"), WORDS_MAX, _l("Good things"))
    worries = _text(_l("Worries"), WORDS_MAX, _l("Worries"))
    wishes = _text(_l("Wishes"), WORDS_MAX, _l("Wishes"))
    conference_should_know = _text(
        _l("What they want the conference to know"),
        WORDS_MAX,
        _l("What they want the conference to know"),
    )
    questions_for_chair = _text(
        _l("Questions for the chair"), WORDS_MAX, _l("Questions for the chair")
    )
    scale = SelectField(
        _l("Score from 0 to 10 (optional)"),
        description=_l("For example, how safe or how happy they feel at home, 10 being the best"),
        choices=SCALE_CHOICES,
        widget=GovSelect(),
        validate_choice=False,
    )
    scale_reason = _text(
        _l("Why they chose that score"), SHORT_MAX, _l("Why they chose that score")
    )
    attendance_wish = _optional_radio(
        _l("Do they want to come to the meeting?"), choices(AttendanceWish.choices())
    )
    attendance_how = _text(
        _l("How they would like to take part"),
        SHORT_MAX,
        _l("How they would like to take part"),
        description=_l("For example, in the room, by video, or for the first 10 minutes"),
    )
    attend_with = _text(
        _l("Who they would like with them"), SHORT_MAX, _l("Who they would like with them")
    )
    advocate_to_speak = _optional_radio(_l("Do they want the advocate to speak for them?"), YES_NO)
    safeguarding_concern = BooleanField(
        _l("There is a new safeguarding concern"),
        description=_l(
            "The chair will be emailed at once to sign in and read it, and the social worker "
            "asked to call the advocacy service today"
        ),
        widget=GovCheckboxInput(),
    )
    safeguarding_note = _text(
        _l("What is the concern?"),
        NOTE_MAX,
        _l("The concern"),
        description=_l("What the child said or what you saw, and what you have done"),
    )
    save_draft = SubmitField(_l("Save as draft"), widget=GovSubmit())
    submit = SubmitField(_l("Submit to the chair"), widget=GovSubmit())

    submitted_before = False  # a record once submitted is only ever submitted again

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One "who may see this" question per part: share_good_things, share_worries…
        self.sharing_fields = {part: self[f"share_{part}"] for part in SHARED_PARTS}

    @classmethod
    def data_from(cls, record: AdvocateRecord | None) -> dict[str, Any]:
        if record is None:
            return {}
        data: dict[str, Any] = {
            name: getattr(record, name)
            for name in (*WORD_PARTS, "scale_reason", "attendance_how", "attend_with")
        }
        data["methods"] = list(record.methods)
        data["scale"] = "" if record.scale is None else str(record.scale)
        data["attendance_wish"] = record.attendance_wish.value if record.attendance_wish else None
        data["advocate_to_speak"] = (
            None
            if record.advocate_to_speak is None
            else "yes"
            if record.advocate_to_speak
            else "no"
        )
        data["safeguarding_concern"] = record.safeguarding_concern_at is not None
        data["safeguarding_note"] = record.safeguarding_note
        for part in SHARED_PARTS:
            data[f"share_{part}"] = record.sharing.get(part)
        return data

    @property
    def submitting(self) -> bool:
        return bool(self.submit.data) or self.submitted_before

    def validate_methods(self, field: SelectMultipleField) -> None:
        allowed = {method.value for method in GatheringMethod}
        if any(value not in allowed for value in field.data or []):
            raise ValidationError(_("Select how the views were gathered from the list"))

    def validate_scale(self, field: SelectField) -> None:
        if field.data not in {"", None, *(str(n) for n in range(11))}:
            raise ValidationError(_("Select a score from 0 to 10, or Not used"))

    def validate_attendance_wish(self, field: RadioField) -> None:
        if field.data and field.data not in {wish.value for wish in AttendanceWish}:
            raise ValidationError(_("Select whether they want to come to the meeting"))

    def validate_advocate_to_speak(self, field: RadioField) -> None:
        if field.data and field.data not in {"yes", "no"}:
            raise ValidationError(_("Select yes if they want the advocate to speak for them"))

    def validate_safeguarding_note(self, field: TextAreaField) -> None:
        if self.safeguarding_concern.data and not (field.data or "").strip():
            raise ValidationError(_("Describe the safeguarding concern"))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        levels = {level.value for level in SharingLevel}
        for share in self.sharing_fields.values():
            if share.data and share.data not in levels:
                share.errors = [*share.errors, _("Select who may see this")]
                valid = False
        if not valid or not self.submitting:
            return valid  # a draft is checked for lengths and choices only
        data = self.views_data()
        if not data.methods:
            self.methods.errors = [*self.methods.errors, _("Select how the views were gathered")]
            valid = False
        if not any(getattr(data, part) for part in WORD_PARTS):
            self.good_things.errors = [
                *self.good_things.errors,
                _(
                    "Enter at least one of the child's good things, worries, wishes, what they "
                    "want the conference to know or questions for the chair"
                ),
            ]
            valid = False
        for part in data.filled_parts():
            if part not in data.sharing:
                share = self.sharing_fields[part]
                share.errors = [
                    *share.errors,
                    _("Select who may see %(part)s", part=SHARED_PARTS[part].lower()),
                ]
                valid = False
        return valid

    def views_data(self) -> ViewsData:
        speak = self.advocate_to_speak.data
        return ViewsData(
            methods=[m.value for m in GatheringMethod if m.value in (self.methods.data or [])],
            good_things=self.good_things.data or "",
            worries=self.worries.data or "",
            wishes=self.wishes.data or "",
            conference_should_know=self.conference_should_know.data or "",
            questions_for_chair=self.questions_for_chair.data or "",
            scale=int(self.scale.data) if self.scale.data not in ("", None) else None,
            scale_reason=self.scale_reason.data or "",
            attendance_wish=AttendanceWish(self.attendance_wish.data)
            if self.attendance_wish.data
            else None,
            attendance_how=self.attendance_how.data or "",
            attend_with=self.attend_with.data or "",
            advocate_to_speak=None if not speak else speak == "yes",
            sharing={part: share.data for part, share in self.sharing_fields.items() if share.data},
            safeguarding_concern=bool(self.safeguarding_concern.data),
            safeguarding_note=self.safeguarding_note.data or "",
        )


# "Who may see this": one question per part of the record.
for _part, _label in SHARED_PARTS.items():
    setattr(
        ViewsForm,
        f"share_{_part}",
        _optional_radio(
            _l("Who may see “%(part)s”?", part=_label),
            choices(SharingLevel.choices()),
        ),
    )


class ContactForm(PortalForm):
    contact_on = GovDateField(
        _l("Date"),
        name_in_errors=_l("date"),
        description=_l("For example, 27 3 2026"),
    )
    seen = RadioField(
        _l("Did you see the child?"),
        choices=YES_NO,
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select yes if you saw the child"),
    )
    place = StringField(
        _l("Where did you see them?"),
        description=_l("For example, at school"),
        widget=GovTextInput(),
        validators=[
            Length(max=200, message=_l("Where must be 200 characters or fewer")),
        ],
        filters=[strip],
    )
    alone = _optional_radio(_l("Did you see them alone?"), YES_NO)
    with_whom = StringField(
        _l("If not alone, who else was there?"),
        description=_l("For example, their teacher"),
        widget=GovTextInput(),
        validators=[
            Length(max=200, message=_l("Who else was there must be 200 characters or fewer")),
        ],
        filters=[strip],
    )
    not_seen_reason = _optional_radio(_l("Why not?"), choices(NotSeenReason.choices()))
    note = TextAreaField(
        _l("Note (optional)"),
        widget=GovTextArea(),
        validators=[
            Length(max=NOTE_MAX, message=_l("Note must be 2000 characters or fewer")),
        ],
        filters=[strip],
    )
    submit = SubmitField(_l("Save contact"), widget=GovSubmit())

    def validate_contact_on(self, field: GovDateField) -> None:
        if field.data and field.data > local_date(utcnow()):  # today where the council is
            raise ValidationError(_("Date must be today or in the past"))

    def validate_alone(self, field: RadioField) -> None:
        if self.seen.data != "yes":
            return
        if field.data not in {"yes", "no"}:
            raise ValidationError(_("Select yes if you saw them alone"))

    def validate_place(self, field: StringField) -> None:
        if self.seen.data == "yes" and not field.data:
            raise ValidationError(_("Enter where you saw them"))

    def validate_with_whom(self, field: StringField) -> None:
        if self.seen.data == "yes" and self.alone.data == "no" and not field.data:
            raise ValidationError(_("Enter who else was there"))

    def validate_not_seen_reason(self, field: RadioField) -> None:
        if self.seen.data != "no":
            return
        if field.data not in {reason.value for reason in NotSeenReason}:
            raise ValidationError(_("Select why you did not see the child"))

    def details(self) -> ContactDetails:
        assert self.contact_on.data is not None  # only called after validate()
        seen = self.seen.data == "yes"
        return ContactDetails(
            contact_on=self.contact_on.data,
            seen=seen,
            place=self.place.data or "",
            with_whom=(self.with_whom.data or "") if self.alone.data == "no" else "",
            not_seen_reason=None if seen else NotSeenReason(self.not_seen_reason.data),
            note=self.note.data or "",
        )


class AttachmentForm(PortalForm):
    file = FileField(
        _l("Upload a file"),
        description=_l(
            "A photo or scan of a drawing or letter: JPEG, PNG or PDF, smaller than 10 MB"
        ),
        widget=GovFileInput(),
    )
    description = StringField(
        _l("What is it?"),
        description=_l("For example, a drawing of my house. Do not include the child's name"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter what the file is")),
            Length(max=200, message=_l("What it is must be 200 characters or fewer")),
        ],
        filters=[strip],
    )
    sharing = RadioField(
        _l("Who may see this?"),
        choices=choices(SharingLevel.choices()),
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select who may see this"),
    )
    submit = SubmitField(_l("Upload"), widget=GovSubmit())

    def validate_file(self, field: FileField) -> None:
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_("Select a file"))


class ReferForm(PortalForm):
    pass
