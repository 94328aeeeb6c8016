"""Every family question page, in both languages: each aria-describedby names only elements
that are there and say something (issue 22: radios without a hint pointed at an empty hint)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.family_forms.childrens_questions import (
    CHILD_FEEDBACK,
    CHILD_VIEWS,
    YOUNG_PERSON_FEEDBACK,
    YOUNG_PERSON_VIEWS,
)
from portal.family_forms.questionnaire import Questionnaire
from portal.family_forms.questions import PARENT_FEEDBACK, PARENT_VIEWS
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import ConferenceStatus, FormKind, Relationship
from tests.factories import add_child, add_contactable_member, make_conference
from tests.pages import PageClient

FORMS = {
    PARENT_VIEWS: None,
    PARENT_FEEDBACK: None,
    YOUNG_PERSON_VIEWS: 13,
    YOUNG_PERSON_FEEDBACK: 15,
    CHILD_VIEWS: 7,
    CHILD_FEEDBACK: 5,
}


def _open_link(client: PageClient, questionnaire: Questionnaire, age: int | None) -> None:
    feedback = questionnaire in (PARENT_FEEDBACK, YOUNG_PERSON_FEEDBACK, CHILD_FEEDBACK)
    conference = make_conference(
        **({"starts_in": timedelta(days=-1), "status": ConferenceStatus.HELD} if feedback else {})
    )
    if age is None:
        member = add_contactable_member(conference)
    else:
        today = date.today()
        child = add_child(conference, date_of_birth=date(today.year - age - 1, 1, 1))
        member = add_contactable_member(
            conference, relationship=Relationship.YOUNG_PERSON, child_id=child.id
        )
    kind = FormKind.FEEDBACK if feedback else FormKind.VIEWS
    invitation = issue_invitation(conference, member, kind)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    assert client.submit("/your-say/start", on="/your-say/").status == 302


def _broken_references(page) -> list[str]:
    broken = []
    for element in page.soup.select("[aria-describedby]"):
        for name in element["aria-describedby"].split():
            target = page.soup.find(id=name)
            if target is None or not target.get_text(strip=True):
                broken.append(f"{element.name}#{element.get('id')} -> {name}")
    return broken


@pytest.mark.parametrize("with_errors", [False, True], ids=["blank", "errors"])
@pytest.mark.parametrize("questionnaire", list(FORMS), ids=lambda q: q.id)
def test_described_by_points_at_words_that_are_there(
    client: PageClient, questionnaire: Questionnaire, with_errors: bool
) -> None:
    _open_link(client, questionnaire, FORMS[questionnaire])
    checked = 0
    for question in questionnaire.questions:
        url = f"/your-say/q/{question.id}"
        page = client.submit(url, {"text": "x" * 5000}) if with_errors else client.get(url)
        assert page.h1 == question.label
        assert _broken_references(page) == [], url
        checked += len(page.soup.select("[aria-describedby]"))
    assert checked > 0
