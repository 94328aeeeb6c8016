"""The "Mark as read" button under each item of the pack: hidden fields, no JavaScript."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, ValidationError
from wtforms.validators import AnyOf, InputRequired

from portal.forms import PortalForm, WholeNumberField
from portal.pack.reads import ITEM_TYPES


class MarkReadForm(PortalForm):
    item_type = StringField(
        validators=[
            InputRequired(_l("Say what kind of item to mark as read")),
            AnyOf(ITEM_TYPES, message=_l("That is not an item of the pack")),
        ]
    )
    item_id = WholeNumberField(
        "",
        invalid_message=_l("That is not an item of the pack"),
        validators=[InputRequired(_l("Say which item to mark as read"))],
    )

    def validate_item_id(self, field: WholeNumberField) -> None:
        # A blank (" ") passes InputRequired, which only asks for something, and reads as no
        # number at all: say so, as for an empty one, rather than look for item None.
        if field.data is None and not field.errors:
            raise ValidationError(_l("Say which item to mark as read"))
