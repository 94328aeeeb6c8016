"""The safety alert's two forms: acknowledging it (what was done) and closing it (the outcome)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.forms import GovSubmit, PortalForm, strip
from portal.safety.services import NOTE_MAX


def _required(message: object) -> list[object]:
    # DataRequired, not InputRequired: it runs after ``strip``, so spaces alone are refused.
    return [
        DataRequired(message=message),
        Length(max=NOTE_MAX, message=_l("Must be %(max)d characters or fewer")),
    ]


class AcknowledgeForm(PortalForm):
    action_taken = TextAreaField(
        _l("What was done"),
        description=_l(
            "For example: phoned the parent and the social worker; the police were called; "
            "the child is safe with their grandmother tonight."
        ),
        validators=_required(_l("Enter what was done")),
        filters=[strip],
        widget=GovCharacterCount(),
    )
    submit = SubmitField(_l("Acknowledge the alert"), widget=GovSubmit())


class CloseForm(PortalForm):
    outcome = TextAreaField(
        _l("Outcome"),
        description=_l("What happened in the end, and anything still to do elsewhere."),
        validators=_required(_l("Enter the outcome")),
        filters=[strip],
        widget=GovCharacterCount(),
    )
    submit = SubmitField(_l("Close the alert"), widget=GovSubmit())
