"""Form fields shared by every domain, with error messages in the GOV.UK voice."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from datetime import date, time
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from govuk_frontend_wtf.gov_form_base import GovFormBase
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from markupsafe import Markup
from wtforms import (
    Field,
    Form,
    FormField,
    IntegerField,
    RadioField,
    StringField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, StopValidation

from portal.models import LabelledEnum

# Control characters (but tabs and line breaks) cannot be kept: PostgreSQL refuses NUL, the
# reports' XLSX refuses the rest, and none of them is something a person means to type.
UNKEEPABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip(value: str | None) -> str | None:
    """A filter for text fields: the answer without the spaces and blank lines around it."""
    return value.strip() if value else value


def keepable(form: Any, field: Field) -> None:
    """Text with a control character in it is refused on the form, and the field's other
    checks are not run: some look the text up in the database, which cannot take a NUL."""
    if isinstance(field.data, str) and UNKEEPABLE.search(field.data):
        # A field that already says what is wrong (a time that is not a time) says it once.
        raise StopValidation(
            None
            if field.errors
            else _l("Your answer has a character we cannot keep. Remove it and try again")
        )


class WordedHintsOnly:
    """A GOV.UK widget that gives a field a hint only when it has words. govuk-frontend-wtf gives
    radios, checkboxes and dates a hint even when the field has no description, and the fieldset's
    aria-describedby then names an empty element (issue 22)."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        # A mixin: the GOV.UK widget it comes before in the class's bases has map_gov_params.
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)  # type: ignore[misc]
        hint = params.get("hint")
        if hint is not None and not (hint.get("text") or hint.get("html")):
            del params["hint"]
        return params


class RenderedAlone:
    """A GOV.UK widget whose template is rendered with its parameters alone. govuk-frontend-wtf
    renders each field with Flask's ``render_template``, which runs every context processor (the
    page's languages, time limit, CSRF token...) again for each field; the widget's template
    reads only ``params``, so a question page is made with one set of them, not one a field."""

    template: str

    def render(self, params: dict[str, Any]) -> Markup:
        template = current_app.jinja_env.get_template(self.template)  # .html: autoescaped
        return Markup(template.render(params=params))  # noqa: S704  # nosec B704  # escaped


_WORDED: dict[type, type] = {}


def _worded_hints_only(widget_class: type) -> type:
    """The widget's class with ``WordedHintsOnly`` and ``RenderedAlone`` before it, made once
    per class."""
    if widget_class not in _WORDED:
        _WORDED[widget_class] = type(
            widget_class.__name__, (WordedHintsOnly, RenderedAlone, widget_class), {}
        )
    return _WORDED[widget_class]


class PortalForm(FlaskForm):
    """The base of every form: each text field (``StringField`` and its kinds: text areas,
    passwords, hidden fields) refuses control characters with a message on the form, before
    its own checks, so the person keeps their other answers and sees what was wrong. Each GOV.UK
    widget gives a hint only when it has words (``WordedHintsOnly``). No form needs to remember
    either; tests/unit/test_forms.py checks every form is one of these."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField):
                # A new list: the one passed in is shared by every form made from the class.
                field.validators = [keepable, *field.validators]
            widget = field.widget
            if isinstance(widget, GovFormBase) and not isinstance(widget, WordedHintsOnly):
                # A copy: the widget passed in is shared by every form made from the class.
                field.widget = copy.copy(widget)
                field.widget.__class__ = _worded_hints_only(type(widget))
            return field


class NeverShownBack(GovTextInput):
    """A text box whose answer is never put back on the page, not even beside a message about
    it: for a secret typed in (the word agreed with a person)."""

    def __call__(self, field: Field, **kwargs: Any) -> Any:
        kwargs["value"] = ""
        return super().__call__(field, **kwargs)


class GovSubmit(GovSubmitInput):
    """A GOV.UK button that ignores a second click within a second (no duplicate records)."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("preventDoubleClick", True)
        return params


Text = str | LazyString  # a string, or a lazy translation of one (made at import time)

# "{Name} must include a ...": whole sentences, so a translator sees each one entire.
_MISSING_PARTS = {
    ("day",): _l("%(name)s must include a day"),
    ("month",): _l("%(name)s must include a month"),
    ("year",): _l("%(name)s must include a year"),
    ("day", "month"): _l("%(name)s must include a day and a month"),
    ("day", "year"): _l("%(name)s must include a day and a year"),
    ("month", "year"): _l("%(name)s must include a month and a year"),
}


DATE_PARTS = ("day", "month", "year")


