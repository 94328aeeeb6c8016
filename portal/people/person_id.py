"""The case system's person ID on the child and adult forms: optional, and unique when given."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField, ValidationError

from portal.forms import strip
from portal.models import Child, FamilyMember
from portal.people.services import person_id_taken

PERSON_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/._-]{0,59}$")


def person_id_field() -> StringField:
    return StringField(
        _l("Person ID (optional)"),
        description=_l("The person's ID in the case management system, if they have one"),
        widget=GovTextInput(),
        filters=[strip],
    )


def check_person_id(
    field: StringField, model: type[Child] | type[FamilyMember], record_id: int | None
) -> None:
    """Optional; letters, numbers and / . _ - only; no other record may have it."""
    if not field.data:
        field.data = None
        return
    if not PERSON_ID.match(field.data):
        raise ValidationError(
            _(
                "Person ID must be 60 characters or fewer, and only include letters, numbers, "
                "hyphens, full stops, underscores and slashes"
            )
        )
    if person_id_taken(model, field.data, record_id):
        raise ValidationError(
            _("Another record already has this person ID: find that person and use their record")
        )
