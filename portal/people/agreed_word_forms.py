"""The agreed word on the coordinator's forms: typed once, never shown back, never a date."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import StringField, SubmitField, ValidationError

from portal.forms import GovSubmit, NeverShownBack, PortalForm, strip
from portal.people.agreed_word import MAX_LENGTH, MIN_LENGTH, normalise

# 27 3 1990, 27/03/90, 1990-03-27: a date, however it is written
LOOKS_LIKE_A_DATE = re.compile(r"\d{1,4}[ ./-]\d{1,2}[ ./-]\d{1,4}")


def agreed_word_field(label: LazyString) -> StringField:
    return StringField(
        label,
        description=_l(
            "A short word or number, at least %(least)s characters, agreed with them by phone "
            "or in person, out of earshot of others. It is kept so that nobody can read it "
            "back: you will not see it again. Not a date of birth: whoever shares their phone "
            "usually knows it.",
            least=MIN_LENGTH,
        ),
        widget=NeverShownBack(),
        filters=[strip],
    )


def check_agreed_word(field: StringField) -> None:
    word = normalise(field.data or "")
    if not MIN_LENGTH <= len(word) <= MAX_LENGTH:
        raise ValidationError(
            _(
                "The agreed word must be %(least)s to %(most)s characters",
                least=MIN_LENGTH,
                most=MAX_LENGTH,
            )
        )
    if LOOKS_LIKE_A_DATE.fullmatch(word):
        raise ValidationError(
            _("Agree a word that is not a date: whoever shares their phone may know it")
        )


class SetAgreedWordForm(PortalForm):
    """The "Set a new agreed word" page: the word their links ask for from now."""

    word = agreed_word_field(_l("The new agreed word"))
    submit = SubmitField(_l("Save the agreed word"), widget=GovSubmit())

    def validate_word(self, field: StringField) -> None:
        if not field.data:
            raise ValidationError(_("Enter the word agreed with them"))
        check_agreed_word(field)
