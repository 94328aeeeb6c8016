from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired

from portal.forms import GovSubmit, PortalForm


class SignInForm(PortalForm):
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter your email address"))],
    )
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter your password"))],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmit())


class CodeForm(PortalForm):
    """The six-digit code from an authenticator app."""

    code = StringField(
        _l("Code from your authenticator app"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter the 6-digit code from your authenticator app"))
        ],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmit())


class RecoveryCodeForm(PortalForm):
    recovery_code = StringField(
        _l("Recovery code"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter one of your recovery codes"))],
    )
    use_recovery_code = SubmitField(_l("Use recovery code"), widget=GovSubmit())
