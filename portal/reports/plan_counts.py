"""Plans and reasons for delay in the conference activity report (issue 14, part 5), by quarter.

Plans are ChildPlan rows, derived from held conferences (portal.plans.services): ``started_on``
and ``ended_on`` are the days the conferences that started and ended them were held.

- New plans: plans started in the period (a child who starts two plans in one period is counted
  twice), by category; a repeat plan is one whose child had an earlier plan that had ended by the
  day this one started.
- Plans at the end of each quarter (31 March for the year, so the year's figure is Q4's): started
  on or before that day, and not ended by it; by category; and those open longer than 10 months.
- Plans ended in the period, by outcome, and by how long they lasted in whole calendar months
  (portal.plans.rules.whole_months: 30 November to 28 February is 3): under 3, 3–5, 6–11, 12–23,
  24 or more. Counted in SQL on any database (``whole_months_sql``: the months between the two
  dates' year and month, less one when the end's day of the month comes before the start's,
  unless the end is its month's last day).
- Reasons for delay: held conferences (meetings) with a reason recorded, by reason.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    Integer,
    SQLColumnExpression,
    and_,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import (
    PLAN_ENDINGS,
    ChildPlan,
    Conference,
    ConferenceStatus,
    DelayReason,
    HarmCategory,
    PlanOutcome,
)
from portal.reports.activity_counts import ByQuarter, RateByQuarter, grouped
from portal.reports.long_plans import LONG_PLAN_MONTHS
from portal.reports.quarters import (
    count_if,
    date_part,
    financial_quarters,
    flag,
    in_year,
    quarter_of,
)

# (measure name suffix, label, the fewest whole months in the band)
DURATION_BANDS = (
    ("under_3_months", _l("Lasted under 3 months"), 0),
    ("3_to_6_months", _l("Lasted 3 to 5 months"), 3),
    ("6_to_12_months", _l("Lasted 6 to 11 months"), 6),
    ("1_to_2_years", _l("Lasted 12 to 23 months"), 12),
    ("2_years_or_more", _l("Lasted 24 months or more"), 24),
)
ENDING_NAMES = {
    PlanOutcome.ENDED_CHILD_IN_NEED: "child_in_need",
    PlanOutcome.ENDED_LOOKED_AFTER: "looked_after",
    PlanOutcome.TRANSFERRED: "transferred",
}


def _part(field: str, day: SQLColumnExpression[date]) -> ColumnElement[int]:
    return date_part(field, day).cast(Integer)


def is_last_day_of_month(day: SQLColumnExpression[date]) -> ColumnElement[bool]:
    """For a day of the month 28 to 30 (the only ones ``whole_months_sql`` asks about): the
    month's last day. Leap years by the Gregorian rule."""
    year, month, dom = _part("year", day), _part("month", day), _part("day", day)
    leap = and_(year % 4 == 0, or_(year % 100 != 0, year % 400 == 0))
    return or_(
        and_(dom == 30, month.in_((4, 6, 9, 11))),
        and_(month == 2, or_(dom == 29, and_(dom == 28, ~leap))),
    )


def whole_months_sql(
    start: SQLColumnExpression[date], end: SQLColumnExpression[date]
) -> ColumnElement[int]:
    """portal.plans.rules.whole_months in plain SQL, for ``end`` on or after ``start``: the
    start plus that many months (on the month's last day when the day does not exist) is on or
    before the end. A start's day after the end's falls short of the last month, unless the end
    is its month's last day (30 November to 28 February: 3)."""
    months = (_part("year", end) - _part("year", start)) * 12 + (
        _part("month", end) - _part("month", start)
    )
    short = and_(_part("day", start) > _part("day", end), ~is_last_day_of_month(end))
    return months - flag(short)


def duration_band(months: int) -> int:
    """The index in DURATION_BANDS of a plan that lasted ``months`` whole months."""
    index = 0
    for candidate, (_name, _label, fewest) in enumerate(DURATION_BANDS):
        if months >= fewest:
            index = candidate
    return index


def count_new_plans(year: int) -> list[ByQuarter | RateByQuarter]:
    """new_plans; new_plans_repeat and new_plans_<category> as rates of new_plans."""
    earlier = aliased(ChildPlan)
    repeat = exists().where(
        earlier.child_id == ChildPlan.child_id,
        earlier.id != ChildPlan.id,
        earlier.ended_on.is_not(None),
        earlier.ended_on <= ChildPlan.started_on,
    )
    inner = (
        select(
            quarter_of(ChildPlan.started_on, year).label("quarter"),
            ChildPlan.category.label("category"),
            flag(repeat).label("repeat"),
        )
        .where(in_year(ChildPlan.started_on, year))
        .subquery("new_plans")
    )
    new = ByQuarter(_("Plans started"), name="new_plans")
    repeats = ByQuarter("")
    by_category = {category: ByQuarter("") for category in HarmCategory}
    for quarter_number, category, count, n_repeat in db.session.execute(
        select(inner.c.quarter, inner.c.category, func.count(), func.sum(inner.c.repeat)).group_by(
            inner.c.quarter, inner.c.category
        )
    ):
        new.add(int(quarter_number), int(count))
        repeats.add(int(quarter_number), int(n_repeat or 0))
        by_category[category].add(int(quarter_number), int(count))
    return [
        new,
        RateByQuarter(
            _("Repeat plans: the child's earlier plan had ended"),
            repeats,
            new,
            name="new_plans_repeat",
        ),
        *(
            RateByQuarter(
                _("Plans started: %(category)s", category=category.label),
                counts,
                new,
                name=f"new_plans_{category.value}",
            )
            for category, counts in by_category.items()
        ),
    ]


