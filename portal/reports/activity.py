"""The conference activity report for one financial year (quarters by conference date): the
conferences held, their timeliness, plans, reasons for delay, advocacy, the delivery of messages,
and records not made yet.

Every figure is a named measure, counted for each quarter and the year, so the page, the CSV,
the XLSX and ``flask report activity`` give the same rows: ``measure, quarter, numerator,
denominator, percent`` (a count has no denominator nor percent). The counting rules are in
portal.reports.activity_counts, delivery_counts, plan_counts, follow_up and long_plans.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import text

from portal.extensions import db
from portal.models import utcnow
from portal.models.base import SERVICE_TIMEZONE
from portal.reports.activity_counts import (
    EXPORT_COLUMNS,
    ByQuarter,
    ChildRows,
    RateByQuarter,
    child_rows,
    count_advocacy,
    count_held,
    count_initial_on_time,
    count_reviews,
)
from portal.reports.alongside import start_alongside
from portal.reports.delivery_counts import count_delivery
from portal.reports.export import Table, to_csv, to_xlsx
from portal.reports.follow_up import count_chair_calls, count_unrecorded
from portal.reports.long_plans import count_long_plans
from portal.reports.plan_counts import (
    count_delays,
    count_new_plans,
    count_plans_at_end,
    count_plans_ended,
)
from portal.reports.quarters import parse_year, percent_value

COLUMNS = ("Q1", "Q2", "Q3", "Q4", "Year")  # on the page
EXPORT_HEADER = ("measure", "quarter", "numerator", "denominator", "percent")
Figure = ByQuarter | RateByQuarter
REPORT_WORK_MEM = "64MB"  # PostgreSQL's work_mem while the report runs (see _postgresql_settings)


@dataclass(frozen=True)
class ActivityFilters:
    year: int

    def query_args(self) -> dict[str, object]:
        return {"year": self.year}


def parse_filters(args: Mapping[str, str]) -> ActivityFilters:
    return ActivityFilters(parse_year(args.get("year")))


@dataclass(frozen=True)
class Section:
    """One table on the page: its figures, each a measure in the exports."""

    key: str  # an id on the page
    title: str
    hint: str
    label: str  # the first column's heading
    rows: Sequence[Figure]


def export_rows(figures: Sequence[Figure]) -> list[list[object]]:
    """One row per measure per quarter (Q1–Q4, YEAR): a count with an empty denominator and
    percent; a rate with its percentage to one decimal place (empty when nothing to divide by)."""
    rows: list[list[object]] = []
    for figure in figures:
        if isinstance(figure, RateByQuarter):
            rows += [
                [figure.name, column, n, d, percent_value(n, d)]
                for column, n, d in zip(
                    EXPORT_COLUMNS,
                    figure.numerators.values,
                    figure.denominators.values,
                    strict=True,
                )
            ]
        else:
            rows += [
                [figure.name, column, value, None, None]
                for column, value in zip(EXPORT_COLUMNS, figure.values, strict=True)
            ]
    return rows


@dataclass
class ActivityReport:
    filters: ActivityFilters
    sections: list[Section]
    unrecorded: ByQuarter  # held and not recorded yet: the quarter's figures are incomplete
    long_plans: int  # open longer than 10 months today
    today: date

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def figures(self) -> list[Figure]:
        return [row for section in self.sections for row in section.rows]

    def figure(self, name: str) -> Figure:
        return next(row for row in self.figures() if row.name == name)

    def tables(self) -> list[Table]:
        """One table: the CSV is its header and rows, the XLSX one sheet."""
        return [Table("Activity", EXPORT_HEADER, export_rows(self.figures()))]


def today() -> date:
    return datetime.now(SERVICE_TIMEZONE).date()


def _timeliness(rows: list[ChildRows], delays: list[ByQuarter]) -> list[Section]:
    on_time, no_start = count_initial_on_time(rows)
    reviews, no_earlier = count_reviews(rows)
    return [
        Section(
            "initial",
            _("Initial conferences on time"),
            _(
                "Each child at a held initial conference, within 15 working days of their own "
                "section 47 enquiry starting (siblings can differ): the start date is day 0, and "
                "weekends and England's bank holidays are not working days. Children without a "
                "section 47 date (imported history) are left out, and counted on their own."
            ),
            _("Measure"),
            [on_time, no_start],
        ),
        Section(
            "reviews",
            _("Reviews on time"),
            _(
                "Counted for each child at a review: the child's previous held conference sets "
                "the clock. After an initial or transfer-in conference the first review is due "
                "within 3 months; after a review, the next within 6 months."
            ),
            _("Measure"),
            [*reviews, no_earlier],
        ),
        Section(
            "delays",
            _("Reasons for delay"),
            _("Held conferences with a reason for delay recorded, by the reason."),
            _("Reason"),
            delays,
        ),
    ]


def _plans(year: int) -> list[Section]:
    return [
        Section(
            "new-plans",
            _("Plans started"),
            _(
                "Child protection plans started at a conference held in the quarter, by "
                "category. A repeat plan: the child had an earlier plan that had ended."
            ),
            _("Measure"),
            count_new_plans(year),
        ),
        Section(
            "plans-at-end",
            _("Plans open at the end of the quarter"),
            _(
                "Children with a plan open on the quarter's last day; the year's figure is on "
                "31 March. By the category the plan started with."
            ),
            _("Measure"),
            count_plans_at_end(year),
        ),
        Section(
            "plans-ended",
            _("Plans ended"),
            _(
                "Plans ended at a conference held in the quarter: how, and how long they had "
                "lasted in whole calendar months (30 November to 28 February is 3 months)."
            ),
            _("Measure"),
            count_plans_ended(year),
        ),
    ]


@dataclass(frozen=True)
class _Sent:
    """The participation figures that do not count child rows: run while those are read."""

    chair_calls: RateByQuarter
    delivery: list[Figure]


def _participation(year: int, rows: list[ChildRows], min_age: int, sent: _Sent) -> list[Section]:
    advocacy_counts, advocacy_rates, advocacy_imported = count_advocacy(year, rows, min_age)
    return [
        Section(
            "advocacy",
            _("Advocacy"),
            _(
                "Children at held conferences: referred to the advocacy service, and seen by an "
                "advocate (a contact recorded as seen). Imported conferences are left out of the "
                "advocacy figures and rates, because imported history has no advocacy "
                "referrals; their children are counted on their own."
            ),
            _("Children"),
            [*advocacy_counts, advocacy_imported],
        ),
        Section(
            "advocacy-rates",
            _("Advocacy rates"),
            _(
                "Age on the conference date; unborn children are not counted as aged %(age)s or "
                "over.",
                age=min_age,
            ),
            _("Measure"),
            advocacy_rates,
        ),
        Section(
            "chair",
            _("Speaking to the chair"),
            _(
                "Parents who asked, in their views form, to speak to the chair before the "
                "meeting (and did not take it back), and those the chair recorded speaking to "
                "before the conference."
            ),
            _("Measure"),
            [sent.chair_calls],
        ),
        Section(
            "delivery",
            _("Delivery by channel"),
            _(
                "Messages to families for conferences in the quarter (alerts to staff are left "
                "out). A text counts as delivered on the phone company's receipt; email has no "
                "receipt, so an email accepted by the mail server counts as delivered. Queued "
                "and cancelled messages are not counted as sent."
            ),
            _("Channel"),
            sent.delivery,
        ),
    ]


def _postgresql_settings() -> None:
    """On PostgreSQL, for the rest of this transaction: no JIT compiling (each of the report's
    aggregates over a year of rows is costed high enough to be compiled, and compiling takes
    longer than it saves: measured on 1,000,000 rows, a 180 ms query took 390 ms with it); and
    REPORT_WORK_MEM for sorts and hashes, so the reviews' window sorts a year of child rows in
    memory and the child rows' joins hash in one batch, instead of spilling to disk at the
    default 4 MB."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))
        db.session.execute(text(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'"))


def _child_rows(year: int, min_age: int) -> list[ChildRows]:
    _postgresql_settings()  # in the reading thread's own transaction
    return child_rows(year, min_age)


def activity_report(filters: ActivityFilters) -> ActivityReport:
    year = filters.year
    min_age = current_app.config["ADVOCACY_MIN_AGE"]
    # The child rows at held conferences, scanned once: the longest read, so it runs alongside
    # the rest (portal/reports/alongside.py) and is waited for only where its figures are needed,
    # or on the way out if anything before that raises.
    with start_alongside(lambda: _child_rows(year, min_age)) as reading:
        _postgresql_settings()
        unrecorded = count_unrecorded(year, utcnow())
        plans = _plans(year)
        delays = count_delays(year)
        sent = _Sent(count_chair_calls(year), count_delivery(year))
        now = today()
        long_plans = count_long_plans(now)
        rows = reading.result()
    held = Section(
        "held",
        _("Conferences held"),
        _("A family meeting is one conference; a child row is one child at one conference."),
        _("Type"),
        count_held(year, rows),
    )
    not_recorded = Section(
        "unrecorded",
        _("Not recorded yet"),
        _("Conferences held and not recorded yet: their quarter's figures are incomplete."),
        _("Conferences"),
        [unrecorded],
    )
    return ActivityReport(
        filters=filters,
        sections=[
            held,
            *_timeliness(rows, delays),
            *plans,
            *_participation(year, rows, min_age, sent),
            not_recorded,
        ],
        unrecorded=unrecorded,
        long_plans=long_plans,
        today=now,
    )


def activity_file(year: int, fmt: str) -> str | bytes:
    """The report as the CLI prints it: CSV text, or XLSX bytes."""
    tables = activity_report(ActivityFilters(year)).tables()
    return to_csv(tables) if fmt == "csv" else to_xlsx(tables)
