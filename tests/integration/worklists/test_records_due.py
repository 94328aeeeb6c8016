"""The coordinator's list of records to download before retention removes their words
(issue 14, part 8): conferences cleaned within 14 days whose record nobody has downloaded."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import Flask

from portal.extensions import db
from portal.models import Conference, ConferenceStatus, Role
from portal.models.base import SERVICE_TIMEZONE
from portal.retention import run_retention
from portal.worklists.records_due import records_due, records_due_count, removal_day
from tests.factories import add_contactable_member, add_form_response, make_conference


def _held_on(day: date, **fields: object) -> Conference:
    conference = make_conference(
        starts_in=timedelta(days=1), **({"status": ConferenceStatus.HELD} | fields)
    )
    conference.starts_at = datetime.combine(day, time(10), tzinfo=SERVICE_TIMEZONE)
    db.session.commit()
    return conference


def _counts(page) -> dict[str, int]:
    return {tag["data-count"]: int(tag.get_text()) for tag in page.soup.select("[data-count]")}


def test_listed_from_14_days_before_removal_until_downloaded(app: Flask, signed_in) -> None:
    days = app.config["RETENTION_DAYS"]
    today = datetime.now(SERVICE_TIMEZONE).date()
    first_kept = today - timedelta(days=days)  # held that day: cleaned tomorrow
    soonest = _held_on(first_kept)
    last_listed = _held_on(first_kept + timedelta(days=13))  # cleaned in 14 days
    _held_on(first_kept + timedelta(days=14))  # cleaned in 15 days: not yet
    _held_on(first_kept - timedelta(days=1))  # cleaned already
    _held_on(first_kept + timedelta(days=3), record_exported_at=datetime.now(UTC))
    _held_on(first_kept + timedelta(days=3), imported=True)
    _held_on(first_kept + timedelta(days=3), status=ConferenceStatus.CANCELLED)

    assert [c.id for c in records_due(today, days)] == [soonest.id, last_listed.id]
    assert records_due_count(today, days) == 2
    assert removal_day(soonest, days) == today + timedelta(days=1)
    assert removal_day(last_listed, days) == today + timedelta(days=14)

    coordinator = signed_in(Role.COORDINATOR)
    home = coordinator.get("/worklist")
    assert _counts(home)["worklists.records_due"] == 2
    listed = coordinator.get(home.link("2 Records to download before their words are removed"))
    assert listed.status == 200
    rows = listed.soup.select("tbody tr")
    assert [row.th.get_text(strip=True) for row in rows] == [
        soonest.case_reference,
        last_listed.case_reference,
    ]
    form = rows[0].find("form")
    downloaded = coordinator.post(form["action"], {"csrf_token": listed.csrf_token()})
    assert downloaded.status == 200
    assert downloaded.response.headers["Content-Disposition"].startswith("attachment;")

    assert _counts(coordinator.get("/worklist"))["worklists.records_due"] == 1
    after = coordinator.get("/worklist/records-to-download")
    assert soonest.case_reference not in after.text
    assert last_listed.case_reference in after.text


def test_the_list_matches_what_retention_removes_next(app: Flask) -> None:
    """The day retention says: the soonest listed conference's words go on its removal day,
    not the day before."""
    days = app.config["RETENTION_DAYS"]
    today = datetime.now(SERVICE_TIMEZONE).date()
    conference = _held_on(today - timedelta(days=days))
    member = add_contactable_member(conference)
    conference.starts_at = datetime.now(UTC) + timedelta(days=2)  # views asked for beforehand
    db.session.commit()
    add_form_response(conference, member, {"worries": {"text": "Kept until the removal day"}})
    conference.starts_at = datetime.combine(
        today - timedelta(days=days), time(10), tzinfo=SERVICE_TIMEZONE
    )
    db.session.commit()
    assert records_due_count(today, days) == 1

    day = removal_day(conference, days)
    assert run_retention(days, today=day - timedelta(days=1)).conferences == 0
    assert run_retention(days, today=day).conferences == 1
    assert records_due_count(day, days) == 0


def test_other_roles_may_not_see_the_list(app: Flask, signed_in) -> None:
    for role in (Role.CHAIR, Role.ADVOCATE, Role.ADMIN, Role.PARTICIPATION_OFFICER):
        assert signed_in(role).get("/worklist/records-to-download").status == 403
