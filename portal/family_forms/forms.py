"""One small form per question, made from the question's definition."""

from __future__ import annotations

from typing import Any, Literal

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovCheckboxesInput, GovRadioInput
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, ValidationError

from portal.attachments import CleanedFile, RefusedFile
from portal.family_forms.drawings import cleaned_drawing
from portal.family_forms.faces import face_label
from portal.family_forms.questionnaire import Question
from portal.forms import GovSubmit, PortalForm, choices, strip


class Translated:
    """GOV.UK widgets with their built-in words in the page's language: the hidden "Error:"
    before each message, and the character count's messages (read out as the person types)."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        # A mixin: the GOV.UK widget it comes before in the class's bases has map_gov_params.
        params = super().map_gov_params(field, **kwargs)  # type: ignore[misc]
        if "errorMessage" in params:
            params["errorMessage"]["visuallyHiddenText"] = _l("Error")
        # An empty hint is dropped by PortalForm's WordedHintsOnly, as on every form.
        return params


class FamilyRadios(Translated, GovRadioInput):
    pass


class FamilyCheckboxes(Translated, GovCheckboxesInput):
    """Checkboxes with, where the question has one, an exclusive last choice after an "or"
    divider (GOV.UK Frontend's checkboxes script unticks the others when it is ticked)."""

    def __init__(self, exclusive: str | None = None) -> None:
        self.exclusive = exclusive

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        if self.exclusive is not None:
            items: list[dict[str, Any]] = []
            for item in params["items"]:
                if item["value"] == self.exclusive:
                    items.append({"divider": _l("or")})
                    item = {**item, "behaviour": "exclusive"}
                items.append(item)
            params["items"] = items
        return params


def exclusive_alone(exclusive: str) -> Any:
    """The server's own check: the exclusive choice with any other is refused, as it is on a
    page without JavaScript, where nothing unticks the other boxes."""

    def check(form: Any, field: Any) -> None:
        if exclusive in (field.data or []) and len(field.data) > 1:
            raise ValidationError(
                _l("Select the help you need, or select no help needed, not both")
            )

    return check


class FamilyCharacterCount(Translated, GovCharacterCount):
    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        # %{count} is filled in by GOV.UK Frontend, which picks the plural form by the page's
        # language: English needs "one" and "other", Polish "few" and "many" as well.
        params.update(
            textareaDescriptionText=_l("You can enter up to %{count} characters"),
            charactersUnderLimitText=_plurals(
                _l("You have %{count} character remaining"),
                _l("You have %{count} characters remaining"),
            ),
            charactersAtLimitText=_l("You have 0 characters remaining"),
            charactersOverLimitText=_plurals(
                _l("You have %{count} character too many"),
                _l("You have %{count} characters too many"),
            ),
        )
        return params


def _plurals(one: Any, more: Any) -> dict[str, Any]:
    return {"one": one, "few": more, "many": more, "other": more}


class QuestionForm(PortalForm):
    submit = SubmitField(_l("Save and continue"), widget=GovSubmit())

    def value(self) -> dict[str, Any]:
        """What is saved: only the parts the question has."""
        saved: dict[str, Any] = {}
        for name in ("choice", "choices", "text"):
            if name in self:
                saved[name] = self[name].data if name != "text" else (self[name].data or "")
        return saved

    def drawing_change(self) -> CleanedFile | Literal["remove"] | None:
        """A new drawing (cleaned) to keep, "remove" to take the kept one away, or None to
        leave it as it is: a house without a drawing, or no JavaScript, sends nothing."""
        if "drawing" not in self:
            return None
        cleaned: CleanedFile | None = getattr(self, "cleaned", None)
        if cleaned is not None:
            return cleaned
        return "remove" if self["remove_drawing"].data else None


def _drawn(form: Any, field: Any) -> None:
    """The drawing sent, if any, checked and cleaned as the form is validated (so a refusal is
    an error on the page): kept on the form for ``drawing_change``."""
    if field.data:
        try:
            form.cleaned = cleaned_drawing(field.data)
        except RefusedFile as refused:
            field.data = ""  # not sent back to the page
            raise ValidationError(str(refused)) from None


def form_for(
    question: Question, saved: dict[str, Any] | None = None, drawing: bool = False
) -> QuestionForm:
    fields: dict[str, Any] = {}
    if drawing:
        fields["drawing"] = HiddenField(validators=[_drawn])
        fields["remove_drawing"] = BooleanField(_l("Remove this drawing"))
    if question.kind == "choice":
        options = question.options
        if question.look in ("faces", "feelings"):
            options = tuple((value, face_label(value, words)) for value, words in options)
        fields["choice"] = RadioField(
            question.title,
            description=question.hint,
            choices=choices(options),
            invalid_choice_message=question.error,
            widget=FamilyRadios(),
        )
    elif question.kind == "choices":
        fields["choices"] = SelectMultipleField(
            question.title,
            description=question.hint,
            choices=choices(question.options),
            validators=[
                *([InputRequired(message=question.error)] if question.required else []),
                *([exclusive_alone(question.exclusive)] if question.exclusive else []),
            ],
            widget=FamilyCheckboxes(question.exclusive),
        )
    if question.kind == "text" or question.detail_label:
        limit = question.max_length
        fields["text"] = TextAreaField(
            question.label if question.kind == "text" else question.detail_label,
            description=question.hint if question.kind == "text" else "",
            validators=[
                Length(max=limit, message=_l("Your answer must be %(max)d characters or fewer"))
            ],
            filters=[strip],
            widget=FamilyCharacterCount(),
        )
    form_class = type(f"{question.id.title()}Form", (QuestionForm,), fields)
    return form_class(data=saved or {})
