"""What the messages say, in the person's language. Plain words; who it is from and what the
link is for.

No message names a child, gives case detail, or says "child protection": someone else may
read the phone. An admin can change the wording of each message in each family language
(``/admin/wording``); every change is checked (``wording_checks``), and a test checks every
default (``default_wording``) the same way.

Wording uses fields in braces: {council} and {phone} are the service's own; {link} is the
person's link and {code} a second-check code, both put in by the worker as it sends, so no
outbox row ever holds a working link.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from flask import current_app
from sqlalchemy import select

from portal.audit.services import record_event
from portal.extensions import db
from portal.i18n import DEFAULT_LANGUAGE, family_languages, text_direction
from portal.link_tokens import TOKEN_LENGTH, code_for, link_for
from portal.messaging.default_wording import DEFAULTS, ENGLISH
from portal.messaging.sms import SmsCount, count_sms
from portal.models import AuditAction, Channel, Invitation, MessageKind, MessageWording, RecordType

LINK = "((link))"
CODE = "((code))"
# Messages that carry no link: a thank-you, and the second-check code.
WITHOUT_LINK = {MessageKind.RATING_THANKS, MessageKind.CHECK_CODE}
# Messages to staff, worded where they are sent (a safety alert: portal/safety/raising.py), in
# English. The rules and the admin's wording page are for messages to families only.
STAFF_KINDS = frozenset({MessageKind.SAFEGUARDING_ALERT, MessageKind.RECORD_REMINDER})
FAMILY_KINDS = tuple(kind for kind in MessageKind if kind not in STAFF_KINDS)


@dataclass(frozen=True)
class Wording:
    subject: str | None
    text: str
    html: str | None = None


@dataclass(frozen=True)
class WordingSource:
    """The editable parts of one message's wording, with its fields still in braces. An empty
    body is missing wording (the language has no default, or an admin chose English for it)."""

    subject: str | None
    body: str
    customised: bool

    @property
    def missing(self) -> bool:
        return not self.body


def _custom_wording(kind: MessageKind, channel: Channel, language: str) -> MessageWording | None:
    return db.session.scalar(
        select(MessageWording).where(
            MessageWording.kind == kind,
            MessageWording.channel == channel,
            MessageWording.language == language,
        )
    )


def _default_source(
    language: str, kind: MessageKind, channel: Channel, *, to_helper: bool = False
) -> WordingSource:
    defaults = DEFAULTS.get(language)
    if defaults is None:
        return WordingSource(None, "", customised=False)
    if channel == Channel.SMS:
        texts = defaults.helper_sms if to_helper else defaults.sms
        return WordingSource(None, texts.get(kind, ""), customised=False)
    emails = defaults.helper_email if to_helper else defaults.email
    subject, body = emails.get(kind, (None, ""))
    return WordingSource(subject, body, customised=False)


def source_for(
    kind: MessageKind, channel: Channel, *, language: str = DEFAULT_LANGUAGE
) -> WordingSource:
    """What an admin edits: their own wording if kept, else the language's default."""
    return _source(_custom_wording(kind, channel, language), language, kind, channel)


def _source(
    custom: MessageWording | None, language: str, kind: MessageKind, channel: Channel
) -> WordingSource:
    if custom is not None:
        return WordingSource(custom.subject, custom.body, customised=True)
    return _default_source(language, kind, channel)


def _fill(template: str, **values: str) -> str:
    return template.format(**values)


def render(
    channel: Channel,
    subject: str | None,
    body: str,
    link: str = LINK,
    code: str = CODE,
    *,
    language: str = DEFAULT_LANGUAGE,
) -> Wording:
    """The message as stored (link and code as placeholders) or as previewed (sample values).
    An email ends with the language's footer (English where the language has none) and its
    HTML says the language and its direction, so an Urdu email reads right to left."""
    values = {
        "council": current_app.config["COUNCIL_NAME"],
        "phone": current_app.config["SERVICE_PHONE"],
        "link": link,
        "code": code,
    }
    if channel == Channel.SMS:
        return Wording(subject=None, text=_fill(body, **values))
    footer = DEFAULTS.get(language, ENGLISH).footer
    full_subject = f"{_fill(subject or '', **values)} – {values['council']}"
    text = _fill(body, **values) + "\n\n" + _fill(footer, **values) + "\n"
    paragraphs = "\n".join(
        f"<p>{_linked(escape(paragraph), link)}</p>" for paragraph in text.strip().split("\n\n")
    )
    html = (
        f'<!DOCTYPE html>\n<html lang="{language}" dir="{text_direction(language)}"><head>'
        f'<meta charset="utf-8"><title>{escape(full_subject)}</title></head>\n'
        '<body style="font-family: arial, sans-serif; font-size: 19px; line-height: 1.4; '
        'color: #0b0c0c;">\n'
        f"{paragraphs}\n</body></html>\n"
    )
    return Wording(subject=full_subject, text=text, html=html)


