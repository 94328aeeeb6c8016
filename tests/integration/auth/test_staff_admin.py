"""An admin's staff account pages: list, add, disable (at once), enable, sign out everywhere,
reset the second factor; every action audited by field name, flash messages with no names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditAction, AuditEvent, RecoveryCode, Role, StaffUser
from tests.factories import PASSWORD, make_staff
from tests.pages import Page, PageClient

TEMPORARY = "a temporary password 4 you"


def _press(admin: PageClient, staff_id: int, action: str) -> Page:
    """Press one of the buttons on an account's page, as a browser would."""
    page = admin.get(f"/admin/staff/{staff_id}")
    form = next(f for f in page.soup.find_all("form") if f.get("action", "").endswith(action))
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    data = {i["name"]: i["value"] for i in form.find_all("input", attrs={"type": "hidden"})}
    return admin.post(form["action"], {**data, "csrf_token": token})


def _events(user: StaffUser) -> list[tuple[AuditAction, str]]:
    return [
        (event.action, event.fields)
        for event in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.record_type == "staff_user", AuditEvent.record_id == user.id)
            .order_by(AuditEvent.id)
        )
    ]


def test_the_list_shows_every_account_with_its_state(signed_in: Callable[..., PageClient]) -> None:
    admin = signed_in(Role.ADMIN)
    chair = make_staff(
        Role.CHAIR,
        full_name="Priya Chair",
        last_signed_in_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        totp_enrolled_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    make_staff(Role.ADVOCATE, full_name="Gone Advocate", is_active_account=False)
    page = admin.get("/admin/staff")
    assert page.status == 200
    assert page.h1 == "Staff accounts"
    rows = {
        " ".join(row.find("th").get_text(" ").split()): [
            " ".join(c.get_text(" ").split()) for c in row.find_all("td")
        ]
        for row in page.soup.select("tbody tr")
    }
    assert rows["Priya Chair"] == [
        chair.email,
        "Independent chair",
        "Yes",
        "2 March 2026 at 9:30am",
        "Active",
    ]
    assert rows["Gone Advocate"][2:] == ["No", "Never", "Disabled"]
    assert page.link("Priya Chair") == f"/admin/staff/{chair.id}"
    assert "Staff accounts" in [a.get_text(strip=True) for a in page.soup.select("nav a")]


def test_only_admins_reach_the_pages(signed_in: Callable[..., PageClient]) -> None:
    for role in (Role.COORDINATOR, Role.CHAIR, Role.ADVOCATE, Role.PARTICIPATION_OFFICER):
        assert signed_in(role).get("/admin/staff").status == 403


def test_an_admin_adds_an_account(signed_in: Callable[..., PageClient]) -> None:
    admin = signed_in(Role.ADMIN)
    page = admin.submit(
        "/admin/staff/new",
        {
            "full_name": "New Coordinator",
            "email": "New.Coordinator@Council.example",
            "role": "coordinator",
            "password": "a temporary password 4 you",
        },
    )
    assert page.status == 302
    user = db.session.scalar(select(StaffUser).where(StaffUser.full_name == "New Coordinator"))
    assert user is not None
    assert user.email == "new.coordinator@council.example"
    assert user.role == Role.COORDINATOR
    assert page.location == f"/admin/staff/{user.id}"
    shown = admin.get(page.location)
    assert shown.banners == ["Account added. Their temporary password lasts 72 hours"]
    assert _events(user) == [
        (AuditAction.CREATE, "email,full_name,password_hash,role,temporary_password_expires_at")
    ]
    assert user.must_change_password


def test_a_temporary_password_must_be_changed_before_anything_else(
    signed_in: Callable[..., PageClient],
) -> None:
    user = make_staff(Role.COORDINATOR)
    user.must_change_password = True
    db.session.commit()
    browser = signed_in(Role.COORDINATOR, user)
    for url in ("/conferences/", "/dashboard", "/account"):
        page = browser.get(url)
        assert (page.status, page.location) == (302, "/account/password")
    new = "kettle orbit marigold lantern"
    changed = browser.submit(
        "/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert changed.status == 302
    assert not db.session.get(StaffUser, user.id).must_change_password
    assert browser.get("/conferences/").status == 200


def test_adding_an_existing_email_or_a_short_password_is_a_form_error(
    signed_in: Callable[..., PageClient],
) -> None:
    admin = signed_in(Role.ADMIN)
    existing = make_staff(Role.CHAIR)
    before = db.session.scalar(select(func.count()).select_from(StaffUser))
    taken = admin.submit(
        "/admin/staff/new",
        {
            "full_name": "A",
            "email": existing.email,
            "role": "chair",
            "password": "violet tractor moonlight 7",
        },
    )
    assert taken.status == 400
    assert len(taken.error_summary) == 1
    assert "already" in taken.error_summary[0]
    assert taken.soup.select_one(".govuk-error-summary a")["href"] == "#email"
    short = admin.submit(
        "/admin/staff/new",
        {"full_name": "A", "email": "a@council.example", "role": "chair", "password": "short"},
    )
    assert short.status == 400
    assert len(short.error_summary) == 1
    assert "password" in short.error_summary[0].lower() or "characters" in short.error_summary[0]
    assert short.soup.select_one(".govuk-error-summary a")["href"] == "#password"
    empty = admin.submit("/admin/staff/new", {})
    assert empty.error_summary == [
        "Enter their name",
        "Enter their work email address",
        "Select their role",
        "Enter a temporary password",
    ]
    assert db.session.scalar(select(func.count()).select_from(StaffUser)) == before


def test_disabling_takes_effect_at_once_mid_session(
    signed_in: Callable[..., PageClient],
) -> None:
    admin = signed_in(Role.ADMIN)
    coordinator = make_staff(Role.COORDINATOR)
    their_browser = signed_in(Role.COORDINATOR, coordinator)
    assert their_browser.get("/conferences/").status == 200

    page = _press(admin, coordinator.id, "/disable")
    assert page.location == f"/admin/staff/{coordinator.id}"
    shown = admin.get(page.location)
    assert shown.banners == ["Account disabled"]  # no name in the message
    assert "Disabled: cannot sign in" in shown.text
    db.session.refresh(coordinator)
    assert coordinator.is_active_account is False

    refused = their_browser.get("/conferences/")
    assert refused.status == 302
    assert refused.location.startswith("/login")
    assert "You have been signed out" in their_browser.get(refused.location).text
    assert _events(coordinator) == [
        (AuditAction.UPDATE, "is_active_account"),
        (AuditAction.UPDATE, "sessions"),
    ]

    _press(admin, coordinator.id, "/enable")
    assert admin.get(f"/admin/staff/{coordinator.id}").banners == ["Account enabled"]
    db.session.refresh(coordinator)
    assert coordinator.is_active_account is True
    # The old session stays ended: enabling lets them sign in again, nothing more.
    assert their_browser.get("/conferences/").status == 302


def test_an_admin_cannot_disable_themselves(app, signed_in: Callable[..., PageClient]) -> None:
    me = make_staff(Role.ADMIN)
    admin = signed_in(Role.ADMIN, me)
    page = admin.get(f"/admin/staff/{me.id}")
    assert "You cannot disable your own account" in page.text
    assert not any(f.get("action", "").endswith("/disable") for f in page.soup.find_all("form"))
    # Posting anyway changes nothing.
    refused = admin.post(f"/admin/staff/{me.id}/disable", {"csrf_token": page.csrf_token()})
    assert refused.status == 302
    db.session.refresh(me)
    assert me.is_active_account is True
    assert admin.get("/admin/staff").status == 200


def test_sign_out_everywhere_ends_every_session_of_that_person(
    signed_in: Callable[..., PageClient],
) -> None:
    admin = signed_in(Role.ADMIN)
    chair = make_staff(Role.CHAIR)
    phone, laptop = signed_in(Role.CHAIR, chair), signed_in(Role.CHAIR, chair)
    assert phone.get("/conferences/").status == 200
    _press(admin, chair.id, "/sign-out-everywhere")
    assert admin.get(f"/admin/staff/{chair.id}").banners == ["Signed out everywhere"]
    for browser in (phone, laptop):
        assert browser.get("/conferences/").location.startswith("/login")
    assert signed_in(Role.CHAIR, chair).get("/conferences/").status == 200  # may sign in again
    assert _events(chair) == [(AuditAction.UPDATE, "sessions")]


def test_resetting_the_second_factor_forgets_the_app_and_the_codes(
    signed_in: Callable[..., PageClient],
) -> None:
    admin = signed_in(Role.ADMIN)
    advocate = make_staff(
        Role.ADVOCATE,
        totp_secret="JBSWY3DPEHPK3PXP",
        totp_enrolled_at=datetime(2026, 1, 5, tzinfo=UTC),
        totp_last_step=123,
    )
    other = make_staff(Role.ADVOCATE)
    db.session.add_all(
        [RecoveryCode(staff_user_id=u.id, code_hash="x") for u in (advocate, advocate, other)]
    )
    db.session.commit()
    their_browser = signed_in(Role.ADVOCATE, advocate)
    _press(admin, advocate.id, "/reset-second-factor")
    db.session.refresh(advocate)
    assert (advocate.totp_secret, advocate.totp_enrolled_at, advocate.totp_last_step) == (
        None,
        None,
        None,
    )
    codes = db.session.scalars(select(RecoveryCode.staff_user_id)).all()
    assert codes == [other.id]
    assert their_browser.get("/advocacy/").location.startswith("/login")
    assert _events(advocate) == [
        (AuditAction.UPDATE, "recovery_codes,totp_enrolled_at,totp_last_step,totp_secret"),
        (AuditAction.UPDATE, "sessions"),
    ]
    after = admin.get(f"/admin/staff/{advocate.id}")
    assert "Not set up" in after.text
    assert not any(f.get("action", "").endswith("/reset-second-factor") for f in after.soup("form"))


def test_wider_access_for_chairs_and_advocates(signed_in: Callable[..., PageClient]) -> None:
    admin = signed_in(Role.ADMIN)
    chair, advocate = make_staff(Role.CHAIR), make_staff(Role.ADVOCATE)
    _press(admin, chair.id, "/wider-access")
    _press(admin, advocate.id, "/wider-access")
    db.session.refresh(chair)
    db.session.refresh(advocate)
    assert chair.sees_all_conferences
    assert advocate.is_advocacy_manager
    assert "Sees every conference" in admin.get(f"/admin/staff/{chair.id}").text
    _press(admin, chair.id, "/wider-access")
    db.session.refresh(chair)
    assert not chair.sees_all_conferences
    assert _events(chair) == [(AuditAction.UPDATE, "sees_all_conferences")] * 2
    assert _events(advocate) == [(AuditAction.UPDATE, "is_advocacy_manager")]
    coordinator = make_staff(Role.COORDINATOR)
    page = admin.get(f"/admin/staff/{coordinator.id}")
    assert not any(
        f.get("action", "").endswith("/wider-access") for f in page.soup.find_all("form")
    )


def test_an_unknown_account_is_not_found(signed_in: Callable[..., PageClient]) -> None:
    assert signed_in(Role.ADMIN).get("/admin/staff/999999").status == 404


def _add_account(admin: PageClient, email: str = "new.chair@council.example") -> StaffUser:
    added = admin.submit(
        "/admin/staff/new",
        {"full_name": "New Chair", "email": email, "role": "chair", "password": TEMPORARY},
    )
    assert added.status == 302
    return db.session.scalar(select(StaffUser).where(StaffUser.email == email))


def _sign_in(browser: PageClient, email: str, password: str) -> Page:
    return browser.submit("/login", {"email": email, "password": password})


def test_the_add_page_and_the_confirmation_say_how_long_the_temporary_password_lasts(
    app, signed_in: Callable[..., PageClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "TEMPORARY_PASSWORD_HOURS", 48)
    admin = signed_in(Role.ADMIN)
    form = admin.get("/admin/staff/new")
    assert (
        "Give it to them in person or by phone, never by email. It lasts 48 hours: they choose "
        "their own password when they first sign in"
    ) in form.text
    before = datetime.now(UTC)
    user = _add_account(admin)
    assert (
        before + timedelta(hours=48)
        <= user.temporary_password_expires_at
        <= datetime.now(UTC) + timedelta(hours=48)
    )
    shown = admin.get(f"/admin/staff/{user.id}")
    assert shown.banners == ["Account added. Their temporary password lasts 48 hours"]
    assert "Temporary password Expires " in shown.text
    assert "They have not chosen their own password yet" in shown.text


def test_a_temporary_password_signs_in_within_its_time_and_not_after(
    app, client: PageClient, signed_in: Callable[..., PageClient]
) -> None:
    admin = signed_in(Role.ADMIN)
    user = _add_account(admin)
    within = _sign_in(client, user.email, TEMPORARY)
    assert (within.status, within.location) == (302, "/")
    assert client.get("/conferences/").location == "/account/password"
    client.post("/logout", {"csrf_token": client.get("/account/password").csrf_token()})

    user.temporary_password_expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    expired = _sign_in(client, user.email, TEMPORARY)
    assert expired.status == 400
    assert expired.error_summary == [
        "Your temporary password has expired. Ask an admin for a new one"
    ]
    assert client.get("/conferences/").location.startswith("/login")  # not signed in
    # A wrong password tells nothing about the account: the usual message only.
    wrong = _sign_in(client, user.email, "not the temporary one")
    assert wrong.error_summary == ["Enter a correct email address and password"]
    assert _events(user)[-2:] == [(AuditAction.SIGN_IN_FAILED, "")] * 2
    assert "Temporary password Expired " in admin.get(f"/admin/staff/{user.id}").text


def test_choosing_your_own_password_clears_the_expiry(
    client: PageClient, signed_in: Callable[..., PageClient]
) -> None:
    user = _add_account(signed_in(Role.ADMIN))
    assert _sign_in(client, user.email, TEMPORARY).status == 302
    own = "kettle orbit marigold lantern"
    changed = client.submit(
        "/account/password",
        {"current_password": TEMPORARY, "new_password": own, "confirm_password": own},
    )
    assert changed.status == 302
    db.session.refresh(user)
    assert (user.must_change_password, user.temporary_password_expires_at) == (False, None)
    client.post("/logout", {"csrf_token": client.get("/account").csrf_token()})
    assert _sign_in(client, user.email, own).status == 302


def test_a_breached_temporary_password_is_refused_on_the_page(
    signed_in: Callable[..., PageClient],
) -> None:
    page = signed_in(Role.ADMIN).submit(
        "/admin/staff/new",
        {
            "full_name": "A",
            "email": "a@council.example",
            "role": "chair",
            "password": "correct horse battery staple",
        },
    )
    assert page.status == 400
    assert page.error_summary == [
        "This password is too common: it appears in lists of breached passwords. Choose another"
    ]
    assert page.soup.select_one(".govuk-error-summary a")["href"] == "#password"


def test_an_admin_gives_a_new_temporary_password_when_the_first_has_expired(
    client: PageClient, signed_in: Callable[..., PageClient]
) -> None:
    """ "Ask an admin for a new one" must be something an admin can do."""
    admin = signed_in(Role.ADMIN)
    user = _add_account(admin)
    user.temporary_password_expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    account_page = admin.get(f"/admin/staff/{user.id}")
    assert "Give a new temporary password" in account_page.text

    weak = admin.submit(f"/admin/staff/{user.id}/temporary-password", {"password": "password1"})
    assert weak.status == 400
    assert weak.title.startswith("Error: ")
    assert len(weak.error_summary) == 1
    assert "lasts 72 hours" in weak.text  # the page says how long the new one lasts

    fresh = "a second temporary 4 you"
    given = admin.submit(f"/admin/staff/{user.id}/temporary-password", {"password": fresh})
    assert (given.status, given.location) == (302, f"/admin/staff/{user.id}")
    assert admin.get(given.location).banners == ["New temporary password set. It lasts 72 hours"]
    db.session.refresh(user)
    assert user.must_change_password
    assert user.temporary_password_expires_at > datetime.now(UTC) + timedelta(hours=71)
    assert (AuditAction.UPDATE, "password_hash,temporary_password_expires_at") in _events(user)
    assert _sign_in(client, user.email, TEMPORARY).error_summary == [
        "Enter a correct email address and password"
    ]
    assert (_sign_in(client, user.email, fresh).location) == "/"
    assert client.get("/conferences/").location == "/account/password"


def test_a_new_temporary_password_signs_the_person_out_everywhere(
    signed_in: Callable[..., PageClient],
) -> None:
    user = make_staff(Role.COORDINATOR)
    browser = signed_in(Role.COORDINATOR, user)
    assert browser.get("/conferences/").status == 200
    admin = signed_in(Role.ADMIN)
    given = admin.submit(
        f"/admin/staff/{user.id}/temporary-password", {"password": "a second temporary 4 you"}
    )
    assert given.status == 302
    assert browser.get("/conferences/").location.startswith("/login")
