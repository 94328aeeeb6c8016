"""The family's visit warns before it ends and Continue extends it on the server (issue 22,
WCAG 2.2.1); a form posted after the end shows the words typed back once, never storing them.
The dialog itself and the words kept in the page are tested in tests/browser/test_time_limits.py.
"""

from __future__ import annotations

from flask import Flask

from portal.extensions import db
from portal.family_visit import FAMILY_SEEN_AT
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import FormKind, FormResponse, utcnow
from tests.factories import add_contactable_member, make_conference
from tests.pages import PageClient

TYPED = "Words typed slowly, over forty minutes"


def _open_link(client: PageClient) -> str:
    conference = make_conference()
    invitation = issue_invitation(conference, add_contactable_member(conference), FormKind.VIEWS)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    client.submit("/your-say/start", on="/your-say/")
    return token_for(invitation.token_salt)


def _idle_for(client: PageClient, seconds: float) -> None:
    with client.client.session_transaction() as session:
        session[FAMILY_SEEN_AT] = utcnow().timestamp() - seconds


def test_a_family_page_says_when_the_visit_ends_and_how_to_extend_it(client: PageClient) -> None:
    _open_link(client)
    page = client.get("/your-say/q/going_well")
    dialog = page.soup.select_one("dialog#heard-time-limit")
    assert dialog is not None
    assert dialog["role"] == "alertdialog"
    assert dialog["aria-modal"] == "true"
    assert (dialog["data-ends-in"], dialog["data-warn-before"]) == ("1800", "120")
    assert dialog["data-keep-alive"] == "/your-say/keep-alive"
    assert dialog["data-ended"] == "/your-say/"
    assert "data-ends-anyway-in" not in dialog.attrs  # a visit has no absolute limit
    words = dialog.get_text(" ", strip=True)
    assert "Do you need more time?" in words
    assert "this page will close in 2 minutes" in words
    assert "conference" not in words.lower()  # neutral on a shared phone
    assert page.soup.select_one("#heard-session")["data-scope"]


def test_the_limit_can_be_given_in_seconds_for_tests(
    app: Flask, client: PageClient, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "FAMILY_IDLE_SECONDS", 6)
    monkeypatch.setitem(app.config, "TIMEOUT_WARNING_SECONDS", 4)
    _open_link(client)
    dialog = client.get("/your-say/q/going_well").soup.select_one("dialog#heard-time-limit")
    assert (dialog["data-ends-in"], dialog["data-warn-before"]) == ("6", "4")
    _idle_for(client, 7)
    assert client.get("/your-say/q/going_well").status == 401


def test_continue_extends_the_visit_on_the_server(client: PageClient) -> None:
    _open_link(client)
    token = client.get("/your-say/q/going_well").csrf_token()
    _idle_for(client, 29 * 60)
    kept = client.post("/your-say/keep-alive", headers={"X-CSRFToken": token})
    assert kept.status == 204
    with client.client.session_transaction() as session:
        seen_at = session[FAMILY_SEEN_AT]
    assert utcnow().timestamp() - seen_at < 60


def test_continue_needs_the_csrf_token_and_a_visit_still_open(client: PageClient) -> None:
    _open_link(client)
    token = client.get("/your-say/q/going_well").csrf_token()
    assert client.post("/your-say/keep-alive").status == 400
    _idle_for(client, 31 * 60)
    late = client.post("/your-say/keep-alive", headers={"X-CSRFToken": token})
    assert late.status == 401  # over already: Continue cannot bring a visit back


def test_words_posted_after_the_end_are_shown_back_once_and_not_stored(
    client: PageClient,
) -> None:
    token = _open_link(client)
    form_token = client.get("/your-say/q/going_well").csrf_token()
    _idle_for(client, 31 * 60)
    late = client.post("/your-say/q/going_well", {"csrf_token": form_token, "text": TYPED})
    assert late.status == 401
    assert late.h1 == "We closed your answers to keep them private"
    assert late.soup.select_one("textarea#typed").get_text() == TYPED
    assert late.soup.select_one("#heard-session").has_attr("data-keep-drafts")
    assert TYPED not in str(db.session.scalars(FormResponse.__table__.select()).all())
    assert TYPED not in client.get("/your-say/q/going_well").text  # once only
    client.submit(f"/r/{token}")
    again = client.get("/your-say/q/going_well")
    assert again.status == 200
    assert TYPED not in again.text


def test_words_are_shown_back_only_from_a_form_of_ours(client: PageClient) -> None:
    _open_link(client)
    client.get("/your-say/q/going_well")
    _idle_for(client, 31 * 60)
    late = client.post("/your-say/q/going_well", {"csrf_token": "forged", "text": TYPED})
    assert late.status == 401
    assert late.soup.select_one("textarea#typed") is None
    assert TYPED not in late.text


def test_finishing_for_now_leaves_no_visit_for_the_page_to_count_down(
    client: PageClient,
) -> None:
    _open_link(client)
    redirect = client.submit("/your-say/finish", on="/your-say/q/going_well")
    finished = client.get(redirect.location)
    assert finished.status == 200
    assert finished.soup.select_one("dialog#heard-time-limit") is None
    marker = finished.soup.select_one("#heard-session")
    assert marker["data-scope"] == ""
    assert not marker.has_attr("data-keep-drafts")


def test_the_accessibility_statement_describes_the_limits_and_how_to_extend_them(
    client: PageClient,
) -> None:
    statement = client.get("/accessibility")
    section = statement.soup.find("h2", id="time-limits")
    assert section is not None
    words = " ".join(statement.text.split())
    assert "close after 30 minutes without a new page" in words
    assert "select Continue, or press Escape" in words
    assert "shown back to you once" in words
    assert "signed out after 30 minutes without using the service" in words
    assert "10 hours after signing in" in words
    assert "Staff sessions end after a period of inactivity" not in words  # no longer a failure
