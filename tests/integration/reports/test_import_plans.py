"""``flask import attendance`` with the optional plan columns: each child's own section 47 date,
the plan's outcome and category, and the plans derived from them in date order."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    ChildPlan,
    ConferenceChild,
    HarmCategory,
    PlanOutcome,
)
from portal.reports.importing.services import import_attendance

HEADER = (
    "conference_ref,conference_date,conference_type,person_ref,role,date_of_birth,invited,"
    "attended,views_heard,participation_code,section47_started_on,plan_outcome,category"
)
# One child (P-A) through an initial conference, a review and a second review; her brother (P-B)
# at the initial only, with another section 47 date; their mother at each.
HISTORY = [
    "I1,2024-01-22,initial,P-A,child,2014-03-01,,,,CP5,2024-01-02,started,neglect",
    "I1,2024-01-22,initial,P-B,child,2016-03-01,,,,CP2,2024-01-03,no_plan,",
    "I1,2024-01-22,initial,P-MUM,mother,,yes,whole,yes,,,,",
    "R1,2024-04-18,review,P-A,child,2014-03-01,,,,CP5,,continued,neglect",
    "R2,2024-10-10,review,P-A,Child,2014-03-01,,,,CP5,,Ended_Child_In_Need,",
]


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def run(*lines: str, header: str = HEADER, dry_run: bool = False):
    return import_attendance(csv_bytes(*lines, header=header), min_age=4, dry_run=dry_run)


def plans() -> list[tuple[str, HarmCategory, date, date | None, PlanOutcome | None]]:
    rows = db.session.scalars(select(ChildPlan).order_by(ChildPlan.started_on)).all()
    return [
        (plan.child.external_ref, plan.category, plan.started_on, plan.ended_on, plan.end_outcome)
        for plan in rows
    ]


def links() -> dict[tuple[str, str], tuple[date | None, PlanOutcome | None, HarmCategory | None]]:
    return {
        (link.conference.external_ref, link.child.external_ref): (
            link.section_47_started_on,
            link.plan_outcome,
            link.harm_category,
        )
        for link in db.session.scalars(select(ConferenceChild))
    }


def test_the_plan_columns_are_stored_and_make_a_plan_history() -> None:
    result = run(*HISTORY)

    assert result.errors == []
    assert links() == {
        ("I1", "P-A"): (date(2024, 1, 2), PlanOutcome.STARTED, HarmCategory.NEGLECT),
        ("I1", "P-B"): (date(2024, 1, 3), PlanOutcome.NO_PLAN, None),
        ("R1", "P-A"): (None, PlanOutcome.CONTINUED, HarmCategory.NEGLECT),
        ("R2", "P-A"): (None, PlanOutcome.ENDED_CHILD_IN_NEED, None),
    }
    assert plans() == [
        (
            "P-A",
            HarmCategory.NEGLECT,
            date(2024, 1, 22),
            date(2024, 10, 10),
            PlanOutcome.ENDED_CHILD_IN_NEED,
        )
    ]


def test_rows_in_any_order_and_files_in_any_order_make_the_same_history() -> None:
    # The end first, in a file of its own; then the start: the plan is still one, in date order.
    assert run(HISTORY[4]).errors == []
    assert plans() == []  # an ending with no plan on record: nothing to end
    assert run(*reversed(HISTORY[:4])).errors == []

    assert plans() == [
        (
            "P-A",
            HarmCategory.NEGLECT,
            date(2024, 1, 22),
            date(2024, 10, 10),
            PlanOutcome.ENDED_CHILD_IN_NEED,
        )
    ]


def test_a_repeat_plan_is_a_second_plan() -> None:
    later = [
        "I2,2025-06-02,initial,P-A,child,2014-03-01,,,,CP5,2025-05-20,started,emotional",
    ]
    assert run(*HISTORY, *later).errors == []

    assert [(ref, category, start, end) for ref, category, start, end, _ in plans()] == [
        ("P-A", HarmCategory.NEGLECT, date(2024, 1, 22), date(2024, 10, 10)),
        ("P-A", HarmCategory.EMOTIONAL, date(2025, 6, 2), None),
    ]


def test_the_same_file_again_changes_nothing() -> None:
    assert run(*HISTORY).errors == []
    before_links, before_plans = links(), db.session.execute(select(ChildPlan.__table__)).all()

    again = run(*HISTORY)

    assert again.errors == []
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
    assert links() == before_links
    # Not even rebuilt: the same rows, ids and all
    assert db.session.execute(select(ChildPlan.__table__)).all() == before_plans


def test_a_corrected_outcome_updates_the_row_and_the_plan() -> None:
    assert run(*HISTORY).errors == []
    corrected = [*HISTORY[:4], HISTORY[4].replace("Ended_Child_In_Need", "ended_looked_after")]

    result = run(*corrected)

    assert (result.new, result.updated, result.unchanged) == (0, 1, 4)
    assert plans()[0][4] == PlanOutcome.ENDED_LOOKED_AFTER


def test_a_file_without_the_columns_leaves_what_they_set() -> None:
    assert run(*HISTORY).errors == []
    old_header = HEADER.rsplit(",", 3)[0]
    old_rows = [line.rsplit(",", 3)[0] for line in HISTORY]

    result = run(*old_rows, header=old_header)

    assert result.errors == []
    assert (result.new, result.updated, result.unchanged) == (0, 0, 5)
    assert links()[("I1", "P-A")] == (date(2024, 1, 2), PlanOutcome.STARTED, HarmCategory.NEGLECT)
    assert len(plans()) == 1


def test_only_some_of_the_columns_is_fine() -> None:
    header = HEADER.rsplit(",", 2)[0]  # section47_started_on only
    result = run("I1,2024-01-22,initial,P-A,child,2014-03-01,,,,CP5,2024-01-02", header=header)

    assert result.errors == []
    assert links() == {("I1", "P-A"): (date(2024, 1, 2), None, None)}


def test_each_bad_value_is_an_error_by_line_and_column_and_nothing_is_written() -> None:
    bad = [
        "I1,2024-01-22,initial,P-A,child,2014-03-01,,,,CP5,2024-02-30,started,",
        "I1,2024-01-22,initial,P-B,child,2016-03-01,,,,CP2,2024-01-23,ended,neglect",
        "R1,2024-04-18,review,P-A,child,2014-03-01,,,,CP5,2024-01-02,continued,bruises",
        "R1,2024-04-18,review,P-C,child,2014-03-01,,,,CP5,,no_plan,neglect",
        "R1,2024-04-18,review,P-MUM,mother,,yes,whole,yes,,,continued,",
    ]

    result = run(*bad)

    assert [str(error) for error in result.errors] == [
        "line 2, column section47_started_on: enter a real date as YYYY-MM-DD (not '2024-02-30')",
        "line 2, column category: enter the category of the plan that started: "
        "neglect | emotional | physical | sexual",
        "line 3, column section47_started_on: the section 47 enquiry starts on or before the "
        "conference date, 2024-01-22 (not 2024-01-23)",
        "line 3, column plan_outcome: no_plan | started | continued | ended_child_in_need | "
        "ended_looked_after | transferred (not 'ended')",
        "line 3, column category: a category is only for a plan that started or continued: "
        "leave it blank",
        "line 4, column section47_started_on: only for an initial conference (this is review): "
        "leave it blank",
        "line 4, column category: neglect | emotional | physical | sexual (not 'bruises')",
        "line 5, column category: a category is only for a plan that started or continued: "
        "leave it blank",
        "line 6, column plan_outcome: leave it blank for an adult (plans are children's)",
    ]
    assert db.session.scalar(select(func.count()).select_from(ConferenceChild)) == 0
    assert plans() == []


def test_a_dry_run_writes_no_plan() -> None:
    result = run(*HISTORY, dry_run=True)

    assert result.errors == []
    assert result.rows == 5
    assert db.session.scalar(select(func.count()).select_from(ChildPlan)) == 0
    assert links() == {}
