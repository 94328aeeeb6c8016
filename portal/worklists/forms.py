"""The chair's record of a call, and the coordinator's "arranged"."""

from __future__ import annotations

from datetime import datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import Length

from portal.forms import (
    YES_NO,
    GovDateField,
    GovSubmit,
    PortalForm,
    enum_radio,
    strip,
)
from portal.models import ContactMethod, utcnow
from portal.models.base import SERVICE_TIMEZONE
from portal.templating import local_date

OUTCOME_MAX = 2000


class ContactForm(PortalForm):
    contacted = RadioField(
        _l("Did you speak to them?"),
        choices=YES_NO,
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select yes if you spoke to them"),
    )
    contacted_on = GovDateField(
        _l("Date"),
        name_in_errors=_l("date"),
        required=False,
        description=_l("For example, 27 3 2026"),
    )
    method = enum_radio(
        _l("How?"),
        ContactMethod,
        _l("Select how you spoke to them"),
        validate_choice=False,
    )
    outcome = TextAreaField(
        _l("What came of it, or why you could not speak to them"),
        widget=GovTextArea(),
        validators=[
            Length(max=OUTCOME_MAX, message=_l("This must be 2000 characters or fewer")),
        ],
        filters=[strip],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmit())

    def validate_contacted_on(self, field: GovDateField) -> None:
        if self.contacted.data != "yes":
            return
        if not field.data:
            raise ValidationError(_("Enter the date you spoke to them"))
        if field.data > local_date(utcnow()):
            raise ValidationError(_("Date must be today or in the past"))

    def validate_method(self, field: RadioField) -> None:
        if self.contacted.data == "yes" and field.data not in {m.value for m in ContactMethod}:
            raise ValidationError(_("Select how you spoke to them"))

    def validate_outcome(self, field: TextAreaField) -> None:
        if not field.data:
            raise ValidationError(
                _("Enter what came of it")
                if self.contacted.data == "yes"
                else _("Enter why you could not speak to them")
            )

    def contacted_at(self) -> datetime | None:
        if self.contacted.data != "yes" or not self.contacted_on.data:
            return None
        # The day is what the chair knows; kept as its start, in the council's time zone.
        return datetime.combine(self.contacted_on.data, time(), tzinfo=SERVICE_TIMEZONE)

    def contact_method(self) -> ContactMethod | None:
        return ContactMethod(self.method.data) if self.contacted.data == "yes" else None


class ArrangedForm(PortalForm):
    note = TextAreaField(
        _l("What was arranged (optional)"),
        description=_l("For example, a Polish interpreter booked through the language service"),
        widget=GovTextArea(),
        validators=[Length(max=OUTCOME_MAX, message=_l("This must be 2000 characters or fewer"))],
        filters=[strip],
    )
    submit = SubmitField(_l("Mark as arranged"), widget=GovSubmit())
