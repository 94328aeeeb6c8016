"""Check your answers with required answers missing: it says which, with links to them, and
offers no Send button; a Send pressed anyway (an old page) lists them in an error summary
(issue 13)."""

from __future__ import annotations

from datetime import timedelta

from portal.extensions import db
from portal.family_forms.questions import PARENT_VIEWS
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import FormKind, Invitation
from tests.factories import add_contactable_member, make_conference
from tests.helpers.answers import VIEWS_ANSWERS
from tests.pages import PageClient

ANSWERED = ("why_meeting", "report_shared", "report_wrong", "going_well", "worries")


def _answer_some(client: PageClient) -> Invitation:
    conference = make_conference(starts_in=timedelta(days=10))
    invitation = issue_invitation(conference, add_contactable_member(conference), FormKind.VIEWS)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    client.submit("/your-say/start", on="/your-say/")
    for question_id in ANSWERED:
        client.submit(f"/your-say/q/{question_id}", VIEWS_ANSWERS[question_id])
    return invitation


def _missing_titles() -> list[str]:
    return [str(q.title) for q in PARENT_VIEWS.questions if q.required and q.id not in ANSWERED]


def test_check_page_lists_the_missing_answers_and_has_no_send_button(client: PageClient) -> None:
    _answer_some(client)
    page = client.get("/your-say/check")
    assert page.status == 200
    warning = page.soup.select_one(".govuk-warning-text")
    assert "You have not answered all the questions yet" in warning.get_text(" ")
    links = page.soup.select("#missing-answers a")
    assert [" ".join(a.get_text(" ").split()) for a in links] == _missing_titles()
    assert links[0]["href"] == "/your-say/q/danger_now?from=check"
    assert not [b for b in page.soup.select("button") if "Send" in b.get_text()]


def test_sending_with_answers_missing_says_which_and_sends_nothing(client: PageClient) -> None:
    invitation = _answer_some(client)
    token = client.get("/your-say/").csrf_token()
    page = client.post("/your-say/check", {"csrf_token": token})
    assert page.status == 400
    assert page.title.startswith("Error: ")
    assert page.error_summary == [f"Answer the question: {title}" for title in _missing_titles()]
    first = page.soup.select_one(".govuk-error-summary a")
    assert first["href"] == "/your-say/q/danger_now?from=check"
    db.session.refresh(invitation)
    assert invitation.submitted_at is None


def test_with_every_answer_given_send_is_offered_and_no_warning(client: PageClient) -> None:
    invitation = _answer_some(client)
    for question_id, answer in VIEWS_ANSWERS.items():
        client.submit(f"/your-say/q/{question_id}", answer)
    page = client.get("/your-say/check")
    assert page.soup.select_one("#missing-answers") is None
    assert client.submit("/your-say/check").location == "/your-say/done"
    db.session.refresh(invitation)
    assert invitation.submitted_at is not None
