from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField

from portal.audit.services import RECORD_TYPES, AuditFilter
from portal.forms import GovDateField, WholeNumberField, choices
from portal.models import AuditAction


class AuditFilterForm(FlaskForm):
    """Filters read from the query string: a search changes nothing, so it is a GET."""

    class Meta:
        csrf = False

    # Staff are picked by id, so no email address ends up in a URL or an access log.
    actor_id = SelectField(
        "Who", widget=GovSelect(), default="", invalid_choice_message="Select someone from the list"
    )
    action = SelectField(
        "Action",
        choices=choices(
            [("", "Any action")] + [(a.value, a.value.replace("_", " ")) for a in AuditAction]
        ),
        widget=GovSelect(),
        default="",
        invalid_choice_message="Select an action from the list",
    )
    record_type = SelectField(
        "Record",
        choices=choices([("", "Any record")] + [(t, t.replace("_", " ")) for t in RECORD_TYPES]),
        widget=GovSelect(),
        default="",
        invalid_choice_message="Select a kind of record from the list",
    )
    record_id = WholeNumberField(
        "Record number", invalid_message="Enter the record number as a whole number, like 42"
    )
    conference_id = WholeNumberField(
        "Conference number",
        invalid_message="Enter the conference number as a whole number, like 42",
    )
    from_date = GovDateField("From", name_in_errors="from date", required=False)
    to_date = GovDateField("To", name_in_errors="to date", required=False)

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor_id.choices = choices([("", "Anyone")] + [(str(i), email) for i, email in staff])

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
