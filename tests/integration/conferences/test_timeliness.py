"""Timeliness (issue 14, part 4): each child's own section 47 date, a warning and a reason when
a conference is booked out of timescale, the reason again when it is held out of timescale; and
each child's plan shown where the coordinator and the chair see the child (part 3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Child,
    ChildPlan,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    DelayReason,
    PlanOutcome,
    Role,
)
from tests.factories import make_staff
from tests.helpers.conference_form import GOOD
from tests.helpers.plans import conference_on, make_child
from tests.pages import Page, PageClient

INITIAL, REVIEW = ConferenceType.INITIAL, ConferenceType.REVIEW
SCHEDULED = ConferenceStatus.SCHEDULED
# Monday 1 March 2027: day 15 is Monday 22 March
S47 = ["1", "3", "2027"]
IN_TIME, LATE = ["22", "3", "2027"], ["23", "3", "2027"]


@pytest.fixture
def coordinator(signed_in: Callable[..., PageClient]) -> PageClient:
    return signed_in(Role.COORDINATOR)


def _link(conference: Conference, child: Child) -> ConferenceChild:
    link = db.session.get(ConferenceChild, (conference.id, child.id))
    assert link is not None
    return link


def _warning(page: Page) -> str:
    found = page.soup.select_one("[data-late]")
    return " ".join(found.get_text(" ").split()) if found else ""


# --- Booking an initial conference ---------------------------------------------------------


def test_an_initial_conference_booked_in_time_asks_no_reason(coordinator: PageClient) -> None:
    page = coordinator.submit(
        "/conferences/new", GOOD | {"section_47_started_on": S47, "date": IN_TIME}
    )
    assert page.status == 302
    conference = db.session.scalars(select(Conference)).one()
    assert conference.delay_reason is None


def test_an_initial_conference_booked_late_warns_and_needs_a_reason(
    coordinator: PageClient,
) -> None:
    late = GOOD | {"section_47_started_on": S47, "date": LATE}
    page = coordinator.submit("/conferences/new", late)
    assert page.status == 400
    assert "the initial conference was due by 22 March 2027" in _warning(page)
    assert page.error_summary == ["Select the reason for the delay"]
    assert db.session.scalars(select(Conference)).all() == []

    other = coordinator.submit("/conferences/new", late | {"delay_reason": "other"})
    assert other.status == 400
    assert other.error_summary == ["Enter the reason for the delay"]
    assert db.session.scalars(select(Conference)).all() == []

    made = coordinator.submit(
        "/conferences/new",
        late | {"delay_reason": "other", "delay_reason_detail": "The family's solicitor"},
    )
    assert made.status == 302
    conference = db.session.scalars(select(Conference)).one()
    assert conference.delay_reason == DelayReason.OTHER
    assert conference.delay_reason_detail == "The family's solicitor"


def test_a_reason_that_is_not_on_the_list_is_refused(coordinator: PageClient) -> None:
    page = coordinator.submit(
        "/conferences/new",
        GOOD | {"section_47_started_on": S47, "date": LATE, "delay_reason": "weather"},
    )
    assert page.status == 400
    assert page.error_summary == ["Select the reason for the delay"]


def _edit_data(conference: Conference, **changes: object) -> dict[str, object]:
    day = conference.day
    data = GOOD | {
        "case_reference": conference.case_reference,
        "conference_type": conference.conference_type.value,
        "date": [str(day.day), str(day.month), str(day.year)],
        "start_time": "10:00",
        "status": conference.status.value,
    }
    if conference.section_47_started_on:
        s47 = conference.section_47_started_on
        data["section_47_started_on"] = [str(s47.day), str(s47.month), str(s47.year)]
    return data | changes


def test_children_follow_the_conferences_section_47_date_unless_their_own_differs(
    coordinator: PageClient,
) -> None:
    """Amir's date was the conference's; his sister's enquiry started earlier (1 February 2027:
    day 15 is 22 February), so the conference on 10 March is late for her only."""
    amir, bella = make_child("Amir"), make_child("Bella")
    conference = conference_on(
        "2027-03-10", INITIAL, {amir: None, bella: None}, status=SCHEDULED, s47=date(2027, 3, 1)
    )
    _link(conference, bella).section_47_started_on = date(2027, 2, 1)
    db.session.commit()
    url = f"/conferences/{conference.id}/edit"
    moved = _edit_data(conference, section_47_started_on=["3", "3", "2027"])

    page = coordinator.submit(url, moved)
    assert page.status == 400
    assert _warning(page) == (
        "! Warning This conference is booked out of timescale: Bella Tester's initial "
        "conference was due by 22 February 2027 (15 working days after their section 47 "
        "enquiry started)"
    )
    db.session.refresh(conference)
    assert conference.section_47_started_on == date(2027, 3, 1)  # nothing saved

    assert coordinator.submit(url, moved | {"delay_reason": "family_request"}).status == 302
    db.session.refresh(conference)
    assert conference.section_47_started_on == date(2027, 3, 3)
    assert conference.delay_reason == DelayReason.FAMILY_REQUEST
    assert _link(conference, amir).section_47_started_on == date(2027, 3, 3)
    assert _link(conference, bella).section_47_started_on == date(2027, 2, 1)


# --- Booking a review --------------------------------------------------------------------


def test_a_review_booked_after_a_childs_due_date_needs_a_reason(coordinator: PageClient) -> None:
    child = make_child("Cara")
    conference_on("2026-09-01", INITIAL, {child: PlanOutcome.STARTED})  # due 1 December 2026
    review = conference_on("2026-11-30", REVIEW, {child: None}, status=SCHEDULED)
    url = f"/conferences/{review.id}/edit"

    assert coordinator.submit(url, _edit_data(review)).status == 302  # in time: no question
    late = _edit_data(review, date=["2", "12", "2026"])
    page = coordinator.submit(url, late)
    assert page.status == 400
    assert "Cara Tester's review was due by 1 December 2026" in _warning(page)
    assert page.error_summary == ["Select the reason for the delay"]

    assert coordinator.submit(url, late | {"delay_reason": "chair_unavailable"}).status == 302
    db.session.refresh(review)
    assert review.conference_date == date(2026, 12, 2)
    assert review.delay_reason == DelayReason.CHAIR_UNAVAILABLE
    # Its page shows the reason on record, to change
    form = coordinator.get(url)
    assert form.soup.select_one("input[name=delay_reason][checked]")["value"] == "chair_unavailable"


# --- Each child's own section 47 date ----------------------------------------------------


def test_a_child_on_an_initial_conference_gets_their_own_section_47_date(
    coordinator: PageClient,
) -> None:
    conference = conference_on("2027-03-10", INITIAL, {}, status=SCHEDULED, s47=date(2027, 3, 1))
    url = f"/conferences/{conference.id}/children/new"
    child = {"first_name": "Dev", "last_name": "Tester", "born": "born"}
    born = {"birth_date": ["1", "1", "2015"]}

    form = coordinator.get(url)
    assert form.soup.select_one("#section_47_started_on-day")["value"] == "01"
    assert coordinator.submit(url, child | born).status == 302  # left as it is
    sister = child | born | {"first_name": "Eve", "section_47_started_on": ["26", "2", "2027"]}
    assert coordinator.submit(url, sister).status == 302
    links = {link.child.first_name: link.section_47_started_on for link in conference.children}
    assert links == {"Dev": date(2027, 3, 1), "Eve": date(2027, 2, 26)}

    after = coordinator.submit(url, child | born | {"section_47_started_on": ["11", "3", "2027"]})
    assert after.status == 400
    assert after.error_summary == [
        "Section 47 enquiry start date must be on or before the date of the conference"
    ]

    eve = next(link.child for link in conference.children if link.child.first_name == "Eve")
    edit = f"/conferences/{conference.id}/children/{eve.id}/edit"
    changed = sister | {"section_47_started_on": ["25", "2", "2027"]}
    assert coordinator.submit(edit, changed).status == 302
    assert _link(conference, eve).section_47_started_on == date(2027, 2, 25)


def test_a_child_on_a_review_is_not_asked_for_a_section_47_date(coordinator: PageClient) -> None:
    conference = conference_on("2027-03-10", REVIEW, {}, status=SCHEDULED)
    form = coordinator.get(f"/conferences/{conference.id}/children/new")
    assert form.status == 200
    assert form.soup.select_one("#section_47_started_on-day") is None


# --- The plan where the child is seen ----------------------------------------------------


def test_the_childs_page_shows_their_plan_and_next_review(coordinator: PageClient) -> None:
    child = make_child("Finn")
    first = conference_on("2026-05-31", INITIAL, {child: PlanOutcome.STARTED})
    page = coordinator.get(f"/conferences/{first.id}/children/{child.id}/edit")
    plan = " ".join(page.soup.select_one("[data-plan]").get_text(" ").split())
    assert plan == (
        "Plan Open Plan started on 31 May 2026 Category of harm Neglect "
        "Next review due by 31 August 2026"
    )
    ended = conference_on("2026-08-20", REVIEW, {child: PlanOutcome.ENDED_LOOKED_AFTER})
    page = coordinator.get(f"/conferences/{ended.id}/children/{child.id}/edit")
    plan = " ".join(page.soup.select_one("[data-plan]").get_text(" ").split())
    assert plan.startswith("Plan Closed on 20 August 2026: Plan ended: looked after")
    assert "Next review" not in plan
    never = conference_on("2026-08-20", INITIAL, {make_child("Gil"): PlanOutcome.NO_PLAN})
    page = coordinator.get(f"/conferences/{never.id}/children/{never.children[0].child_id}/edit")
    assert "No child protection plan on record." in page.text


# --- Held out of timescale ----------------------------------------------------------------


@pytest.fixture
def late_review(signed_in: Callable[..., PageClient]) -> dict[str, object]:
    """Hana's review was due on 1 September 2026; it was booked for 5 October, for a reason."""
    chair = make_staff(Role.CHAIR)
    hana = make_child("Hana")
    conference_on("2026-06-01", INITIAL, {hana: PlanOutcome.STARTED})
    review = conference_on(
        "2026-10-05",
        REVIEW,
        {hana: None},
        status=SCHEDULED,
        chair_id=chair.id,
        delay_reason=DelayReason.CHAIR_UNAVAILABLE,
    )
    return {"chair": signed_in(Role.CHAIR, user=chair), "hana": hana, "review": review}


