"""An admin merges two records of one person: the kept record gets the other's conferences and
everything pointing at it; what the removed record held is kept, sealed (issue 14, part 1)."""

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, text

from portal.extensions import db
from portal.models import (
    AdvocacyReferral,
    AuditAction,
    AuditEvent,
    Child,
    ChildPlan,
    ConferenceAdult,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    FamilyMember,
    HarmCategory,
    Invitation,
    PersonMerge,
    PlanOutcome,
    Role,
    Task,
)
from portal.plans.services import rebuild_plans
from tests.factories import (
    add_child,
    add_contactable_member,
    add_form_response,
    add_task,
    make_conference,
    make_staff,
    refer,
)


def _held(conference, day: date, outcomes: dict) -> None:
    """Mark ``conference`` held on ``day`` with each child's plan outcome and category."""
    conference.status = ConferenceStatus.HELD
    conference.held_on = day
    conference.starts_at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    for link in conference.children:
        if link.child_id in outcomes:
            link.plan_outcome, link.harm_category = outcomes[link.child_id]
    db.session.commit()


def test_two_child_records_become_one_with_every_link_and_plan(signed_in) -> None:
    """Set up by hand twice: the initial conference's Oscar and the review's Oscar."""
    initial = make_conference(
        case_reference="CP-1",
        conference_type=ConferenceType.INITIAL,
        section_47_started_on=date(2025, 1, 6),
    )
    first = add_child(initial, first_name="Oscar", date_of_birth=date(2012, 3, 1))
    review = make_conference(case_reference="CP-1", starts_in=timedelta(days=40))
    second = add_child(
        review, first_name="Oscar", date_of_birth=date(2012, 3, 1), external_ref="LCS-5"
    )
    referral = refer(review, second, make_staff(Role.ADVOCATE))
    shared = make_conference(case_reference="CP-1", starts_in=timedelta(days=80))
    db.session.add_all(
        [
            ConferenceChild(conference=shared, child=first),
            ConferenceChild(conference=shared, child=second),
        ]
    )
    db.session.commit()
    _held(initial, date(2025, 1, 20), {first.id: (PlanOutcome.STARTED, HarmCategory.NEGLECT)})
    _held(review, date(2025, 4, 14), {second.id: (PlanOutcome.ENDED_CHILD_IN_NEED, None)})
    rebuild_plans([first.id, second.id])
    db.session.commit()
    assert db.session.scalars(select(ChildPlan)).one().ended_on is None  # two records: open

    first_id, second_id = first.id, second.id
    admin = make_staff(Role.ADMIN)
    client = signed_in(Role.ADMIN, admin)
    data = {"kind": "child", "kept_id": str(first.id), "removed_id": str(second.id)}
    check = client.submit("/people/merge", data)
    assert check.status == 200
    assert check.h1 == "Check the records to merge"
    assert "LCS-5" in check.text
    assert db.session.get(Child, second.id) is not None  # nothing merged yet
    done = client.post(
        "/people/merge", {"csrf_token": check.csrf_token(), **data, "confirmed": "yes"}
    )
    assert done.location == "/people/merge"
    assert client.get(done.location).banners == [
        f"Record {second_id} merged into record {first_id}."
    ]

    db.session.expire_all()
    assert db.session.scalars(select(Child.id)).all() == [first.id]
    kept = db.session.get(Child, first.id)
    assert kept.external_ref == "LCS-5"  # the case system's ID comes with the record
    links = db.session.scalars(
        select(ConferenceChild).where(ConferenceChild.child_id == first.id)
    ).all()
    assert {link.conference_id for link in links} == {initial.id, review.id, shared.id}
    review_link = next(link for link in links if link.conference_id == review.id)
    assert review_link.plan_outcome == PlanOutcome.ENDED_CHILD_IN_NEED
    assert db.session.get(AdvocacyReferral, referral.id).child_id == first.id
    # One plan now: started at the initial conference, ended at the review
    plan = db.session.scalars(select(ChildPlan)).one()
    assert (plan.child_id, plan.ended_on, plan.end_outcome) == (
        first.id,
        date(2025, 4, 14),
        PlanOutcome.ENDED_CHILD_IN_NEED,
    )
    merged = db.session.scalars(select(PersonMerge)).one()
    assert (merged.record_type, merged.kept_id, merged.removed_id, merged.merged_by_id) == (
        "child",
        first.id,
        second_id,
        admin.id,
    )
    held = json.loads(merged.removed_record)
    assert held["record"]["external_ref"] == "LCS-5"
    assert {link["conference_id"] for link in held["conferences"]} == {review.id, shared.id}
    stored = db.session.execute(text("SELECT removed_record FROM person_merge")).scalar_one()
    assert "LCS-5" not in stored  # sealed at rest
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.MERGE)
    ).all()
    assert sorted((e.record_type, e.record_id, e.actor_id) for e in events) == sorted(
        [("child", first.id, admin.id), ("child", second_id, admin.id)]
    )


