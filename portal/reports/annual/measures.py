"""The annual report's headline measures: each one figure of the live reports for the year,
read from the same reports (never counted again here), so the trend, the comparators and the
page cannot disagree with the activity and participation reports."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.reports.activity import ActivityReport
from portal.reports.activity_counts import RateByQuarter
from portal.reports.participation import YEAR, ParticipationTable
from portal.reports.quarters import EMPTY, percent, round_tenths

YEAR_COLUMN = 4  # values[4]: the year's figure in the activity report
PER_CHILDREN = 10_000
PER_10000 = "plans_at_end_per_10000"


@dataclass(frozen=True)
class Measure:
    key: str  # also the comparators' measure
    label: LazyString
    percent: bool  # a share (n of d), or a count


MEASURES = (
    Measure("plans_at_end", _l("Children subject to a plan at year end"), False),
    Measure(PER_10000, _l("Children subject to a plan at year end, per 10,000 aged 0–17"), False),
    Measure("meetings_all", _l("Conferences held"), False),
    Measure("new_plans", _l("New plans"), False),
    Measure("new_plans_repeat", _l("New plans that are a second or subsequent plan"), True),
    Measure("plans_ended_2_years_or_more", _l("Plans ended that lasted 2 years or more"), True),
    Measure(
        "initial_within_15_working_days", _l("Initial conferences within 15 working days"), True
    ),
    Measure("reviews_in_timescale", _l("Reviews within timescale"), True),
    Measure("children_participation", _l("Children's participation"), True),
)
MEASURE_KEYS = tuple(measure.key for measure in MEASURES)


def season(year: int) -> str:
    """2020 → "2020/21": a financial year in a column heading."""
    return f"{year}/{str(year + 1)[-2:]}"


def measure_label(key: str) -> str:
    return str(next(m.label for m in MEASURES if m.key == key))


@dataclass(frozen=True)
class Headline:
    """One measure's figure for one year, as shown ("–" when the year has no records)."""

    text: str
    detail: str = ""  # "12 of 96" for a share


NO_RECORDS = Headline(EMPTY)


def per_children(count: int, children: int | None) -> str:
    """``count`` per 10,000 children, one decimal place, halves up; "–" with no population."""
    if not children:
        return EMPTY
    return str(round_tenths(Fraction(count * PER_CHILDREN, children)))


def headlines(
    activity: ActivityReport, participation: ParticipationTable, children: int | None
) -> dict[str, Headline]:
    """Each headline measure's figure for the reports' year: "–" throughout when no conference
    was held in it (imported or recorded here), as such a year has no records to count."""
    if activity.figure("meetings_all").values[YEAR_COLUMN] == 0:  # type: ignore[union-attr]
        return {measure.key: NO_RECORDS for measure in MEASURES}
    found: dict[str, Headline] = {}
    for measure in MEASURES:
        if measure.key == PER_10000:
            continue
        if measure.key == "children_participation":
            cell = next(r for r in participation.rows if r.measure == measure.key).cells[YEAR]
            text = f"{cell.percent}%" if cell.percent is not None else EMPTY
            found[measure.key] = Headline(text, _of(cell.numerator, cell.denominator))
            continue
        figure = activity.figure(measure.key)
        if isinstance(figure, RateByQuarter):
            n = figure.numerators.values[YEAR_COLUMN]
            d = figure.denominators.values[YEAR_COLUMN]
            found[measure.key] = Headline(percent(n, d), _of(n, d))
        else:
            found[measure.key] = Headline(str(figure.values[YEAR_COLUMN]))
    at_end = activity.figure("plans_at_end").values[YEAR_COLUMN]  # type: ignore[union-attr]
    found[PER_10000] = Headline(per_children(at_end, children))
    return {measure.key: found[measure.key] for measure in MEASURES}


def _of(numerator: int, denominator: int) -> str:
    return str(_l("%(n)s of %(d)s", n=numerator, d=denominator))
