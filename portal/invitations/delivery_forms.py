"""The delivery pages' form: a coordinator switching the channel a person's links go by.

Staff words only (the family's own forms are in forms.py, translated).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput
from wtforms import BooleanField, RadioField, SubmitField
from wtforms.validators import InputRequired

from portal.forms import GovSubmit, PortalForm, choices
from portal.models import Channel, FamilyMember


class SwitchChannelForm(PortalForm):
    channel = RadioField(
        _l("How should we send their links?"),
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select how we should send their links"),
    )
    confirmed_safe = BooleanField(
        _l("They have told me it is safe to contact them this way"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l("Confirm they have told you it is safe"))],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmit())

    def __init__(self, *args: Any, member: FamilyMember, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        usable = []
        if member.mobile and member.sms_opted_out_at is None:
            usable.append(Channel.SMS)
        if member.email:
            usable.append(Channel.EMAIL)
        self.channel.choices = choices((c.value, c.label) for c in usable)

    def channel_choice(self) -> Channel:
        return Channel(self.channel.data)
