"""The social worker's mobile on the conference (issue 13, part 1): a safety alert texts them
where it is known. Checked as the family's mobiles are, shown on the conference page."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Conference, Role
from portal.templating import local_date
from tests.factories import make_conference
from tests.helpers.conference_form import GOOD


def _edit_form(conference) -> dict:
    day = local_date(conference.starts_at)
    return {
        "case_reference": conference.case_reference,
        "conference_type": "review",
        "date": [str(day.day), str(day.month), str(day.year)],
        "start_time": "10:00",
        "format": "virtual",
        "chair_id": "",
        "status": "scheduled",
        "social_worker_name": "Sol Worker",
    }


def test_the_conference_form_saves_and_shows_the_social_workers_mobile(signed_in) -> None:
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/edit"
    assert "Social worker's mobile number" in client.get(url).text
    saved = client.submit(url, _edit_form(conference) | {"social_worker_mobile": "07700 900 982"})
    assert saved.status == 302
    db.session.refresh(conference)
    assert conference.social_worker_mobile == "+447700900982"
    assert client.get(url).soup.select_one("#social_worker_mobile")["value"] == "07700 900982"
    shown = client.get(f"/conferences/{conference.id}")
    assert "07700 900982" in shown.text
    cleared = client.submit(url, _edit_form(conference) | {"social_worker_mobile": ""})
    assert cleared.status == 302
    db.session.refresh(conference)
    assert conference.social_worker_mobile is None


def test_a_landline_or_junk_is_refused_with_a_clear_message(signed_in) -> None:
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/edit"
    landline = client.submit(
        url, _edit_form(conference) | {"social_worker_mobile": "020 7946 0000"}
    )
    assert landline.status == 400
    assert landline.error_summary == [
        "Enter the social worker's mobile number: text messages cannot go to a landline"
    ]
    junk = client.submit(url, _edit_form(conference) | {"social_worker_mobile": "call me"})
    assert junk.status == 400
    assert junk.error_summary == ["Enter the social worker's mobile number, like 07700 900 982"]


def test_a_new_conference_takes_the_social_workers_mobile(signed_in) -> None:
    client = signed_in(Role.COORDINATOR)
    saved = client.submit("/conferences/new", GOOD | {"social_worker_mobile": "07700900983"})
    assert saved.status == 302
    conference = db.session.scalars(
        select(Conference).where(Conference.case_reference == "CP-2026-0142")
    ).one()
    assert conference.social_worker_mobile == "+447700900983"
