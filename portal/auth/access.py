"""Enforcing the access policy (``portal.auth.policy``) on every request, and ``can``: the same
decision as a yes or no, for the links and buttons a page shows.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from flask import Flask, abort, g, redirect, request, url_for
from flask_login import current_user

from portal.auth.policy import (
    PASSWORD_CHANGE_FIRST,
    POLICY,
    OwnershipCheck,
    chairs_conference,
    may_see_conference,
)
from portal.extensions import login_manager
from portal.family_visit import (
    family_invitation,
    finished_for_now,
    link_not_working,
    opened_invitation,
    visit_timed_out_page,
)
from portal.models import AdvocacyReferral, Attachment, Conference, SafetyAlert, StaffUser
from portal.visibility import sees_conference


class Refusal(enum.Enum):
    """Why the policy does not let the visitor open an endpoint, in the order it asks."""

    NOT_IN_POLICY = enum.auto()  # 403
    NO_LIVE_LINK = enum.auto()  # a family page without a live link: the link's own page
    NOT_SIGNED_IN = enum.auto()  # sent to sign in
    PASSWORD_FIRST = enum.auto()  # an admin's temporary password: sent to choose their own
    NOT_FOR_THEM = enum.auto()  # not their role, or not a manager of advocacy: 403
    NOT_THEIRS = enum.auto()  # not their record: 404, as if it were not there


def refusal(endpoint: str, owns: Callable[[OwnershipCheck], bool]) -> Refusal | None:
    """The one decision: why the current visitor may not open ``endpoint``, or None if they
    may. ``owns`` runs the endpoint's ownership check on the record in question."""
    rule = POLICY.get(endpoint)
    if rule is None:
        return Refusal.NOT_IN_POLICY
    if rule.family and family_invitation() is None:
        return Refusal.NO_LIVE_LINK
    if rule.roles is None:
        return None
    if not current_user.is_authenticated:
        return Refusal.NOT_SIGNED_IN
    if current_user.must_change_password and endpoint not in PASSWORD_CHANGE_FIRST:
        return Refusal.PASSWORD_FIRST
    if current_user.role not in rule.roles or (rule.also and not rule.also(current_user)):
        return Refusal.NOT_FOR_THEM
    if rule.owner is not None and not owns(rule.owner):
        return Refusal.NOT_THEIRS
    return None


def enforce_access_policy() -> Any:
    if request.endpoint is None:  # no route matched: let Flask answer 404 or 405
        return None
    view_args = request.view_args or {}
    why = refusal(request.endpoint, lambda owner: owner(current_user, view_args))
    if why is None:
        return None
    if why is Refusal.NO_LIVE_LINK:
        if finished_for_now():  # Back after "Finish for now": the answers are saved
            return redirect(url_for("family_visit.finished"), code=303)
        if g.get("family_visit_timed_out"):
            return visit_timed_out_page()
        if g.get("family_visit_ended"):
            return link_not_working()
        return link_not_working(opened_invitation())
    if why is Refusal.NOT_SIGNED_IN:
        return login_manager.unauthorized()
    if why is Refusal.PASSWORD_FIRST:
        return redirect(url_for("account.change_password"))
    abort(404 if why is Refusal.NOT_THEIRS else 403)


# The URL value that names each kind of record an ownership check is about.
RECORD_ARGUMENTS: dict[type, str] = {
    Conference: "conference_id",
    AdvocacyReferral: "referral_id",
    Attachment: "attachment_id",
    SafetyAlert: "alert_id",
}


IN_HAND: dict[OwnershipCheck, Callable[[StaffUser, Conference], bool]] = {  # no query needed
    may_see_conference: sees_conference,
    chairs_conference: lambda user, conference: conference.chair_id == user.id,
}


def can(
    endpoint: str,
    record: Conference | AdvocacyReferral | Attachment | SafetyAlert | None = None,
) -> bool:
    """Whether the current visitor may open ``endpoint`` (about ``record``, for an endpoint
    with an ownership check): the decision ``enforce_access_policy`` makes, as a yes or no, so
    a page shows a link or button exactly when following it would be let through. For
    templates (a global: see portal/templating.py). Each ownership check is asked once per
    record and request, however many links share it."""

    def owns(owner: OwnershipCheck) -> bool:
        if record is None:
            raise TypeError(f"can({endpoint!r}) needs the record the link is about")
        view_args = {RECORD_ARGUMENTS[type(record)]: record.id}
        answers = g.setdefault("ownership_answers", {})
        key = (owner, current_user.get_id(), *view_args.items())
        if key not in answers and isinstance(record, Conference) and owner in IN_HAND:
            answers[key] = IN_HAND[owner](current_user, record)  # a list: no query a row
        if key not in answers:
            answers[key] = owner(current_user, view_args)
        return bool(answers[key])

    return refusal(endpoint, owns) is None


def init_app(app: Flask) -> None:
    app.before_request(enforce_access_policy)
