"""The "Mark as read" button under each item of the pack: hidden fields, no JavaScript."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
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
