"""Choosing passwords on the pages (issue 13): a temporary password cannot be kept as it is,
the add-account messages speak about the new person, not to the admin, and the hint's own
example is refused."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from portal.auth.password_rules import EXAMPLE_PASSWORD
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


def test_add_account_messages_are_about_the_new_person(
    signed_in: Callable[..., PageClient],
) -> None:
    admin = signed_in(Role.ADMIN)
    for password, message in [
        ("short", "The password must be 12 characters or more"),
        ("taylor family holiday", NAMES_MESSAGE),
        ("mark.taylor rocks on", NAMES_MESSAGE),
        (
            "Password1234!",
            "The password is one of the most common passwords, which attackers "
            "try first. Try three random words",
        ),
        (
            "aaaaaaaaaaaa",
            "The password must not be a repeated character or a run of keys, like "
            "123456 or qwerty. Try three random words",
        ),
    ]:
        page = _add(admin, password)
        assert page.status == 400, password
        assert page.error_summary == [message], password
        assert "your" not in page.error_summary[0].lower()


def test_the_persons_name_is_refused_even_when_not_in_the_email(
    signed_in: Callable[..., PageClient],
) -> None:
    page = _add(
        signed_in(Role.ADMIN),
        "priya plays the cello",
        full_name="Priya Sharma",
        email="p.s@council.example",
    )
    assert (page.status, page.error_summary) == (400, [NAMES_MESSAGE])


def test_a_fragment_of_the_email_is_not_the_persons_name(
    signed_in: Callable[..., PageClient],
) -> None:
    # "mark" is inside "market": only a whole word (or the whole email name) counts.
    page = _add(signed_in(Role.ADMIN), "market garden lantern")
    assert page.status == 302, page.error_summary


def test_the_hints_example_password_is_refused_everywhere(
    client: PageClient, signed_in: Callable[..., PageClient]
) -> None:
    admin = signed_in(Role.ADMIN)
    for example in (EXAMPLE_PASSWORD, "Kettle-Orbit-Marigold"):
        added = _add(admin, example)
        assert added.status == 400
        assert added.error_summary == [
            "The password must not be the example from the hint. Try three random words"
        ]
    assert _add(admin, TEMPORARY).status == 302
    client.submit("/login", {"email": "mark.taylor@council.example", "password": TEMPORARY})
    form = client.get("/account/password")
    assert f"‘{EXAMPLE_PASSWORD}’" in form.text  # the hint still shows it
    changed = _change(client, TEMPORARY, EXAMPLE_PASSWORD)
    assert changed.status == 400
    assert changed.error_summary == [
        "Your password must not be the example from the hint. Choose three random words of your own"
    ]
