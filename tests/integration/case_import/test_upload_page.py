"""The coordinators' upload page for upcoming conferences: the same checker and error list as the
command, coordinators only."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Conference, ConferenceAdult, Role, StaffUser
from tests.factories import make_staff
from tests.integration.case_import.test_import_conferences import csv_bytes, rows
from tests.pages import PageClient

URL = "/conferences/import/"


@pytest.fixture
def chair() -> StaffUser:
    return make_staff(Role.CHAIR, email="chair@council.example")


def upload(client: PageClient, content: bytes, button: str = "submit"):
    token = client.get(URL).csrf_token()
    data = {
        "csrf_token": token,
        "file": (BytesIO(content), "upcoming.csv", "text/csv"),
        button: "1",
    }
    return client.post(URL, data, content_type="multipart/form-data")


def conferences() -> int:
    return db.session.scalar(select(func.count()).select_from(Conference)) or 0


def test_a_coordinator_finds_the_page_from_the_conferences_list(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in(Role.COORDINATOR)

    page = client.get(client.get("/conferences/").link("Import upcoming conferences"))

    assert page.status == 200
    assert page.h1 == "Import upcoming conferences"
    assert "conference_ref,conference_type,starts_at,chair_email" in page.text


@pytest.mark.parametrize(
    "role", [Role.CHAIR, Role.ADVOCATE, Role.PARTICIPATION_OFFICER, Role.ADMIN]
)
def test_others_are_refused(signed_in: Callable[..., PageClient], role: Role) -> None:
    client = signed_in(role)

    assert client.get(URL).status == 403
    assert "Import upcoming conferences" not in client.get("/conferences/").text


def test_errors_are_listed_by_line_and_nothing_is_written(
    signed_in: Callable[..., PageClient], chair: StaffUser
) -> None:
    good = rows()
    bad = good[3].replace("chair@council.example", "nobody@council.example")

    page = upload(signed_in(Role.COORDINATOR), csv_bytes(good[2], bad.replace(",Piotr,", ",,")))

    assert page.status == 400
    assert page.title.startswith("Error:")
    assert page.error_summary == ["The file has 2 problems, listed below. Nothing was imported."]
    problems = [
        " ".join(li.get_text(" ").split())
        for li in page.soup.select("ul[aria-labelledby=problems] li")
    ]
    assert problems == [
        "line 3, column chair_email: conference LCS-1 has another chair_email on line 2; the same "
        "conference must have the same one on every row",
        "line 3, column first_name: enter the first name",
    ]
    assert conferences() == 0


def test_a_good_file_is_imported_and_who_is_missing_is_shown(
    signed_in: Callable[..., PageClient], chair: StaffUser
) -> None:
    client = signed_in(Role.COORDINATOR)

    checked = upload(client, csv_bytes(*rows()), button="check")
    assert checked.status == 200
    assert "The file is fine: nothing was written yet" in checked.text
    assert conferences() == 0

    imported = upload(client, csv_bytes(*rows()))
    assert "File imported" in imported.text
    assert "Conferences: 1 new, 0 changed, 0 unchanged" in imported.text
    assert conferences() == 1

    later = upload(client, csv_bytes(*rows()[:3]))
    assert "Conferences: 0 new, 0 changed, 1 unchanged" in later.text
    table = later.soup.select_one("table")
    cells = [" ".join(td.get_text(" ").split()) for td in table.select("tbody td")]
    assert cells == ["LCS-1", "Piotr Nowak (adult)", "P-DAD"]
    conference = db.session.scalars(select(Conference)).one()
    assert later.link("LCS-1") == f"/conferences/{conference.id}"
    assert db.session.scalar(select(func.count()).select_from(ConferenceAdult)) == 3


def test_no_file_is_a_clear_error(signed_in: Callable[..., PageClient]) -> None:
    client = signed_in(Role.COORDINATOR)

    page = client.submit(URL, {"submit": "1"})

    assert page.status == 400
    assert page.error_summary == ["Select a CSV file"]
