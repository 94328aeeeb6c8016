"""Views and feedback given another way and entered by staff, in the reports: heard by another
route in the participation table (once the chair records the conference), and their own route
beside the link funnel in the feedback report, their answers counted with everyone's."""

from __future__ import annotations

from datetime import timedelta

from portal.extensions import db
from portal.models import Channel, FormKind, Relationship, Role
from portal.reports.feedback import FeedbackFilters, feedback_report
from portal.reports.given_another_way import views_given_another_way
from portal.reports.participation import participation_table
from portal.reports.quarters import financial_year_of
from portal.templating import local_date
from tests.factories import (
    add_contactable_member,
    add_entry_given_another_way,
    add_family_member,
    make_conference,
    make_staff,
)
from tests.helpers.answers import VIEWS_ANSWERS
from tests.integration.reports.test_feedback_report import held_on, invite, member, respond


def _cell(table, measure: str) -> tuple[int, int]:
    row = next(row for row in table.rows if row.measure == measure)
    return row.cells["YEAR"].numerator, row.cells["YEAR"].denominator


def test_views_entered_for_a_father_count_him_as_heard_once_recorded(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair, starts_in=timedelta(days=-1))
    mother = add_contactable_member(conference, first_name="Kelly")
    father = add_family_member(conference, first_name="Dean", relationship=Relationship.FATHER)
    add_entry_given_another_way(
        conference, father, VIEWS_ANSWERS, entered_by=make_staff(Role.COORDINATOR)
    )
    day = local_date(conference.starts_at)
    year = financial_year_of(day)

    client = signed_in(Role.CHAIR, user=chair)
    form = client.get(f"/conferences/{conference.id}/record")
    ticked = form.soup.find(
        "input", {"name": f"adult-{father.id}-views_routes", "value": "entered_for_them"}
    )
    assert ticked.has_attr("checked")  # the chair's form says how his views came in
    saved = client.submit(
        f"/conferences/{conference.id}/record",
        {
            "held_on": [str(day.day), str(day.month), str(day.year)],
            "format": "in_person",
            "quorate": "yes",
            f"adult-{mother.id}-invited": "yes",
            f"adult-{mother.id}-attendance": "none",
            f"adult-{father.id}-invited": "yes",
            f"adult-{father.id}-attendance": "none",
            f"adult-{father.id}-views_routes": ["entered_for_them"],
        },
    )
    assert saved.status == 303, saved.error_summary

    table = participation_table(year, min_child_age=4)
    assert _cell(table, "fathers_participation") == (1, 1)
    assert _cell(table, "fathers_attendance") == (0, 1)
    assert _cell(table, "mothers_participation") == (0, 1)
    routes = {row.route.value: row.counts["YEAR"] for row in views_given_another_way(year)}
    assert routes == {"phone": 1, "paper": 0, "in_person": 0, "interpreter": 0}

    report = signed_in(Role.PARTICIPATION_OFFICER).get(f"/reports/participation?year={year}")
    assert report.status == 200
    assert "Views given another way and entered by staff" in report.text


def test_feedback_given_by_phone_is_its_own_route_beside_the_funnel(signed_in) -> None:
    conference = held_on("2024-05-10", "CASE-9001")
    mother = member(conference, Channel.SMS, first_name="Ann")
    link = invite(
        conference, mother, FormKind.FEEDBACK, Channel.SMS, delivered=True, opened=True,
        started=True, submitted=True,
    )  # fmt: skip
    respond(link, "parent_feedback", {"listened_to": {"choice": "yes"}})
    father = member(conference, Channel.SMS, first_name="Bob", relationship=Relationship.FATHER)
    invite(conference, father, FormKind.FEEDBACK, Channel.SMS, delivered=True)  # never answered
    add_entry_given_another_way(
        conference,
        father,
        {"listened_to": {"choice": "no"}, "do_better": {"text": "Ring me back sooner"}},
        form="feedback",
        entered_by=make_staff(Role.COORDINATOR),
    )
    db.session.commit()

    report = feedback_report(FeedbackFilters(2024))
    # The funnel is the links': the father's was sent and not answered through it
    assert (report.funnel.sent, report.funnel.submitted) == (2, 1)
    given = {rate.label: (rate.numerator, rate.denominator) for rate in report.given_another_way}
    assert given["By phone"] == (1, 1)
    assert given["On paper"] == (0, 1)
    listened = next(q for q in report.answers if q.question.startswith("Did you feel listened"))
    assert listened.answered == 2
    assert {o.label: o.numerator for o in listened.options}["No"] == 1
    assert any(c.text == "Ring me back sooner" for c in report.comments)

    by_text = feedback_report(FeedbackFilters(2024, channel=Channel.SMS))
    assert all(rate.numerator == 0 for rate in by_text.given_another_way)  # no channel

    page = signed_in(Role.PARTICIPATION_OFFICER).get("/reports/feedback?year=2024")
    assert "Given another way and entered by staff" in page.text
    export = signed_in(Role.PARTICIPATION_OFFICER).get("/reports/feedback.csv?year=2024")
    assert "Given another way" in export.text
    assert "By phone,1,1,100.0" in export.text
