"""The reports and what families asked for (issue 13): the warning that a quarter's figures are
incomplete while conferences held in it are not recorded, with a link to the list for those
allowed to open it; and, in the activity report, the parents who asked to speak to the chair
and how many the chair spoke to before the conference."""

from __future__ import annotations

from datetime import datetime

from portal.extensions import db
from portal.models import ConferenceStatus, Role, TaskState
from portal.models.base import SERVICE_TIMEZONE
from tests.factories import add_family_member, add_task, make_conference, make_staff


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, tzinfo=SERVICE_TIMEZONE)


def _held(when: datetime, *, recorded: bool) -> object:
    conference = make_conference(status=ConferenceStatus.HELD if recorded else None)
    conference.starts_at = when
    if recorded:
        conference.recorded_at = when
    db.session.commit()
    return conference


def _unrecorded_year() -> None:
    """2024–25: two conferences not recorded in Q1, one in Q3; recorded ones besides."""
    _held(_at(2024, 5, 10), recorded=False)
    _held(_at(2024, 6, 3), recorded=False)
    _held(_at(2024, 6, 4), recorded=True)
    _held(_at(2024, 11, 4), recorded=False)
    cancelled = _held(_at(2024, 8, 4), recorded=False)
    cancelled.status = ConferenceStatus.CANCELLED
    db.session.commit()


WARNING_Q1 = (
    "Q1: 2 conferences held in this quarter are not recorded yet: the figures are incomplete."
)
WARNING_Q3 = (
    "Q3: 1 conference held in this quarter is not recorded yet: the figures are incomplete."
)


def test_the_participation_report_warns_of_unrecorded_conferences(signed_in) -> None:
    _unrecorded_year()

    officer_page = signed_in(Role.PARTICIPATION_OFFICER).get("/reports/participation?year=2024")
    admin_page = signed_in(Role.ADMIN).get("/reports/participation?year=2024")

    for page in (officer_page, admin_page):
        assert WARNING_Q1 in page.text
        assert WARNING_Q3 in page.text
        assert "Q2:" not in page.text.split("incomplete")[0]
    # The list names case references: the service manager (admin) may open it, the
    # participation team (no case records) may not, so is not offered it.
    assert admin_page.link("See the conferences not recorded yet") == "/worklist/not-recorded"
    assert "See the conferences not recorded yet" not in officer_page.text
    other_year = signed_in(Role.PARTICIPATION_OFFICER).get("/reports/participation?year=2023")
    assert "not recorded yet" not in other_year.text


def test_the_activity_report_warns_of_unrecorded_conferences(signed_in) -> None:
    _unrecorded_year()

    page = signed_in(Role.ADMIN).get("/reports/activity?year=2024")

    assert WARNING_Q1 in page.text
    assert WARNING_Q3 in page.text
    assert page.link("See the conferences not recorded yet") == "/worklist/not-recorded"
    listed = signed_in(Role.ADMIN).get("/worklist/not-recorded")
    assert listed.text.count("CP-") == 3


def test_the_activity_report_counts_calls_before_the_conference(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    first = _held(_at(2024, 5, 10), recorded=True)  # Q1
    later = _held(_at(2024, 11, 4), recorded=True)  # Q3

    def call(conference, state=TaskState.OPEN, contacted_at=None):
        add_task(
            conference,
            add_family_member(conference),
            "speak_to_chair",
            state=state,
            contacted_at=contacted_at,
            done_at=contacted_at,
            done_by_id=chair.id if contacted_at else None,
        )

    call(first, TaskState.DONE, _at(2024, 5, 8))  # before: counted
    # On the day: counted (the chair records the day, kept as its start, as the form does)
    call(first, TaskState.DONE, datetime(2024, 5, 10, tzinfo=SERVICE_TIMEZONE))
    call(first)  # asked, never called
    call(first, TaskState.CANCELLED)  # taken back: not counted at all
    call(later, TaskState.DONE, _at(2024, 11, 6))  # after the meeting: asked, not before
    add_task(
        later,
        add_family_member(later),
        "speak_to_chair",
        state=TaskState.NOT_DONE,
        done_at=_at(2024, 11, 3),
        done_by_id=chair.id,
    )

    page = signed_in(Role.PARTICIPATION_OFFICER).get("/reports/activity?year=2024")

    [row] = [
        [" ".join(cell.get_text(" ").split()) for cell in tr.find_all(["th", "td"])]
        for table in page.soup.select("table")
        if "Speaking to the chair" in table.find("caption").get_text()
        for tr in table.select("tbody tr")
    ]
    assert row == [
        "Parents who asked to speak to the chair: contacted before the meeting",
        "66.7% 2 of 3",
        "– 0 of 0",
        "0.0% 0 of 2",
        "– 0 of 0",
        "40.0% 2 of 5",
    ]
