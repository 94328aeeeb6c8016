"""The words for the help a person asked for ("Someone to translate for me", "Easy read
papers"), from the questionnaires' own "What help do you need to take part?" questions: for
the staff pages that show tasks and needs."""

from __future__ import annotations

from collections.abc import Iterable

from portal.family_forms.questions import QUESTIONNAIRES

HELP_QUESTION = "help_needed"
_LABELS = {
    value: label
    for questionnaire in QUESTIONNAIRES.values()
    for question in questionnaire.questions
    if question.id == HELP_QUESTION
    for value, label in question.options
}


def help_labels(choices: Iterable[str]) -> list[str]:
    """Each choice's words, in the questions' order; an unknown choice as it is."""
    order = list(_LABELS)
    known = sorted((c for c in choices if c in _LABELS), key=order.index)
    return [str(_LABELS[c]) for c in known] + sorted(c for c in choices if c not in _LABELS)
