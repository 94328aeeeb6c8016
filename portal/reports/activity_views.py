"""The conference activity report's page, its CSV and XLSX files, and the list of long plans."""

from __future__ import annotations

from flask import render_template, request
from werkzeug.wrappers import Response

from portal.reports.activity import (
    COLUMNS,
    ActivityReport,
    activity_report,
    parse_filters,
    today,
)
from portal.reports.activity_chart import CHART_SIZE, trend_charts
from portal.reports.export import Format, export_name, export_response
from portal.reports.long_plans import LONG_PLAN_MONTHS, long_plans
from portal.reports.quarters import BadQuery
from portal.reports.routes import bp
from portal.reports.views_common import refused, year_choices

TEMPLATE = "reports/activity.html"


def _choices(asked: int | None = None) -> dict[str, object]:
    return year_choices(asked, columns=COLUMNS, long_plan_months=LONG_PLAN_MONTHS)


@bp.get("/activity")
def activity() -> str | tuple[str, int]:
    try:
        filters = parse_filters(request.args)
    except BadQuery as problem:
        return refused(TEMPLATE, problem, **_choices())
    report = activity_report(filters)
    return render_template(
        TEMPLATE,
        report=report,
        charts=_charts(report),
        chart_size=CHART_SIZE,
        problem=None,
        **_choices(filters.year),
    )


def _charts(report: ActivityReport) -> object:
    return trend_charts(
        [report.figure("initial_within_15_working_days"), report.figure("reviews_in_timescale")],
        [report.figure(name) for name in ("new_plans", "plans_ended", "plans_at_end")],
    )


@bp.get("/activity.<any(csv,xlsx):fmt>")
def activity_export(fmt: Format) -> Response | tuple[str, int]:
    try:
        filters = parse_filters(request.args)
    except BadQuery as problem:
        return refused(TEMPLATE, problem, **_choices())
    report = activity_report(filters)
    return export_response(fmt, report.tables(), export_name("activity", filters.year))


@bp.get("/long-plans", endpoint="long_plans")
def long_plans_list() -> str:
    on = today()
    return render_template(
        "reports/long_plans.html", plans=long_plans(on), today=on, months=LONG_PLAN_MONTHS
    )
