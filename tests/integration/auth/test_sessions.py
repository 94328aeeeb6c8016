"""Staff sessions are checked on the server at every request: a disabled account, sessions ended
everywhere, 30 idle minutes and 10 hours after signing in each send the person to sign in."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from portal.auth.sessions import (
    ENDED_BECAUSE,
    LAST_SEEN_AT,
    SESSION_ID,
    SIGNED_IN_AT,
    end_every_session,
)
from portal.extensions import db
from portal.models import Role, StaffUser, utcnow
from tests.factories import PASSWORD, make_staff
from tests.pages import PageClient

IDLE_MESSAGE = (
    "You were signed out because you had not done anything for 30 minutes. "
    "Sign in again to carry on."
)
EXPIRED_MESSAGE = (
    "You were signed out because you signed in more than 10 hours ago. Sign in again to carry on."
)
ENDED_MESSAGE = "You have been signed out. Sign in again to carry on."


def _move_back(browser: PageClient, key: str, minutes: float) -> None:
    with browser.client.session_transaction() as session:
        session[key] = utcnow().timestamp() - minutes * 60


def _refused_with(browser: PageClient, url: str = "/conferences/") -> str:
    """Asserts the request is sent to sign in; returns what the sign-in page then says."""
    page = browser.get(url)
    assert page.status == 302, f"{url} answered {page.status}"
    assert page.location.startswith("/login?next=")
    login = browser.get(page.location)
    assert login.h1.startswith("Sign in")
    return " ".join(login.banners)


@pytest.fixture
def coordinator(signed_in: Callable[..., PageClient]) -> tuple[StaffUser, PageClient]:
    user = make_staff(Role.COORDINATOR)
    browser = signed_in(Role.COORDINATOR, user)
    assert browser.get("/conferences/").status == 200
    return user, browser


def test_a_disabled_account_is_signed_out_at_its_next_request(coordinator) -> None:
    user, browser = coordinator
    user.is_active_account = False
    db.session.commit()
    assert _refused_with(browser) == ENDED_MESSAGE
    # And stays out: the next request is anonymous too.
    assert browser.get("/conferences/").status == 302


def test_signing_out_everywhere_ends_the_other_browser_too(
    coordinator, signed_in: Callable[..., PageClient]
) -> None:
    user, laptop = coordinator
    phone = signed_in(Role.COORDINATOR, user)
    assert phone.get("/conferences/").status == 200
    end_every_session(user, actor=user)
    assert _refused_with(laptop) == ENDED_MESSAGE
    assert _refused_with(phone) == ENDED_MESSAGE
    # Signing in again afterwards works.
    assert signed_in(Role.COORDINATOR, user).get("/conferences/").status == 200


def test_a_copy_of_the_cookie_stops_working_when_its_owner_signs_out(coordinator) -> None:
    _, browser = coordinator
    copied = browser.client.get_cookie("session").value
    token = browser.get("/dashboard").csrf_token()
    assert browser.post("/logout", {"csrf_token": token}).status == 302
    thief = PageClient(browser.client.application.test_client())
    thief.client.set_cookie("session", copied)
    assert _refused_with(thief) == ENDED_MESSAGE


def test_a_password_change_keeps_this_browser_and_its_sign_in_time(
    coordinator, signed_in: Callable[..., PageClient]
) -> None:
    user, laptop = coordinator
    phone = signed_in(Role.COORDINATOR, user)
    _move_back(laptop, SIGNED_IN_AT, 9 * 60)
    new = "kettle orbit marigold lantern"
    changed = laptop.submit(
        "/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert changed.status == 302
    assert laptop.get("/conferences/").status == 200
    assert _refused_with(phone) == ENDED_MESSAGE
    _move_back(laptop, LAST_SEEN_AT, 0)
    with laptop.client.session_transaction() as session:
        assert utcnow().timestamp() - session[SIGNED_IN_AT] > 9 * 60 * 60  # not renewed
    _move_back(laptop, SIGNED_IN_AT, 10 * 60 + 1)
    assert _refused_with(laptop) == EXPIRED_MESSAGE


def test_31_idle_minutes_end_the_session_and_the_page_says_why(coordinator) -> None:
    _, browser = coordinator
    _move_back(browser, LAST_SEEN_AT, 31)
    assert _refused_with(browser) == IDLE_MESSAGE


def test_29_idle_minutes_do_not_and_the_request_counts_as_activity(coordinator) -> None:
    _, browser = coordinator
    _move_back(browser, LAST_SEEN_AT, 29)
    assert browser.get("/conferences/").status == 200
    with browser.client.session_transaction() as session:
        assert utcnow().timestamp() - session[LAST_SEEN_AT] < 60
    assert browser.get("/conferences/").status == 200


def test_ten_hours_after_signing_in_the_session_ends_however_busy(coordinator) -> None:
    _, browser = coordinator
    _move_back(browser, SIGNED_IN_AT, 9 * 60 + 59)
    assert browser.get("/conferences/").status == 200
    _move_back(browser, SIGNED_IN_AT, 10 * 60 + 1)
    assert _refused_with(browser) == EXPIRED_MESSAGE


@pytest.mark.parametrize("missing", [SIGNED_IN_AT, LAST_SEEN_AT, SESSION_ID])
def test_a_session_without_its_keys_is_refused(coordinator, missing: str) -> None:
    _, browser = coordinator
    with browser.client.session_transaction() as session:
        del session[missing]
    assert _refused_with(browser) == ENDED_MESSAGE


def test_a_session_with_keys_of_the_wrong_kind_is_refused(coordinator) -> None:
    _, browser = coordinator
    with browser.client.session_transaction() as session:
        session[SIGNED_IN_AT] = "yesterday"
    assert _refused_with(browser) == ENDED_MESSAGE


def test_signing_in_again_starts_afresh(coordinator) -> None:
    """The reason the last session ended is not carried into the next one."""
    user, browser = coordinator
    _move_back(browser, LAST_SEEN_AT, 45)
    assert _refused_with(browser) == IDLE_MESSAGE
    page = browser.submit("/login", {"email": user.email, "password": PASSWORD})
    assert page.status == 302
    assert browser.get("/conferences/").status == 200
    with browser.client.session_transaction() as session:
        assert ENDED_BECAUSE not in session
        assert session["_user_id"] == str(user.id)
