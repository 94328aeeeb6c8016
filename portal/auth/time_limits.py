"""What a page needs for the warning before a time limit (issue 22, WCAG 2.2.1): how many seconds
this visit or session has left, how long before the end to warn, where Continue asks for more
time, and a key that keeps the words typed on this page to this person.

The limits themselves are decided on the server (portal/family_visit.py for a family's visit,
portal/auth/sessions.py for staff); the page only counts down from what it was told, so with
JavaScript off nothing changes. See templates/macros/time_limit.html and
assets/js/time-limit.mjs.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session, url_for
from flask_login import current_user

from portal.auth.sessions import ENDED_BECAUSE, seconds_left
from portal.family_visit import family_idle_seconds, visit_goes_on

# After these, the sign-in page keeps the words typed before it: the same person signs in again.
ENDED_BY_A_TIME_LIMIT = {"idle", "expired"}


def _scope(kind: str, number: int) -> str:
    """An opaque key for whose words these are: drafts kept under another key (someone else's
    visit on a shared phone, another account in the same tab) are thrown away, never shown."""
    secret = str(current_app.secret_key).encode()
    return hmac.new(secret, f"draft:{kind}:{number}".encode(), hashlib.sha256).hexdigest()[:20]


def time_limit() -> dict[str, Any] | None:
    """The limit of the visit or session this page belongs to, or None when there is none."""
    warn_before = current_app.config["TIMEOUT_WARNING_SECONDS"]
    if visit_goes_on():
        return {
            "who": "family",
            "ends_in": int(family_idle_seconds()),
            "ends_anyway_in": None,
            "warn_before": warn_before,
            "keep_alive": url_for("family_forms.keep_alive"),
            "ended": url_for("family_forms.landing"),
            "scope": _scope("family", g.family_invitation.id),
        }
    if current_user.is_authenticated:
        ends_in, ends_anyway_in = seconds_left()
        return {
            "who": "staff",
            "ends_in": int(ends_in),
            "ends_anyway_in": int(ends_anyway_in),
            "warn_before": warn_before,
            "keep_alive": url_for("account.keep_alive"),
            "ended": request.full_path.rstrip("?") if request.method == "GET" else request.path,
            "scope": _scope("staff", current_user.id),
        }
    return None


def keep_drafts() -> bool:
    """A page with no visit or session that keeps the words typed before it, for the same person
    to find after reopening their link or signing in again: the page saying a family's visit
    timed out, the link's own pages (the way back in), and the sign-in page after a staff time
    limit. Any other such page (Finish for now, signed out) clears them."""
    if g.get("family_visit_timed_out") or request.blueprint == "links":
        return True
    return request.endpoint == "auth.login" and session.get(ENDED_BECAUSE) in ENDED_BY_A_TIME_LIMIT


def init_app(app: Flask) -> None:
    @app.context_processor
    def page_time_limit() -> dict[str, Any]:
        if not has_request_context() or request.endpoint is None:
            return {"time_limit": None, "keep_drafts": False}
        return {"time_limit": time_limit(), "keep_drafts": keep_drafts()}
