"""Who reads feedback (design.md, issue 13): the conference's own chair and the coordinators,
with the person's name, so they can follow up a worry; the participation team without names
or case references (the feedback report: tests/integration/reports). A chair who may read
every conference does not read another chair's feedback, and the family pages say exactly
this."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.family_forms.questions import QUESTIONNAIRES
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import ConferenceStatus, FormKind, FormResponse, Relationship, Role
from tests.factories import (
    add_child,
    add_contactable_member,
    add_form_response,
    make_conference,
    make_staff,
)
from tests.pages import PageClient

WORRY = "The interpreter did not come"


def _conference_with_feedback(chair):
    conference = make_conference(chair=chair)
    member = add_contactable_member(conference, first_name="Kelly")
    add_form_response(conference, member, {"worries": {"text": "Views are here"}})
    conference.starts_at -= timedelta(days=11)  # then it is held, and feedback is asked for
    conference.status = ConferenceStatus.HELD
    add_form_response(conference, member, {"do_better": {"text": WORRY}}, form="feedback")
    return conference


@pytest.mark.parametrize("own", [True, False])
def test_named_feedback_is_for_the_own_chair_and_coordinators(signed_in, own) -> None:
    chair = make_staff(Role.CHAIR, sees_all_conferences=True)
    conference = _conference_with_feedback(chair if own else make_staff(Role.CHAIR))
    chair_client = signed_in(Role.CHAIR, chair)
    for url in (f"/conferences/{conference.id}/family-views", f"/conferences/{conference.id}/pack"):
        page = chair_client.get(url)
        assert page.status == 200
        assert "Views are here" in page.text  # views: for any chair who may see the conference
        assert (WORRY in page.text) == own
        assert ("Kelly Tester: feedback after" in page.text) == own
    coordinator = signed_in(Role.COORDINATOR).get(f"/conferences/{conference.id}/family-views")
    assert "Kelly Tester: feedback after" in coordinator.text
    assert WORRY in coordinator.text


@pytest.mark.parametrize("role", [Role.PARTICIPATION_OFFICER, Role.ADVOCATE])
def test_the_participation_team_never_reads_named_feedback(signed_in, role) -> None:
    conference = _conference_with_feedback(make_staff(Role.CHAIR))
    reader = signed_in(role)
    for url in (f"/conferences/{conference.id}/family-views", f"/conferences/{conference.id}/pack"):
        page = reader.get(url)
        assert page.status == 403
        assert WORRY not in page.text
        assert conference.case_reference not in page.text


SAID = (
    "The chair of your meeting and the coordinators read your answers with your name, so they"
    " can follow up anything that worries you. The participation team reads them without your"
    " name or any case reference, to make meetings better."
)


@pytest.mark.parametrize("age", [None, 14, 7])  # a parent, a young person, the Three Houses
def test_every_feedback_page_says_who_reads_it_in_the_same_words(client: PageClient, age) -> None:
    conference = make_conference(starts_in=timedelta(days=-1), status=ConferenceStatus.HELD)
    if age is None:
        member = add_contactable_member(conference)
    else:
        born = date(date.today().year - age - 1, 1, 1)
        child = add_child(conference, date_of_birth=born)
        member = add_contactable_member(
            conference, relationship=Relationship.YOUNG_PERSON, child_id=child.id
        )
    invitation = issue_invitation(conference, member, FormKind.FEEDBACK)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    pages = {"landing": client.get("/your-say/")}
    client.submit("/your-say/start", on="/your-say/")
    response = db.session.scalars(select(FormResponse)).one()
    questionnaire = QUESTIONNAIRES[response.questionnaire]
    for question in questionnaire.questions:
        answer = {"text": "Fine"} if question.kind == "text" else {}
        answer |= {"choice": question.options[0][0]} if question.kind == "choice" else {}
        assert client.submit(f"/your-say/q/{question.id}", answer).status == 302
    pages["check"] = client.get("/your-say/check")
    client.submit("/your-say/check")
    pages["done"] = client.get("/your-say/done")
    for name, page in pages.items():
        said = page.soup.select_one("#who-reads-feedback")
        assert said is not None, name
        assert " ".join(said.get_text().split()) == SAID
        assert "the chair of the meeting can read them" not in page.text
