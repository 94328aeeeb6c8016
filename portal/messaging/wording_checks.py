"""The checks every wording passes before it is kept: an admin's change, and (by a test) every
default in every language. Each problem is said in words for the admin."""

from __future__ import annotations

import re
import string
import unicodedata

from portal.messaging.default_wording import FORBIDDEN_WORDS
from portal.messaging.wording import WITHOUT_LINK, render
from portal.models import Channel, MessageKind

FIELDS = {"council", "phone", "link", "code"}
# The outbox keeps an email's subject as sent (Message.subject): the council's name filled in
# and added at the end.
SUBJECT_MAX_SENT = 200
# Letters one language writes two ways: Polish ł (no accent to take off); Arabic letters an
# Urdu text may be typed with, for Urdu's own; the stretching line (ـ) that joins nothing.
_SAME_LETTER = str.maketrans({"ł": "l", "ي": "ی", "ى": "ی", "ك": "ک", "ه": "ہ", "ة": "ہ", "ـ": ""})


def folded(text: str) -> str:
    """The text with its accents, marks and invisible characters taken off, lower case: "Poliţia"
    (an old cedilla), "Poliția" and "Politia" are one word, as is "po\u00adlice" (a soft hyphen)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in {"Mn", "Cf"})
    return kept.translate(_SAME_LETTER)


# Every language's words, for every message: an admin may write any language in any message.
_FORBIDDEN = [
    (word, re.compile(folded(pattern)))
    for words in FORBIDDEN_WORDS.values()
    for word, pattern in words.items()
]


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


def _forbidden_word_problems(text: str) -> list[str]:
    """The first word that would say what the message is about, if any."""
    words = folded(text)
    for word, pattern in _FORBIDDEN:
        if pattern.search(words):
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