def _long_after(end: date) -> date:
    """A plan started before this day has been open longer than 10 months on ``end`` (as the
    long plans list counts)."""
    return end - relativedelta(months=LONG_PLAN_MONTHS)


def count_plans_at_end(year: int) -> list[ByQuarter]:
    """Plans open on each quarter's last day: all, by category, and open longer than 10
    months. One query: a conditional count per quarter end, grouped by category."""
    quarters = financial_quarters(year)

    def open_on(end: date) -> ColumnElement[bool]:
        return and_(
            ChildPlan.started_on <= end, or_(ChildPlan.ended_on.is_(None), ChildPlan.ended_on > end)
        )

    columns = [count_if(open_on(q.end)) for q in quarters] + [
        count_if(and_(open_on(q.end), ChildPlan.started_on < _long_after(q.end))) for q in quarters
    ]
    every = ByQuarter(_("Plans open at the end of the quarter"), name="plans_at_end")
    by_category = {
        category: ByQuarter(
            _("Open at the end: %(category)s", category=category.label),
            name=f"plans_at_end_{category.value}",
        )
        for category in HarmCategory
    }
    long_open = ByQuarter(
        _("Open at the end, longer than %(months)s months", months=LONG_PLAN_MONTHS),
        name=f"plans_at_end_over_{LONG_PLAN_MONTHS}_months",
    )
    totals = [0] * 8
    for category, *counts in db.session.execute(
        select(ChildPlan.category, *columns)
        .where(
            ChildPlan.started_on <= quarters[3].end,
            or_(ChildPlan.ended_on.is_(None), ChildPlan.ended_on > quarters[0].end),
        )
        .group_by(ChildPlan.category)
    ):
        for index, count in enumerate(counts):
            totals[index] += int(count or 0)
        for quarter in quarters:
            by_category[category].set_at_end(quarter.number, int(counts[quarter.number - 1] or 0))
    for quarter in quarters:
        every.set_at_end(quarter.number, totals[quarter.number - 1])
        long_open.set_at_end(quarter.number, totals[quarter.number + 3])
    return [every, *by_category.values(), long_open]


def count_plans_ended(year: int) -> list[ByQuarter | RateByQuarter]:
    """plans_ended; by outcome and by duration band, each a rate of plans_ended. Grouped by
    the whole months each plan lasted (a few hundred groups), banded here: the months are worked
    out once a row, not once for each band's test."""
    ended_on = cast("SQLColumnExpression[date]", ChildPlan.ended_on)
    rows = select(
        quarter_of(ended_on, year).label("quarter"),
        ChildPlan.end_outcome.label("outcome"),
        whole_months_sql(ChildPlan.started_on, ended_on).label("months"),
    ).where(ChildPlan.ended_on.is_not(None), in_year(ended_on, year))
    ended = ByQuarter(_("Plans ended"), name="plans_ended")
    outcomes = {outcome: ByQuarter("") for outcome in PLAN_ENDINGS}
    bands = [ByQuarter("") for _band in DURATION_BANDS]
    for quarter_number, outcome, months, count in db.session.execute(
        grouped(rows, "quarter", "outcome", "months")
    ):
        quarter, count = int(quarter_number), int(count)
        ended.add(quarter, count)
        outcomes[outcome].add(quarter, count)
        bands[duration_band(int(months))].add(quarter, count)
    return [
        ended,
        *(
            RateByQuarter(outcome.label, counts, ended, name=f"plans_ended_{ENDING_NAMES[outcome]}")
            for outcome, counts in outcomes.items()
        ),
        *(
            RateByQuarter(str(label), counts, ended, name=f"plans_ended_{suffix}")
            for (suffix, label, _fewest), counts in zip(DURATION_BANDS, bands, strict=True)
        ),
    ]


def count_delays(year: int) -> list[ByQuarter]:
    """Held conferences with a reason for delay recorded, by reason: delay_<reason>."""
    inner = (
        select(
            quarter_of(Conference.conference_date, year).label("quarter"),
            Conference.delay_reason.label("reason"),
        )
        .where(
            Conference.status == ConferenceStatus.HELD,
            in_year(Conference.conference_date, year),
            Conference.delay_reason.is_not(None),
        )
        .subquery("delays")
    )
    reasons = {
        reason: ByQuarter(reason.label, name=f"delay_{reason.value}") for reason in DelayReason
    }
    every = ByQuarter(_("All conferences with a reason for delay"), name="delay_all")
    for quarter_number, reason, count in db.session.execute(
        select(inner.c.quarter, inner.c.reason, func.count()).group_by(
            inner.c.quarter, inner.c.reason
        )
    ):
        reasons[reason].add(int(quarter_number), int(count))
        every.add(int(quarter_number), int(count))
    return [*reasons.values(), every]
