"""The word a coordinator agrees with a person (by phone or in person), asked for when they open
a link: a second check that needs one channel only, for a parent with one phone a partner may
read and no email.

It is kept only as an Argon2id hash (sealed at rest: portal/models/people.py) and never shown
again. The same word typed another way opens the link: both sides are normalised first.
"""

from __future__ import annotations

import unicodedata

from portal.auth.passwords import hash_password, verify_password

# Long enough that five tries rarely find it; short enough to say on the phone and remember.
MIN_LENGTH, MAX_LENGTH = 4, 40


def normalise(word: str) -> str:
    """The word as compared: "  Blue  Sky" and "blue sky" are one (spaces trimmed and
    collapsed, case folded), and so are a letter typed two ways (a composed or decomposed ą, a
    full-width digit)."""
    return " ".join(unicodedata.normalize("NFKC", word.casefold()).split())


def hash_word(word: str) -> str:
    return hash_password(normalise(word))


def word_matches(word_hash: str, typed: str) -> bool:
    """Argon2's own verification, which compares in constant time."""
    return verify_password(word_hash, normalise(typed))
