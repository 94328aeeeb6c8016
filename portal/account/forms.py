from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import Field, PasswordField, StringField, SubmitField, ValidationError
from wtforms.validators import EqualTo, InputRequired

from portal.auth.password_rules import EXAMPLE_PASSWORD, password_problem
from portal.auth.passwords import verify_password
from portal.contact import ContactError, normalise_mobile
from portal.forms import GovSubmit, PortalForm, strip


class ConfirmPasswordForm(PortalForm):
    """Asked again before the second factor is changed: a session alone is not enough."""

    password = PasswordField(
        _l("Your password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter your password"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmit())

    def validate_password(self, field: Field) -> None:
        if not verify_password(current_user.password_hash, field.data or ""):
            raise ValidationError(_l("Your password is not right"))


class ChangePasswordForm(PortalForm):
    current_password = PasswordField(
        _l("Current password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter your current password"))],
    )
    new_password = PasswordField(
        _l("New password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter a new password"))],
    )
    confirm_password = PasswordField(
        _l("Confirm new password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=_l("Enter your new password again")),
            EqualTo("new_password", message=_l("The passwords do not match")),
        ],
    )
    submit = SubmitField(_l("Change password"), widget=GovSubmit())

    def validate_current_password(self, field: Field) -> None:
        if not verify_password(current_user.password_hash, field.data or ""):
            raise ValidationError(_l("Your current password is not right"))

    def validate_new_password(self, field: Field) -> None:
        problem = password_problem(
            field.data or "", email=current_user.email, full_name=current_user.full_name
        )
        if problem is not None:
            raise ValidationError(problem)
        # A temporary password kept as it is stays known to the admin who gave it.
        if verify_password(current_user.password_hash, field.data or ""):
            raise ValidationError(_l("Your new password must be different from your current one"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new_password.description = _(
            "At least %(minimum)s characters. Three random words make a good password, like "
            "‘%(example)s’, but choose your own. Spaces and any other characters are fine",
            minimum=current_app.config["PASSWORD_MIN_LENGTH"],
            example=EXAMPLE_PASSWORD,
        )


class AlertMobileForm(PortalForm):
    """The person's own mobile, texted only when a safety alert is raised (portal/safety)."""

    mobile = StringField(
        _l("Mobile number for urgent safety alerts (optional)"),
        description=_l(
            "Only used to text you when someone may be in danger now. For a number outside the "
            "UK, start with the country code, like +33"
        ),
        widget=GovTextInput(),
        filters=[strip],
    )
    submit = SubmitField(_l("Save mobile number"), widget=GovSubmit())
    remove = SubmitField(_l("Remove mobile number"), widget=GovSubmit())

    def validate_mobile(self, field: Field) -> None:
        if self.remove.data or not field.data:
            field.data = None
            return
        try:
            field.data = normalise_mobile(field.data)
        except ContactError as error:
            raise ValidationError(str(error)) from None
