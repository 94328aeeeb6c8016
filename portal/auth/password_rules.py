"""What makes a staff password acceptable, after the NCSC's password guidance.

Length over complexity: at least ``PASSWORD_MIN_LENGTH`` characters, any characters at all
(spaces too, so three random words work), no rules about capitals, digits or symbols, which
only lead to "Password1!". What is refused is what attackers try first: passwords on
zxcvbn's common-password lists or on the breached-password lists (``breached.py``), also with
digits or symbols added at the end; one character repeated; runs along the keyboard or the
alphabet; the person's own name or email name, or the service's or council's name (as whole
words); and the example the change-password page's hint gives.
"""

from __future__ import annotations

import re
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from portal.auth.breached import is_breached
from portal.auth.breached import normalise as _squashed

MAX_LENGTH = 256
# Rows and runs people walk along; a password that is only a piece of one is refused.
RUNS = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "!@#$%^&*()_+",
)
# Too common on their own to count as a name (any council's name contains "council").
GENERIC_WORDS = {"council", "borough", "county", "city", "district", "the", "and", "of"}
# The hint on the change-password page shows this one: everyone has read it.
EXAMPLE_PASSWORD = "kettle orbit marigold"  # noqa: S105 - shown to all, so refused, never used
NAME_PART_MIN = 4  # "ann" in a passphrase is not the person's name; "heard" is
WHOLE_NAME_MIN = 6  # "jobloggs" anywhere in a password is; "jo" or "ann" inside a word is not


@cache
def common_passwords() -> frozenset[str]:
    """The ~30,000 most common passwords from zxcvbn's lists (leaked password sets)."""
    return frozenset(FREQUENCY_LISTS["passwords"])


def _candidates(password: str) -> set[str]:
    """The password lower-cased and squashed, each also without a tail of digits or symbols."""
    lowered = password.lower()
    candidates = {lowered, _squashed(lowered)}
    # "Password1234!" is "password" with a tail: attackers try every common word that way.
    candidates |= {re.sub(r"[\W\d_]+$", "", candidate) for candidate in list(candidates)}
    return {candidate for candidate in candidates if candidate}


def _is_common(password: str) -> bool:
    common = common_passwords()
    return any(candidate in common for candidate in _candidates(password))


def _is_breached(password: str) -> bool:
    return is_breached(password) or any(is_breached(c) for c in _candidates(password))


def _is_repeat_or_run(password: str) -> bool:
    squashed = _squashed(password)
    if len(set(squashed)) <= 1:
        return True
    # A short piece said again and again: "abcabcabcabc", "12121212…"
    for size in range(2, 5):
        piece = squashed[:size]
        if len(squashed) >= 2 * size and (piece * len(squashed))[: len(squashed)] == squashed:
            return True
    for run in RUNS:
        for direction in (run, run[::-1]):
            if squashed in direction * 3:  # "890123…" wraps round
                return True
    return False


def _words(text: str) -> set[str]:
    """The runs of letters in ``text``, lower-cased: "Jo.Bloggs-2024" → {"jo", "bloggs"}."""
    return {word for word in re.split(r"[^a-z]+", text.lower()) if word}


def _contains_a_name(password: str, email: str | None, full_name: str | None) -> bool:
    """Whether ``password`` contains the account's name or email name, or the service's or the
    council's name, in a way that means it: a name word (of ``NAME_PART_MIN`` letters or more)
    only as a whole word of the password, so "mark" in "market" is not Mark's name; a whole
    name squashed ("jobloggs", "northshirecouncil") of ``WHOLE_NAME_MIN`` or more anywhere."""
    config = current_app.config
    texts = [config["SERVICE_NAME"], config["COUNCIL_NAME"], full_name or ""]
    if email:
        texts.append(email.split("@", 1)[0])
    whole_names = {_squashed(text) for text in texts}
    name_words = {word for text in texts for word in _words(text)} - GENERIC_WORDS
    squashed = _squashed(password)
    return any(len(name) >= WHOLE_NAME_MIN and name in squashed for name in whole_names) or any(
        len(word) >= NAME_PART_MIN for word in name_words & _words(password)
    )


def password_problem(
    password: str, *, email: str | None = None, full_name: str | None = None, own: bool = True
) -> str | None:
    """Why ``password`` cannot be used (a message for the person), or None when it can.

    ``email`` and ``full_name`` are the account's: a password containing them is refused.
    ``own`` is False when someone else sets it (an admin's temporary password): the message
    then speaks of "the password" and "the person", not "your".
    """
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        if own:
            return _("Your password must be %(minimum)s characters or more", minimum=minimum)
        return _("The password must be %(minimum)s characters or more", minimum=minimum)
    if len(password) > MAX_LENGTH:
        if own:
            return _("Your password must be %(maximum)s characters or fewer", maximum=MAX_LENGTH)
        return _("The password must be %(maximum)s characters or fewer", maximum=MAX_LENGTH)
    return _weak_password_problem(password, own) or _personal_password_problem(
        password, email, full_name, own
    )


def _weak_password_problem(password: str, own: bool) -> str | None:
    if _squashed(password) == _squashed(EXAMPLE_PASSWORD):
        if own:
            return _(
                "Your password must not be the example from the hint. Choose three random "
                "words of your own"
            )
        return _("The password must not be the example from the hint. Try three random words")
    if _is_repeat_or_run(password):
        if own:
            return _(
                "Your password must not be a repeated character or a run of keys, like 123456 "
                "or qwerty. Try three random words"
            )
        return _(
            "The password must not be a repeated character or a run of keys, like 123456 or "
            "qwerty. Try three random words"
        )
    if _is_common(password):
        if own:
            return _(
                "Your password is one of the most common passwords, which attackers try first. "
                "Try three random words"
            )
        return _(
            "The password is one of the most common passwords, which attackers try first. "
            "Try three random words"
        )
    if _is_breached(password):
        return _(
            "This password is too common: it appears in lists of breached passwords. Choose another"
        )
    return None


def _personal_password_problem(
    password: str, email: str | None, full_name: str | None, own: bool
) -> str | None:
    if not _contains_a_name(password, email, full_name):
        return None
    service = current_app.config["SERVICE_NAME"]
    if own:
        return _(
            "Your password must not contain your name or email address, %(service)s or the "
            "council's name. Try three random words",
            service=service,
        )
    return _(
        "The password must not contain the person's name or email address, %(service)s or the "
        "council's name. Try three random words",
        service=service,
    )
