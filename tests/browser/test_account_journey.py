"""A coordinator's first sign-in where a second factor is required, on a 320px-wide phone:
set up the app from the key on the page, keep the recovery codes, sign out, sign in with a code.
Every page on the way is scanned by axe-core (WCAG 2.2 A and AA)."""

from __future__ import annotations

import time

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import expect

from portal.models import Role
from tests.factories import PASSWORD, make_staff
from tests.helpers.browser import assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.browser


def test_set_up_the_app_then_sign_in_with_a_code(
    app: Flask, live_server, browser, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED", True)
    user = make_staff(Role.COORDINATOR)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    scanned: list[str] = []

    def check(screenshot: str | None = None) -> None:
        assert_accessible(page, scanned)
        no_sideways_scroll(page)
        if screenshot:
            # For a person to look at after the run (the journey is checked by axe above)
            page.screenshot(path=f"/tmp/h1-{screenshot}.png", full_page=True)  # noqa: S108

    def sign_in_with_password() -> None:
        page.goto(f"{live_server}/login")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

    sign_in_with_password()
    expect(page).to_have_url(f"{live_server}/login/set-up-two-factor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    check("set-up")

    # A wrong code first: the error summary, still accessible.
    key = page.locator("#two-factor-key").inner_text().replace(" ", "")
    code_box = page.get_by_label("Code from your authenticator app")
    right_now = {pyotp.TOTP(key).at(time.time() + s) for s in (-30, 0, 30)}
    code_box.fill(next(f"{n:06d}" for n in range(100) if f"{n:06d}" not in right_now))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    check()

    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    assert page.locator("#recovery-codes li").count() == 10
    check("recovery-codes")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs doing")

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_text("10 of 10 left")).to_be_visible()
    check("account")
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    check()

    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password()
    expect(page).to_have_url(f"{live_server}/login/code")
    page.get_by_text("Use a recovery code instead").click()
    expect(page.get_by_label("Recovery code")).to_be_visible()
    check("code")
    # The code just used for setting up is spent: the app's next one is accepted early.
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(key).at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs doing")
    context.close()
    assert len(scanned) == 6
