"""The feedback report's page and its CSV and XLSX files."""

from __future__ import annotations

from flask import render_template, request
from werkzeug.wrappers import Response

from portal.messaging.default_wording.en import RATING_SCALE
from portal.models import FormKind
from portal.reports.export import Format, export_name, export_response
from portal.reports.feedback import CHANNELS, feedback_report, parse_filters
from portal.reports.quarters import BadQuery
from portal.reports.routes import bp
from portal.reports.views_common import refused, year_choices

TEMPLATE = "reports/feedback.html"


def _choices(asked: int | None = None) -> dict[str, object]:
    return year_choices(asked, forms=list(FormKind), channels=CHANNELS, rating_scale=RATING_SCALE)


@bp.get("/feedback")
def feedback() -> str | tuple[str, int]:
    try:
        filters = parse_filters(request.args)
    except BadQuery as problem:
        return refused(TEMPLATE, problem, **_choices())
    report = feedback_report(filters)
    return render_template(TEMPLATE, report=report, problem=None, **_choices(filters.year))


@bp.get("/feedback.<any(csv,xlsx):fmt>")
def feedback_export(fmt: Format) -> Response | tuple[str, int]:
    try:
        filters = parse_filters(request.args)
    except BadQuery as problem:
        return refused(TEMPLATE, problem, **_choices())
    report = feedback_report(filters)
    return export_response(fmt, report.tables(), export_name("feedback", filters.year))
