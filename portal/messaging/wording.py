"""What the messages say. Plain English; who it is from and what the link is for.

No message names a child, gives case detail, or says "child protection": someone else may
read the phone. An admin can change the wording (``/admin/wording``); every change is checked
here, and a test checks every default the same way.

Wording uses fields in braces: {council} and {phone} are the service's own; {link} is the
person's link and {code} a second-check code, both put in by the worker as it sends, so no
outbox row ever holds a working link.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from html import escape

from flask import current_app
from sqlalchemy import select

from portal.audit.services import record_event
from portal.extensions import db
from portal.link_tokens import TOKEN_LENGTH, code_for, link_for
from portal.messaging.sms import sms_length, sms_segments
from portal.models import AuditAction, Channel, Invitation, MessageKind, MessageWording, RecordType

LINK = "((link))"
CODE = "((code))"
FIELDS = {"council", "phone", "link", "code"}
# The outbox keeps an email's subject as sent (Message.subject): the council's name filled in
# and added at the end.
SUBJECT_MAX_SENT = 200
# Messages that carry no link: a thank-you, and the second-check code.
WITHOUT_LINK = {MessageKind.RATING_THANKS, MessageKind.CHECK_CODE}
# Messages to staff, worded where they are sent (a safety alert: portal/safety/raising.py). The
# rules below and the admin's wording page are for messages to families only.
STAFF_KINDS = frozenset({MessageKind.SAFEGUARDING_ALERT, MessageKind.RECORD_REMINDER})
FAMILY_KINDS = tuple(kind for kind in MessageKind if kind not in STAFF_KINDS)
# Never in a message, in any language it is written in: a partner or a child may read the
# phone. Each word is shown to the admin as written here and found with its pattern: English
# whole words; Polish words decline, so a stem with its endings (ochrona, ochrony, ochronie),
# and "sprawa" only with a noun's endings, so "sprawdź" (check) is allowed.
FORBIDDEN_WORDS: dict[str, dict[str, str]] = {
    "en": {
        word: rf"\b{re.escape(word)}\b"
        for word in (
            "child protection",
            "protection",
            "safeguarding",
            "social worker",
            "social care",
            "case",
            "abuse",
            "harm",
            "neglect",
            "conference",
            "police",
        )
    },
    "pl": {
        "ochrona": r"\bochron\w*",
        "konferencja": r"\bkonferencj\w*",
        "pracownik socjalny": r"\bpracowni\w*\s+socjaln\w*",
        "opieka społeczna": r"\bopie\w*\s+społeczn\w*",
        "sprawa": r"\bspraw(?:a|y|ie|ę|ą|o|om|ach|ami)?\b",
        "przemoc": r"\bprzemoc\w*",
        "krzywda": r"\bkrzywd\w*",
        "zaniedbanie": r"\bzaniedb\w*",
        "policja": r"\bpolicj\w*",
    },
}

# The quick rating's scale, as the feedback texts put it: the feedback report says it the same way.
RATING_SCALE = "1 (bad) to 5 (good)"
RATING_ENDS = {1: "1 (bad)", 5: "5 (good)"}

SMS_DEFAULTS = {
    MessageKind.VIEWS_INVITATION: (
        "{council}: please tell us your views before the meeting. It takes 5 minutes. "
        "Your own link: {link}"
    ),
    MessageKind.VIEWS_REMINDER: (
        "{council}: there is still time to tell us your views before the meeting: {link}"
    ),
    MessageKind.FEEDBACK_INVITATION: (
        f"{{council}}: how did the meeting go for you? Tell us: {{link}} or reply {RATING_SCALE}"
    ),
    MessageKind.FEEDBACK_REMINDER: (
        "{council}: you can still tell us how the meeting went: {link} or reply " + RATING_SCALE
    ),
    MessageKind.RATING_THANKS: "{council}: thank you for your answer. It helps us do better.",
    MessageKind.CHECK_CODE: "{council}: your code is {code}. It works for 15 minutes.",
}

_LINK_LINES = (
    "Your own link: {link}\n\nThis link is for you only. Please do not forward this email."
)
EMAIL_DEFAULTS = {
    MessageKind.VIEWS_INVITATION: (
        "Your views before the meeting",
        "We would like to hear your views before the meeting, so they can be part of it.\n\n"
        "It takes about 5 minutes. You can save your answers and come back to them.\n\n"
        + _LINK_LINES,
    ),
    MessageKind.VIEWS_REMINDER: (
        "Reminder: your views before the meeting",
        "There is still time to tell us your views before the meeting. It takes about 5 "
        "minutes.\n\n" + _LINK_LINES,
    ),
    MessageKind.FEEDBACK_INVITATION: (
        "How did the meeting go for you?",
        "Please tell us how the meeting went for you. It helps us make meetings better. It "
        "takes about 2 minutes.\n\n" + _LINK_LINES,
    ),
    MessageKind.FEEDBACK_REMINDER: (
        "Reminder: how did the meeting go for you?",
        "You can still tell us how the meeting went for you. It takes about 2 minutes.\n\n"
        + _LINK_LINES,
    ),
    MessageKind.RATING_THANKS: (
        "Thank you for your answer",
        "Thank you for your answer. It helps us do better.",
    ),
    MessageKind.CHECK_CODE: ("Your code", "Your code is {code}. It works for 15 minutes."),
}
# To the adult who helps a child under YOUNG_PERSON_MIN_AGE (FamilyMember.helper_name): the form
# is the child's, so the message says so, without naming the child. Not editable yet: the admin's
# wording page edits the messages everyone else gets.
HELPER_SMS = {
    MessageKind.VIEWS_INVITATION: (
        "{council}: this link is for a child you help. Please fill in the form with them, in "
        "their words, before the meeting: {link}"
    ),
    MessageKind.VIEWS_REMINDER: (
        "{council}: there is still time to fill in the form with the child you help: {link}"
    ),
    MessageKind.FEEDBACK_INVITATION: (
        "{council}: please ask the child you help how the meeting went for them: {link}"
    ),
    MessageKind.FEEDBACK_REMINDER: (
        "{council}: you can still ask the child you help how the meeting went: {link}"
    ),
}
_HELPER_LINK_LINES = (
    "The child's own link: {link}\n\nThis link is for you and the child only. Please do not "
    "forward this email."
)
HELPER_EMAIL = {
    MessageKind.VIEWS_INVITATION: (
        "A form for the child you help",
        "This form is for the child you help, not for you. Please fill it in with them before "
        "the meeting, in their own words: good things, worries and wishes.\n\n"
        "It takes about 10 minutes. You can save the answers and come back to them.\n\n"
        + _HELPER_LINK_LINES,
    ),
    MessageKind.VIEWS_REMINDER: (
        "Reminder: a form for the child you help",
        "There is still time to fill in the form with the child you help, before the "
        "meeting.\n\n" + _HELPER_LINK_LINES,
    ),
    MessageKind.FEEDBACK_INVITATION: (
        "How did the meeting go for the child you help?",
        "Please ask the child you help how the meeting went for them, and fill in their "
        "answers. It takes about 2 minutes.\n\n" + _HELPER_LINK_LINES,
    ),
    MessageKind.FEEDBACK_REMINDER: (
        "Reminder: how did the meeting go for the child you help?",
        "You can still ask the child you help how the meeting went for them.\n\n"
        + _HELPER_LINK_LINES,
    ),
}
# Every email ends so, whatever the wording: it says who it is from and how to get help.
EMAIL_FOOTER = "From {council}. If you did not expect this email, or need help, call {phone}."


@dataclass(frozen=True)
class Wording:
    subject: str | None
    text: str
    html: str | None = None


@dataclass(frozen=True)
class WordingSource:
    """The editable parts of one message's wording, with its fields still in braces."""

    subject: str | None
    body: str
    customised: bool


