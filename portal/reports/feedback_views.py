"""The feedback report's page and its CSV and XLSX files."""

from __future__ import annotations

from flask import render_template, request
from werkzeug.wrappers import Response

from portal.models import FormKind
from portal.reports.export import export_response
from portal.reports.feedback import CHANNELS, feedback_report, parse_filters
from portal.reports.quarters import (
    EARLIEST_YEAR,
    BadQuery,
    current_financial_year,
    year_label,
)
from portal.reports.routes import bp


def _choices() -> dict[str, object]:
    return {
        "years": range(current_financial_year() + 1, EARLIEST_YEAR - 1, -1),
        "default_year": current_financial_year(),
        "forms": list(FormKind),
        "channels": CHANNELS,
        "year_label": year_label,
    }


def _refused(problem: BadQuery) -> tuple[str, int]:
    return render_template("reports/feedback.html", problem=problem, report=None, **_choices()), 400


@bp.get("/feedback")
def feedback() -> str | tuple[str, int]:
    try:
        filters = parse_filters(request.args)
    except BadQuery as problem:
        return _refused(problem)
    return render_template(
        "reports/feedback.html", report=feedback_report(filters), problem=None, **_choices()
    )


@bp.get("/feedback.<any(csv,xlsx):fmt>")
def feedback_export(fmt: str) -> Response | tuple[str, int]:
    try:
        filters = parse_filters(request.args)
    except BadQuery as problem:
        return _refused(problem)
    report = feedback_report(filters)
    return export_response(fmt, report.tables(), f"feedback-{filters.year}")  # type: ignore[arg-type]
