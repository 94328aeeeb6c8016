"""What the feedback and activity pages share: the year choices, and a refused query's page."""

from __future__ import annotations

from flask import render_template

from portal.reports.quarters import EARLIEST_YEAR, BadQuery, current_financial_year, year_label


def year_choices(**extra: object) -> dict[str, object]:
    """The template values every report's year filter needs (newest year first), and ``extra``."""
    return {
        "years": range(current_financial_year() + 1, EARLIEST_YEAR - 1, -1),
        "default_year": current_financial_year(),
        "year_label": year_label,
        **extra,
    }


def refused(template: str, problem: BadQuery, **choices: object) -> tuple[str, int]:
    """The report's page with the problem in its error summary, and no report: a 400."""
    return render_template(template, problem=problem, report=None, **choices), 400
