"""A date part too big for any calendar (issue 15, finding 3): 20 digits in the day, the month
or the year of every date in the service is a message on the form, in the GOV.UK voice, with the
person's other answers kept; never a server error."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Child, Conference, ContactLogEntry, Role
from tests.factories import add_child, make_conference, make_staff, refer
from tests.helpers.conference_form import GOOD

TWENTY_DIGITS = "9" * 20
GOOD_PARTS = ["3", "3", "2026"]


def _overlong(position: int, good: list[str] = GOOD_PARTS) -> list[str]:
    """``good`` with its day (0), month (1) or year (2) replaced by 20 digits."""
    return [TWENTY_DIGITS if i == position else part for i, part in enumerate(good)]


PARTS = pytest.mark.parametrize("position", [0, 1, 2], ids=["day", "month", "year"])


@PARTS
def test_the_conference_date(signed_in, position) -> None:
    page = signed_in(Role.COORDINATOR).submit(
        "/conferences/new", GOOD | {"date": _overlong(position, ["20", "3", "2026"])}
    )
    assert page.status == 400
    assert page.error_summary == ["Date of the conference must be a real date"]
    assert page.soup.select_one("#case_reference")["value"] == "CP-2026-0142"
    assert page.soup.select_one("#start_time")["value"] == "2:30pm"
    box = ("#date-day", "#date-month", "#date-year")[position]
    assert page.soup.select_one(box)["value"] == TWENTY_DIGITS
    assert db.session.scalars(select(Conference)).all() == []


@PARTS
def test_the_section_47_date(signed_in, position) -> None:
    page = signed_in(Role.COORDINATOR).submit(
        "/conferences/new", GOOD | {"section_47_started_on": _overlong(position)}
    )
    assert page.status == 400
    assert page.error_summary == [
        "Section 47 enquiry start date must be a real date",
    ]
    assert page.soup.select_one("#case_reference")["value"] == "CP-2026-0142"
    assert db.session.scalars(select(Conference)).all() == []


@PARTS
def test_the_date_of_birth(signed_in, position) -> None:
    conference = make_conference()
    page = signed_in(Role.COORDINATOR).submit(
        f"/conferences/{conference.id}/children/new",
        {
            "first_name": "Oscar",
            "last_name": "Ellery",
            "born": "born",
            "birth_date": _overlong(position, ["9", "12", "2014"]),
        },
    )
    assert page.status == 400
    assert page.error_summary == ["Date of birth or expected date must be a real date"]
    assert page.soup.select_one("#first_name")["value"] == "Oscar"
    assert page.soup.select_one("#last_name")["value"] == "Ellery"
    assert db.session.scalars(select(Child)).all() == []


@PARTS
def test_the_day_a_conference_was_held(signed_in, position) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair, starts_in=timedelta(days=-1))
    yesterday = date.today() - timedelta(days=1)
    page = signed_in(Role.CHAIR, chair).submit(
        f"/conferences/{conference.id}/record",
        {
            "held_on": _overlong(position, [str(yesterday.day), str(yesterday.month), "2025"]),
            "format": "virtual",
            "quorate": "yes",
        },
    )
    assert page.status == 400
    assert page.error_summary == ["Date the conference was held must be a real date"]
    assert page.soup.select_one("#format-2")["checked"] is not None  # virtual, kept
    assert conference.held_on is None


@PARTS
def test_the_day_an_advocate_saw_a_child(signed_in, position) -> None:
    advocate = make_staff(Role.ADVOCATE)
    conference = make_conference(starts_in=timedelta(days=6))
    referral = refer(conference, add_child(conference), advocate)
    page = signed_in(Role.ADVOCATE, advocate).submit(
        f"/advocacy/referrals/{referral.id}/contacts/new",
        {"contact_on": _overlong(position), "seen": "yes", "place": "At school", "alone": "yes"},
    )
    assert page.status == 400
    assert page.error_summary == ["Date must be a real date"]
    assert page.soup.select_one("#place")["value"] == "At school"
    assert db.session.scalars(select(ContactLogEntry)).all() == []


@PARTS
@pytest.mark.parametrize("name", ["from_date", "to_date"])
def test_the_audit_logs_dates_in_the_query_string(signed_in, position, name) -> None:
    query = "&".join(f"{name}={part}" for part in _overlong(position))
    page = signed_in(Role.ADMIN).get(f"/admin/audit/?action=view&{query}")
    assert page.status == 200
    assert page.error_summary == [
        f"{'From' if name == 'from_date' else 'To'} date must be a real date"
    ]
    assert page.soup.select_one("#action option[selected]")["value"] == "view"


def test_the_last_day_there_is_as_the_audit_logs_to_date(signed_in) -> None:
    """31 12 9999 is a real date; the day after it is not, so "up to and including" it is
    every event there is."""
    conference = make_conference()
    signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}")  # one event, audited
    page = signed_in(Role.ADMIN).get("/admin/audit/?to_date=31&to_date=12&to_date=9999")
    assert page.status == 200
    assert page.error_summary == []
    assert "1 event" in page.text
