"""The staff's form for views or feedback given another way: how they were given (required),
then every question of the person's own form on one page, each made by ``form_for``, the same
form the family's one-question page uses."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import FormField, RadioField

from portal.family_forms.forms import QuestionForm, form_for
from portal.family_forms.questionnaire import Question, Questionnaire
from portal.forms import PortalForm, choices
from portal.models import EntryRoute


class EntryForm(PortalForm):
    route = RadioField(
        "How did they give them?",
        choices=choices(EntryRoute.choices()),
        invalid_choice_message="Select how they gave them",
        widget=GovRadioInput(),
    )

    questionnaire: Questionnaire

    def question_forms(self) -> list[tuple[Question, QuestionForm]]:
        return [(q, self[q.id].form) for q in self.questionnaire.questions]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        # Every question on one page: each message names its question, or the error summary
        # would list "Select an answer" five times over.
        for question, form in self.question_forms():
            for field in form:
                if field.errors:
                    field.errors = [f"{error} for “{question.title}”" for error in field.errors]
        return valid

    def answers(self) -> dict[str, dict[str, Any]]:
        """What is saved, per question: only the questions given an answer (an optional one
        left blank is not saved, as on the family's pages)."""
        saved = {}
        for question, form in self.question_forms():
            value = form.value()
            if question.kind == "text" and not value.get("text"):
                continue
            saved[question.id] = value
        return saved


def entry_form(questionnaire: Questionnaire) -> EntryForm:
    fields: dict[str, Any] = {"questionnaire": questionnaire}
    for question in questionnaire.questions:
        # The question's own form class (form_for makes one per question), its CSRF token
        # left to the page's form around it.
        question_class = type(form_for(question))
        nested = type(f"Entered{question_class.__name__}", (question_class,), {"Meta": _NoCsrf})
        fields[question.id] = FormField(nested, separator="-")
    return type("QuestionsEntryForm", (EntryForm,), fields)()


class _NoCsrf:
    csrf = False