def test_two_adult_records_become_one_with_their_invitations_and_tasks(signed_in) -> None:
    one = make_conference(case_reference="CP-2")
    other = make_conference(case_reference="CP-2", starts_in=timedelta(days=60))
    kept = add_contactable_member(one, first_name="Jo")
    removed = add_contactable_member(other, first_name="Jo", language="Polish")
    task = add_task(other, removed, "interpreter", detail="Polish")
    invitation = add_form_response(other, removed, {}, submitted=False).invitation
    client = signed_in(Role.ADMIN)
    data = {"kind": "adult", "kept_id": str(kept.id), "removed_id": str(removed.id)}
    check = client.submit("/people/merge", data)
    client.post("/people/merge", {"csrf_token": check.csrf_token(), **data, "confirmed": "yes"})
    db.session.expire_all()
    assert db.session.scalars(select(FamilyMember.id)).all() == [kept.id]
    assert db.session.get(ConferenceAdult, (other.id, kept.id)) is not None
    assert db.session.get(Task, task.id).family_member_id == kept.id
    assert db.session.get(Invitation, invitation.id).family_member_id == kept.id
    held = json.loads(db.session.scalars(select(PersonMerge)).one().removed_record)
    assert held["record"]["language"] == "Polish"


def test_a_merge_that_would_lose_something_is_refused_and_changes_nothing(signed_in) -> None:
    conference = make_conference()
    first = add_child(conference, first_name="Oscar")
    second = add_child(conference, first_name="Oscar")
    refer(conference, second)  # the second record's referral here: the kept one would clash
    client = signed_in(Role.ADMIN)
    data = {"kind": "child", "kept_id": str(first.id), "removed_id": str(second.id)}
    check = client.submit("/people/merge", data)
    check = client.post(
        "/people/merge", {"csrf_token": check.csrf_token(), **data, "confirmed": "yes"}
    )
    assert check.status == 400
    assert check.error_summary[0].startswith("Both records are at the same conference")
    assert len(db.session.scalars(select(Child)).all()) == 2
    assert db.session.scalars(select(PersonMerge)).all() == []


def test_bad_merge_requests_are_messages(signed_in) -> None:
    child = add_child(make_conference())
    client = signed_in(Role.ADMIN)
    same = client.submit(
        "/people/merge", {"kind": "child", "kept_id": str(child.id), "removed_id": str(child.id)}
    )
    assert same.status == 400
    assert same.error_summary == ["Enter two different record numbers"]
    missing = client.submit(
        "/people/merge", {"kind": "child", "kept_id": str(child.id), "removed_id": "999999"}
    )
    assert missing.error_summary == ["There is no record numbered 999999"]
    nonsense = client.submit("/people/merge", {"kind": "dog", "kept_id": "x", "removed_id": ""})
    assert nonsense.status == 400
    assert len(nonsense.error_summary) == 3
