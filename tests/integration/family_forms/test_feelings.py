"""Children choose pictures of feelings (issue 20): how they feel at home, at school and about
the meeting. Each of the seven is taken, anything else refused in words; the chair's pack shows
the word, the feedback report counts each feeling by its word, and an answer from the time of the
three faces ("in between") still reads and counts by its words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.family_forms.childrens_questions import CHILD_FEEDBACK, CHILD_VIEWS, FEELINGS
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import Channel, ConferenceStatus, FormKind, Relationship, Role
from tests.factories import (
    add_child,
    add_contactable_member,
    add_form_response,
    make_conference,
    make_staff,
)
from tests.integration.reports.test_feedback_report import held_on, invite, member, respond
from tests.pages import PageClient

WORDS = ["Happy", "Sad", "Worried", "Angry", "Scared", "Calm", "Not sure"]
VALUES = ["happy", "sad", "worried", "angry", "scared", "calm", "not_sure"]


def _born(years: int) -> date:
    today = date.today()
    return date(today.year - years, today.month, 1) - timedelta(days=60)


def _open_as_child(client: PageClient, form: FormKind) -> None:
    feedback = form == FormKind.FEEDBACK
    conference = make_conference(
        **({"starts_in": timedelta(days=-1), "status": ConferenceStatus.HELD} if feedback else {})
    )
    child = add_child(conference, first_name="Ivy", date_of_birth=_born(7))
    contact = add_contactable_member(
        conference, first_name="Ivy", relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    invitation = issue_invitation(conference, contact, form)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    assert client.submit("/your-say/start", on="/your-say/").status == 302


def test_the_feelings_are_the_seven_in_order_and_old_answers_keep_their_words() -> None:
    assert [value for value, _ in FEELINGS] == VALUES
    for questionnaire, question_id in (
        (CHILD_VIEWS, "feel_at_home"),
        (CHILD_VIEWS, "feel_at_school"),
        (CHILD_FEEDBACK, "meeting_feel"),
    ):
        question = questionnaire.question(question_id)
        assert question is not None
        assert question.look == "feelings"
        assert [str(words) for _, words in question.options] == WORDS
        assert question.summary({"choice": "in_between"}) == ["In between"]
    # At school comes straight after at home, and is asked the same way
    ids = [q.id for q in CHILD_VIEWS.questions]
    assert ids.index("feel_at_school") == ids.index("feel_at_home") + 1
    at_home, at_school = (
        CHILD_VIEWS.question("feel_at_home"),
        CHILD_VIEWS.question("feel_at_school"),
    )
    assert (at_home.required, at_home.detail_label) == (at_school.required, at_school.detail_label)
    # "Did the grown-ups listen to you?" keeps its three faces
    listened = CHILD_FEEDBACK.question("listened_to")
    assert listened is not None
    assert listened.look == "faces"
    assert [value for value, _ in listened.options] == ["happy", "in_between", "sad"]


@pytest.mark.parametrize(
    ("form", "question_ids"),
    [(FormKind.VIEWS, ("feel_at_home", "feel_at_school")), (FormKind.FEEDBACK, ("meeting_feel",))],
)
def test_each_feeling_is_taken_and_shown_by_its_word(
    client: PageClient, form: FormKind, question_ids: tuple[str, ...]
) -> None:
    _open_as_child(client, form)
    for question_id in question_ids:
        page = client.get(f"/your-say/q/{question_id}")
        tiles = page.soup.select(".heard-feelings .govuk-radios__item")
        assert [tile.select_one("input[type=radio]")["value"] for tile in tiles] == VALUES
        assert [tile.label.get_text(strip=True) for tile in tiles] == WORDS
        for tile in tiles:  # the picture is hidden from a screen reader: the word says it
            assert tile.select_one("svg")["aria-hidden"] == "true"
        for value, words in zip(VALUES, WORDS, strict=True):
            saved = client.submit(f"/your-say/q/{question_id}", {"choice": value})
            assert saved.status == 302, (question_id, value, saved.error_summary)
            again = client.get(f"/your-say/q/{question_id}")
            assert again.soup.select_one("input[name=choice][checked]")["value"] == value
            assert words in client.get("/your-say/check").text


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"choice": ""},
        {"choice": "in_between"},  # no longer offered
        {"choice": "HAPPY"},
        {"choice": "happy "},
        {"choice": "excited"},
        {"choice": "<svg onload=alert(1)>"},
        {"choice": "x" * 5000},
    ],
)
def test_anything_else_is_refused_in_words(client: PageClient, data: dict) -> None:
    _open_as_child(client, FormKind.VIEWS)
    refused = client.submit("/your-say/q/feel_at_school", data)
    assert refused.status == 400
    assert refused.error_summary == ["Choose how you feel"]
    assert "<svg onload" not in refused.response.get_data(as_text=True)


def test_the_pack_shows_each_feeling_by_its_word(signed_in) -> None:
    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair)
    child = add_child(conference, first_name="Leo", date_of_birth=_born(6))
    contact = add_contactable_member(
        conference, first_name="Leo", relationship=Relationship.YOUNG_PERSON, child_id=child.id
    )
    add_form_response(
        conference,
        contact,
        {
            "feel_at_home": {"choice": "in_between", "text": "Mum shouts"},  # a three-faces answer
            "feel_at_school": {"choice": "not_sure"},
        },
    )
    page = signed_in(Role.CHAIR, chair).get(f"/conferences/{conference.id}/pack")
    assert page.status == 200
    rows = {
        " ".join(row.dt.get_text(" ").split()): " ".join(row.dd.get_text(" ").split())
        for row in page.soup.select(".govuk-summary-list__row")
        if row.dt is not None and row.dd is not None
    }
    assert rows["How do you feel at home?"] == "In between Mum shouts"
    assert rows["How do you feel at school?"] == "Not sure"


def test_the_feedback_report_counts_each_feeling_by_its_word(signed_in) -> None:
    conference = held_on("2024-06-30", "CASE-8001")
    chosen = ["happy", "happy", "scared", "not_sure", "in_between"]  # the last, a three-faces one
    for number, choice in enumerate(chosen):
        child = add_child(conference, first_name=f"Child{number}")
        person = member(
            conference, Channel.SMS, relationship=Relationship.YOUNG_PERSON, child_id=child.id
        )
        sent = invite(conference, person, FormKind.FEEDBACK, Channel.SMS, submitted=True)
        respond(sent, CHILD_FEEDBACK.id, {"meeting_feel": {"choice": choice}})
    page = signed_in(Role.PARTICIPATION_OFFICER).get("/reports/feedback?year=2024")
    table = next(
        t
        for t in page.soup.select("table")
        if t.caption
        and t.caption.get_text(" ").startswith(str(CHILD_FEEDBACK.title))
        and "How did you feel about the meeting?" in t.get_text(" ")
    )
    headers = [" ".join(th.get_text(" ").split()) for th in table.select("thead th")]
    assert headers == ["Question", *WORDS, "In between"]
    cells = [" ".join(c.get_text(" ").split()) for c in table.select("tbody tr")[0].find_all("td")]
    assert cells == [
        "40.0% 2 of 5",  # happy
        "0.0% 0 of 5",
        "0.0% 0 of 5",
        "0.0% 0 of 5",
        "20.0% 1 of 5",  # scared
        "0.0% 0 of 5",
        "20.0% 1 of 5",  # not sure
        "20.0% 1 of 5",  # in between, from before the seven
    ]
    exported = signed_in(Role.PARTICIPATION_OFFICER).get("/reports/feedback.csv?year=2024")
    assert "How did you feel about the meeting?,Scared,1,5,20.0" in exported.text
