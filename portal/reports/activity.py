"""The conference activity report for one financial year (quarters by conference date): the
conferences held, their timeliness, advocacy, the delivery of messages, and long plans.

The counting rules are in portal.reports.activity_counts (conferences held, timeliness, advocacy
and delivery) and portal.reports.long_plans.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _

from portal.models import utcnow
from portal.models.base import SERVICE_TIMEZONE
from portal.reports.activity_counts import (
    EXPORT_COLUMNS,
    ByQuarter,
    RateByQuarter,
    count_advocacy,
    count_delivery,
    count_held,
    count_initial_on_time,
    count_reviews,
)
from portal.reports.export import Table
from portal.reports.follow_up import count_chair_calls, count_unrecorded
from portal.reports.long_plans import LONG_PLAN_MONTHS, count_long_plans
from portal.reports.quarters import Rate, parse_year

COLUMNS = ("Q1", "Q2", "Q3", "Q4", "Year")  # on the page


@dataclass(frozen=True)
class ActivityFilters:
    year: int

    def query_args(self) -> dict[str, object]:
        return {"year": self.year}


def parse_filters(args: Mapping[str, str]) -> ActivityFilters:
    return ActivityFilters(parse_year(args.get("year")))


@dataclass
class ActivityReport:
    filters: ActivityFilters
    held: list[ByQuarter]  # meetings and child rows of each type, and all types
    initial_on_time: RateByQuarter
    initial_no_section_47: ByQuarter
    reviews: list[RateByQuarter]  # first reviews, later reviews, all reviews
    reviews_no_earlier: ByQuarter
    advocacy_counts: list[ByQuarter]
    advocacy_rates: list[RateByQuarter]
    advocacy_imported: ByQuarter  # child rows at imported conferences: no advocacy on record
    advocacy_min_age: int
    delivery: list[tuple[str, int, int, int, Rate]]  # channel, sent, waiting, failed, delivered
    long_plans: int
    today: date
    unrecorded: ByQuarter  # held and not recorded yet: the quarter's figures are incomplete
    chair_calls: RateByQuarter  # parents who asked to speak to the chair, contacted before

    def tables(self) -> list[Table]:
        def counts(rows: list[ByQuarter]) -> list[list[object]]:
            return [[row.label, *row.values] for row in rows]

        def rates(rows: list[RateByQuarter]) -> list[list[object]]:
            return [
                [row.label, column.label, column.numerator, column.denominator, column.percent_cell]
                for row in rows
                for column in row.rates()
            ]

        rate_header = ("measure", "quarter", "numerator", "denominator", "percent")
        return [
            Table("Conferences held", ("held", *EXPORT_COLUMNS), counts(self.held)),
            Table(
                "Initial conferences on time",
                rate_header,
                rates([self.initial_on_time])
                + [
                    [self.initial_no_section_47.label, column, count, "", ""]
                    for column, count in zip(
                        EXPORT_COLUMNS, self.initial_no_section_47.values, strict=True
                    )
                ],
            ),
            Table(
                "Reviews on time",
                rate_header,
                rates(self.reviews)
                + [
                    [self.reviews_no_earlier.label, column, count, "", ""]
                    for column, count in zip(
                        EXPORT_COLUMNS, self.reviews_no_earlier.values, strict=True
                    )
                ],
            ),
            Table(
                "Advocacy",
                ("children", *EXPORT_COLUMNS),
                counts([*self.advocacy_counts, self.advocacy_imported]),
            ),
            Table("Advocacy rates", rate_header, rates(self.advocacy_rates)),
            Table("Speaking to the chair", rate_header, rates([self.chair_calls])),
            Table("Not recorded yet", ("conferences", *EXPORT_COLUMNS), counts([self.unrecorded])),
            Table(
                "Delivery by channel",
                ("channel", "sent", "waiting for a receipt", "failed", "delivered", "percent"),
                [
                    [channel, sent, waiting, failed, rate.numerator, rate.percent_cell]
                    for channel, sent, waiting, failed, rate in self.delivery
                ],
            ),
            Table(
                "Long plans",
                ("measure", "as of", "count"),
                [
                    [
                        _("Plans open longer than %(months)s months", months=LONG_PLAN_MONTHS),
                        self.today.isoformat(),
                        self.long_plans,
                    ]
                ],
            ),
        ]


def today() -> date:
    return datetime.now(SERVICE_TIMEZONE).date()


def activity_report(filters: ActivityFilters) -> ActivityReport:
    year = filters.year
    min_age = current_app.config["ADVOCACY_MIN_AGE"]
    on_time, no_start = count_initial_on_time(year)
    reviews, no_earlier = count_reviews(year)
    advocacy_counts, advocacy_rates, advocacy_imported = count_advocacy(year, min_age)
    now = today()
    return ActivityReport(
        filters=filters,
        held=count_held(year),
        initial_on_time=on_time,
        initial_no_section_47=no_start,
        reviews=reviews,
        reviews_no_earlier=no_earlier,
        advocacy_counts=advocacy_counts,
        advocacy_rates=advocacy_rates,
        advocacy_imported=advocacy_imported,
        advocacy_min_age=min_age,
        delivery=count_delivery(year),
        long_plans=count_long_plans(now),
        today=now,
        unrecorded=count_unrecorded(year, utcnow()),
        chair_calls=count_chair_calls(year),
    )
