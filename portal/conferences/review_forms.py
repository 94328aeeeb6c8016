"""The "Set up the review" form: the conference form without the type (a review) or the
section 47 date (initial conferences only). Booked after a child's review due date, it asks why,
as the conference's own form does."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from portal.conferences.forms import ConferenceForm
from portal.conferences.services import ConferenceDetails
from portal.forms import GovSubmit
from portal.models import ConferenceFormat, ConferenceType


class ReviewForm(ConferenceForm):
    conference_type = None
    section_47_started_on = None  # type: ignore[assignment]  # a field left out
    submit = SubmitField(_l("Set up the review"), widget=GovSubmit())

    def details(self) -> ConferenceDetails:
        zone = ZoneInfo(current_app.config["TIMEZONE"])
        # Only called after validate(), which guarantees both.
        assert self.date.data is not None
        assert self.start_time.time_value is not None
        delay_reason, delay_reason_detail = self.delay()
        return ConferenceDetails(
            case_reference=self.case_reference.data or "",
            conference_type=ConferenceType.REVIEW,
            starts_at=datetime.combine(self.date.data, self.start_time.time_value, tzinfo=zone),
            format=ConferenceFormat(self.format.data),
            chair_id=int(self.chair_id.data) if self.chair_id.data else None,
            section_47_started_on=None,
            social_worker_name=self.social_worker_name.data or "",
            social_worker_email=self.social_worker_email.data or None,
            social_worker_mobile=self.social_worker_mobile.data or None,
            delay_reason=delay_reason,
            delay_reason_detail=delay_reason_detail,
        )