class GovDateField(Field):
    """Day, month and year boxes, validated the way the GOV.UK date input pattern asks.

    ``name_in_errors`` is used in messages: "Enter the {name}", "{Name} must include a month".
    Labels and names may be lazy translations (``lazy_gettext``).

    The error summary links to ``error_target_id``: the first box in error, or the day box
    when the whole date is wrong. Never the fieldset around them, which cannot take focus.
    """

    widget = GovDateInput()

    def __init__(self, label: Text, *, name_in_errors: Text, required: bool = True, **kwargs: Any):
        super().__init__(label, **kwargs)
        self.name_in_errors = name_in_errors
        self.required = required
        self.data: date | None = None
        self.part_in_error: str | None = None  # "day", "month" or "year"; None: the whole date

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:  # not in the submitted data at all (the widget wants None, not [])
            self.raw_data = None
            return
        # Exactly three parts, however many were posted: the widget unpacks day, month, year.
        parts = [part.strip() for part in (valuelist + ["", "", ""])[:3]]
        self.raw_data = parts
        if not any(parts):
            self.data = None
            if self.required:
                raise ValueError(_("Enter the %(name)s", name=self.name_in_errors))
            return
        missing = tuple(
            unit for unit, part in zip(("day", "month", "year"), parts, strict=True) if not part
        )
        if missing:
            self.part_in_error = missing[0]
            raise ValueError(str(_MISSING_PARTS[missing]) % {"name": self._capitalised_name()})
        try:
            day, month, year = (int(part) for part in parts)
            if year < 1000:
                raise ValueError
            self.data = date(year, month, day)
        except (ValueError, OverflowError):  # a part of 20 digits is too big for date()
            self.data = None
            self.part_in_error = _first_impossible_part(parts)
            raise ValueError(
                _("%(name)s must be a real date", name=self._capitalised_name())
            ) from None

    def _capitalised_name(self) -> str:
        return str(self.name_in_errors).capitalize()

    @property
    def error_target_id(self) -> str:
        # The widget (govuk-frontend-wtf's GovDateInput) names the boxes' ids after field.name.
        return f"{self.name}-{self.part_in_error or DATE_PARTS[0]}"

    def pre_validate(self, form: Any) -> None:
        if self.required and self.data is None and not self.errors and not self.raw_data:
            raise ValidationError(_("Enter the %(name)s", name=self.name_in_errors))

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if self.data else ""


def _first_impossible_part(parts: list[str]) -> str:
    """The first of day, month and year that cannot be right whatever the others are; the day
    when each could be but not together (31 2 2026)."""
    ranges = {"day": range(1, 32), "month": range(1, 13), "year": range(1000, 10000)}
    for unit, part in zip(DATE_PARTS, parts, strict=True):
        try:
            if int(part) not in ranges[unit]:
                return unit
        except ValueError:  # not a number at all
            return unit
    return DATE_PARTS[0]


_TIME_PATTERN = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$", re.IGNORECASE
)


def parse_time(text: str) -> time | None:
    """Read '10:30', '14.00', '2pm', '2:30pm' or 'midday'; None if it is not a time."""
    text = text.strip().lower().replace(" ", "")
    if text in {"midday", "noon", "12noon"}:
        return time(12, 0)
    match = _TIME_PATTERN.match(text)
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"] == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class GovTimeField(StringField):
    """A time of day typed as text: GOV.UK has no time component, people type '2pm' or '14:00'."""

    widget = GovTextInput()

    def __init__(self, label: Text, *, name_in_errors: Text, **kwargs: Any):
        super().__init__(label, **kwargs)
        self.name_in_errors = name_in_errors
        self.time_value: time | None = None

    def pre_validate(self, form: Any) -> None:
        if not (self.data or "").strip():
            raise ValidationError(_("Enter the %(name)s", name=self.name_in_errors))
        self.time_value = parse_time(self.data)
        if self.time_value is None:
            raise ValidationError(
                _(
                    "Enter the %(name)s as a time of day, like 10:30am or 14:00",
                    name=self.name_in_errors,
                )
            )


class WholeNumberField(IntegerField):
    """An optional whole number, with a message in the GOV.UK voice when it is not one."""

    widget = GovTextInput()
    data: int | None

    def __init__(self, label: Text, *, invalid_message: Text, **kwargs: Any):
        super().__init__(label, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            super().process_formdata([valuelist[0].strip()])
        except ValueError:
            raise ValueError(self.invalid_message) from None
        if self.data is not None and not 1 <= self.data < 2**31:
            self.data = None
            raise ValueError(self.invalid_message)


def error_summary(form: Form, title: Text) -> dict[str, Any]:
    """The parameters of the GOV.UK error summary (``govukErrorSummary``) for a form in error:
    each field's first message, linked to the box that takes focus when the link is followed.
    In place of govuk-frontend-wtf's ``wtforms_errors``, which links a date to its fieldset."""
    return {"titleText": title, "errorList": list(_error_links(form))}


def _error_links(form: Form) -> Iterator[dict[str, Any]]:
    for message in getattr(form, "form_errors", []):  # the form's own, about no one field
        yield {"text": message}
    for field in form:
        if isinstance(field, FormField):  # a sub-form (the record's people): its own fields
            yield from _error_links(field.form)
        elif field.errors:
            target = field.error_target_id if isinstance(field, GovDateField) else field.id
            yield {"text": field.errors[0], "href": f"#{target}"}


def choices(pairs: Iterable[tuple[str, Text]]) -> list[SelectChoice]:
    """Choices for radios and selects, as (value, label) pairs; a label may be lazy."""
    return [SelectChoice(value, label) for value, label in pairs]


YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])


def required_text(message: Text, max_length: int) -> list[Any]:
    return [
        InputRequired(message=message),
        # Length fills in %(max)d.
        Length(max=max_length, message=_l("Must be %(max)d characters or fewer")),
    ]


def enum_radio(
    label: Text,
    enum_class: type[LabelledEnum],
    message: Text,
    members: Iterable[LabelledEnum] | None = None,
    **kwargs: Any,
) -> RadioField:
    """Radios for a closed vocabulary: one item per member (or per one of ``members``)."""
    return RadioField(
        label,
        choices=choices(enum_class.choices(members)),
        invalid_choice_message=message,  # also what an empty answer gets
        widget=GovRadioInput(),
        **kwargs,
    )
