"""The advocacy manager's form: assigning a referral to an advocate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount
from wtforms import TextAreaField
from wtforms.validators import Length

from portal.advocacy.assignment import REASON_MAX
from portal.forms import PortalForm, WholeNumberField, strip


class AssignForm(PortalForm):
    """One per referral on the manager's list; the select is drawn in the template.

    ``reason`` is asked for on a page of its own, only when the manager gives themselves a
    child whose conference has started (portal.advocacy.assignment.assign decides).
    """

    advocate_id = WholeNumberField(
        _l("Advocate"), invalid_message=_l("Select an advocate from the list")
    )
    reason = TextAreaField(
        _l("Why are you assigning this child to yourself?"),
        widget=GovCharacterCount(),
        validators=[
            Length(max=REASON_MAX, message=_l("Reason must be %(max)d characters or fewer")),
        ],
        filters=[strip],
        description=_l(
            "Their conference has started. Say why you need to be their advocate now: admins "
            "read this with the audit log."
        ),
    )
