"""Setting up the review from a held conference (issue 14, part 2)."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    Child,
    Conference,
    ConferenceAdult,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    DelayReason,
    FamilyMember,
    HarmCategory,
    PlanOutcome,
    Relationship,
    Role,
    Task,
)
from portal.plans.services import rebuild_plans
from tests.factories import (
    add_child,
    add_contactable_member,
    add_family_member,
    make_conference,
    make_staff,
)


def _held_initial(chair):
    """An initial conference held on 30 November 2026: Ava's plan started (neglect), Bo needed
    none; a mother confirmed safe who needs a Polish interpreter, and Ava's own contact."""
    conference = make_conference(
        chair,
        case_reference="CP-2026-0142",
        conference_type=ConferenceType.INITIAL,
        section_47_started_on=date(2026, 11, 10),
        social_worker_name="Sam Worker",
    )
    ava = add_child(conference, first_name="Ava", date_of_birth=date(2015, 1, 1))
    bo = add_child(conference, first_name="Bo", date_of_birth=date(2020, 1, 1))
    mother = add_contactable_member(conference, first_name="Jo", language="Polish")
    own = add_family_member(
        conference, first_name="Ava", relationship=Relationship.YOUNG_PERSON, child_id=ava.id
    )
    outcomes = {
        ava.id: (PlanOutcome.STARTED, HarmCategory.NEGLECT),
        bo.id: (PlanOutcome.NO_PLAN, None),
    }
    conference.starts_at = datetime(2026, 11, 30, 10, tzinfo=UTC)
    conference.status, conference.held_on = ConferenceStatus.HELD, date(2026, 11, 30)
    for link in conference.children:
        link.plan_outcome, link.harm_category = outcomes[link.child_id]
    rebuild_plans([ava.id, bo.id])
    db.session.commit()
    return conference, ava, bo, mother, own


def test_the_review_form_starts_from_the_held_conference(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference, *_ = _held_initial(chair)
    page = signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}/review")
    assert page.status == 200
    assert page.h1 == "Set up the review"
    # Due 3 months after the initial conference: 30 November + 3 months is 28 February
    assert "The review is due by 28 February 2027." in page.text
    assert [page.soup.select_one(f"#date-{part}")["value"] for part in ("day", "month")] == [
        "28",
        "02",
    ]
    assert page.soup.select_one("#case_reference")["value"] == "CP-2026-0142"
    assert page.soup.select_one("#chair_id option[selected]")["value"] == str(chair.id)
    who = [li.get_text(" ", strip=True) for li in page.soup.select("main li")]
    assert "Ava Tester" in who
    assert "Bo Tester" not in who  # no plan: not at the review


def test_setting_up_the_review_links_the_same_people(signed_in) -> None:
    chair, other_chair = make_staff(Role.CHAIR), make_staff(Role.CHAIR)
    conference, ava, bo, mother, own = _held_initial(chair)
    client = signed_in(Role.COORDINATOR)
    day = date.today() + timedelta(days=60)  # still to come, so its tasks are made
    page = client.submit(
        f"/conferences/{conference.id}/review",
        {
            "case_reference": "cp-2026-0142",
            "date": [str(day.day), str(day.month), str(day.year)],
            "start_time": "10:00",
            "format": "virtual",
            "chair_id": str(other_chair.id),
        },
    )
    review = db.session.scalars(select(Conference).where(Conference.id != conference.id)).one()
    assert page.location == f"/conferences/{review.id}"
    assert (review.conference_type, review.case_reference, review.chair_id) == (
        ConferenceType.REVIEW,
        "CP-2026-0142",
        other_chair.id,
    )
    assert review.conference_date == day
    assert review.status == ConferenceStatus.SCHEDULED
    assert review.social_worker_name == "Sam Worker"
    children = db.session.scalars(
        select(ConferenceChild.child_id).where(ConferenceChild.conference_id == review.id)
    ).all()
    assert children == [ava.id]  # the same record; Bo's plan was not needed
    adults = set(
        db.session.scalars(
            select(ConferenceAdult.family_member_id).where(
                ConferenceAdult.conference_id == review.id
            )
        )
    )
    assert adults == {mother.id, own.id}  # Ava's own contact comes with her
    assert len(db.session.scalars(select(Child)).all()) == 2  # no copies
    assert len(db.session.scalars(select(FamilyMember)).all()) == 2
    db.session.expire_all()
    assert mother.contact_confirmed_safe_at is None  # to be confirmed safe again
    assert mother.language == "Polish"
    # As for a conference set up by hand: Ava (over 10 on the day) is referred, and the interpreter
    # task follows the mother (the review is still to come).
    referral = db.session.scalar(
        select(AdvocacyReferral).where(AdvocacyReferral.conference_id == review.id)
    )
    assert referral is not None
    assert referral.child_id == ava.id
    tasks = db.session.scalars(select(Task).where(Task.conference_id == review.id)).all()
    assert [(t.family_member_id, t.kind.value) for t in tasks] == [(mother.id, "interpreter")]
    shown = client.get(page.location)
    assert shown.banners[0].startswith("Review set up.")


