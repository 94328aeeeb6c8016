"""The "No help needed" box is the exclusive choice of the help question: GOV.UK's "or" divider and
exclusive behaviour on the page, and refused with help on the server too (issue 13)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.family_forms.questions import QUESTIONNAIRES
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import Answer, FormKind
from tests.factories import add_contactable_member, make_conference
from tests.pages import PageClient


def _start_views(client: PageClient) -> None:
    conference = make_conference(starts_in=timedelta(days=10))
    invitation = issue_invitation(conference, add_contactable_member(conference), FormKind.VIEWS)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    client.submit("/your-say/start", on="/your-say/")


def test_every_help_question_has_no_help_needed_last_and_exclusive() -> None:
    asked = [q.question("help_needed") for q in QUESTIONNAIRES.values()]
    questions = [question for question in asked if question is not None]
    assert len(questions) >= 2
    for question in questions:
        assert question.options[-1][0] == question.exclusive == "none"


def test_no_help_needed_is_shown_after_or_and_unticks_the_others(client: PageClient) -> None:
    _start_views(client)
    page = client.get("/your-say/q/help_needed")
    boxes = page.soup.select_one(".govuk-checkboxes")
    assert boxes["data-module"] == "govuk-checkboxes"
    divider = boxes.select_one(".govuk-checkboxes__divider")
    assert divider.get_text(strip=True) == "or"
    none = boxes.select_one("input[value=none]")
    assert none["data-behaviour"] == "exclusive"
    # The divider comes just before "No help needed", and no other box is exclusive
    assert divider.find_next("input")["value"] == "none"
    assert len(boxes.select("[data-behaviour=exclusive]")) == 1


def test_no_help_needed_with_an_interpreter_is_refused_and_nothing_is_lost(
    client: PageClient,
) -> None:
    _start_views(client)
    page = client.submit(
        "/your-say/q/help_needed",
        {"choices": ["interpreter", "none"], "text": "Polish, please"},
    )
    assert page.status == 400
    assert page.title.startswith("Error: ")
    assert page.error_summary == ["Select the help you need, or select no help needed, not both"]
    ticked = {box["value"] for box in page.soup.select("input[type=checkbox][checked]")}
    assert ticked == {"interpreter", "none"}
    assert "Polish, please" in page.soup.select_one("textarea").get_text()
    assert db.session.scalars(select(Answer)).all() == []


@pytest.mark.parametrize("choices", [["none"], ["interpreter", "bsl"]])
def test_no_help_needed_alone_or_help_alone_is_saved(client: PageClient, choices) -> None:
    _start_views(client)
    assert client.submit("/your-say/q/help_needed", {"choices": choices}).status == 302
    assert db.session.scalars(select(Answer)).one().value["choices"] == choices
