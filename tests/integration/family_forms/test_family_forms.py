"""A parent's views and feedback, page by page: saved as they go, sent once, never lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.family_forms.questions import PARENT_FEEDBACK, PARENT_VIEWS
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import Addition, ConferenceStatus, FormKind, FormResponse, SafetyAlert
from tests.factories import add_contactable_member, make_conference
from tests.helpers.answers import VIEWS_ANSWERS
from tests.pages import PageClient


def _open_link(client: PageClient, form=FormKind.VIEWS, conference=None, member=None):
    conference = conference or make_conference(
        **(
            {"starts_in": timedelta(days=-1), "status": ConferenceStatus.HELD}
            if form == FormKind.FEEDBACK
            else {}
        )
    )
    member = member or add_contactable_member(conference)
    invitation = issue_invitation(conference, member, form)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    return invitation


def _answer(client: PageClient, question_id: str, answer: dict) -> object:
    data = {key: value for key, value in answer.items()}
    return client.submit(f"/your-say/q/{question_id}", data)


def test_views_from_start_to_confirmation(client: PageClient) -> None:
    invitation = _open_link(client)
    landing = client.get("/your-say/")
    assert "It takes about 5 minutes" in landing.text
    start = client.submit("/your-say/start", on="/your-say/")
    assert start.location == "/your-say/q/why_meeting"
    assert invitation.started_at is not None

    for question in PARENT_VIEWS.questions:
        page = client.get(f"/your-say/q/{question.id}")
        assert page.h1 == question.label
        answer = _answer(client, question.id, VIEWS_ANSWERS[question.id])
        assert answer.status == 302, (question.id, answer.error_summary)

    check = client.get("/your-say/check")
    assert check.h1 == "Check your answers"
    assert "The children are back at school" in check.text
    assert "Someone to translate for me, To bring someone to support me" in check.text
    sent = client.submit("/your-say/check")
    assert sent.location == "/your-say/done"
    assert invitation.submitted_at is not None
    assert "Your answers have been sent" in client.get("/your-say/done").text
    response = db.session.scalars(select(FormResponse)).one()
    saved = {a.question_id: a.value for a in response.answers}
    assert saved["help_needed"] == {"choices": ["interpreter", "supporter"], "text": "Polish"}
    assert saved["attending"] == {"choice": "video", "text": ""} or saved["attending"] == {
        "choice": "video"
    }


def test_an_unanswered_question_says_what_to_do(client: PageClient) -> None:
    _open_link(client)
    client.submit("/your-say/start", on="/your-say/")
    page = client.submit("/your-say/q/why_meeting", {})
    assert page.status == 400
    assert page.title.startswith("Error: ")
    assert page.error_summary == ["Select an answer"]
    too_long = client.submit("/your-say/q/going_well", {"text": "x" * 2001})
    assert too_long.error_summary == ["Your answer must be 2000 characters or fewer"]


def test_coming_back_resumes_at_the_first_unanswered_question(client: PageClient) -> None:
    invitation = _open_link(client)
    client.submit("/your-say/start", on="/your-say/")
    _answer(client, "why_meeting", {"choice": "no"})
    _answer(client, "report_shared", {"choice": "yes"})
    client.submit("/your-say/finish", on="/your-say/")
    # Finished for now: the visit is over, so the page says the answers are saved
    assert client.get("/your-say/").location == "/your-say/finished"
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    landing = client.get("/your-say/")
    assert "Continue" in landing.text
    assert client.submit("/your-say/start", on="/your-say/").location == "/your-say/q/report_wrong"


def test_changing_an_answer_from_check_your_answers_goes_back_there(client: PageClient) -> None:
    _open_link(client)
    client.submit("/your-say/start", on="/your-say/")
    for question_id, answer in VIEWS_ANSWERS.items():
        _answer(client, question_id, answer)
    change = client.submit("/your-say/q/attending?from=check", {"choice": "phone"})
    assert change.location == "/your-say/check"
    assert "Yes, by phone" in client.get("/your-say/check").text


def test_sending_twice_is_one_submission(client: PageClient) -> None:
    invitation = _open_link(client)
    client.submit("/your-say/start", on="/your-say/")
    for question_id, answer in VIEWS_ANSWERS.items():
        _answer(client, question_id, answer)
    token = client.get("/your-say/check").csrf_token()
    first = client.post("/your-say/check", {"csrf_token": token})
    sent_at = invitation.submitted_at
    second = client.post("/your-say/check", {"csrf_token": token})  # a double tap
    assert first.location == second.location == "/your-say/done"
    db.session.refresh(invitation)
    assert invitation.submitted_at == sent_at
    # After sending, a question page leads to the confirmation, not to a second form
    assert client.get("/your-say/q/why_meeting").location == "/your-say/done"


def test_after_sending_something_more_can_be_added(client: PageClient) -> None:
    _open_link(client)
    client.submit("/your-say/start", on="/your-say/")
    for question_id, answer in VIEWS_ANSWERS.items():
        _answer(client, question_id, answer)
    client.submit("/your-say/check")
    added = client.submit("/your-say/done", {"text": "I forgot: <b>my mum</b> can help too"})
    assert added.location == "/your-say/done?added=1#added"
    # Said in a success banner (issue 22), by the box it was typed in
    page = client.get(added.location)
    banner = page.soup.select_one("#added.govuk-notification-banner--success")
    assert banner["role"] == "alert"
    assert page.banners == ["We have added what you wrote."]
    assert banner.find_next("form").select_one("textarea") is not None
    assert client.get("/your-say/done").banners == []
    [addition] = db.session.scalars(select(Addition)).all()
    assert addition.text == "I forgot: <b>my mum</b> can help too"


def test_something_more_with_a_control_character_is_refused(client: PageClient) -> None:
    """As on the question pages: a control character cannot be kept (nor exported to XLSX)."""
    _open_link(client)
    client.submit("/your-say/start", on="/your-say/")
    for question_id, answer in VIEWS_ANSWERS.items():
        _answer(client, question_id, answer)
    client.submit("/your-say/check")
    page = client.submit("/your-say/done", {"text": "My mum\x07 can help"})
    assert page.status == 400  # a refused POST (as on the question pages)
    assert page.error_summary == [
        "Your answer has a character we cannot keep. Remove it and try again"
    ]
    assert db.session.scalars(select(Addition)).all() == []


def test_what_was_typed_is_shown_back_escaped(client: PageClient) -> None:
    _open_link(client)
    client.submit("/your-say/start", on="/your-say/")
    _answer(client, "why_meeting", {"choice": "yes", "text": "<script>alert(1)</script> & more"})
    page = client.get("/your-say/check")
    html = page.response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_feedback_questions_after_the_conference(client: PageClient) -> None:
    _open_link(client, FormKind.FEEDBACK)
    assert (
        client.submit("/your-say/start", on="/your-say/").location == "/your-say/q/explained_before"
    )
    for question in PARENT_FEEDBACK.questions:
        answer = {"text": "Shorter reports"} if question.kind == "text" else {"choice": "partly"}
        assert _answer(client, question.id, answer).status == 302
    assert client.submit("/your-say/check").location == "/your-say/done"


def test_feedback_pages_say_who_reads_it_with_the_name_and_who_without(client) -> None:
    """docs: the conference's chair and the coordinators read feedback with the person's name;
    the participation team without (issue 21)."""
    _open_link(client, FormKind.FEEDBACK)
    assert (
        "The chair of your meeting and the coordinators read your answers with your name, so they"
        " can follow up anything that worries you. The participation team reads them without your"
        " name or any case reference, to make meetings better."
    ) in client.get("/your-say/").text
    client.submit("/your-say/start", on="/your-say/")
    for question in PARENT_FEEDBACK.questions:
        answer = {"text": "Shorter reports"} if question.kind == "text" else {"choice": "yes"}
        _answer(client, question.id, answer)
    client.submit("/your-say/check")
    assert (
        "The chair of your meeting and the coordinators read your answers with your name, so they"
        " can follow up anything that worries you. The participation team reads them without your"
        " name or any case reference, to make meetings better."
    ) in client.get("/your-say/done").text


@pytest.mark.parametrize("form", [FormKind.VIEWS, FormKind.FEEDBACK])
def test_the_landing_page_says_which_answer_is_marked_urgent(client: PageClient, form) -> None:
    """Only the danger question sends a message, and only the views forms ask it; 999 or
    112 on every form (issue 21). It says who is told, and no longer "straight away" for a mere
    mark (issue 13)."""
    _open_link(client, form)
    text = client.get("/your-say/").text
    marked = (
        "If you answer yes when we ask if anyone is in danger right now, we send a message at"
        " once to the chair of the meeting, the team that organises it and the social worker."
        " The message does not say who you are or what you said."
    )
    assert (marked in text) == (form == FormKind.VIEWS)
    assert ("What you type in the boxes does not send a message" in text) == (
        form == FormKind.VIEWS
    )
    assert "straight away" not in text
    assert "how safe you feel at home" not in text  # the young people's form only
    assert "flag" not in text
    assert "call 999 (or 112, which also works in the UK)" in text


def test_one_persons_link_never_shows_anothers_answers(client: PageClient, app) -> None:
    conference = make_conference()
    _open_link(client, conference=conference)
    client.submit("/your-say/start", on="/your-say/")
    _answer(client, "why_meeting", {"choice": "yes", "text": "Only mine"})
    other = PageClient(app.test_client())
    _open_link(
        other, conference=conference, member=add_contactable_member(conference, first_name="B")
    )
    other.submit("/your-say/start", on="/your-say/")
    page = other.get("/your-say/q/why_meeting")
    assert "Only mine" not in page.text
    assert not page.soup.select("input[checked]")


def test_the_chair_reads_sent_answers_and_sees_who_has_not_answered(client, signed_in) -> None:
    from portal.models import Role
    from tests.factories import make_staff

    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair)
    answering = add_contactable_member(conference, first_name="Kelly")
    add_contactable_member(conference, first_name="Dean")
    _open_link(client, conference=conference, member=answering)
    client.submit("/your-say/start", on="/your-say/")
    for question_id, answer in VIEWS_ANSWERS.items():
        _answer(
            client,
            question_id,
            answer | ({"text": "<b>bold</b>"} if question_id == "worries" else {}),
        )
    client.submit("/your-say/check")
    client.submit("/your-say/done", {"text": "One more thing"})

    page = signed_in(Role.CHAIR, chair).get(f"/conferences/{conference.id}/family-views")
    assert page.status == 200
    text = page.text
    assert "Kelly Tester: views before Sent their answers" in text
    assert "The children are back at school" in text
    assert "Added on" in text
    assert "One more thing" in text
    assert "Dean Tester: views before Not asked yet" in text
    assert "&lt;b&gt;bold&lt;/b&gt;" in page.response.get_data(as_text=True)


def test_someone_in_danger_now_gets_help_at_once_and_staff_see_it(client, signed_in) -> None:
    from portal.models import Role
    from tests.factories import make_staff

    chair = make_staff(Role.CHAIR)
    conference = make_conference(chair=chair)
    _open_link(client, conference=conference)
    client.submit("/your-say/start", on="/your-say/")
    answer = _answer(client, "danger_now", {"choice": "yes", "text": "He is shouting"})
    assert answer.location == "/your-say/help-now?next=would_help"
    help_page = client.get(answer.location)
    assert help_page.h1 == "If someone is in danger right now, call 999"
    assert "01632 960 111" in help_page.text
    # What the system does (portal/safety), no more (issues 21 and 13): who is told, by whom
    # the message is read, and when the duty team is told.
    assert (
        "We are sending a message about this now, at any time of day or night, to:"
        " the chair of the meeting the team that organises the meeting"
    ) in help_page.text
    assert "the social worker" not in help_page.text  # this conference has no address for them
    assert "The message does not say who you are or what you said." in help_page.text
    assert (
        "If nobody has done that within 60 minutes, we send the message to the council's duty"
        " team too."
    ) in help_page.text
    assert "flagged" not in help_page.text
    response = db.session.scalars(select(FormResponse)).one()
    assert response.safety_concern_at is not None  # readable by staff before it is sent
    alert = db.session.scalars(select(SafetyAlert)).one()
    assert (alert.source, alert.raised_by, alert.state) == (
        "danger_answer",
        "family_member",
        "open",
    )

    staff = signed_in(Role.CHAIR, chair)
    assert "Safety alert: open" in staff.get("/conferences/").text
    assert (
        "Someone may be in danger now: a safety alert was raised"
        in staff.get(f"/conferences/{conference.id}").text
    )
    views = staff.get(f"/conferences/{conference.id}/family-views").text
    assert "Safety alert raised" in views
    assert "He is shouting" in views


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        ("going_well", {"text": "The children are back at school"}),
        ("danger_now", {"choice": "yes", "text": "He is shouting"}),  # flags a concern too
    ],
    ids=["answer", "answer-raising-a-concern"],
)
def test_one_answer_is_one_commit(client: PageClient, question_id, answer) -> None:
    """Services commit once per change (docs/architecture.md, Transactions): an answer and the
    safety flag it raises are saved together or not at all."""
    _open_link(client)
    client.submit("/your-say/start", on="/your-say/")
    token = client.get(f"/your-say/q/{question_id}").csrf_token()
    commits: list[object] = []

    def counted(session: Session) -> None:
        commits.append(session)

    event.listen(Session, "after_commit", counted)
    try:
        saved = client.post(f"/your-say/q/{question_id}", {"csrf_token": token, **answer})
    finally:
        event.remove(Session, "after_commit", counted)
    assert saved.status == 302
    assert len(commits) == 1
    response = db.session.scalars(select(FormResponse)).one()
    assert {a.question_id for a in response.answers} == {question_id}
    assert (response.safety_concern_at is not None) == (question_id == "danger_now")
    # The alert and its messages in the same commit
    assert db.session.scalar(select(func.count(SafetyAlert.id))) == (question_id == "danger_now")
