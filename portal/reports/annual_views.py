"""The annual report's pages: the report for a year, its PDF and Word files, the manager's
words, and other areas' figures (admins). Thin: a form checked, a service called."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from portal.reports.annual.comparators import (
    CSV_HEADER,
    BadComparators,
    ComparatorEntry,
    import_comparators,
    save_comparator,
    save_population,
)
from portal.reports.annual.documents import DOCUMENT_TYPES, document_name, render_document
from portal.reports.annual.forms import (
    ComparatorFileForm,
    ComparatorForm,
    PopulationForm,
    WordsForm,
)
from portal.reports.annual.page import page_values
from portal.reports.annual.report import annual_report
from portal.reports.annual.words import SECTION_KEYS, latest_words, save_words, versions
from portal.reports.quarters import BadQuery, current_financial_year, parse_year, year_label
from portal.reports.routes import bp
from portal.reports.views_common import refused, year_choices

TEMPLATE = "reports/annual.html"


def _year_or_refused() -> int | tuple[str, int]:
    """The year asked for, or the report's page saying what is wrong with it (a 400)."""
    try:
        return parse_year(request.args.get("year"))
    except BadQuery as problem:
        return refused(TEMPLATE, problem, **year_choices())


@bp.get("/annual")
def annual() -> str | tuple[str, int]:
    year = _year_or_refused()
    if not isinstance(year, int):
        return year
    report = annual_report(year)
    return render_template(TEMPLATE, problem=None, **page_values(report), **year_choices(year))


@bp.get("/annual.<any(pdf,docx):document>")
def annual_document(document: str) -> BaseResponse | tuple[str, int]:
    year = _year_or_refused()
    if not isinstance(year, int):
        return year
    body = render_document(annual_report(year), document)
    return Response(
        body,
        mimetype=DOCUMENT_TYPES[document],
        headers={"Content-Disposition": f'attachment; filename="{document_name(year, document)}"'},
    )


@bp.route("/annual/words", methods=["GET", "POST"])
def annual_words() -> BaseResponse | str | tuple[str, int]:
    year = _year_or_refused()
    if not isinstance(year, int):
        return year
    current = latest_words(year)
    form = WordsForm(data={key: row.body if row else "" for key, row in current.items()})
    if form.validate_on_submit():
        saved = save_words(year, {key: form[key].data or "" for key in SECTION_KEYS}, current_user)
        flash(_("Saved.") if saved else _("Nothing had changed."))
        return redirect(url_for("reports.annual", year=year))
    return render_template(
        "reports/annual_words.html",
        form=form,
        year=year,
        year_label=year_label(year),
        versions=versions(year),
    )


def _comparators_page(**forms: object) -> str:
    page = {
        "comparator_form": ComparatorForm(prefix="one"),
        "population_form": PopulationForm(prefix="population"),
        "file_form": ComparatorFileForm(prefix="file"),
        "columns": ",".join(CSV_HEADER),
        "problems": [],
        **forms,
    }
    return render_template("reports/annual_comparators.html", **page)


@bp.get("/annual/comparators")
def annual_comparators() -> str:
    return _comparators_page()


@bp.post("/annual/comparators")
def annual_comparator_save() -> BaseResponse | str:
    form = ComparatorForm(prefix="one")
    if not form.validate_on_submit():
        return _comparators_page(comparator_form=form)
    entry = ComparatorEntry(
        form.measure.data or "",
        form.year_value,
        (form.area.data or "").strip(),
        form.number,
        (form.source.data or "").strip(),
        form.date_value,
    )
    save_comparator(entry, current_user)
    flash(_("The figure is saved."))
    return redirect(url_for("reports.annual", year=form.year_value, _anchor="comparators"))


@bp.post("/annual/population")
def annual_population() -> BaseResponse | str:
    form = PopulationForm(prefix="population")
    if not form.validate_on_submit():
        return _comparators_page(population_form=form)
    source = (form.source.data or "").strip()
    save_population(form.year_value, form.count, source, form.date_value, current_user)
    flash(_("The population is saved."))
    return redirect(url_for("reports.annual", year=form.year_value, _anchor="comparators"))


@bp.post("/annual/comparators/import")
def annual_comparators_import() -> BaseResponse | str:
    form = ComparatorFileForm(prefix="file")
    if not form.validate_on_submit():
        return _comparators_page(file_form=form)
    try:
        count = import_comparators(form.file.data.read(), current_user, current_financial_year())
    except BadComparators as bad:
        form.file.errors = [_("The file has problems, listed below. Nothing was imported.")]
        return _comparators_page(file_form=form, problems=bad.problems)
    flash(_("Imported %(count)s figures.", count=count))
    return redirect(url_for("reports.annual", _anchor="comparators"))
