"""Each language's words that would say what a message is about (issue 16): found however they
inflect, and however they are typed (without accents, with the old cedillas, with Arabic
letters for Urdu ones, with invisible characters inside), and only as those words."""

from __future__ import annotations

import pytest

from portal.messaging.wording_checks import folded, problems_with
from portal.models import Channel, MessageKind


def _refused_for(body: str) -> str | None:
    problems = problems_with(MessageKind.VIEWS_INVITATION, Channel.SMS, None, body)
    if not problems:
        return None
    assert problems[0].endswith(
        "someone else may read the message, and it must not say what it is about"
    )
    return problems[0].split("“")[1].split("”")[0]


@pytest.mark.parametrize(
    ("words", "word"),
    [
        ("despre cazul copilului", "caz"),
        ("cazurile noastre", "caz"),
        ("un caz", "caz"),
        ("protecția copilului", "protecție"),
        ("protectia copilului", "protecție"),  # typed without accents
        ("protecţia copilului", "protecție"),  # the old cedilla letter
        ("asistentul social", "asistent social"),
        ("asistenta sociala", "asistent social"),
        ("serviciile sociale", "servicii sociale"),
        ("Poliția", "poliție"),
        ("politistii", "poliție"),
        ("conferința", "conferință"),
        ("abuzul", "abuz"),
        ("neglijarea", "neglijare"),
        ("violenței", "violență"),
        ("dosarul", "dosar"),
    ],
)
def test_romanian_words_are_refused_in_any_form(words: str, word: str) -> None:
    assert _refused_for(f"{{council}}: {words}: {{link}}") == word


@pytest.mark.parametrize(
    ("words", "word"),
    [
        ("آپ کا کیس", "کیس"),
        ("کیسز", "کیس"),
        ("سوشل ورکر", "سوشل ورکر"),
        ("بچوں کا تحفظ", "تحفظ"),
        ("پولیس", "پولیس"),
        ("پولـیس", "پولیس"),  # a stretching line inside
        ("كانفرنس", "کانفرنس"),  # typed with the Arabic kaf
        ("مقدمے", "مقدمہ"),
    ],
)
def test_urdu_words_are_refused_in_any_form(words: str, word: str) -> None:
    assert _refused_for(f"{{council}}: {words}: {{link}}") == word


@pytest.mark.parametrize(
    "words",
    [
        "politica de confidențialitate",  # policy, not police
        "casă",  # a house, not a case
        "میٹنگ کیسی رہی؟",  # "how", not "case"
        "کیسے",
        "جوابات محفوظ کر کے",  # saved, not protection
        "sprawdź",
    ],
)
def test_words_that_only_look_alike_are_allowed(words: str) -> None:
    assert _refused_for(f"{{council}}: {words}: {{link}}") is None


def test_english_is_found_with_a_soft_hyphen_or_capitals_inside() -> None:
    assert _refused_for("{council}: po\u00adlice: {link}") == "police"
    assert _refused_for("{council}: CASE: {link}") == "case"
    assert folded("Poliţia Poliția Politia") == "politia politia politia"
