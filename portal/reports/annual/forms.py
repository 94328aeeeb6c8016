"""The annual report's forms: the manager's words, one comparator, the child population, and a
file of comparators. Each value is checked by the same functions the CSV import uses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect, GovTextArea, GovTextInput
from wtforms import Field, SelectField, StringField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length

from portal.forms import GovSubmit, PortalForm, choices
from portal.reports.annual.comparators import (
    AREA_MAX,
    SOURCE_MAX,
    check_date,
    check_value,
    check_year,
)
from portal.reports.annual.measures import MEASURES
from portal.reports.annual.words import SECTIONS, WORDS_MAX
from portal.reports.quarters import current_financial_year


def _words_field(title: object) -> TextAreaField:
    return TextAreaField(
        title,
        description=_l("Optional. Plain text: a blank line starts a new paragraph."),
        validators=[Length(max=WORDS_MAX, message=_l("Write up to 10,000 characters"))],
        widget=GovTextArea(),
    )


class WordsForm(PortalForm):
    introduction = _words_field(SECTIONS[0].title)
    worked_well = _words_field(SECTIONS[1].title)
    worried_about = _words_field(SECTIONS[2].title)
    objectives = _words_field(SECTIONS[3].title)
    submit = SubmitField(_l("Save the words"), widget=GovSubmit())


class _Sourced(PortalForm):
    """A figure's year, where it was published, and when."""

    year = StringField(
        _l("Financial year"),
        description=_l("Like 2020 for April 2020 to March 2021"),
        widget=GovTextInput(),
    )
    source = StringField(
        _l("Source"),
        description=_l("Where it was published, like a DfE statistics release"),
        validators=[
            InputRequired(_l("Enter the source")),
            Length(max=SOURCE_MAX, message=_l("Enter up to 200 characters")),
        ],
        widget=GovTextInput(),
    )
    source_date = StringField(
        _l("Date published"), description=_l("Like 2021-10-28"), widget=GovTextInput()
    )
    year_value: int
    date_value: date

    def validate_year(self, field: Field) -> None:
        year = check_year((field.data or "").strip(), current_financial_year())
        if year is None:
            raise ValidationError(_("Enter a financial year like 2020, not after this one"))
        self.year_value = year

    def validate_source_date(self, field: Field) -> None:
        day = check_date((field.data or "").strip())
        if day is None:
            raise ValidationError(
                _("Enter the date it was published as YYYY-MM-DD, not after today")
            )
        self.date_value = day


class ComparatorForm(_Sourced):
    measure = SelectField(
        _l("Measure"), choices=choices((m.key, m.label) for m in MEASURES), widget=GovSelect()
    )
    area = StringField(
        _l("Area"),
        description=_l("Like South East, Statistical neighbours or England"),
        validators=[
            InputRequired(_l("Enter the area")),
            Length(max=AREA_MAX, message=_l("Enter up to 100 characters")),
        ],
        widget=GovTextInput(),
    )
    value = StringField(
        _l("Figure"),
        description=_l("A number, like 24.4 or 11 (no per cent sign)"),
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Save the figure"), widget=GovSubmit())
    number: Decimal

    def validate_value(self, field: Field) -> None:
        number = check_value((field.data or "").strip())
        if number is None:
            raise ValidationError(_("Enter the figure as a number from 0, like 24.4"))
        self.number = number


class PopulationForm(_Sourced):
    children = StringField(
        _l("Children aged 0 to 17"), description=_l("Like 61200"), widget=GovTextInput()
    )
    submit = SubmitField(_l("Save the population"), widget=GovSubmit())
    count: int

    def validate_children(self, field: Field) -> None:
        text = (field.data or "").strip().replace(",", "")
        if not (text.isascii() and text.isdigit() and 0 < int(text) < 100_000_000):
            raise ValidationError(_("Enter the number of children as a whole number, like 61200"))
        self.count = int(text)


class ComparatorFileForm(PortalForm):
    file = FileField(
        _l("Import other areas' figures"),
        description=_l("A CSV file (UTF-8) with the header shown above"),
        widget=GovFileInput(),
    )
    submit = SubmitField(_l("Import the file"), widget=GovSubmit())

    def validate_file(self, field: FileField) -> None:
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_("Select a CSV file"))
