"""SMS length: how many parts a text costs, and why.

A text goes in GSM-7 when every character is in its alphabet: 160 characters in one text, 153 in
each part of a longer one (the rest of each part says how to join them), and an extension
character (€, [, ], {, }, …) costs two. One character outside it, a Polish ą or a Romanian ș,
sends the whole text in UCS-2 instead: 70 characters, 67 a part, and a character beyond the
Basic Multilingual Plane (most emoji) costs two. A part never splits a character that costs two
(the network cannot join one back), so a part can hold one less.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # each costs two characters
GSM7 = "GSM-7"
UCS2 = "UCS-2"
# (characters in one text, characters a part when split)
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}


def first_outside_gsm7(text: str) -> str | None:
    """The first character that sends the text in UCS-2, if any."""
    return next((c for c in text if c not in GSM7_BASIC and c not in GSM7_EXTENDED), None)


def is_gsm7(text: str) -> bool:
    return first_outside_gsm7(text) is None


def _costs(text: str) -> list[int]:
    """What each character costs, as the network counts."""
    if is_gsm7(text):
        return [2 if c in GSM7_EXTENDED else 1 for c in text]
    return [len(c.encode("utf-16-le")) // 2 for c in text]


def sms_length(text: str) -> int:
    """Characters as the network counts them."""
    return sum(_costs(text))


def sms_segments(text: str) -> int:
    """How many texts it is sent as (and paid for)."""
    costs = _costs(text)
    single, per_part = LIMITS[GSM7 if is_gsm7(text) else UCS2]
    if sum(costs) <= single:
        return 1
    parts, room = 1, per_part
    for cost in costs:
        if cost > room:  # a two-character one does not fit at the end: it starts the next part
            parts, room = parts + 1, per_part
        room -= cost
    return parts


@dataclass(frozen=True)
class SmsCount:
    """A text's length and cost, and the encoding that decides them."""

    characters: int
    segments: int
    encoding: str  # GSM7 or UCS2
    because: str | None  # the first character outside GSM-7, when UCS-2

    @property
    def single_limit(self) -> int:
        return LIMITS[self.encoding][0]

    @property
    def part_limit(self) -> int:
        return LIMITS[self.encoding][1]

    @property
    def because_named(self) -> str | None:
        """The character and its Unicode name, since some look like GSM-7 ones (’ and ')."""
        if self.because is None:
            return None
        return f"“{self.because}” ({unicodedata.name(self.because, 'unnamed').lower()})"


def count_sms(text: str) -> SmsCount:
    because = first_outside_gsm7(text)
    return SmsCount(
        characters=sms_length(text),
        segments=sms_segments(text),
        encoding=GSM7 if because is None else UCS2,
        because=because,
    )
