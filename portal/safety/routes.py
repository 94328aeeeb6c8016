"""The Safety alerts pages: the list (open first, oldest first), one alert, acknowledging it
and closing it. For coordinators, admins and the conference's own chair (portal/auth/access.py).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.access import can
from portal.models import AlertState, SafetyAlert
from portal.pagination import page_number, paged
from portal.safety import services, unmatched
from portal.safety.forms import AcknowledgeForm, CloseForm
from portal.safety.services import AlertRefused

bp = Blueprint("safety", __name__, url_prefix="/safety-alerts")


@bp.get("/")
def index() -> str:
    # Texts held against no one: counted only for those who may read them (not a chair)
    held = unmatched.held_count() if can("safety.texts_to_no_one") else None
    page = render_template(
        "safety/index.html", alerts=services.alerts_for(current_user), held_count=held
    )
    services.record_list_viewed()  # once the page is made: the commit expires rows
    return page


@bp.get("/texts-to-no-one")
def texts_to_no_one() -> str:
    per_page = current_app.config["HELD_TEXTS_PER_PAGE"]
    texts, pagination = paged(
        lambda number: (unmatched.held_texts(number, per_page), unmatched.held_count()),
        page_number(),
        per_page,
    )
    page = render_template("safety/texts_to_no_one.html", texts=texts, pagination=pagination)
    unmatched.record_list_viewed()  # once the page is made: the commit expires rows
    return page


def _alert_or_404(alert_id: int) -> SafetyAlert:
    alert = services.get_alert(alert_id)
    if alert is None:
        abort(404)
    return alert


def _show(
    alert: SafetyAlert,
    acknowledge: AcknowledgeForm | None = None,
    close: CloseForm | None = None,
    refused: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    acknowledge = acknowledge or AcknowledgeForm(formdata=None)
    close = close or CloseForm(formdata=None)
    form = acknowledge if acknowledge.errors else close if close.errors else None
    page = render_template(
        "safety/show.html",
        alert=alert,
        acknowledge=acknowledge,
        close=close,
        refused=refused,
        AlertState=AlertState,
        **({"form": form} if form is not None else {}),  # the one in error: the error summary
    )
    services.record_alert_viewed(alert)  # once the page is made: the commit expires rows
    return page, status


@bp.get("/<int:alert_id>")
def show(alert_id: int) -> tuple[str, int]:
    return _show(_alert_or_404(alert_id))


@bp.post("/<int:alert_id>/acknowledge")
def acknowledge(alert_id: int) -> Response | tuple[str, int]:
    alert = _alert_or_404(alert_id)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        return _show(alert, acknowledge=form, status=400)
    try:
        services.acknowledge(alert, current_user, form.action_taken.data or "")
    except AlertRefused as refused:
        return _show(alert, refused=str(refused), status=409)
    flash(_("Alert acknowledged. Close it when you know the outcome."))
    return redirect(url_for("safety.show", alert_id=alert.id), code=303)


@bp.post("/<int:alert_id>/close")
def close(alert_id: int) -> Response | tuple[str, int]:
    alert = _alert_or_404(alert_id)
    form = CloseForm()
    if not form.validate_on_submit():
        return _show(alert, close=form, status=400)
    try:
        services.close(alert, current_user, form.outcome.data or "")
    except AlertRefused as refused:
        return _show(alert, refused=str(refused), status=409)
    flash(_("Alert closed."))
    return redirect(url_for("safety.index"), code=303)