def _custom_wording(kind: MessageKind, channel: Channel) -> MessageWording | None:
    return db.session.scalar(
        select(MessageWording).where(MessageWording.kind == kind, MessageWording.channel == channel)
    )


def source_for(kind: MessageKind, channel: Channel) -> WordingSource:
    custom = _custom_wording(kind, channel)
    if custom is not None:
        return WordingSource(custom.subject, custom.body, customised=True)
    if channel == Channel.SMS:
        return WordingSource(None, SMS_DEFAULTS[kind], customised=False)
    subject, body = EMAIL_DEFAULTS[kind]
    return WordingSource(subject, body, customised=False)


def _fill(template: str, **values: str) -> str:
    return template.format(**values)


def render(
    channel: Channel, subject: str | None, body: str, link: str = LINK, code: str = CODE
) -> Wording:
    """The message as stored (link and code as placeholders) or as previewed (sample values)."""
    values = {
        "council": current_app.config["COUNCIL_NAME"],
        "phone": current_app.config["SERVICE_PHONE"],
        "link": link,
        "code": code,
    }
    if channel == Channel.SMS:
        return Wording(subject=None, text=_fill(body, **values))
    full_subject = f"{_fill(subject or '', **values)} – {values['council']}"
    text = _fill(body, **values) + "\n\n" + _fill(EMAIL_FOOTER, **values) + "\n"
    paragraphs = "\n".join(
        f"<p>{_linked(escape(paragraph), link)}</p>" for paragraph in text.strip().split("\n\n")
    )
    html = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(full_subject)}</title></head>\n"
        '<body style="font-family: arial, sans-serif; font-size: 19px; line-height: 1.4; '
        'color: #0b0c0c;">\n'
        f"{paragraphs}\n</body></html>\n"
    )
    return Wording(subject=full_subject, text=text, html=html)


def _linked(paragraph: str, link: str) -> str:
    return paragraph.replace(link, f'<a href="{link}" style="color: #1d70b8;">{link}</a>')


def wording_for(kind: MessageKind, channel: Channel, *, to_helper: bool = False) -> Wording:
    if to_helper and kind in HELPER_SMS:
        if channel == Channel.SMS:
            return render(channel, None, HELPER_SMS[kind])
        return render(channel, *HELPER_EMAIL[kind])
    source = source_for(kind, channel)
    return render(channel, source.subject, source.body)


