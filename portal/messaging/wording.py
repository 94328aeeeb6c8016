"""What the messages say. Plain English; who it is from and what the link is for.

No message names a child, gives case detail, or says "child protection": someone else may
read the phone. A test renders every wording and checks that.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from portal.models import Channel, MessageKind

# Stands for the person's link in stored wording; the worker puts the link in as it sends,
# so no outbox row ever holds a working link.
LINK = "((link))"


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
}

EMAIL_SUBJECTS = {
    MessageKind.VIEWS_INVITATION: "Your views before the meeting",
    MessageKind.VIEWS_REMINDER: "Reminder: your views before the meeting",
    MessageKind.FEEDBACK_INVITATION: "How did the meeting go for you?",
    MessageKind.FEEDBACK_REMINDER: "Reminder: how did the meeting go for you?",
    MessageKind.RATING_THANKS: "Thank you for your answer",
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
}

EMAIL_TEXT = """{lead}
{detail}

Your own link: {link}

This link is for you only. Please do not forward this email.

From {council}. If you did not expect this email, or need help, call {phone}.
"""

EMAIL_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{subject}</title></head>
<body style="font-family: arial, sans-serif; font-size: 19px; line-height: 1.4; color: #0b0c0c;">
<p>{lead}</p>
<p>{detail}</p>
<p><a href="{link}" style="color: #1d70b8;">Open your own link</a></p>
<p>This link is for you only. Please do not forward this email.</p>
<p>From {council}. If you did not expect this email, or need help, call {phone}.</p>
</body></html>
"""


def wording_for(kind: MessageKind, channel: Channel) -> Wording:
    """The wording with the ((link)) placeholder, filled in with the service's own details."""
    fields = {
        "council": current_app.config["COUNCIL_NAME"],
        "phone": current_app.config["SERVICE_PHONE"],
        "link": LINK,
    }
    if channel == Channel.SMS:
        return Wording(subject=None, text=SMS[kind].format(**fields))
    lead, detail = EMAIL_LEADS[kind]
    subject = f"{EMAIL_SUBJECTS[kind]} – {fields['council']}"
    values = fields | {"lead": lead, "detail": detail, "subject": subject}
    return Wording(
        subject=subject, text=EMAIL_TEXT.format(**values), html=EMAIL_HTML.format(**values)
    )
