"""Staff pages warn before the session ends (issue 22, WCAG 2.2.1): Continue extends the idle
limit on the server, never the 10 hours; after a time limit, signing in again returns to the page.
The dialog itself is tested in tests/browser/test_time_limits.py."""

from __future__ import annotations

from collections.abc import Callable

from portal.auth.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from portal.models import Role, utcnow
from tests.factories import PASSWORD, make_staff
from tests.pages import PageClient


def _move_back(browser: PageClient, key: str, seconds: float) -> None:
    with browser.client.session_transaction() as session:
        session[key] = utcnow().timestamp() - seconds


def test_a_staff_page_says_when_the_session_ends(signed_in: Callable[..., PageClient]) -> None:
    browser = signed_in(Role.COORDINATOR)
    _move_back(browser, SIGNED_IN_AT, 9 * 3600)
    page = browser.get("/conferences/?page=1")
    dialog = page.soup.select_one("dialog#heard-time-limit")
    assert dialog["role"] == "alertdialog"
    assert dialog["aria-modal"] == "true"
    assert dialog["data-ends-in"] == "1800"
    assert 3590 <= int(dialog["data-ends-anyway-in"]) <= 3600
    assert dialog["data-keep-alive"] == "/account/keep-alive"
    assert dialog["data-ended"] == "/conferences/?page=1"  # opening it again: sign in, come back
    assert "You will be signed out soon" in dialog.get_text()


def test_near_the_ten_hours_the_page_counts_down_to_them(
    signed_in: Callable[..., PageClient],
) -> None:
    browser = signed_in(Role.COORDINATOR)
    _move_back(browser, SIGNED_IN_AT, 10 * 3600 - 600)
    dialog = browser.get("/conferences/").soup.select_one("dialog#heard-time-limit")
    assert 590 <= int(dialog["data-ends-in"]) <= 600


def test_continue_extends_the_idle_limit_on_the_server(
    signed_in: Callable[..., PageClient],
) -> None:
    browser = signed_in(Role.COORDINATOR)
    token = browser.get("/conferences/").csrf_token()
    _move_back(browser, LAST_SEEN_AT, 29 * 60)
    assert browser.post("/account/keep-alive", headers={"X-CSRFToken": token}).status == 204
    with browser.client.session_transaction() as session:
        assert utcnow().timestamp() - session[LAST_SEEN_AT] < 60
    assert browser.post("/account/keep-alive").status == 400  # no CSRF token
    _move_back(browser, LAST_SEEN_AT, 31 * 60)
    late = browser.post("/account/keep-alive", headers={"X-CSRFToken": token})
    assert late.status == 302
    assert late.location.startswith("/login?next=")


def test_signing_in_after_the_idle_limit_returns_to_the_page(client: PageClient) -> None:
    user = make_staff(Role.COORDINATOR)
    client.sign_in_as(user)
    assert client.get("/conferences/new").status == 200
    _move_back(client, LAST_SEEN_AT, 31 * 60)
    refused = client.get("/conferences/new")
    assert refused.location == "/login?next=%2Fconferences%2Fnew"
    login = client.get(refused.location)
    assert login.soup.select_one("#heard-session").has_attr("data-keep-drafts")
    back = client.submit(refused.location, {"email": user.email, "password": PASSWORD})
    assert back.location == "/conferences/new"


def test_signing_out_keeps_no_words_typed(signed_in: Callable[..., PageClient]) -> None:
    browser = signed_in(Role.COORDINATOR)
    browser.submit("/logout", on="/conferences/")
    marker = browser.get("/login").soup.select_one("#heard-session")
    assert marker["data-scope"] == ""
    assert not marker.has_attr("data-keep-drafts")


def test_after_a_post_only_action_signing_in_goes_home_not_to_a_405(client: PageClient) -> None:
    """A timed-out POST to an action with no page of its own (Continue's keep-alive, "Mark as
    read") is sent to sign in with that path as next: a GET of it would be 405."""
    user = make_staff(Role.COORDINATOR)
    back = client.submit(
        "/login?next=%2Faccount%2Fkeep-alive", {"email": user.email, "password": PASSWORD}
    )
    assert back.location == "/"
    client.submit("/logout", on="/conferences/")
    tidier = client.submit(
        "/login?next=%2Fconferences", {"email": user.email, "password": PASSWORD}
    )
    assert tidier.location == "/conferences"  # a page all the same (it redirects to /conferences/)