def _record(child: Child, held_on: list[str], **changes: object) -> dict[str, object]:
    return {
        "held_on": held_on,
        "format": "virtual",
        "quorate": "yes",
        f"child-{child.id}-attended": "no",
        f"child-{child.id}-code": "CP7",
        f"child-{child.id}-plan_outcome": "continued",
        f"child-{child.id}-harm_category": "neglect",
        **changes,
    }


def test_held_late_asks_the_reason_filled_in_from_the_booking(late_review: dict) -> None:
    chair, hana, review = late_review["chair"], late_review["hana"], late_review["review"]
    url = f"/conferences/{review.id}/record"
    page = chair.get(url)
    assert "Hana Tester's review was due by 1 September 2026" in _warning(page)
    assert page.soup.select_one("input[name=delay_reason][checked]")["value"] == (
        "chair_unavailable"
    )
    plan = " ".join(page.soup.select_one("[data-plan]").get_text(" ").split())
    assert "Next review due by 1 September 2026" in plan

    refused = chair.post(
        url, {"csrf_token": page.csrf_token(), **_record(hana, ["5", "10", "2026"])}
    )
    assert refused.status == 400
    assert refused.error_summary == ["Select the reason for the delay"]
    db.session.refresh(review)
    assert review.status == SCHEDULED

    saved = chair.submit(url, _record(hana, ["5", "10", "2026"], delay_reason="quoracy"))
    assert saved.status == 303
    db.session.refresh(review)
    assert review.status == ConferenceStatus.HELD
    assert review.delay_reason == DelayReason.QUORACY