def test_a_conference_not_yet_held_has_no_review_to_set_up(signed_in) -> None:
    conference = make_conference()
    client = signed_in(Role.COORDINATOR)
    page = client.get(f"/conferences/{conference.id}/review")
    assert page.location == f"/conferences/{conference.id}"
    assert client.get(page.location).banners == [
        "You can set up the review once this conference has been recorded as held."
    ]
    assert "Set up the review" not in client.get(page.location).text


def test_the_review_form_refuses_bad_input(signed_in) -> None:
    conference, *_ = _held_initial(make_staff(Role.CHAIR))
    page = signed_in(Role.COORDINATOR).submit(
        f"/conferences/{conference.id}/review",
        {"case_reference": "", "date": ["31", "2", "2027"], "start_time": "", "format": ""},
    )
    assert page.status == 400
    assert len(page.error_summary) == 4
    assert db.session.scalar(select(Conference).where(Conference.id != conference.id)) is None


def test_the_page_says_when_the_case_already_has_a_conference_booked(signed_in) -> None:
    conference, *_ = _held_initial(make_staff(Role.CHAIR))
    client = signed_in(Role.COORDINATOR)
    assert (
        "already has a conference booked"
        not in client.get(f"/conferences/{conference.id}/review").text
    )
    booked = make_conference(case_reference="CP-2026-0142", starts_in=timedelta(days=30))
    page = client.get(f"/conferences/{conference.id}/review")
    warning = page.soup.select_one(".govuk-warning-text")
    assert "This case already has a conference booked after this one" in warning.text
    assert warning.select_one("a")["href"] == f"/conferences/{booked.id}"


def test_a_review_booked_after_the_due_date_asks_why(signed_in) -> None:
    """Ava's review is due by 28 February 2027: booked for 15 March, the page warns and needs a
    reason for the delay, which is kept on the review."""
    conference, *_ = _held_initial(make_staff(Role.CHAIR))
    client = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/review"
    late = {
        "case_reference": "CP-2026-0142",
        "date": ["15", "3", "2027"],
        "start_time": "10:00",
        "format": "virtual",
        "chair_id": "",
    }
    asked = client.submit(url, late)
    assert asked.status == 400
    assert asked.error_summary == ["Select the reason for the delay"]
    assert "Ava Tester's review was due by 28 February 2027" in asked.text
    assert db.session.scalar(select(Conference).where(Conference.id != conference.id)) is None

    saved = client.submit(url, {**late, "delay_reason": "chair_unavailable"})
    assert saved.status == 302, saved.error_summary
    review = db.session.scalars(select(Conference).where(Conference.id != conference.id)).one()
    assert review.delay_reason == DelayReason.CHAIR_UNAVAILABLE
