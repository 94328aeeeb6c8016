"""The participation report's page and its exports (CSV, XLSX)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField, ValidationError

from portal.forms import PortalForm, choices
from portal.models import ConferenceType, utcnow
from portal.reports.export import Format, Table, export_name, export_response
from portal.reports.follow_up import count_unrecorded
from portal.reports.given_another_way import views_given_another_way
from portal.reports.participation import (
    COLUMNS,
    EXPORT_HEADER,
    METHOD_LABELS,
    METHODS,
    YEAR,
    AgeBelowSetting,
    Method,
    ParticipationTable,
    check_min_child_age,
    participation_table,
)
from portal.reports.quarters import (
    EARLIEST_YEAR,
    BadQuery,
    current_financial_year,
    parse_year,
    year_label,
)
from portal.reports.routes import bp
from portal.reports.years import report_years

MAX_CHILD_AGE = 18


class ParticipationFilterForm(PortalForm):
    """The report's filters, read from the query string (a GET: looking changes nothing). An
    absent value takes the default: this financial year and the settings."""

    class Meta:
        csrf = False

    year = SelectField(_l("Financial year"), widget=GovSelect(), validate_choice=False)
    type = SelectField(
        _l("Conference type"),
        choices=choices([("", _l("All types")), *ConferenceType.choices()]),
        widget=GovSelect(),
        default="",
        invalid_choice_message=_l("Select a conference type from the list"),
    )
    method = SelectField(
        _l("The year's percentage"),
        choices=choices((m, METHOD_LABELS[m]) for m in METHODS),
        widget=GovSelect(),
        invalid_choice_message=_l("Select how to work out the year's percentage from the list"),
    )
    min_child_age = StringField(
        _l("Count children from the age of"),
        description=_l("Younger children, and unborn children, are not counted (CP0)."),
        widget=GovTextInput(),
    )

    def __init__(self, formdata: Any) -> None:
        super().__init__(
            formdata=formdata,
            data={
                "year": str(current_financial_year()),
                "method": default_method(),
                "min_child_age": str(current_app.config["PARTICIPATION_MIN_AGE"]),
            },
        )

    def validate_year(self, field: SelectField) -> None:
        if _year_asked(field.data) is None:
            raise ValidationError(
                _l(
                    "Select a financial year: a year from %(first)s to %(last)s, like %(example)s",
                    first=EARLIEST_YEAR,
                    last=current_financial_year() + 1,
                    example=current_financial_year(),
                )
            )

    def validate_min_child_age(self, field: StringField) -> None:
        value = (field.data or "").strip()
        if not (_digits(value, 2) and int(value) <= MAX_CHILD_AGE):
            raise ValidationError(
                _l(
                    "Enter the age as a whole number of years from 0 to %(max)s, like 4",
                    max=MAX_CHILD_AGE,
                )
            )
        try:
            check_min_child_age(int(value), current_app.config["PARTICIPATION_MIN_AGE"])
        except AgeBelowSetting as error:
            raise ValidationError(str(error)) from None

    @property
    def conference_type(self) -> ConferenceType | None:
        return ConferenceType(self.type.data) if self.type.data else None

    def offer_years(self) -> None:
        """The years to choose from, as every report offers them."""
        years = report_years(_year_asked(self.year.data))
        self.year.choices = [(str(y), year_label(y)) for y in years]


def _year_asked(value: str | None) -> int | None:
    """The financial year in the query string, if it is one the reports cover (as the other
    reports: from 2000 to next year)."""
    if not (value or "").strip():
        return None  # the list never sends a blank: not a year
    try:
        return parse_year(value)  # ASCII digits only, at most four, from 2000 to next year
    except BadQuery:
        return None


def _digits(text: str, most: int) -> bool:
    """ASCII digits only ("²" is a digit to Python, and int() refuses it), at most ``most`` of
    them (thousands of digits raise ValueError in int(), not a number to compare)."""
    return 0 < len(text) <= most and text.isascii() and text.isdigit()


def default_method() -> Method:
    method = current_app.config["PARTICIPATION_YEAR_METHOD"]
    if method not in METHODS:
        raise RuntimeError(f"PARTICIPATION_YEAR_METHOD must be one of {', '.join(METHODS)}")
    return method


def _table_for(form: ParticipationFilterForm, year: int) -> ParticipationTable:
    return participation_table(
        year,
        min_child_age=int(form.min_child_age.data.strip()),
        method=form.method.data,
        conference_type=form.conference_type,
    )


def _refused(form: ParticipationFilterForm) -> tuple[str, int]:
    """The page again, with the error summary and no figures: the filters made no sense."""
    form.offer_years()
    return render_template("reports/participation.html", form=form, table=None), 400


@bp.get("/participation")
def participation() -> str | tuple[str, int]:
    form = ParticipationFilterForm(request.args)
    if not form.validate():
        return _refused(form)
    form.offer_years()
    year = int(form.year.data)
    table = _table_for(form, year)
    return render_template(
        "reports/participation.html",
        form=form,
        table=table,
        previous=_table_for(form, year - 1),
        given_another_way=views_given_another_way(year, form.conference_type),
        charts=charts(table),
        unrecorded=count_unrecorded(year, utcnow()),
        setting_min_age=current_app.config["PARTICIPATION_MIN_AGE"],
        setting_method=default_method(),
        method_labels=METHOD_LABELS,
        query={name: (form[name].data or "").strip() for name in form.data},
        grid=[(value, y_of(value)) for value in GRID],
        chart_size=(CHART_WIDTH, CHART_HEIGHT, PLOT_LEFT, PLOT_RIGHT, PLOT_BOTTOM),
    )


@bp.get("/participation.<any(csv, xlsx):fmt>")
def participation_export(fmt: Format) -> Response | tuple[str, int]:
    form = ParticipationFilterForm(request.args)
    if not form.validate():
        return _refused(form)
    table = _table_for(form, int(form.year.data))
    sheet = Table(f"Participation {table.title}", EXPORT_HEADER, table.export_rows())
    return export_response(fmt, [sheet], export_name("participation", table.year))


# --- The chart: grouped bars drawn on the server, the table above as its text alternative ----


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the percentage above the bar, or "–" when there is no one to count
    label_y: float
    pattern: bool  # participation bars are striped: the two measures differ by more than colour


@dataclass(frozen=True)
class Chart:
    key: str  # children, mothers, fathers: unique ids within the page
    title: str
    columns: list[tuple[str, float]]  # each quarter's (and the year's) label and centre
    bars: list[Bar]


CHART_WIDTH, CHART_HEIGHT = 480, 270
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 48, 472, 52, 236
BAR_WIDTH, BAR_GAP = 30, 4
GRID = (0, 25, 50, 75, 100)
_GROUPS = {
    "children": _l("Children"),
    "mothers": _l("Mothers"),
    "fathers": _l("Fathers"),
}


def y_of(percent: float) -> float:
    return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * percent / 100


def charts(table: ParticipationTable) -> list[Chart]:
    """One small chart per group of people: each quarter and the year, attendance (solid) beside
    participation (striped), the percentage written above each bar."""
    rows = {row.measure: row for row in table.rows}
    step = (PLOT_RIGHT - PLOT_LEFT) / len(COLUMNS)
    made = []
    for key, name in _GROUPS.items():
        bars, columns = [], []
        for index, column in enumerate(COLUMNS):
            centre = PLOT_LEFT + step * (index + 0.5)
            columns.append((str(_l("Year")) if column == YEAR else column, centre))
            for offset, measure in ((-1, "attendance"), (1, "participation")):
                cell = rows[f"{key}_{measure}"].cells[column]
                x = centre - BAR_WIDTH - BAR_GAP / 2 if offset < 0 else centre + BAR_GAP / 2
                share = float(cell.percent or 0)
                bars.append(
                    Bar(
                        x=x,
                        y=y_of(share),
                        width=BAR_WIDTH,
                        height=PLOT_BOTTOM - y_of(share),
                        label="–" if cell.percent is None else str(cell.percent),
                        label_y=y_of(share) - 5,
                        pattern=measure == "participation",
                    )
                )
        made.append(Chart(key=key, title=str(name), columns=columns, bars=bars))
    return made