def _linked(paragraph: str, link: str) -> str:
    # dir="ltr" keeps the address in its own order inside right-to-left text.
    return paragraph.replace(link, f'<a href="{link}" dir="ltr" style="color: #1d70b8;">{link}</a>')


def _source_to_send(
    kind: MessageKind, channel: Channel, language: str, *, to_helper: bool
) -> WordingSource:
    # A child's helping adult is told the form is the child's: defaults only, not editable yet.
    if to_helper and kind in ENGLISH.helper_sms:
        return _default_source(language, kind, channel, to_helper=True)
    return source_for(kind, channel, language=language)


def wording_for(
    kind: MessageKind,
    channel: Channel,
    *,
    to_helper: bool = False,
    language: str = DEFAULT_LANGUAGE,
) -> Wording:
    """The message in ``language`` (a family member's recorded language) when the council
    offers it and it has wording for this message; else in English."""
    if language not in family_languages():
        language = DEFAULT_LANGUAGE
    source = _source_to_send(kind, channel, language, to_helper=to_helper)
    if source.missing:
        language = DEFAULT_LANGUAGE
        source = _source_to_send(kind, channel, language, to_helper=to_helper)
    return render(channel, source.subject, source.body, language=language)


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


def sms_count(body: str) -> SmsCount:
    return count_sms(render(Channel.SMS, None, body, link=sample_link(), code="123456").text)


@dataclass(frozen=True)
class WordingRow:
    """One message by one channel in one language, as the wording page lists it."""

    kind: MessageKind
    channel: Channel
    language: str
    source: WordingSource
    count: SmsCount | None  # a text's length and cost; None for an email or missing wording


def every_wording(channels: list[Channel]) -> list[WordingRow]:
    """Every family message by each channel, in each language offered, English first."""
    custom = {
        (row.kind, row.channel, row.language): row
        for row in db.session.scalars(select(MessageWording))
    }
    rows = []
    for language in family_languages():
        for kind in FAMILY_KINDS:
            for channel in channels:
                source = _source(custom.get((kind, channel, language)), language, kind, channel)
                sms = channel == Channel.SMS and not source.missing
                rows.append(
                    WordingRow(
                        kind, channel, language, source, sms_count(source.body) if sms else None
                    )
                )
    return rows


def save_wording(
    kind: MessageKind,
    channel: Channel,
    subject: str | None,
    body: str,
    by_id: int,
    *,
    language: str = DEFAULT_LANGUAGE,
) -> None:
    """Keep an admin's wording (checked first with ``problems_with``); audited."""
    custom = _custom_wording(kind, channel, language)
    if custom is None:
        custom = MessageWording(kind=kind, channel=channel, language=language)
        db.session.add(custom)
    custom.subject = subject if channel == Channel.EMAIL else None
    custom.body, custom.updated_by_id = body, by_id
    db.session.flush()
    record_event(
        AuditAction.UPDATE, RecordType.MESSAGE_WORDING, custom.id, fields=["subject", "body"]
    )
    db.session.commit()


def send_english_instead(kind: MessageKind, channel: Channel, language: str, by_id: int) -> None:
    """An admin's choice that this message has no wording in ``language`` (say its default reads
    wrongly for the council's families): English is sent until it is written. Audited."""
    if language == DEFAULT_LANGUAGE:
        raise ValueError("English is what is sent when wording is missing: it cannot be")
    save_wording(kind, channel, None, "", by_id, language=language)


def reset_wording(kind: MessageKind, channel: Channel, *, language: str = DEFAULT_LANGUAGE) -> None:
    custom = _custom_wording(kind, channel, language)
    if custom is not None:
        record_event(AuditAction.DELETE, RecordType.MESSAGE_WORDING, custom.id)
        db.session.delete(custom)
        db.session.commit()
