from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import SubmitField, ValidationError

from portal.forms import GovSubmit, PortalForm


class UploadForm(PortalForm):
    file = FileField(
        _l("Upload the file from the case system"),
        description=_l("A CSV file (UTF-8), one row per person per conference"),
        widget=GovFileInput(),
    )
    check = SubmitField(_l("Check the file"), widget=GovSubmit())
    submit = SubmitField(_l("Import"), widget=GovSubmit())

    def validate_file(self, field: FileField) -> None:
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_("Select a CSV file"))

    @property
    def only_checking(self) -> bool:
        return bool(self.check.data)
