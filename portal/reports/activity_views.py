"""The conference activity report's page, its CSV and XLSX files, and the list of long plans."""

from __future__ import annotations

from flask import render_template, request
from werkzeug.wrappers import Response

from portal.reports.activity import (
    COLUMNS,
    LONG_PLAN_MONTHS,
    activity_report,
    long_plans,
    parse_filters,
    today,
)
from portal.reports.export import export_response
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
        "year_label": year_label,
        "columns": COLUMNS,
        "long_plan_months": LONG_PLAN_MONTHS,
    }


def _refused(problem: BadQuery) -> tuple[str, int]:
    return render_template("reports/activity.html", problem=problem, report=None, **_choices()), 400


@bp.get("/activity")
def activity() -> str | tuple[str, int]:
    try:
        filters = parse_filters(request.args)
    except BadQuery as problem:
        return _refused(problem)
    return render_template(
        "reports/activity.html", report=activity_report(filters), problem=None, **_choices()
    )


@bp.get("/activity.<any(csv,xlsx):fmt>")
def activity_export(fmt: str) -> Response | tuple[str, int]:
    try:
        filters = parse_filters(request.args)
    except BadQuery as problem:
        return _refused(problem)
    report = activity_report(filters)
    return export_response(fmt, report.tables(), f"activity-{filters.year}")  # type: ignore[arg-type]


@bp.get("/long-plans", endpoint="long_plans")
def long_plans_list() -> str:
    on = today()
    return render_template(
        "reports/long_plans.html", plans=long_plans(on), today=on, months=LONG_PLAN_MONTHS
    )
