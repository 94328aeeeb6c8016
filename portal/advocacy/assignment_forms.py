"""The advocacy manager's form: assigning a referral to an advocate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from portal.forms import WholeNumberField


class AssignForm(FlaskForm):
    """One per referral on the manager's list; the select is drawn in the template."""

    advocate_id = WholeNumberField(
        _l("Advocate"), invalid_message=_l("Select an advocate from the list")
    )
