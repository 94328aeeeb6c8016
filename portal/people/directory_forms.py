"""Forms for finding people across conferences, adding them from their case, and merging two
records of one person."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField, ValidationError
from wtforms.validators import InputRequired, Length

from portal.forms import GovDateField, GovSubmit, PortalForm, choices, strip

PERSON = re.compile(r"^(child|adult)-([0-9]{1,9})$")
RECORD_NUMBER = re.compile(r"^[1-9][0-9]{0,8}$")


class FromCaseForm(PortalForm):
    """One "Add to this conference" button: which person, as ``child-12`` or ``adult-5``."""

    person = HiddenField(validators=[InputRequired(message=_l("Select a person to add"))])
    submit = SubmitField(_l("Add to this conference"), widget=GovSubmit())

    def validate_person(self, field: HiddenField) -> None:
        if not PERSON.match(field.data or ""):
            raise ValidationError(_("Select a person to add"))

    def chosen(self) -> tuple[str, int]:
        match = PERSON.match(self.person.data or "")
        assert match is not None  # validated
        return match.group(1), int(match.group(2))


class FindPersonForm(PortalForm):
    """Posted, never in a URL: names and dates of birth are personal."""

    name = StringField(
        _l("Name"),
        description=_l("First name, last name or both"),
        widget=GovTextInput(),
        validators=[Length(max=200, message=_l("Name must be 200 characters or fewer"))],
        filters=[strip],
    )
    date_of_birth = GovDateField(
        _l("Date of birth (children)"),
        name_in_errors=_l("date of birth"),
        required=False,
        description=_l("For example, 27 3 2019"),
    )
    person_id = StringField(
        _l("Person ID"),
        description=_l("The person's ID in the case management system"),
        widget=GovTextInput(),
        validators=[Length(max=60, message=_l("Person ID must be 60 characters or fewer"))],
        filters=[strip],
    )
    submit = SubmitField(_l("Search"), widget=GovSubmit())

    def validate_name(self, field: StringField) -> None:
        if not (field.data or self.date_of_birth.data or self.person_id.data):
            raise ValidationError(_("Enter a name, a date of birth or a person ID"))
        if field.data and len(field.data) < 2:
            raise ValidationError(_("Name must be 2 characters or more"))


KIND_CHOICES = choices([("child", _l("Two child records")), ("adult", _l("Two adult records"))])


class MergeForm(PortalForm):
    kind = RadioField(
        _l("Which records are they?"),
        choices=KIND_CHOICES,
        invalid_choice_message=_l("Select whether they are child or adult records"),
        widget=GovRadioInput(),
    )
    kept_id = StringField(
        _l("Record number to keep"),
        description=_l("From the person search, for example 1042"),
        widget=GovTextInput(),
        filters=[strip],
    )
    removed_id = StringField(
        _l("Record number to merge into it"),
        description=_l(
            "This record's conferences, and everything linked to it, move to the kept record"
        ),
        widget=GovTextInput(),
        filters=[strip],
    )
    # Set on the confirmation page: the first POST shows both records side by side.
    confirmed = HiddenField()
    submit = SubmitField(_l("Continue"), widget=GovSubmit())

    def validate_kept_id(self, field: StringField) -> None:
        if not RECORD_NUMBER.match(field.data or ""):
            raise ValidationError(_("Enter the record number to keep, like 1042"))

    def validate_removed_id(self, field: StringField) -> None:
        if not RECORD_NUMBER.match(field.data or ""):
            raise ValidationError(_("Enter the record number to merge into it, like 1042"))
        if field.data == self.kept_id.data:
            raise ValidationError(_("Enter two different record numbers"))

    def numbers(self) -> tuple[str, int, int]:
        """The kind, the kept record's id and the removed record's (after validation)."""
        return self.kind.data or "", int(self.kept_id.data or 0), int(self.removed_id.data or 0)
