"""The feedback report counts replies by text per quarter of their conference, on the page and
in its CSV: each kept reply once, whoever sent it; none from an unknown number; none under the
email channel's filter."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from portal.extensions import db
from portal.models import Channel, FormKind, Role, TextReply
from tests.integration.reports.test_feedback_report import csv_sections, held_on, invite, member
from tests.pages import PageClient


@pytest.fixture
def officer(signed_in: Callable[..., PageClient]) -> PageClient:
    return signed_in(Role.PARTICIPATION_OFFICER)


@pytest.fixture
def replies_2024() -> None:
    """Two replies at a Q1 conference (one a rating with words), one at a Q3 conference to the
    feedback link, one at a conference the year after, one from a number nobody has."""
    q1 = held_on("2024-05-10", "CASE-1")
    parent = member(q1, Channel.SMS)
    views = invite(q1, parent, FormKind.VIEWS, Channel.SMS)
    q3 = held_on("2024-11-20", "CASE-2")
    other = member(q3, Channel.SMS)
    feedback = invite(q3, other, FormKind.FEEDBACK, Channel.SMS)
    later = held_on("2025-05-10", "CASE-3")
    third = member(later, Channel.SMS)
    next_year = invite(later, third, FormKind.VIEWS, Channel.SMS)
    db.session.add_all(
        [
            TextReply(family_member_id=parent.id, invitation_id=views.id, text="Call me"),
            TextReply(family_member_id=parent.id, invitation_id=views.id, text="ok", rating=4),
            TextReply(family_member_id=other.id, invitation_id=feedback.id, text="Thanks"),
            TextReply(family_member_id=third.id, invitation_id=next_year.id, text="Later"),
            TextReply(text="Who is this?"),
        ]
    )
    db.session.commit()


def _csv(officer: PageClient, query: str) -> str:
    return officer.get(f"/reports/feedback.csv?{query}").response.get_data(as_text=True)


def test_replies_are_counted_per_quarter_on_the_page_and_in_the_csv(officer, replies_2024):
    page = officer.get("/reports/feedback?year=2024")
    assert page.status == 200
    heading = page.soup.find(id="text-replies")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in heading.find_next("table").find("tbody").find_all("tr")
    ]
    assert [row[0] for row in rows] == ["Q1", "Q2", "Q3", "Q4"]
    assert [row[1].replace("\xa0", " ") for row in rows] == [
        "66.7% 2 of 3",
        "0.0% 0 of 3",
        "33.3% 1 of 3",
        "0.0% 0 of 3",
    ]

    sections = csv_sections(_csv(officer, "year=2024"))
    assert sections["Replies by text"] == [
        ["quarter", "replies", "of all replies", "percent"],
        ["Q1", "2", "3", "66.7"],
        ["Q2", "0", "3", "0.0"],
        ["Q3", "1", "3", "33.3"],
        ["Q4", "0", "3", "0.0"],
    ]


@pytest.mark.parametrize(
    ("query", "counts"),
    [
        ("form=feedback", ["0", "0", "1", "0"]),
        ("form=views", ["2", "0", "0", "0"]),
        ("channel=sms", ["2", "0", "1", "0"]),
        ("channel=email", ["0", "0", "0", "0"]),
    ],
)
def test_the_filters_apply_to_the_replies(officer, replies_2024, query, counts):
    sections = csv_sections(_csv(officer, f"year=2024&{query}"))
    assert [row[1] for row in sections["Replies by text"][1:]] == counts
