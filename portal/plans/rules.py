"""The timescales, as plain date arithmetic (no database): shared by the pages, the reports and
the imports.

- An initial conference is in time when held within 15 working days of the section 47 start:
  day 0 is the start date, and "within" means 15 working days or fewer (England's bank holidays
  are not working days).
- A review is due 3 calendar months after the initial (or transfer-in) conference, then 6 months
  after each review: on or before the same day of the month, or that month's last day when the
  day does not exist (30 November + 3 months is 28 or 29 February).
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from portal.models import ConferenceType
from portal.working_days import add_working_days

INITIAL_WITHIN_WORKING_DAYS = 15
FIRST_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6


def initial_deadline(section_47_started_on: date) -> date:
    """The last day an initial conference is in time for a section 47 enquiry started then."""
    return add_working_days(section_47_started_on, INITIAL_WITHIN_WORKING_DAYS)


def initial_in_time(section_47_started_on: date, held_on: date) -> bool:
    return held_on <= initial_deadline(section_47_started_on)


def months_to_next_review(previous_type: ConferenceType) -> int:
    """3 months after an initial or transfer-in conference, 6 after a review."""
    if previous_type == ConferenceType.REVIEW:
        return LATER_REVIEW_MONTHS
    return FIRST_REVIEW_MONTHS


def review_due(previous_type: ConferenceType, previous_held_on: date) -> date:
    """The day a child's next review is due after a conference held on ``previous_held_on``."""
    return previous_held_on + relativedelta(months=months_to_next_review(previous_type))


def whole_months(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (30 November to 28 February is 3: the
    month-end rule of relativedelta)."""
    gap = relativedelta(end, start)
    return gap.years * 12 + gap.months
