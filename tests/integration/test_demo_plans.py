"""The demo shows a year with plans, reviews and a few late conferences with reasons (issue 14):
the same child at every conference of their case, plans derived from the outcomes, and a reason
beside every conference held out of timescale."""

from __future__ import annotations

from collections import defaultdict

from flask import Flask
from sqlalchemy import func, select

from portal.demo.conferences import CASE_PREFIX
from portal.extensions import db
from portal.models import (
    ChildPlan,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    DelayReason,
    PlanOutcome,
)
from portal.plans.rules import initial_in_time, review_due


def _held_demo_conferences() -> list[Conference]:
    return list(
        db.session.scalars(
            select(Conference)
            .where(
                Conference.case_reference.startswith(CASE_PREFIX),
                Conference.status == ConferenceStatus.HELD,
            )
            .order_by(Conference.conference_date, Conference.id)
        )
    )


def test_the_demo_has_a_year_of_plans_reviews_and_reasons_for_delay(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    held = _held_demo_conferences()

    # The same child at their initial conference and at each review of the case
    conferences_of: dict[int, list[Conference]] = defaultdict(list)
    for conference in held:
        for link in conference.children:
            conferences_of[link.child_id].append(conference)
    reviewed = [
        history
        for history in conferences_of.values()
        if len(history) >= 3
        and history[0].conference_type == ConferenceType.INITIAL
        and {c.case_reference for c in history} == {history[0].case_reference}
    ]
    assert len(reviewed) >= 5

    # Plans: started at initial conferences, some still open, some ended each way
    plans = db.session.scalars(select(ChildPlan)).all()
    assert sum(plan.is_open for plan in plans) >= 5
    endings = {plan.end_outcome for plan in plans if not plan.is_open}
    assert {PlanOutcome.ENDED_CHILD_IN_NEED, PlanOutcome.ENDED_LOOKED_AFTER} <= endings
    assert any(plan.started_conference_id != plan.ended_conference_id for plan in plans)

    # Each child's own section 47 date at initial conferences, and a reason for every late one
    late_initial = 0
    for conference in held:
        if conference.conference_type != ConferenceType.INITIAL:
            continue
        assert all(link.section_47_started_on for link in conference.children)
        started = conference.section_47_started_on
        if started and not initial_in_time(started, conference.held_on):
            late_initial += 1
            assert conference.delay_reason is not None, conference.case_reference
    assert late_initial >= 3
    siblings_differ = db.session.scalar(
        select(ConferenceChild.conference_id)
        .group_by(ConferenceChild.conference_id)
        .having(
            func.min(ConferenceChild.section_47_started_on)
            != func.max(ConferenceChild.section_47_started_on)
        )
        .limit(1)
    )
    assert siblings_differ is not None

    # Reviews held after they were due, each with its reason ("other" with its words)
    late_reviews = []
    for history in reviewed:
        for previous, review in zip(history, history[1:], strict=False):
            if review.held_on > review_due(previous.conference_type, previous.held_on):
                late_reviews.append(review)
    assert late_reviews
    assert all(review.delay_reason is not None for review in late_reviews)
    others = db.session.scalars(
        select(Conference).where(Conference.delay_reason == DelayReason.OTHER)
    ).all()
    assert others
    assert all(conference.delay_reason_detail for conference in others)
