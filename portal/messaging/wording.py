"""What the messages say. Plain English; who it is from and what the link is for.

No message names a child, gives case detail, or says "child protection": someone else may
read the phone. A test renders every wording and checks that.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from portal.invitations.tokens import code_for, link_for
from portal.models import Channel, Invitation, MessageKind

# Stands for the person's link in stored wording; the worker puts the link in as it sends,
# so no outbox row ever holds a working link.
LINK = "((link))"
CODE = "((code))"  # the second-check code, filled in the same way


@dataclass(frozen=True)
class Wording:
    subject: str | None
    text: str
    html: str | None = None


SMS = {
    MessageKind.VIEWS_INVITATION: (
        "{council}: please tell us your views before the meeting. It takes 5 minutes. "
        "Your own link: {link}"
    ),
    MessageKind.VIEWS_REMINDER: (
        "{council}: there is still time to tell us your views before the meeting: {link}"
    ),
    MessageKind.FEEDBACK_INVITATION: (
        "{council}: how did the meeting go for you? Tell us: {link} or reply 1 (bad) to 5 (good)"
    ),
    MessageKind.FEEDBACK_REMINDER: (
        "{council}: you can still tell us how the meeting went: {link} or reply 1 (bad) to 5 (good)"
    ),
    MessageKind.RATING_THANKS: "{council}: thank you for your answer. It helps us do better.",
    MessageKind.CHECK_CODE: "{council}: your code is {code}. It works for 15 minutes.",
}

EMAIL_SUBJECTS = {
    MessageKind.VIEWS_INVITATION: "Your views before the meeting",
    MessageKind.VIEWS_REMINDER: "Reminder: your views before the meeting",
    MessageKind.FEEDBACK_INVITATION: "How did the meeting go for you?",
    MessageKind.FEEDBACK_REMINDER: "Reminder: how did the meeting go for you?",
    MessageKind.RATING_THANKS: "Thank you for your answer",
    MessageKind.CHECK_CODE: "Your code",
}

EMAIL_LEADS = {
    MessageKind.VIEWS_INVITATION: (
        "We would like to hear your views before the meeting, so they can be part of it.",
        "It takes about 5 minutes. You can save your answers and come back to them.",
    ),
    MessageKind.VIEWS_REMINDER: (
        "There is still time to tell us your views before the meeting.",
        "It takes about 5 minutes.",
    ),
    MessageKind.FEEDBACK_INVITATION: (
        "Please tell us how the meeting went for you. It helps us make meetings better.",
        "It takes about 2 minutes.",
    ),
    MessageKind.FEEDBACK_REMINDER: (
        "You can still tell us how the meeting went for you.",
        "It takes about 2 minutes.",
    ),
    MessageKind.RATING_THANKS: ("Thank you for your answer. It helps us do better.", ""),
    MessageKind.CHECK_CODE: ("Your code is {code}.", "It works for 15 minutes."),
}

# Messages that carry no link: a thank-you, and the second-check code.
WITHOUT_LINK = {MessageKind.RATING_THANKS, MessageKind.CHECK_CODE}

EMAIL_TEXT = """{lead}
{detail}
{link_part}
From {council}. If you did not expect this email, or need help, call {phone}.
"""
EMAIL_TEXT_LINK = """
Your own link: {link}

This link is for you only. Please do not forward this email.
"""

EMAIL_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{subject}</title></head>
<body style="font-family: arial, sans-serif; font-size: 19px; line-height: 1.4; color: #0b0c0c;">
<p>{lead}</p>
<p>{detail}</p>
{link_part}<p>From {council}. If you did not expect this email, or need help, call {phone}.</p>
</body></html>
"""


EMAIL_HTML_LINK = """<p><a href="{link}" style="color: #1d70b8;">Open your own link</a></p>
<p>This link is for you only. Please do not forward this email.</p>
"""


def wording_for(kind: MessageKind, channel: Channel) -> Wording:
    """The wording with the ((link)) placeholder, filled in with the service's own details."""
    fields = {
        "council": current_app.config["COUNCIL_NAME"],
        "phone": current_app.config["SERVICE_PHONE"],
        "link": LINK,
        "code": CODE,
    }
    if channel == Channel.SMS:
        return Wording(subject=None, text=SMS[kind].format(**fields))
    lead, detail = (part.format(**fields) for part in EMAIL_LEADS[kind])
    subject = f"{EMAIL_SUBJECTS[kind]} – {fields['council']}"
    values = fields | {"lead": lead, "detail": detail, "subject": subject}
    with_link = kind not in WITHOUT_LINK
    text = EMAIL_TEXT.format(
        **values, link_part=EMAIL_TEXT_LINK.format(**values) if with_link else ""
    )
    html = EMAIL_HTML.format(
        **values, link_part=EMAIL_HTML_LINK.format(**values) if with_link else ""
    )
    return Wording(subject=subject, text=text, html=html)


def fill_placeholders(text: str, invitation: Invitation | None) -> str:
    """Put the person's link (and second-check code) into stored wording, as it is sent."""
    if invitation is None:
        return text.replace(LINK, "").replace(CODE, "")
    code = code_for(invitation.code_salt) if invitation.code_salt else ""
    return text.replace(LINK, link_for(invitation.token_salt)).replace(CODE, code)
