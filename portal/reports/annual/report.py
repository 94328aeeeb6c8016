"""The annual report for one financial year, built from the live reports: the activity report,
the participation table and the feedback report give every figure; this module only chooses
and orders them (the issue's order), adds the four years' trend, other areas' figures and the
manager's words. Nothing here counts records itself."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import AnnualText, ChildPopulation, Comparator
from portal.reports.activity import ActivityFilters, ActivityReport, activity_report
from portal.reports.activity_chart import Chart, bar_chart
from portal.reports.annual.measures import (
    MEASURES,
    NO_RECORDS,
    PER_10000,
    Headline,
    headlines,
    season,
)
from portal.reports.annual.words import latest_words
from portal.reports.feedback import FeedbackFilters, FeedbackReport, feedback_report
from portal.reports.participation import ParticipationTable, participation_table

TREND_YEARS = 4
TREND_CHART_MEASURES = ("plans_at_end", "new_plans", "meetings_all")


@dataclass(frozen=True)
class YearFigures:
    year: int
    activity: ActivityReport
    participation: ParticipationTable
    headlines: dict[str, Headline]


@dataclass(frozen=True)
class Trend:
    years: list[int]  # oldest first
    rows: list[tuple[str, str, list[Headline]]]  # measure key, label, a figure per year
    chart: Chart


@dataclass(frozen=True)
class AnnualReport:
    year: int
    current: YearFigures
    feedback: FeedbackReport
    trend: Trend
    population: ChildPopulation | None
    comparators: list[Comparator]
    words: dict[str, AnnualText | None]


def _trend_years(year: int) -> list[int]:
    """The years of the trend, oldest first, ending with ``year``."""
    return list(range(year - TREND_YEARS + 1, year + 1))


def _populations(years: list[int]) -> dict[int, ChildPopulation]:
    """The child population entered for each of these years, in one query."""
    rows = db.session.scalars(select(ChildPopulation).where(ChildPopulation.year.in_(years)))
    return {row.year: row for row in rows}


def year_figures(year: int, population: ChildPopulation | None) -> YearFigures:
    """One year's activity report and participation table (the settings' age and method), and
    its headline figures from them and the year's child population."""
    config = current_app.config
    activity = activity_report(ActivityFilters(year))
    participation = participation_table(
        year,
        min_child_age=config["PARTICIPATION_MIN_AGE"],
        method=config["PARTICIPATION_YEAR_METHOD"],
    )
    figures = headlines(activity, participation, population.children if population else None)
    return YearFigures(year, activity, participation, figures)


def _trend(current: YearFigures, populations: dict[int, ChildPopulation]) -> Trend:
    years = _trend_years(current.year)
    by_year = {year: year_figures(year, populations.get(year)) for year in years[:-1]}
    by_year[current.year] = current
    rows = [
        (
            m.key,
            str(m.label),
            [by_year[year].headlines.get(m.key, NO_RECORDS) for year in years],
        )
        for m in MEASURES
    ]
    columns = [season(year) for year in years]
    charted = [row for row in rows if row[0] in TREND_CHART_MEASURES]
    chart = bar_chart(
        "trend",
        _("Children on a plan at year end, conferences held and new plans, by year"),
        _("Bar chart by financial year. The table of the four years gives the figures."),
        [label for _key, label, _figures in charted],
        [[_number(figure) for figure in figures] for _key, _label, figures in charted],
        columns,
        percent=False,
    )
    return Trend(years, rows, chart)


def _number(figure: Headline) -> int | None:
    return int(figure.text) if figure.text.isdigit() else None


def annual_report(year: int) -> AnnualReport:
    populations = _populations(_trend_years(year))
    current = year_figures(year, populations.get(year))
    comparators = list(
        db.session.scalars(
            select(Comparator)
            .where(Comparator.year.between(year - TREND_YEARS + 1, year))
            .order_by(Comparator.measure, Comparator.area, Comparator.year)
        )
    )
    order = {key: index for index, key in enumerate(m.key for m in MEASURES)}
    comparators.sort(key=lambda row: (order.get(row.measure, len(order)), row.area, row.year))
    return AnnualReport(
        year=year,
        current=current,
        feedback=feedback_report(FeedbackFilters(year)),
        trend=_trend(current, populations),
        population=populations.get(year),
        comparators=comparators,
        words=latest_words(year),
    )


def comparator_value(row: Comparator) -> str:
    """As entered: a share with its % sign, a rate per 10,000 or a count as a number."""
    shares = {m.key for m in MEASURES if m.percent}
    value: Decimal = row.value
    if row.measure in shares:
        return f"{value}%"
    whole = value == value.to_integral_value() and row.measure != PER_10000
    return str(int(value)) if whole else str(value)
