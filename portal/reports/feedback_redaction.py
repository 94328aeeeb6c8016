"""Redacting a feedback comment before anyone sees it (design.md: the participation officer never
sees names or case references).

In each comment, the first and last names of its conference's children and family members, the
social worker's and the chair's names (whole words, any case, two letters or more) become
"[name]", and the conference's case reference, or anything written in its shape (the same
letters, as many digits), "[case reference]". The conference is read only to look those up, in
one query for all the commented conferences, and is never shown. Other identifying details (a
school, a street, a nickname) may remain: the page says so.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import literal, select, union_all

from portal.extensions import db
from portal.models import (
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    FamilyMember,
    StaffUser,
)

NAME = _l("[name]")
CASE_REFERENCE = _l("[case reference]")
MIN_NAME_LENGTH = 2  # a one-letter initial is not redacted (it would blank every "a" and "I")
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})  # in a name, but naming no one
_NAME_KIND, _CASE_KIND = "name", "case"


def conference_identifiers(conferences: Collection[int]) -> dict[int, tuple[set[str], set[str]]]:
    """For each of these conferences (ids): the names to redact
    (children's and family members' first and last names, the social worker's and the chair's)
    and its case reference. One query, a UNION ALL of each source."""
    children = [
        select(ConferenceChild.conference_id, literal(_NAME_KIND), column)
        .join(Child, Child.id == ConferenceChild.child_id)
        .where(ConferenceChild.conference_id.in_(conferences))
        for column in (Child.first_name, Child.last_name)
    ]
    adults = [
        select(ConferenceAdult.conference_id, literal(_NAME_KIND), column)
        .join(FamilyMember, FamilyMember.id == ConferenceAdult.family_member_id)
        .where(ConferenceAdult.conference_id.in_(conferences))
        for column in (FamilyMember.first_name, FamilyMember.last_name)
    ]
    staff = [
        select(Conference.id, literal(_NAME_KIND), Conference.social_worker_name),
        select(Conference.id, literal(_NAME_KIND), StaffUser.full_name).join(
            StaffUser, StaffUser.id == Conference.chair_id
        ),
        select(Conference.id, literal(_CASE_KIND), Conference.case_reference),
    ]
    sources = [
        *children,
        *adults,
        *(source.where(Conference.id.in_(conferences)) for source in staff),
    ]
    found: dict[int, tuple[set[str], set[str]]] = {}
    for conference_id, kind, text in db.session.execute(union_all(*sources)):
        names, references = found.setdefault(conference_id, (set(), set()))
        (names if kind == _NAME_KIND else references).add(text or "")
    return found


def _name_words(names: Iterable[str]) -> set[str]:
    """Each name's words, and the parts of a hyphenated one, of two letters or more."""
    words: set[str] = set()
    for name in names:
        for word in name.split():
            words.update(
                part
                for part in (word, *word.split("-"))
                if len(part) >= MIN_NAME_LENGTH and part.lower().rstrip(".") not in TITLES
            )
    return words


def _reference_shape(reference: str) -> str:
    """A pattern for ``reference`` and anything written in its shape: its letters as they are,
    each run of digits as any digits of that length, a separator as "-", "/", a space or none.
    CP/2025/0143 matches cp-2024-0999 and CP 2025 0143."""
    parts = []
    for run in re.findall(r"[A-Za-z]+|[0-9]+|[^A-Za-z0-9]+", reference.strip()):
        if run[0].isdigit():
            parts.append(rf"[0-9]{{{len(run)}}}")
        elif run[0].isalpha():
            parts.append(re.escape(run))
        else:
            parts.append(r"[-/ ]?")
    return "".join(parts)


@dataclass(frozen=True)
class Redactor:
    """Takes one conference's names and case references out of a comment."""

    references: re.Pattern[str] | None
    names: re.Pattern[str] | None

    @classmethod
    def for_conference(cls, names: Iterable[str], references: Collection[str]) -> Redactor:
        def whole_words(alternatives: Iterable[str]) -> re.Pattern[str] | None:
            ordered = sorted(set(alternatives), key=lambda text: (-len(text), text))
            if not ordered:
                return None
            return re.compile(rf"(?<!\w)(?:{'|'.join(ordered)})(?!\w)", re.IGNORECASE)

        shapes = [_reference_shape(ref) for ref in references if ref.strip()]
        return cls(
            whole_words([re.escape(ref.strip()) for ref in references if ref.strip()] + shapes),
            whole_words(re.escape(word) for word in _name_words(names)),
        )

    def __call__(self, text: str) -> str:
        if self.references:
            text = self.references.sub(str(CASE_REFERENCE), text)
        if self.names:
            name = str(NAME)
            text = self.names.sub(name, text)
            # "Kai Lockwood" is one "[name]", not two
            text = re.sub(rf"{re.escape(name)}(?:[ \t]+{re.escape(name)})+", name, text)
        return text
