"""Texts from a phone: Twilio's signed callbacks, and a link already sent to that phone."""

from __future__ import annotations

from typing import Any

from twilio.request_validator import RequestValidator

from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.models import FormKind, Message, MessageStatus, utcnow
from tests.factories import add_contactable_member, make_conference
from tests.pages import PageClient

TOKEN = "test-auth-token"  # the tests set TWILIO_AUTH_TOKEN to this
MOBILE = "+447700900321"


def post_signed(
    client: PageClient, path: str, form: dict[str, str], *, signature: str | None = None
):
    """POST ``form`` to a Twilio callback, signed with TOKEN unless ``signature`` is given."""
    url = f"http://localhost{path}"
    if signature is None:
        signature = RequestValidator(TOKEN).compute_signature(url, form)
    headers = {"X-Twilio-Signature": signature} if signature else {}
    return client.post(path, form, headers=headers)


def text_in(client: PageClient, body: str, sender: str = MOBILE, sid: str | None = None):
    """A text from ``sender``, with Twilio's MessageSid for it when ``sid`` is given."""
    form = {"From": sender, "Body": body} | ({"MessageSid": sid} if sid else {})
    return post_signed(client, "/webhooks/twilio/inbound", form)


def sent_message(form: FormKind = FormKind.VIEWS, **conference_fields: Any) -> Message:
    """A conference with one person on MOBILE, whose link for ``form`` has been sent."""
    conference = make_conference(**conference_fields)
    member = add_contactable_member(conference, mobile=MOBILE)
    invitation = issue_invitation(conference, member, form)
    db.session.flush()
    message = invitation.messages[0]
    message.status, message.provider_id, message.sent_at = (
        MessageStatus.SENT,
        "SM" + "1" * 32,
        utcnow(),
    )
    invitation.sent_at = message.sent_at
    db.session.commit()
    return message
