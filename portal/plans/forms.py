"""The reason for delay, asked for on the conference's form (booked out of timescale) and on
the chair's record (held out of timescale): the same short list, detail needed for "other"."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea
from wtforms import RadioField, TextAreaField
from wtforms.validators import Length

from portal.forms import choices, strip
from portal.models import DelayReason
from portal.plans.timeliness import Late


class DelayFields:
    """Mixed into a PortalForm. ``late`` is who the conference is out of timescale for: set
    before validation, or found by ``find_late`` once the rest of the form is valid."""

    late: list[Late] = []

    delay_reason = RadioField(
        _l("Reason for the delay"),
        choices=choices(DelayReason.choices()),
        validate_choice=False,
        widget=GovRadioInput(),
    )
    delay_reason_detail = TextAreaField(
        _l("Details of the reason"),
        description=_l("Needed for Another reason"),
        validators=[Length(max=1000, message=_l("Details must be 1000 characters or fewer"))],
        filters=[strip],
        widget=GovTextArea(),
    )

    def find_late(self) -> list[Late]:
        return self.late

    def check_delay(self) -> bool:
        """After the form's own checks: a late conference needs a reason (and detail for
        "other"). Adds the errors to the fields; True when there are none."""
        self.late = self.find_late()
        if not self.late:
            return True
        reason: Any = self.delay_reason
        detail: Any = self.delay_reason_detail
        if reason.data not in {item.value for item in DelayReason}:
            reason.errors = [*reason.errors, _("Select the reason for the delay")]
            return False
        if reason.data == DelayReason.OTHER.value and not detail.data:
            detail.errors = [*detail.errors, _("Enter the reason for the delay")]
            return False
        return True

    def delay(self) -> tuple[DelayReason | None, str]:
        """The reason to keep: none when the conference is in timescale."""
        if not self.late:
            return None, ""
        reason: Any = self.delay_reason
        detail: Any = self.delay_reason_detail
        return DelayReason(reason.data), detail.data or ""
