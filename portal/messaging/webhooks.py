"""Twilio's callbacks: delivery status, and replies (STOP, START, a 1–5 rating).

Only requests signed by Twilio with our auth token are heard; anything else is 403 and
changes nothing. The signature covers the public URL Twilio called: behind a proxy, set
PROXY_FIX_HOPS so the app sees that URL.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from twilio.request_validator import RequestValidator

from portal.extensions import csrf
from portal.messaging import replies

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks/twilio")
csrf.exempt(bp)  # Twilio cannot send our form token; its signature stands in for it

MAX_SID_LENGTH = 100  # TextReply.provider_message_id's
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@bp.before_request
def require_twilio_signature() -> None:
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        abort(403)
    if not RequestValidator(token).validate(request.url, request.form.to_dict(), signature):
        abort(403)
    # Not a form (nothing to show again): a value PostgreSQL cannot store is refused here.
    if any("\x00" in value for values in request.form.listvalues() for value in values):
        abort(400)


@bp.post("/status")
def twilio_status() -> tuple[str, int]:
    replies.record_status(
        provider_id=request.form.get("MessageSid", ""),
        status=request.form.get("MessageStatus", ""),
        error_code=request.form.get("ErrorCode") or None,
    )
    return "", 204


@bp.post("/inbound")
def twilio_inbound() -> tuple[str, int, dict[str, str]]:
    sid = request.form.get("MessageSid", "")  # Twilio's are 34 characters
    replies.record_reply(
        sender=request.form.get("From", ""),
        body=request.form.get("Body", ""),
        provider_message_id=sid if 0 < len(sid) <= MAX_SID_LENGTH else None,
    )
    return EMPTY_TWIML, 200, {"Content-Type": "text/xml"}
