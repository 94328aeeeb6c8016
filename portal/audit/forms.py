from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField

from portal.audit.services import AuditFilter
from portal.forms import GovDateField, PortalForm, WholeNumberField, choices
from portal.models import AuditAction, RecordType


class AuditFilterForm(PortalForm):
    """Filters read from the query string: a search changes nothing, so it is a GET."""

    class Meta:
        csrf = False

    # Staff are picked by id, so no email address ends up in a URL or an access log.
    actor_id = SelectField(
        _l("Who"),
        widget=GovSelect(),
        default="",
        invalid_choice_message=_l("Select someone from the list"),
    )
    action = SelectField(
        _l("Action"),
        choices=choices([("", _l("Any action")), *AuditAction.choices()]),
        widget=GovSelect(),
        default="",
        invalid_choice_message=_l("Select an action from the list"),
    )
    record_type = SelectField(
        _l("Record"),
        choices=choices([("", _l("Any record")), *RecordType.choices()]),
        widget=GovSelect(),
        default="",
        invalid_choice_message=_l("Select a kind of record from the list"),
    )
    record_id = WholeNumberField(
        _l("Record number"),
        invalid_message=_l("Enter the record number as a whole number, like 42"),
    )
    conference_id = WholeNumberField(
        _l("Conference number"),
        invalid_message=_l("Enter the conference number as a whole number, like 42"),
    )
    from_date = GovDateField(_l("From"), name_in_errors=_l("from date"), required=False)
    to_date = GovDateField(_l("To"), name_in_errors=_l("to date"), required=False)

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor_id.choices = choices(
            [("", _("Anyone"))] + [(str(i), email) for i, email in staff]
        )

    def to_filter(self) -> AuditFilter:
        return AuditFilter(
            actor_id=int(self.actor_id.data) if self.actor_id.data else None,
            action=self.action.data or "",
            record_type=self.record_type.data or "",
            record_id=self.record_id.data,
            conference_id=self.conference_id.data,
            from_date=self.from_date.data,
            to_date=self.to_date.data,
        )
