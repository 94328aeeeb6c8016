"""Every form is a PortalForm: each text field refuses control characters on the form itself."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from wtforms import Form, PasswordField, StringField, TextAreaField, ValidationError

from portal.forms import PortalForm, strip

CANNOT_KEEP = "Your answer has a character we cannot keep. Remove it and try again"


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for subclass in list(found):
        found |= _subclasses(subclass)
    return found


def _has_text_field(form_class: type) -> bool:
    return any(
        issubclass(getattr(value, "field_class", type), StringField)
        for value in vars(form_class).values()
    )


def test_every_form_in_the_portal_is_a_portal_form(app: Flask) -> None:
    """The app is built, so every form class is imported. A plain WTForms sub-form (the
    record's people) may do without, as long as it has no text field."""
    forms = [cls for cls in _subclasses(Form) if cls.__module__.startswith("portal.")]
    assert len(forms) >= 30
    strays = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in forms
        if not issubclass(cls, PortalForm)
        and (issubclass(cls, FlaskForm) or any(_has_text_field(c) for c in cls.__mro__))
    ]
    assert strays == []


class _Answers(PortalForm):
    class Meta:
        csrf = False

    name = StringField(filters=[strip])
    note = TextAreaField(validators=[])
    password = PasswordField()

    def validate_name(self, field: StringField) -> None:
        if field.data == "looked up":  # stands for a check that asks the database
            raise ValidationError("Looked up")


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x0b"])
def test_a_control_character_is_refused_on_the_form_and_the_other_answers_kept(
    app: Flask, character: str
) -> None:
    posted = {"name": f"Sa{character}m", "note": "kept", "password": "also\x00"}
    with app.test_request_context(method="POST", data=posted):
        form = _Answers()
        assert not form.validate()
        assert form.errors == {"name": [CANNOT_KEEP], "password": [CANNOT_KEEP]}
        assert form.note.data == "kept"


def test_tabs_and_line_breaks_are_kept_and_text_is_stripped(app: Flask) -> None:
    posted = {"name": "  Sam\tJones \n", "note": "line one\r\nline two"}
    with app.test_request_context(method="POST", data=posted):
        form = _Answers()
        assert form.validate(), form.errors
        assert form.name.data == "Sam\tJones"


def test_the_fields_own_checks_wait_until_the_text_can_be_kept(app: Flask) -> None:
    """A check that would look the text up never sees a NUL (PostgreSQL cannot take one)."""
    with app.test_request_context(method="POST", data={"name": "looked up"}):
        form = _Answers()
        assert not form.validate()
        assert form.errors == {"name": ["Looked up"]}
    with app.test_request_context(method="POST", data={"name": "looked\x00up"}):
        form = _Answers()
        assert not form.validate()
        assert form.errors == {"name": [CANNOT_KEEP]}


def test_the_check_is_added_once_per_form_not_to_the_class(app: Flask) -> None:
    with app.test_request_context(method="POST", data={}):
        first, second = _Answers(), _Answers()
    assert [len(f.name.validators) for f in (first, second)] == [1, 1]
    assert _Answers.note.kwargs["validators"] == []  # the class's own list is left alone
