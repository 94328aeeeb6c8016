from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired

from portal.family_forms.forms import Translated
from portal.forms import GovSubmit, NeverShownBack, PortalForm, strip


class FamilyTextInput(Translated, GovTextInput):
    pass


class FamilySecretInput(Translated, NeverShownBack):
    pass


class CheckCodeForm(PortalForm):
    code = StringField(
        _l("Code"),
        widget=FamilyTextInput(),
        validators=[InputRequired(message=_l("Enter the 6-digit code we sent you"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmit())


class EnterWordForm(PortalForm):
    """The family's page asking for the word agreed with them (the coordinator sets it with
    portal.people.agreed_word_forms.SetAgreedWordForm)."""

    word = StringField(
        _l("The word"),
        widget=FamilySecretInput(),
        validators=[DataRequired(message=_l("Enter the word we agreed with you"))],
        filters=[strip],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmit())