def fill_placeholders(text: str, invitation: Invitation | None) -> str:
    """Put the person's link (and second-check code) into stored wording, as it is sent."""
    if invitation is None:
        return text.replace(LINK, "").replace(CODE, "")
    code = code_for(invitation.code_salt) if invitation.code_salt else ""
    link = link_for(invitation.token_salt, invitation.token_hash)
    return text.replace(LINK, link).replace(CODE, code)


def sample_link() -> str:
    """As long as a real link: what the character count and segments are worked out with."""
    return f"{current_app.config['PUBLIC_BASE_URL']}/r/{'x' * TOKEN_LENGTH}"


@dataclass(frozen=True)
class SmsCount:
    characters: int
    segments: int


def sms_count(body: str) -> SmsCount:
    text = render(Channel.SMS, None, body, link=sample_link(), code="123456").text
    return SmsCount(sms_length(text), sms_segments(text))


def problems_with(kind: MessageKind, channel: Channel, subject: str | None, body: str) -> list[str]:
    """Why this wording cannot be used, in words for the admin; empty if it can."""
    try:
        parsed = list(string.Formatter().parse(body + (subject or "")))
    except ValueError:
        return ["Use braces only around a field, like {link}"]
    if any(
        name == "" or spec or conversion for _, name, spec, conversion in parsed if name is not None
    ):
        return ["Write fields just as they are, like {link}, with nothing else in the braces"]
    used = {name for _, name, _, _ in parsed if name}
    return [
        *_field_problems(kind, channel, subject or "", body, used),
        *_forbidden_word_problems(body + " " + (subject or "")),
        *_subject_problems(channel, subject, body, known_fields_only=used <= FIELDS),
    ]


def _fields_in(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _field_problems(
    kind: MessageKind, channel: Channel, subject: str, body: str, used: set[str]
) -> list[str]:
    problems = []
    # Only the body gets the person's link and code: a subject is never filled in with them,
    # and it shows on a locked phone.
    for name in sorted(_fields_in(subject) & {"link", "code"}):
        problems.append(f"Remove {{{name}}} from the subject: put it in the message")
    in_body = _fields_in(body)
    unknown = used - FIELDS
    if unknown:
        allowed = ", ".join(f"{{{name}}}" for name in sorted(FIELDS))
        problems.append(f"Remove {{{sorted(unknown)[0]}}}: use only {allowed}")
    if kind not in WITHOUT_LINK and "link" not in in_body:
        problems.append("Include {link}: the message is there to send the person their link")
    if kind in WITHOUT_LINK and "link" in used:
        problems.append("Remove {link}: this message has no link")
    if kind == MessageKind.CHECK_CODE and "code" not in in_body:
        problems.append("Include {code}: the message is there to send the code")
    if channel == Channel.SMS and "council" not in used:
        problems.append("Include {council}, so the person knows who the text is from")
    return problems


def _forbidden_patterns() -> list[tuple[str, str]]:
    """Every language's words: an admin may write a message in any of them."""
    return [
        (word, pattern) for words in FORBIDDEN_WORDS.values() for word, pattern in words.items()
    ]


def _forbidden_word_problems(text: str) -> list[str]:
    """The first word that would say what the message is about, if any."""
    words = text.lower()
    for word, pattern in _forbidden_patterns():
        if re.search(pattern, words):
            return [
                f"Remove “{word}”: someone else may read the message, and it must not say "
                "what it is about"
            ]
    return []


def _subject_problems(
    channel: Channel, subject: str | None, body: str, *, known_fields_only: bool
) -> list[str]:
    if channel != Channel.EMAIL:
        return []
    if not (subject or "").strip():
        return ["Enter a subject"]
    if not known_fields_only:  # it cannot be filled in to measure it
        return []
    sent = render(channel, subject, body).subject or ""
    if len(sent) > SUBJECT_MAX_SENT:
        return [
            f"Subject is too long once {{council}} is filled in: {len(sent)} characters, "
            f"{SUBJECT_MAX_SENT} at most"
        ]
    return []


def save_wording(
    kind: MessageKind, channel: Channel, subject: str | None, body: str, by_id: int
) -> None:
    """Keep an admin's wording (checked first with ``problems_with``); audited."""
    custom = _custom_wording(kind, channel)
    if custom is None:
        custom = MessageWording(kind=kind, channel=channel)
        db.session.add(custom)
    custom.subject = subject if channel == Channel.EMAIL else None
    custom.body, custom.updated_by_id = body, by_id
    db.session.flush()
    record_event(
        AuditAction.UPDATE, RecordType.MESSAGE_WORDING, custom.id, fields=["subject", "body"]
    )
    db.session.commit()


def reset_wording(kind: MessageKind, channel: Channel) -> None:
    custom = _custom_wording(kind, channel)
    if custom is not None:
        record_event(AuditAction.DELETE, RecordType.MESSAGE_WORDING, custom.id)
        db.session.delete(custom)
        db.session.commit()
