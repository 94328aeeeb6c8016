"""The shape of one language's default wording: what a language module fills in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from portal.models import MessageKind


@dataclass(frozen=True)
class DefaultWording:
    """Every family message in one language, with its fields still in braces.

    ``helper_sms`` and ``helper_email`` go to the adult who helps a child under
    YOUNG_PERSON_MIN_AGE (FamilyMember.helper_name): the form is the child's, so they say so,
    without naming the child. ``forbidden_words`` maps each word shown to an admin to the pattern
    that finds it, written with the language's own letters: the checks fold the letters (and the
    text) so that a word typed without its accents is found too.
    """

    sms: Mapping[MessageKind, str]
    email: Mapping[MessageKind, tuple[str, str]]  # (subject, body)
    helper_sms: Mapping[MessageKind, str]
    helper_email: Mapping[MessageKind, tuple[str, str]]
    footer: str  # ends every email, whatever the wording: who it is from, how to get help
    forbidden_words: Mapping[str, str]
