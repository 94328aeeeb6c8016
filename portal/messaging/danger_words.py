"""The words in a text reply that say someone may be in danger now (TEXT_REPLY_DANGER_WORDS).

Whole words or phrases, in any case: "hurt" is found in "He HURT me", not in "hurtle"; a phrase
matches across any run of spaces. A plain search, not a judgement: a match raises a safety
alert for staff to read the reply, so the list errs towards raising one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


def danger_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for the whole list, longest first; None for an empty list."""
    phrases = sorted({" ".join(word.split()) for word in words if word.strip()}, key=len)
    if not phrases:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in reversed(phrases))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=8)
def _pattern_for(words: tuple[str, ...]) -> re.Pattern[str] | None:
    return danger_pattern(words)


def mentions_danger(text: str, words: Iterable[str]) -> bool:
    """Built once per list of words (a setting), not once per reply: a page lists many."""
    pattern = _pattern_for(tuple(words))
    return pattern is not None and pattern.search(text) is not None
