"""What makes a staff password acceptable, after the NCSC's password guidance.

Length over complexity: at least ``PASSWORD_MIN_LENGTH`` characters, any characters at all
(spaces too, so three random words work), no rules about capitals, digits or symbols, which
only lead to "Password1!". What is refused is what attackers try first: passwords on
zxcvbn's common-password lists or on the breached-password lists (``breached.py``), also with
digits or symbols added at the end; one character repeated; runs along the keyboard or the
alphabet; and the person's own email name or the service's or council's name.
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
NAME_PART_MIN = 4  # "ann" in a passphrase is not the person's name; "heard" is


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


def _names_to_avoid(email: str | None) -> set[str]:
    config = current_app.config
    names = {_squashed(config["SERVICE_NAME"]), _squashed(config["COUNCIL_NAME"])}
    for text in (config["SERVICE_NAME"], config["COUNCIL_NAME"]):
        names |= {word for word in re.split(r"\W+", text.lower()) if word not in GENERIC_WORDS}
    if email:
        local_part = email.split("@", 1)[0].lower()
        names.add(_squashed(local_part))
        names |= set(re.split(r"[^a-z]+", local_part))
    return {name for name in names if len(name) >= NAME_PART_MIN}


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """Why ``password`` cannot be used (a message for the person), or None when it can.

    ``email`` is the account's address: a password containing its name part is refused.
    """
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Your password must be %(minimum)s characters or more", minimum=minimum)
    if len(password) > MAX_LENGTH:
        return _("Your password must be %(maximum)s characters or fewer", maximum=MAX_LENGTH)
    if _is_repeat_or_run(password):
        return _(
            "Your password must not be a repeated character or a run of keys, like 123456 or "
            "qwerty. Try three random words"
        )
    if _is_common(password):
        return _(
            "Your password is one of the most common passwords, which attackers try first. "
            "Try three random words"
        )
    if _is_breached(password):
        return _(
            "This password is too common: it appears in lists of breached passwords. Choose another"
        )
    squashed = _squashed(password)
    if any(name in squashed for name in _names_to_avoid(email)):
        return _(
            "Your password must not contain your email address, %(service)s or the council's "
            "name. Try three random words",
            service=current_app.config["SERVICE_NAME"],
        )
    return None
