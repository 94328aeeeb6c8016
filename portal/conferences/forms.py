from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import Length

from portal.conferences.services import ConferenceDetails
from portal.contact import ContactError, LandlineError, normalise_email, normalise_mobile
from portal.forms import (
    GovDateField,
    GovSubmit,
    GovTimeField,
    PortalForm,
    choices,
    enum_radio,
    required_text,
    strip,
)
from portal.models import ConferenceFormat, ConferenceStatus, ConferenceType, DelayReason
from portal.plans.forms import DelayFields
from portal.plans.timeliness import Late

LateCheck = Callable[[ConferenceDetails], list[Late]]

CASE_REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9/-]{1,39}$")


class ConferenceForm(DelayFields, PortalForm):
    """``late_check`` finds who the conference would be booked out of timescale for; a reason
    for the delay is then needed (portal/plans/forms.py). ``kept_delay`` is the reason on
    record, kept while the conference is no longer only booked (held or cancelled)."""

    case_reference = StringField(
        _l("Case reference"),
        description=_l("From the case management system, for example CP-2026-0142"),
        widget=GovTextInput(),
        validators=required_text(_l("Enter the case reference"), 40),
        filters=[lambda value: value.strip().upper() if value else value],
    )
    conference_type = enum_radio(
        _l("Type of conference"), ConferenceType, _l("Select the type of conference")
    )
    date = GovDateField(
        _l("Date of the conference"),
        name_in_errors=_l("date of the conference"),
        description=_l("For example, 27 3 2026"),
    )
    start_time = GovTimeField(
        _l("Start time"),
        name_in_errors=_l("start time"),
        description=_l("For example, 10am or 14:30"),
    )
    format = enum_radio(_l("Format"), ConferenceFormat, _l("Select the format of the conference"))
    chair_id = SelectField(
        _l("Chair"), widget=GovSelect(), invalid_choice_message=_l("Select a chair from the list")
    )
    section_47_started_on = GovDateField(
        _l("Section 47 enquiry start date (initial conferences only)"),
        name_in_errors=_l("section 47 enquiry start date"),
        required=False,
        description=_l("For example, 3 3 2026"),
    )
    social_worker_name = StringField(
        _l("Social worker's name (optional)"),
        widget=GovTextInput(),
        validators=[
            Length(max=200, message=_l("Social worker's name must be 200 characters or fewer"))
        ],
        filters=[strip],
    )
    social_worker_email = StringField(
        _l("Social worker's email address (optional)"),
        description=_l(
            "They are emailed at once when a safety alert is raised for this conference"
        ),
        widget=GovTextInput(),
        filters=[strip],
    )
    social_worker_mobile = StringField(
        _l("Social worker's mobile number (optional)"),
        description=_l(
            "They are also texted at once when a safety alert is raised, asking them to phone "
            "the conference team"
        ),
        widget=GovTextInput(),
        filters=[strip],
    )
    submit = SubmitField(_l("Save conference"), widget=GovSubmit())

    def __init__(
        self,
        *args: Any,
        chairs: list[tuple[int, str]],
        late_check: LateCheck | None = None,
        kept_delay: tuple[DelayReason | None, str] = (None, ""),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._late_check = late_check
        self._kept_delay = kept_delay
        self.chair_id.choices = choices(
            [("", _("Not yet assigned"))] + [(str(chair_id), name) for chair_id, name in chairs]
        )

    def validate_case_reference(self, field: StringField) -> None:
        if not CASE_REFERENCE.match(field.data or ""):
            raise ValidationError(
                _("Case reference must only include letters, numbers, hyphens and slashes")
            )

    def validate_date(self, field: GovDateField) -> None:
        this_year = date.today().year
        if field.data and not 2000 <= field.data.year <= this_year + 2:
            raise ValidationError(
                _(
                    "Date of the conference must be between 2000 and %(last_year)s",
                    last_year=this_year + 2,
                )
            )

    def validate_social_worker_email(self, field: StringField) -> None:
        if not field.data:
            return
        try:
            field.data = normalise_email(field.data)
        except ContactError:
            raise ValidationError(
                _(
                    "Enter the social worker's email address in the correct format, "
                    "like name@example.com"
                )
            ) from None

    def validate_social_worker_mobile(self, field: StringField) -> None:
        if not field.data:
            field.data = None
            return
        try:
            field.data = normalise_mobile(field.data)
        except LandlineError:
            raise ValidationError(
                _("Enter the social worker's mobile number: text messages cannot go to a landline")
            ) from None
        except ContactError:
            raise ValidationError(
                _("Enter the social worker's mobile number, like 07700 900 982")
            ) from None

    def validate_section_47_started_on(self, field: GovDateField) -> None:
        if self.conference_type.data != ConferenceType.INITIAL.value:
            return
        if field.data is None:
            raise ValidationError(
                _("Enter the section 47 enquiry start date for an initial conference")
            )
        if self.date.data and field.data > self.date.data:
            raise ValidationError(
                _("Section 47 enquiry start date must be on or before the date of the conference")
            )

    def validate(self, extra_validators: Any = None) -> bool:
        return super().validate(extra_validators) and self.check_delay()

    def _only_booked(self) -> bool:
        status = getattr(self, "status", None)
        return status is None or status.data == ConferenceStatus.SCHEDULED.value

    def find_late(self) -> list[Late]:
        if self._late_check is None or not self._only_booked():
            return []
        return self._late_check(self.details())

    def delay(self) -> tuple[DelayReason | None, str]:
        if not self.late and not self._only_booked():
            return self._kept_delay
        return super().delay()

    def details(self) -> ConferenceDetails:
        zone = ZoneInfo(current_app.config["TIMEZONE"])
        # Only called after validate(), which guarantees both.
        assert self.date.data is not None
        assert self.start_time.time_value is not None
        starts_at = datetime.combine(self.date.data, self.start_time.time_value, tzinfo=zone)
        conference_type = ConferenceType(self.conference_type.data)
        delay_reason, delay_reason_detail = self.delay()
        return ConferenceDetails(
            case_reference=self.case_reference.data or "",
            conference_type=conference_type,
            starts_at=starts_at,
            format=ConferenceFormat(self.format.data),
            chair_id=int(self.chair_id.data) if self.chair_id.data else None,
            # Only initial conferences follow a section 47 enquiry.
            section_47_started_on=(
                self.section_47_started_on.data
                if conference_type == ConferenceType.INITIAL
                else None
            ),
            social_worker_name=self.social_worker_name.data or "",
            social_worker_email=self.social_worker_email.data or None,
            social_worker_mobile=self.social_worker_mobile.data or None,
            delay_reason=delay_reason,
            delay_reason_detail=delay_reason_detail,
        )


class EditConferenceForm(ConferenceForm):
    status = enum_radio(_l("Status"), ConferenceStatus, _l("Select the status of the conference"))


class SearchForm(PortalForm):
    """Posted, then kept in the session, so a case reference never sits in a URL or a log."""

    q = StringField(
        _l("Search by case reference"),
        widget=GovTextInput(),
        validators=[Length(max=40, message=_l("Case reference must be 40 characters or fewer"))],
    )
    clear = SubmitField(_l("Clear search"))

    def term(self) -> str:
        return "" if self.clear.data else (self.q.data or "").strip().upper()
