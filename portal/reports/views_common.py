"""What the feedback and activity pages share: the year choices, and a refused query's page."""

from __future__ import annotations

from flask import render_template

from portal.reports.quarters import BadQuery, current_financial_year, year_label
from portal.reports.years import report_years


def year_choices(asked: int | None = None, **extra: object) -> dict[str, object]:
    """The template values every report's year filter needs (the years every report offers,
    ``asked`` among them), and ``extra``."""
    return {
        "years": report_years(asked),
        "default_year": current_financial_year(),
        "year_label": year_label,
        **extra,
    }


def refused(template: str, problem: BadQuery, **choices: object) -> tuple[str, int]:
    """The report's page with the problem in its error summary, and no report: a 400."""
    return render_template(template, problem=problem, report=None, **choices), 400
