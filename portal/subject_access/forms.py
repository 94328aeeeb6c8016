from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovTextInput
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length

from portal.contact import ContactError, normalise_email, normalise_mobile
from portal.forms import GovSubmit, PortalForm, choices, strip
from portal.subject_access.finding import MemberMatch, SearchTerms
from portal.templating import format_date


class FindForm(PortalForm):
    """Posted, never put in a query string: the terms are personal data."""

    name = StringField(
        _l("Name"),
        description=_l("First name, last name or both"),
        widget=GovTextInput(),
        validators=[Length(max=200, message=_l("Name must be 200 characters or fewer"))],
        filters=[strip],
    )
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[Length(max=254, message=_l("Email address must be 254 characters or fewer"))],
        filters=[strip],
    )
    mobile = StringField(
        _l("Mobile number"),
        widget=GovTextInput(),
        validators=[Length(max=30, message=_l("Mobile number must be 30 characters or fewer"))],
        filters=[strip],
    )
    submit = SubmitField(_l("Search"), widget=GovSubmit())

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.name.data or self.email.data or self.mobile.data):
            self.name.errors.append(_("Enter a name, an email address or a mobile number"))
            return False
        try:
            self._email = normalise_email(self.email.data) if self.email.data else None
        except ContactError as error:
            self.email.errors.append(str(error))
        try:
            self._mobile = normalise_mobile(self.mobile.data) if self.mobile.data else None
        except ContactError as error:
            self.mobile.errors.append(str(error))
        return not (self.email.errors or self.mobile.errors)

    def terms(self) -> SearchTerms:
        return SearchTerms(name=self.name.data or "", email=self._email, mobile=self._mobile)


def describe(match: MemberMatch) -> str:
    """One line an admin can tell records apart by: relationship and conferences."""
    places = "; ".join(
        f"{format_date(p.conference_date)}, {p.conference_type}, {p.case_reference}"
        for p in match.conferences
    )
    return _(
        "%(relationship)s. Conferences: %(places)s",
        relationship=match.relationship,
        places=places or _("none"),
    )


class ExportForm(PortalForm):
    also = SelectMultipleField(
        _l("Other records that may be the same person"),
        description=_l(
            "Tick each record that is this person too: their export will include it. "
            "Leave the others."
        ),
        widget=GovCheckboxesInput(),
        invalid_choice_message=_l("Select only records from the list"),
    )
    submit = SubmitField(_l("Download the export"), widget=GovSubmit())

    def __init__(self, *args: Any, others: list[MemberMatch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.also.choices = choices(
            (
                str(match.member_id),
                _("Record %(id)s: %(name)s", id=match.member_id, name=match.full_name),
            )
            for match in others
        )

    def chosen_ids(self) -> list[int]:
        return [int(value) for value in self.also.data or []]
