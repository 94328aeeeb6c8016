from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired

from portal.forms import GovSubmit, PortalForm, enum_radio, required_text
from portal.models import Role


def _temporary_password_field() -> PasswordField:
    return PasswordField(
        _l("Temporary password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter a temporary password"))],
    )


class _SaysHowLongTheTemporaryPasswordLasts:
    password: PasswordField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.password.description = _(
            "Give it to them in person or by phone, never by email. It lasts %(hours)s hours: "
            "they choose their own password when they first sign in",
            hours=current_app.config["TEMPORARY_PASSWORD_HOURS"],
        )


class AddStaffForm(_SaysHowLongTheTemporaryPasswordLasts, PortalForm):
    full_name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        validators=required_text(_l("Enter their name"), 200),
    )
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=required_text(_l("Enter their work email address"), 254),
    )
    role = enum_radio(_l("Role"), Role, _l("Select their role"))
    password = _temporary_password_field()
    submit = SubmitField(_l("Add account"), widget=GovSubmit())


class TemporaryPasswordForm(_SaysHowLongTheTemporaryPasswordLasts, PortalForm):
    password = _temporary_password_field()
    submit = SubmitField(_l("Set temporary password"), widget=GovSubmit())
