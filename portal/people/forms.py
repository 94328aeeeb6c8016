from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Length

from portal.contact import ContactError, normalise_email, normalise_mobile
from portal.forms import (
    GovDateField,
    GovSubmit,
    PortalForm,
    choices,
    enum_radio,
    required_text,
    strip,
)
from portal.models import (
    Channel,
    Child,
    FamilyMember,
    RecordedLanguage,
    Relationship,
    SecondCheck,
)
from portal.people.agreed_word_forms import agreed_word_field, check_agreed_word
from portal.people.person_id import check_person_id, person_id_field
from portal.people.services import ChildDetails, FamilyMemberDetails


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier; 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


BORN_CHOICES = choices([("born", _l("Yes")), ("unborn", _l("No, not born yet"))])


class ChildForm(PortalForm):
    first_name = StringField(
        _l("First name"),
        widget=GovTextInput(),
        validators=required_text(_l("Enter the child's first name"), 100),
        filters=[strip],
    )
    last_name = StringField(
        _l("Last name"),
        widget=GovTextInput(),
        validators=required_text(_l("Enter the child's last name"), 100),
        filters=[strip],
    )
    born = RadioField(
        _l("Has the child been born?"),
        choices=BORN_CHOICES,
        invalid_choice_message=_l("Select yes if the child has been born"),
        widget=GovRadioInput(),
    )
    birth_date = GovDateField(
        _l("Date of birth, or expected date if not born yet"),
        name_in_errors=_l("date of birth or expected date"),
        description=_l("For example, 27 3 2019"),
    )
    external_ref = person_id_field()
    submit = SubmitField(_l("Save child"), widget=GovSubmit())

    def __init__(self, *args: Any, record_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record_id = record_id  # the child being changed: their own person ID is theirs

    def validate_external_ref(self, field: StringField) -> None:
        check_person_id(field, Child, self.record_id)

    def validate_birth_date(self, field: GovDateField) -> None:
        if field.data is None:
            return
        today = date.today()
        if self.born.data == "born":
            if field.data > today:
                raise ValidationError(_("Date of birth must be today or in the past"))
            if field.data < years_before(today, 18):
                raise ValidationError(_("Date of birth must be within the last 18 years"))
        elif self.born.data == "unborn":
            if field.data > today + timedelta(weeks=43):
                raise ValidationError(_("Expected date must be within the next 10 months"))
            if field.data < today - timedelta(weeks=4):
                raise ValidationError(
                    _(
                        "Expected date must be within the last 4 weeks or in the future; "
                        "if the child has been born, select yes and enter the date of birth"
                    )
                )

    def details(self) -> ChildDetails:
        born = self.born.data == "born"
        return ChildDetails(
            first_name=self.first_name.data or "",
            last_name=self.last_name.data or "",
            date_of_birth=self.birth_date.data if born else None,
            expected_date_of_birth=None if born else self.birth_date.data,
            external_ref=self.external_ref.data or None,
        )

    @classmethod
    def data_from(cls, details: ChildDetails) -> dict[str, Any]:
        return {
            "first_name": details.first_name,
            "last_name": details.last_name,
            "born": "born" if details.date_of_birth else "unborn",
            "birth_date": details.date_of_birth or details.expected_date_of_birth,
            "external_ref": details.external_ref or "",
        }


class InitialChildForm(ChildForm):
    """A child on an initial conference: their own section 47 enquiry start date (siblings can
    differ), the conference's unless changed. ``conference_day`` is the conference's date."""

    section_47_started_on = GovDateField(
        _l("Section 47 enquiry start date"),
        name_in_errors=_l("section 47 enquiry start date"),
        required=False,
        description=_l(
            "This child's own: change it only if their enquiry started on another day. "
            "For example, 3 3 2026"
        ),
    )

    def __init__(self, *args: Any, conference_day: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conference_day = conference_day

    def validate_section_47_started_on(self, field: GovDateField) -> None:
        if field.data and field.data > self.conference_day:
            raise ValidationError(
                _("Section 47 enquiry start date must be on or before the date of the conference")
            )


def recorded_language(code: str | None, other: str | None) -> dict[str, str]:
    """The choice and its name: English for one from the list, as typed for another."""
    language = RecordedLanguage(code or RecordedLanguage.ENGLISH.value)
    # Staff pages are in English, so the label is the English name.
    name = (other or "") if language == RecordedLanguage.OTHER else language.label
    return {"language_code": language.value, "language": name}


class FamilyMemberForm(PortalForm):
    first_name = StringField(
        _l("First name"),
        widget=GovTextInput(),
        validators=required_text(_l("Enter their first name"), 100),
        filters=[strip],
    )
    last_name = StringField(
        _l("Last name"),
        widget=GovTextInput(),
        validators=required_text(_l("Enter their last name"), 100),
        filters=[strip],
    )
    relationship = enum_radio(
        _l("Relationship to the children"),
        Relationship,
        _l("Select their relationship to the children"),
        # Not the young person: they are invited from the child
        members=[r for r in Relationship if r != Relationship.YOUNG_PERSON],
    )
    mobile = StringField(
        _l("Mobile number (optional)"),
        description=_l("For a number outside the UK, start with the country code, like +33"),
        widget=GovTextInput(),
        filters=[strip],
    )
    email = StringField(_l("Email address (optional)"), widget=GovTextInput(), filters=[strip])
    preferred_channel = enum_radio(
        _l("How should we send them links?"), Channel, _l("Select how we should send them links")
    )
    # Not a conditional reveal (aria-expanded on a radio fails axe-core): "Which language" is
    # always shown, under the radios, and read only for "Another language".
    language_code = enum_radio(
        _l("Language they would like to use"),
        RecordedLanguage,
        _l("Select the language they would like to use"),
        description=_l("Polish gives them the family pages in Polish; the others, in English"),
        default=RecordedLanguage.ENGLISH.value,
    )
    language_other = StringField(
        _l("If another language, which one"),
        widget=GovTextInput(),
        validators=[Length(max=60, message=_l("The language must be 60 characters or fewer"))],
        filters=[strip],
    )
    interpreter_needed = BooleanField(
        _l("They need an interpreter"),
        description=_l("A task is made to arrange one for the language above"),
        widget=GovCheckboxInput(),
    )
    access_needs = TextAreaField(
        _l("Access needs (optional)"),
        description=_l("For example: needs an interpreter, large print, reads with support"),
        widget=GovTextArea(),
        validators=[Length(max=1000, message=_l("Access needs must be 1000 characters or fewer"))],
        filters=[strip],
    )
    second_check = enum_radio(
        _l("Might someone else read their messages?"),
        SecondCheck,
        _l("Select yes if someone else might read their messages"),
        description=_l(
            "For example, a shared phone. If so, opening a link also needs a code we send by "
            "the other channel (they need both a mobile number and an email address), or the "
            "word agreed with them."
        ),
        default=SecondCheck.NONE.value,
    )
    agreed_word = agreed_word_field(_l("If we ask for a word, the word agreed with them"))
    external_ref = person_id_field()
    submit = SubmitField(_l("Save family member"), widget=GovSubmit())

    def __init__(
        self, *args: Any, record_id: int | None = None, word_set: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.record_id = record_id  # the person being changed: their own person ID is theirs
        self.word_set = word_set  # a word is agreed with them already: kept when none is typed

    def validate_external_ref(self, field: StringField) -> None:
        check_person_id(field, FamilyMember, self.record_id)

    def validate_mobile(self, field: StringField) -> None:
        if field.data:
            try:
                field.data = normalise_mobile(field.data)
            except ContactError as error:
                raise ValidationError(str(error)) from None
        elif self.preferred_channel.data == Channel.SMS.value:
            raise ValidationError(_("Enter a mobile number to send links by text message"))

    def validate_email(self, field: StringField) -> None:
        if field.data:
            try:
                field.data = normalise_email(field.data)
            except ContactError as error:
                raise ValidationError(str(error)) from None
        elif self.preferred_channel.data == Channel.EMAIL.value:
            raise ValidationError(_("Enter an email address to send links by email"))

    def validate_language_other(self, field: StringField) -> None:
        if self.language_code.data == RecordedLanguage.OTHER.value and not field.data:
            raise ValidationError(_("Enter the language they would like to use"))

    def validate_interpreter_needed(self, field: BooleanField) -> None:
        if field.data and self.language_code.data == RecordedLanguage.ENGLISH.value:
            raise ValidationError(_("Select the language they need an interpreter for"))

    def validate_second_check(self, field: RadioField) -> None:
        if field.data == SecondCheck.CODE.value and not (self.mobile.data and self.email.data):
            raise ValidationError(
                _(
                    "Enter both a mobile number and an email address to send a code by the "
                    "other channel"
                )
            )

    def validate_agreed_word(self, field: StringField) -> None:
        asked = self.second_check.data == SecondCheck.AGREED_WORD.value
        if field.data and not asked:
            raise ValidationError(
                _("Select that we ask for a word agreed with them, or leave the word empty")
            )
        if asked and not field.data and not self.word_set:
            raise ValidationError(_("Enter the word agreed with them"))
        if field.data:
            check_agreed_word(field)

    def details(self) -> FamilyMemberDetails:
        return self._details(
            self.first_name.data or "",
            self.last_name.data or "",
            Relationship(self.relationship.data),
        )

    def _details(
        self, first_name: str, last_name: str, relationship: Relationship
    ) -> FamilyMemberDetails:
        return FamilyMemberDetails(
            first_name=first_name,
            last_name=last_name,
            relationship=relationship,
            mobile=self.mobile.data or None,
            email=self.email.data or None,
            preferred_channel=Channel(self.preferred_channel.data),
            **recorded_language(self.language_code.data, self.language_other.data),
            interpreter_needed=bool(self.interpreter_needed.data),
            access_needs=self.access_needs.data or "",
            second_check=SecondCheck(self.second_check.data),
            external_ref=self.external_ref.data or None if self.external_ref else None,
        )


class YoungPersonForm(FamilyMemberForm):
    """A child or young person's own contact details: their name comes from the child."""

    first_name = None
    last_name = None
    relationship = None
    external_ref = None  # the person ID is the child's
    submit = SubmitField(_l("Save their contact details"), widget=GovSubmit())

    def details_for(self, child: Child) -> FamilyMemberDetails:
        return self._details(child.first_name, child.last_name, Relationship.YOUNG_PERSON)


class HelpedChildForm(YoungPersonForm):
    """A child under YOUNG_PERSON_MIN_AGE: the contact details are those of the adult who helps
    them fill in the Three Houses, and the form says who that adult is."""

    helper_name = StringField(
        _l("Name of the adult who will help them"),
        description=_l("Links and reminders go to this adult, for the child."),
        widget=GovTextInput(),
        validators=required_text(_l("Enter the name of the adult who will help them"), 200),
        filters=[strip],
    )
    helper_relationship = StringField(
        _l("Their relationship to the child"),
        description=_l("For example, foster carer, grandparent or mum"),
        widget=GovTextInput(),
        validators=required_text(_l("Enter their relationship to the child"), 100),
        filters=[strip],
    )

    def details_for(self, child: Child) -> FamilyMemberDetails:
        return replace(
            super().details_for(child),
            helper_name=self.helper_name.data,
            helper_relationship=self.helper_relationship.data,
        )


class ConfirmContactForm(PortalForm):
    safe = RadioField(
        _l("Has this person told you these contact details are safe to use?"),
        description=_l(
            "Ask them directly, out of earshot of others. Someone else may read their phone "
            "or emails."
        ),
        choices=choices(
            [("yes", _l("Yes, they are safe to use")), ("no", _l("No, or not yet checked"))]
        ),
        invalid_choice_message=_l("Select yes if the contact details are safe to use"),
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Save"), widget=GovSubmit())


class RemoveForm(PortalForm):
    """A confirmation button: removing is a POST, after the person has seen what goes."""

    submit = SubmitField(_l("Yes, remove"), widget=GovSubmit())
