"""``flask demo``: the demo data, made once; what is already there is left as it is."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from portal.demo.accounts import ensure_staff
from portal.demo.alerts import add_demo_alerts
from portal.demo.annual import add_annual_report_demo
from portal.demo.conferences import (
    CASE_PREFIX,
    CONFERENCES_IN_A_QUARTER,
    add_quarter_of_conferences,
)
from portal.demo.featured import FEATURED, add_featured_conferences
from portal.demo.held import record_held_conferences, refer_older_children
from portal.demo.plans import add_year_of_plans, record_plans_and_delays
from portal.extensions import db
from portal.models import Conference, StaffUser
from portal.recording.codes import participation_min_age
from portal.reports.importing.services import import_attendance
from portal.reports.sample_history import history_csv
from portal.tasks.services import sync_tasks

DEMO_HISTORY = Path(__file__).resolve().parents[2] / "demo" / "attendance-2025.csv"


def _import_history() -> int:
    """A year of invented history (financial year 2025), imported as a council would import
    its own; returns how many conferences it added."""
    data = DEMO_HISTORY.read_bytes() if DEMO_HISTORY.exists() else history_csv(2025).encode()
    result = import_attendance(data, min_age=participation_min_age())
    if result.errors:  # e.g. a council's own age threshold the file was not made for
        current_app.logger.warning("Demo history not imported: %s", result.errors[0])
        return 0
    return result.new and result.conferences


def demo_coordinator() -> StaffUser:
    coordinator = db.session.scalar(
        select(StaffUser).where(StaffUser.email == "coordinator@heard.example")
    )
    assert coordinator is not None  # ensure_staff made it
    return coordinator


def _tasks_from_what_they_asked() -> None:
    """The featured conference still to come: the mother asked to speak to the chair and for a
    supporter, and the father's language is Polish (tasks, as the family pages would make them:
    the demo writes its answers directly)."""
    db.session.flush()
    for conference in db.session.scalars(
        select(Conference).where(Conference.case_reference.in_(FEATURED))
    ):
        for adult in conference.adults:
            sync_tasks(conference, adult.family_member)


def demo_loaded() -> bool:
    return (
        db.session.scalar(
            select(Conference.id).where(Conference.case_reference.startswith(CASE_PREFIX)).limit(1)
        )
        is not None
    )


def load_demo_data() -> int:
    """Create what is missing; returns how many conferences were added."""
    chairs = ensure_staff()
    if demo_loaded():
        db.session.commit()
        return 0

    coordinator = demo_coordinator()
    rng = random.Random(20260401)  # the same invented families every time
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    today = date.today()
    add_quarter_of_conferences(rng, chairs, coordinator, zone, today)
    # After the quarter's, so the quarter's families draw the same numbers as before.
    year_of_plans = add_year_of_plans(chairs, coordinator, zone, today)
    db.session.flush()
    refer_older_children(rng)
    record_held_conferences()
    record_plans_and_delays()
    add_featured_conferences(coordinator, zone, today)
    _tasks_from_what_they_asked()
    db.session.flush()
    add_demo_alerts()
    db.session.commit()
    added = CONFERENCES_IN_A_QUARTER + year_of_plans + len(FEATURED)
    return added + _import_history() + add_annual_report_demo()
