"""Signing in with a second factor, recovery codes, and the person's own account pages."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from flask import Flask
from sqlalchemy import select, text

from portal.auth.pending import PENDING, PENDING_MINUTES
from portal.auth.two_factor import make_new_recovery_codes
from portal.extensions import db
from portal.models import AuditAction, AuditEvent, RecoveryCode, Role, StaffUser, utcnow
from tests.factories import PASSWORD, make_staff
from tests.helpers.two_factor import a_wrong_code
from tests.pages import Page, PageClient


def enrolled_staff(role: Role = Role.COORDINATOR) -> tuple[StaffUser, str]:
    secret = pyotp.random_base32()
    user = make_staff(role, totp_secret=secret, totp_enrolled_at=utcnow())
    return user, secret


def sign_in_with_password(client: PageClient, user: StaffUser, next_url: str = "") -> Page:
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.submit(url, {"email": user.email, "password": PASSWORD})


def enter_code(client: PageClient, code: str) -> Page:
    return client.submit("/login/code", {"code": code})


def enter_recovery_code(client: PageClient, code: str) -> Page:
    return client.submit("/login/code", {"recovery_code": code})


def sign_out(client: PageClient) -> None:
    client.post("/logout", {"csrf_token": client.get("/account").csrf_token()})


def events(user: StaffUser, action: AuditAction) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.record_id == user.id, AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
    )


# --- signing in ---------------------------------------------------------------------------


def test_an_account_with_two_factor_needs_the_code_after_the_password(client: PageClient) -> None:
    user, secret = enrolled_staff()
    page = sign_in_with_password(client, user, next_url="/conferences/new")
    assert page.location == "/login/code"
    # Not signed in yet: the password alone opens nothing.
    assert client.get("/dashboard").location.startswith("/login?next=")
    code_page = client.get("/login/code")
    assert code_page.h1 == "Enter the code from your authenticator app"
    assert "Use a recovery code instead" in code_page.text

    page = enter_code(client, pyotp.TOTP(secret).now())
    assert page.location == "/conferences/new"  # the next target survives the second step
    assert client.get("/dashboard").status == 200
    assert [e.action for e in events(user, AuditAction.SIGN_IN)] == [AuditAction.SIGN_IN]


def test_a_code_from_one_step_before_or_after_is_accepted(client: PageClient) -> None:
    user, secret = enrolled_staff()
    sign_in_with_password(client, user)
    earlier = pyotp.TOTP(secret).at(utcnow() - timedelta(seconds=30))
    assert enter_code(client, earlier).location == "/"


def test_a_code_from_two_steps_ago_is_refused(client: PageClient) -> None:
    user, secret = enrolled_staff()
    sign_in_with_password(client, user)
    old = pyotp.TOTP(secret).at(utcnow() - timedelta(seconds=75))
    if old in {pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=s)) for s in (-30, 0, 30)}:
        pytest.skip("the old code happens to equal a current one")
    page = enter_code(client, old)
    assert page.status == 400
    assert page.error_summary == [
        "The code is not right, or was used already. Enter the newest code"
    ]


def test_a_code_is_accepted_once_only(client: PageClient, app: Flask) -> None:
    user, secret = enrolled_staff()
    code = pyotp.TOTP(secret).now()
    sign_in_with_password(client, user)
    assert enter_code(client, code).status == 302
    sign_out(client)

    # Someone who saw the code (and knows the password) tries it straight after.
    other = PageClient(app.test_client())
    sign_in_with_password(other, user)
    page = enter_code(other, code)
    assert page.status == 400
    assert other.get("/dashboard").status == 302
    assert len(events(user, AuditAction.SIGN_IN_FAILED)) == 1


def test_five_wrong_codes_end_the_attempt(client: PageClient) -> None:
    user, secret = enrolled_staff()
    sign_in_with_password(client, user)
    with client.client.session_transaction() as session:
        attempt_as_it_was = dict(session)
    wrong = a_wrong_code(secret)
    for _try in range(4):
        assert enter_code(client, wrong).status == 400
    page = enter_code(client, wrong)
    assert page.location == "/login"
    login = client.get("/login")
    assert "You entered a wrong code too many times" in login.text
    # Even the right code does not help now: start again from the password.
    assert client.get("/login/code").location == "/login"
    # Nor does sending back the cookie from before the wrong codes: they are counted on the server.
    with client.client.session_transaction() as session:
        session.clear()
        session.update(attempt_as_it_was)
    assert client.get("/login/code").location == "/login"

    sign_in_with_password(client, user)
    assert enter_code(client, pyotp.TOTP(secret).now()).location == "/"
    assert len(events(user, AuditAction.SIGN_IN_FAILED)) == 5


def test_new_attempts_do_not_buy_more_guesses_at_one_account(app: Flask, monkeypatch) -> None:
    """Someone with the password starts attempt after attempt, from address after address:
    the account's own count (TWO_FACTOR_ACCOUNT_LIMIT) stops them, and then even the right
    code waits until the hour has passed."""
    monkeypatch.setitem(app.config, "TWO_FACTOR_ACCOUNT_LIMIT", "7 per hour")
    user, secret = enrolled_staff()
    wrong = a_wrong_code(secret)
    guesses = 0
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        attacker = PageClient(app.test_client())
        attacker.client.environ_base["REMOTE_ADDR"] = address
        sign_in_with_password(attacker, user)
        while attacker.get("/login/code").status == 200 and guesses < 20:
            enter_code(attacker, wrong)
            guesses += 1
    assert guesses == 7  # 5 in the first attempt, then 2: nothing more from anywhere

    owner = PageClient(app.test_client())
    sign_in_with_password(owner, user)
    assert owner.get("/login/code").location == "/login"
    assert "Too many wrong codes have been entered for this account" in owner.get("/login").text


def test_the_code_must_come_within_five_minutes_of_the_password(client: PageClient) -> None:
    user, secret = enrolled_staff()
    sign_in_with_password(client, user)
    token = client.get("/login/code").csrf_token()
    with client.client.session_transaction() as session:
        session[PENDING]["since"] -= PENDING_MINUTES * 60 + 1
        session.modified = True
    page = client.post("/login/code", {"csrf_token": token, "code": pyotp.TOTP(secret).now()})
    assert page.location == "/login"
    assert "You took more than 5 minutes to enter the code" in client.get("/login").text
    assert client.get("/dashboard").status == 302


def test_code_pages_send_to_sign_in_when_nothing_is_pending(client: PageClient) -> None:
    assert client.get("/login/code").location == "/login"
    assert client.get("/login/set-up-two-factor").location == "/login"
    token = client.get("/login").csrf_token()
    assert client.post("/login/code", {"csrf_token": token, "code": "123456"}).location == (
        "/login"
    )


def test_codes_are_rate_limited_per_client(client: PageClient, app: Flask, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "TWO_FACTOR_RATE_LIMIT", "3 per minute")
    user, secret = enrolled_staff()
    sign_in_with_password(client, user)
    wrong = a_wrong_code(secret)
    statuses = [enter_code(client, wrong).status for _try in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_without_two_factor_and_not_required_the_password_signs_in(client: PageClient) -> None:
    user = make_staff(Role.CHAIR)
    assert sign_in_with_password(client, user).location == "/"
    assert client.get("/dashboard").status == 200


# --- recovery codes -----------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(client: PageClient, app: Flask) -> None:
    user, _secret = enrolled_staff()
    codes = make_new_recovery_codes(user)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    sign_in_with_password(client, user)
    page = enter_recovery_code(client, "  " + codes[3].upper().replace("-", " ") + " ")
    assert page.location == "/"
    assert "You have 9 recovery codes left" in client.get("/dashboard").banners[0]
    sign_out(client)

    other = PageClient(app.test_client())
    sign_in_with_password(other, user)
    page = enter_recovery_code(other, codes[3])
    assert page.status == 400
    assert page.error_summary == ["The recovery code is not right, or was used already"]
    # The recovery form opens by itself to show its error.
    assert page.soup.select_one("details.govuk-details").has_attr("open")
    assert enter_recovery_code(other, codes[4]).location == "/"
    used = [e for e in events(user, AuditAction.UPDATE) if e.fields == "recovery_codes"]
    assert len(used) == 3  # made, then two used


def test_recovery_codes_are_stored_hashed(client: PageClient) -> None:
    user, _secret = enrolled_staff()
    codes = make_new_recovery_codes(user)
    stored = db.session.scalars(
        select(RecoveryCode.code_hash).where(RecoveryCode.staff_user_id == user.id)
    ).all()
    assert len(stored) == 10
    assert all(value.startswith("$argon2id$") for value in stored)
    assert not any(code.replace("-", "") in value for code in codes for value in stored)


# --- setting up ---------------------------------------------------------------------------


def confirm_password(client: PageClient) -> None:
    """Changing the second factor asks for the password first (within 5 minutes)."""
    page = client.submit("/account/confirm-password", {"password": PASSWORD})
    assert page.status == 302, page.error_summary


def key_on(page: Page) -> str:
    return page.soup.select_one("#two-factor-key").get_text(strip=True).replace(" ", "")


def test_when_required_the_first_sign_in_sets_up_the_app(
    client: PageClient, app: Flask, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED", True)
    user = make_staff(Role.COORDINATOR)
    page = sign_in_with_password(client, user, next_url="/conferences/")
    assert page.location == "/login/set-up-two-factor"
    assert client.get("/dashboard").location.startswith("/login?next=")

    set_up = client.get("/login/set-up-two-factor")
    assert set_up.h1 == "Set up your authenticator app"
    qr = set_up.soup.select_one("svg.heard-qr")
    assert qr["role"] == "img"
    assert qr.find("title").get_text()
    assert not qr.has_attr("style")
    key = key_on(set_up)
    assert key_on(client.get("/login/set-up-two-factor")) == key  # same key on reload
    assert client.get("/dashboard").location.startswith("/login?next=")

    wrong = client.submit("/login/set-up-two-factor", {"code": a_wrong_code(key)})
    assert wrong.error_summary == ["The code is not right. Enter the newest code from your app"]
    db.session.refresh(user)
    assert not user.uses_two_factor

    codes_page = client.submit("/login/set-up-two-factor", {"code": pyotp.TOTP(key).now()})
    assert codes_page.status == 200
    assert codes_page.h1 == "Your recovery codes"
    codes = [li.get_text(strip=True) for li in codes_page.soup.select("#recovery-codes li")]
    assert len(codes) == 10
    assert codes_page.link("Continue") == "/conferences/"
    assert "you had before" not in codes_page.text
    assert client.get("/dashboard").status == 200
    db.session.refresh(user)
    assert user.uses_two_factor
    assert user.totp_secret == key
    assert any(e.fields == "two_factor" for e in events(user, AuditAction.UPDATE))

    # Next time the code is asked for.
    sign_out(client)
    assert sign_in_with_password(client, user).location == "/login/code"


def test_the_secret_is_not_stored_in_plain_text(signed_in) -> None:
    client = signed_in(Role.CHAIR)
    confirm_password(client)
    key = key_on(client.get("/account/two-factor"))
    client.submit("/account/two-factor", {"code": pyotp.TOTP(key).now()})
    raw = db.session.execute(text("select totp_secret from staff_user")).scalar_one()
    assert raw
    assert key not in raw
    assert key.lower() not in raw.lower()
    user = db.session.scalars(select(StaffUser)).one()
    assert user.totp_secret == key


def test_the_cookie_does_not_carry_the_secret_being_set_up(signed_in) -> None:
    client = signed_in(Role.CHAIR)
    confirm_password(client)
    key = key_on(client.get("/account/two-factor"))
    cookie = client.client.get_cookie("session")
    assert cookie is not None
    assert key not in cookie.value


# --- the account pages --------------------------------------------------------------------


def test_the_account_page_says_what_is_set_up(signed_in) -> None:
    user = make_staff(Role.ADVOCATE, full_name="Ada Advocate")
    client = signed_in(Role.ADVOCATE, user)
    page = client.get("/account")
    assert page.h1 == "Your account"
    assert "Ada Advocate" in page.text
    assert user.email in page.text
    assert "Authenticator app Off" in page.text
    assert page.link("Set up") == "/account/two-factor"
    assert "Make new recovery codes" not in page.text
    assert client.get("/dashboard").link("Your account") == "/account"

    confirm_password(client)
    key = key_on(client.get("/account/two-factor"))
    done = client.submit("/account/two-factor", {"code": pyotp.TOTP(key).now()})
    assert done.link("Continue") == "/account"
    page = client.get("/account")
    assert "Authenticator app On since" in page.text
    assert "Recovery codes 10 of 10 left" in page.text
    assert page.link("Set up again") == "/account/two-factor"


def test_setting_up_again_replaces_the_app_and_the_codes(client: PageClient, app: Flask) -> None:
    user, old_secret = enrolled_staff()
    old_codes = make_new_recovery_codes(user)
    me = PageClient(app.test_client())
    me.sign_in_as(user)
    confirm_password(me)
    key = key_on(me.get("/account/two-factor"))
    assert key != old_secret
    new_codes_page = me.submit("/account/two-factor", {"code": pyotp.TOTP(key).now()})
    assert len(new_codes_page.soup.select("#recovery-codes li")) == 10
    assert "The recovery codes you had before no longer work" in new_codes_page.text

    sign_in_with_password(client, user)
    assert enter_recovery_code(client, old_codes[0]).status == 400
    assert enter_code(client, pyotp.TOTP(old_secret).now()).status == 400


def test_new_recovery_codes_replace_the_old_ones(signed_in) -> None:
    user, _secret = enrolled_staff(Role.PARTICIPATION_OFFICER)
    old_codes = make_new_recovery_codes(user)
    client = signed_in(Role.PARTICIPATION_OFFICER, user)
    confirm_password(client)
    page = client.submit("/account/recovery-codes", on="/account")
    assert page.status == 200
    assert page.h1 == "Your recovery codes"
    new_codes = [li.get_text(strip=True) for li in page.soup.select("#recovery-codes li")]
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert (
        db.session.scalar(
            select(db.func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.staff_user_id == user.id)
        )
        == 10
    )


def test_recovery_codes_are_not_made_without_an_app(signed_in) -> None:
    client = signed_in(Role.CHAIR)
    confirm_password(client)
    token = client.get("/account").csrf_token()
    page = client.post("/account/recovery-codes", {"csrf_token": token})
    assert page.location == "/account/two-factor"
    assert db.session.scalar(select(db.func.count()).select_from(RecoveryCode)) == 0


def test_changing_the_password_signs_out_other_devices_only(app: Flask, signed_in) -> None:
    user = make_staff(Role.COORDINATOR)
    here = signed_in(Role.COORDINATOR, user)
    elsewhere = signed_in(Role.COORDINATOR, user)

    page = here.submit(
        "/account/password",
        {
            "current_password": "not it",
            "new_password": "Password1234!",
            "confirm_password": "Password1234",
        },
    )
    assert page.status == 400
    assert page.error_summary == [
        "Your current password is not right",
        "Your password is one of the most common passwords, which attackers try first. "
        "Try three random words",
        "The passwords do not match",
    ]

    new_password = "lantern quarry umbrella"
    page = here.submit(
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": new_password,
            "confirm_password": new_password,
        },
    )
    assert page.location == "/account"
    assert "Your password has been changed" in here.get("/account").banners[0]
    assert elsewhere.get("/account").location.startswith("/login?next=")
    db.session.refresh(user)
    assert user.password_changed_at is not None
    assert any(e.fields == "password" for e in events(user, AuditAction.UPDATE))

    sign_out(here)
    fresh = PageClient(app.test_client())
    assert fresh.submit("/login", {"email": user.email, "password": PASSWORD}).status == 400
    page = fresh.submit("/login", {"email": user.email, "password": new_password})
    assert page.location == "/"


def test_sign_out_everywhere(signed_in) -> None:
    user = make_staff(Role.ADMIN)
    here = signed_in(Role.ADMIN, user)
    elsewhere = signed_in(Role.ADMIN, user)
    page = here.submit("/account/sign-out-everywhere", on="/account")
    assert page.location == "/login"
    assert "You have been signed out on every device" in here.get("/login").text
    assert here.get("/account").location.startswith("/login?next=")
    assert elsewhere.get("/account").location.startswith("/login?next=")
    assert any(e.fields == "sessions" for e in events(user, AuditAction.UPDATE))


def test_changing_the_second_factor_needs_the_password_again(signed_in) -> None:
    user, _secret = enrolled_staff(Role.CHAIR)
    client = signed_in(Role.CHAIR, user)
    asked = client.get("/account/two-factor")
    assert asked.location == "/account/confirm-password?next=/account/two-factor"
    token = client.get("/account").csrf_token()
    refused = client.post("/account/recovery-codes", {"csrf_token": token})
    assert refused.location == "/account/confirm-password?next=/account"
    wrong = client.submit(asked.location, {"password": "not my password at all"})
    assert (wrong.status, wrong.error_summary) == (400, ["Your password is not right"])
    right = client.submit(asked.location, {"password": PASSWORD})
    assert right.location == "/account/two-factor"
    assert client.get("/account/two-factor").status == 200
    with client.client.session_transaction() as session:  # six minutes later: asked again
        session["reauthenticated_at"] -= 6 * 60
    assert client.get("/account/two-factor").location.startswith("/account/confirm-password")


def test_account_pages_need_signing_in(client: PageClient) -> None:
    for url in ("/account", "/account/password", "/account/two-factor"):
        assert client.get(url).location.startswith("/login?next=")
