"""Choosing passwords on the pages (issue 13): a temporary password cannot be kept as it is,
the add-account messages speak about the new person, not to the admin, and the hint's own
example is refused."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from portal.extensions import db
from portal.models import Role, StaffUser
from tests.pages import Page, PageClient

TEMPORARY = "a temporary password 4 you"
NAMES_MESSAGE = (
    "The password must not contain the person's name or email address, Heard or the "
    "council's name. Try three random words"
)


def _add(admin: PageClient, password: str, **fields: str) -> Page:
    data = {
        "full_name": "Mark Taylor",
        "email": "mark.taylor@council.example",
        "role": "chair",
        "password": password,
        **fields,
    }
    return admin.submit("/admin/staff/new", data)


def _change(browser: PageClient, current: str, new: str) -> Page:
    return browser.submit(
        "/account/password",
        {"current_password": current, "new_password": new, "confirm_password": new},
    )


def test_the_forced_change_refuses_the_temporary_password_unchanged(
    client: PageClient, signed_in: Callable[..., PageClient]
) -> None:
    assert _add(signed_in(Role.ADMIN), TEMPORARY).status == 302
    user = db.session.scalar(select(StaffUser).where(StaffUser.full_name == "Mark Taylor"))
    assert user is not None
    assert client.submit("/login", {"email": user.email, "password": TEMPORARY}).status == 302
    assert client.get("/conferences/").location == "/account/password"
    same = _change(client, TEMPORARY, TEMPORARY)
    assert same.status == 400
    assert same.error_summary == ["Your new password must be different from your current one"]
    assert same.soup.select_one(".govuk-error-summary a")["href"] == "#new_password"
    db.session.refresh(user)
    assert user.must_change_password
    assert client.get("/conferences/").location == "/account/password"
    assert _change(client, TEMPORARY, "lantern quarry umbrella").status == 302
