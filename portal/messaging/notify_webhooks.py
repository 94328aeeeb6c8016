"""GOV.UK Notify's callbacks: delivery receipts, and texts people send to our number.

Only requests carrying the bearer token set on Notify's API integration page are heard;
anything else is 403 and changes nothing. Notify sends JSON, described at
https://docs.notifications.service.gov.uk/python.html#callbacks
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, abort, current_app, request

from portal.extensions import csrf
from portal.messaging import notify_callbacks

bp = Blueprint("notify_webhooks", __name__, url_prefix="/webhooks/notify")
csrf.exempt(bp)  # Notify cannot send our form token; its bearer token stands in for it


@bp.before_request
def require_bearer_token() -> None:
    token = current_app.config.get("NOTIFY_CALLBACK_TOKEN")
    given = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        abort(403)


def _fields(required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, str | None]:
    """The JSON body's text fields; 400 when it is not JSON, a required one is missing, or a
    value holds what PostgreSQL cannot store (a NUL)."""
    body: Any = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    values: dict[str, str | None] = {}
    for name in required + optional:
        value = body.get(name)
        if value is None and name in optional:
            values[name] = None
        elif not isinstance(value, str) or "\x00" in value:
            abort(400)
        else:
            values[name] = value
    return values


@bp.post("/status")
def notify_status() -> tuple[str, int]:
    receipt = _fields(("id", "status", "notification_type"), optional=("reference",))
    try:
        notify_callbacks.record_receipt(
            notify_id=str(receipt["id"]),
            reference=receipt["reference"],
            status=str(receipt["status"]),
            kind=str(receipt["notification_type"]),
        )
    except notify_callbacks.BadReceipt:
        abort(400)
    return "", 204


@bp.post("/inbound")
def notify_inbound() -> tuple[str, int]:
    text = _fields(("id", "source_number", "message"))
    try:
        notify_callbacks.record_text_received(
            notify_id=str(text["id"]),
            source_number=str(text["source_number"]),
            body=str(text["message"]),
        )
    except notify_callbacks.BadReceipt:
        abort(400)
    return "", 204
