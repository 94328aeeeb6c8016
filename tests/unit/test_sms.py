"""A text's encoding and cost, counted as the network counts them (issue 16): exact figures at
every boundary, since a council pays for each part."""

from __future__ import annotations

import pytest

from portal.messaging.sms import GSM7, UCS2, count_sms, sms_length, sms_segments


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),  # 153 a part once split
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
    ],
)
def test_gsm7_fits_160_in_one_text_then_153_a_part(text: str, parts: int) -> None:
    assert sms_segments(text) == parts


def test_a_gsm7_extension_character_counts_two() -> None:
    assert sms_length("€") == 2
    assert sms_segments("€" * 80) == 1  # 160
    assert sms_segments("€" * 80 + "a") == 2  # 161
    assert sms_segments("a" * 158 + "€") == 1
    assert sms_segments("a" * 159 + "€") == 2
    assert count_sms("€ [ ] { } ^ ~ | \\").characters == 9 * 2 + 8


def test_a_part_never_splits_a_character_that_counts_two() -> None:
    """152 + € + 152 is 306 characters, but the € cannot sit astride two parts: the first part
    holds 152, the second the € and 151, the third the last one."""
    assert sms_length("a" * 152 + "€" + "a" * 152) == 306
    assert sms_segments("a" * 152 + "€" + "a" * 152) == 3
    assert sms_segments("a" * 151 + "€" + "a" * 153) == 2  # the € ends the first part


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("ą" * 70, 1),
        ("ą" * 71, 2),
        ("ą" * 134, 2),  # 67 a part once split
        ("ą" * 135, 3),
        ("ș" + "a" * 69, 1),
        ("ș" + "a" * 70, 2),
    ],
)
def test_ucs2_fits_70_in_one_text_then_67_a_part(text: str, parts: int) -> None:
    assert sms_segments(text) == parts


@pytest.mark.parametrize(
    ("letter", "name"),
    [("ą", "latin small letter a with ogonek"), ("ș", "latin small letter s with comma below")],
)
def test_one_polish_or_romanian_letter_sends_the_whole_text_in_ucs2(letter: str, name: str) -> None:
    english = "a" * 100
    assert count_sms(english).encoding == GSM7
    assert count_sms(english).segments == 1
    count = count_sms(english + letter)
    assert (count.encoding, count.characters, count.segments) == (UCS2, 101, 2)
    assert count.because == letter
    assert count.because_named == f"“{letter}” ({name})"
    assert (count.single_limit, count.part_limit) == (70, 67)


def test_gsm7_has_its_own_accented_letters() -> None:
    assert count_sms("é" * 160) == count_sms("a" * 160)  # é is GSM-7
    assert count_sms("ś").encoding == UCS2  # ś is not


def test_a_curly_apostrophe_is_named_as_the_reason() -> None:
    """’ looks like ' but is not in GSM-7: the editor names it, so it can be found and retyped."""
    count = count_sms("It’s " + "a" * 100)
    assert count.because_named == "“’” (right single quotation mark)"
    assert count.segments == 2


def test_an_emoji_counts_two_in_ucs2() -> None:
    assert sms_length("🙂") == 2
    assert sms_segments("🙂" * 35) == 1
    assert sms_segments("🙂" * 35 + "a") == 2
    assert sms_segments("a" * 66 + "🙂" + "a" * 66) == 3  # not astride two parts