def test_held_in_time_keeps_no_reason(late_review: dict) -> None:
    """Brought forward and held on 28 August, before the due date: no question, no reason."""
    chair, hana, review = late_review["chair"], late_review["hana"], late_review["review"]
    url = f"/conferences/{review.id}/record"
    page = chair.get(url)
    saved = chair.post(url, {"csrf_token": page.csrf_token(), **_record(hana, ["28", "8", "2026"])})
    assert saved.status == 303
    db.session.refresh(review)
    assert review.delay_reason is None


def test_an_initial_held_after_one_siblings_deadline_asks_the_reason(
    signed_in: Callable[..., PageClient],
) -> None:
    """Booked for Friday 2 October 2026 from a section 47 start on 14 September (day 15 is 5
    October); Jo's own enquiry started on 7 September (day 15: 28 September)."""
    chair = make_staff(Role.CHAIR)
    ivo, jo = make_child("Ivo"), make_child("Jo")
    conference = conference_on(
        "2026-10-02",
        INITIAL,
        {ivo: None, jo: None},
        status=SCHEDULED,
        s47=date(2026, 9, 14),
        chair_id=chair.id,
    )
    _link(conference, jo).section_47_started_on = date(2026, 9, 7)
    db.session.commit()
    client = signed_in(Role.CHAIR, user=chair)
    url = f"/conferences/{conference.id}/record"
    started = {
        f"child-{ivo.id}-harm_category": "neglect",
        f"child-{jo.id}-harm_category": "neglect",
    }
    answers = {
        **_record(ivo, ["2", "10", "2026"], **{f"child-{ivo.id}-plan_outcome": "started"}),
        **_record(jo, ["2", "10", "2026"], **{f"child-{jo.id}-plan_outcome": "started"}),
        **started,
    }
    page = client.submit(url, answers)
    assert page.status == 400
    assert _warning(page) == (
        "! Warning This conference was held out of timescale: Jo Tester's initial conference "
        "was due by 28 September 2026 (15 working days after their section 47 enquiry started)"
    )
    assert page.error_summary == ["Select the reason for the delay"]
    detail = client.submit(url, answers | {"delay_reason": "other"})
    assert detail.error_summary == ["Enter the reason for the delay"]
    saved = client.submit(
        url, answers | {"delay_reason": "other", "delay_reason_detail": "Interpreter unavailable"}
    )
    assert saved.status == 303
    db.session.refresh(conference)
    assert conference.delay_reason == DelayReason.OTHER
    assert conference.delay_reason_detail == "Interpreter unavailable"
    assert {plan.child_id for plan in db.session.scalars(select(ChildPlan))} == {ivo.id, jo.id}
