"""Children's own forms: the young people's form (10 and over), the Three Houses (under 10, with
an adult helping), and answers only the chair may read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.extensions import db
from portal.family_forms.childrens_questions import (
    CHILD_FEEDBACK,
    CHILD_VIEWS,
    YOUNG_PERSON_FEEDBACK,
    YOUNG_PERSON_VIEWS,
)
from portal.family_forms.questionnaire import Questionnaire
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import Conference, ConferenceStatus, FormKind, Relationship, Role
from tests.factories import add_child, add_contactable_member, make_conference, make_staff
from tests.helpers.answers import YOUNG_PERSON_ANSWERS
from tests.pages import PageClient

CHILD_ANSWERS = {
    "good_things": {"text": "My dog Biscuit"},
    "worries": {"text": "When mum cries"},
    "danger_now": {"choice": "no"},
    "wishes": {"text": "A bigger bed"},
    "feel_at_home": {"choice": "worried", "text": "Sometimes sad"},
    "feel_at_school": {"choice": "calm"},
    "chair_only": {"text": "I hide under the stairs"},
    "helper": {"text": "My foster carer"},
}


def _years_before(day: date, years: int) -> date:
    return date(day.year - years, day.month, 1) - timedelta(days=60)


def _child_with_own_link(
    client: PageClient, age: int, form: FormKind = FormKind.VIEWS, chair=None
) -> Conference:
    feedback = form == FormKind.FEEDBACK
    conference = make_conference(
        chair=chair,
        **({"starts_in": timedelta(days=-1), "status": ConferenceStatus.HELD} if feedback else {}),
    )
    child = add_child(conference, first_name="Ivy", date_of_birth=_years_before(date.today(), age))
    member = add_contactable_member(
        conference, first_name="Ivy", relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    invitation = issue_invitation(conference, member, form)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    return conference


def _answer_all(client: PageClient, questionnaire: Questionnaire, answers: dict) -> None:
    assert client.submit("/your-say/start", on="/your-say/").status == 302
    for question in questionnaire.questions:
        page = client.get(f"/your-say/q/{question.id}")
        assert page.h1 == question.label
        saved = client.submit(f"/your-say/q/{question.id}", answers.get(question.id, {}))
        assert saved.status == 302, (question.id, saved.error_summary)
    assert client.submit("/your-say/check").location == "/your-say/done"


@pytest.mark.parametrize(
    ("age", "form", "questionnaire"),
    [
        (12, FormKind.VIEWS, YOUNG_PERSON_VIEWS),
        (10, FormKind.FEEDBACK, YOUNG_PERSON_FEEDBACK),
        (6, FormKind.VIEWS, CHILD_VIEWS),
        (9, FormKind.FEEDBACK, CHILD_FEEDBACK),
    ],
)
def test_each_child_gets_the_form_for_their_age(client, age, form, questionnaire) -> None:
    _child_with_own_link(client, age, form)
    landing = client.get("/your-say/")
    assert landing.h1 == str(questionnaire.title)
    start = client.submit("/your-say/start", on="/your-say/")
    assert start.location == f"/your-say/q/{questionnaire.questions[0].id}"


def test_the_young_persons_landing_page_gives_the_chair_only_safety_exception(client) -> None:
    """As the chair-only question's own hint does (issue 21)."""
    _child_with_own_link(client, 13)
    assert (
        "One question is for the chair only: nobody else reads that answer. But if it shows that"
        " you or someone else is not safe, the chair will have to tell people who can help."
    ) in client.get("/your-say/").text


def test_a_young_persons_views_end_to_end(client: PageClient) -> None:
    _child_with_own_link(client, 13)
    client.submit("/your-say/start", on="/your-say/")
    scale = client.get("/your-say/q/safe_at_home")
    assert [i["value"] for i in scale.soup.select("input[name=choice]")] == [
        str(n) for n in range(11)
    ]
    assert scale.soup.select_one(".govuk-radios--inline") is not None
    refused = client.submit("/your-say/q/safe_at_home", {"choice": "11"})
    assert refused.status == 400
    assert refused.error_summary == ["Select a number from 0 to 10"]
    _answer_all(client, YOUNG_PERSON_VIEWS, YOUNG_PERSON_ANSWERS)
    done = client.get("/your-say/done")
    assert "Childline" in done.text


def test_the_three_houses_feelings_are_drawn_and_named(client: PageClient) -> None:
    _child_with_own_link(client, 6)
    client.submit("/your-say/start", on="/your-say/")
    page = client.get("/your-say/q/feel_at_home")
    labels = page.soup.select(".heard-feelings .govuk-radios__label")
    assert [label.get_text(strip=True) for label in labels] == [
        "Happy",
        "Sad",
        "Worried",
        "Angry",
        "Scared",
        "Calm",
        "Not sure",
    ]
    for label in labels:
        svg = label.select_one("svg.heard-face")
        assert svg is not None
        assert svg["aria-hidden"] == "true"
    refused = client.submit("/your-say/q/feel_at_home", {})
    assert refused.error_summary == ["Choose how you feel"]
    for question in CHILD_VIEWS.questions:
        client.submit(f"/your-say/q/{question.id}", CHILD_ANSWERS[question.id])
    check = client.get("/your-say/check")
    assert "&lt;br&gt;" not in check.response.get_data(as_text=True)
    assert "Worried" in check.text
    assert "Calm" in check.text
    assert "Sometimes sad" in check.text


@pytest.mark.parametrize(("age", "answers"), [(14, YOUNG_PERSON_ANSWERS), (7, CHILD_ANSWERS)])
def test_only_the_conferences_own_chair_reads_chair_only_answers(
    client, signed_in, age, answers
) -> None:
    chair = make_staff(Role.CHAIR)
    conference = _child_with_own_link(client, age, chair=chair)
    questionnaire = YOUNG_PERSON_VIEWS if age >= 10 else CHILD_VIEWS
    _answer_all(client, questionnaire, answers)
    secret = answers["chair_only"]["text"]
    url = f"/conferences/{conference.id}/family-views"

    own_chair = signed_in(Role.CHAIR, chair).get(url)
    assert secret in own_chair.text
    assert answers["worries"]["text"] in own_chair.text

    readers_kept_out = (
        signed_in(Role.COORDINATOR),
        signed_in(Role.CHAIR, make_staff(Role.CHAIR, sees_all_conferences=True)),
    )
    for reader in readers_kept_out:
        page = reader.get(url)
        assert page.status == 200
        assert secret not in page.text
        assert "Only the chair of this conference can read this answer." in page.text
        assert answers["worries"]["text"] in page.text  # the rest is theirs to read


def test_a_started_form_is_kept_when_the_child_has_a_birthday(client: PageClient) -> None:
    """Started on the Three Houses at 9: a moved date that makes them 10 changes nothing."""
    conference = _child_with_own_link(client, 9)
    client.submit("/your-say/start", on="/your-say/")
    conference.starts_at = datetime.now(UTC) + timedelta(days=400)
    db.session.commit()
    assert client.get("/your-say/").h1 == str(CHILD_VIEWS.title)
