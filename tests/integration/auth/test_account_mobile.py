"""A member of staff keeps their own mobile for urgent safety alerts (issue 13, part 1): set on
their account page, checked, removable, audited; nobody else's account is touched."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditAction, AuditEvent, Role
from tests.factories import make_staff

URL = "/account/mobile"


@pytest.mark.parametrize("role", [Role.CHAIR, Role.COORDINATOR, Role.ADVOCATE, Role.ADMIN])
def test_staff_set_their_own_mobile_and_see_it(signed_in, role) -> None:
    user = make_staff(role)
    other = make_staff(role)
    client = signed_in(role, user)
    page = client.get(URL)
    assert page.status == 200
    assert "Mobile number for urgent safety alerts" in page.text
    assert "only used to text you" in page.text.lower()
    assert "someone may be in danger" in page.text
    saved = client.submit(URL, {"mobile": "07700 900 982"})
    assert saved.status == 302
    assert saved.location == "/account"
    db.session.refresh(user)
    assert user.mobile == "+447700900982"
    assert other.mobile is None
    overview = client.get("/account")
    assert "07700 900982" in overview.text
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_id == user.id, AuditEvent.fields == "mobile")
    ).one()
    assert (event.action, event.record_type, event.actor_id) == (
        AuditAction.UPDATE,
        "staff_user",
        user.id,
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("020 7946 0000", "Enter a mobile number: text messages cannot go to a landline"),
        ("not a number", "Enter a mobile number, like 07700 900 982"),
        ("07700", "Enter a mobile number, like 07700 900 982"),
    ],
)
def test_a_landline_or_junk_is_refused(signed_in, typed, message) -> None:
    user = make_staff(Role.CHAIR, mobile="+447700900111")
    page = signed_in(Role.CHAIR, user).submit(URL, {"mobile": typed})
    assert page.status == 400
    assert page.error_summary == [message]
    db.session.refresh(user)
    assert user.mobile == "+447700900111"


def test_the_mobile_can_be_removed(signed_in) -> None:
    user = make_staff(Role.CHAIR, mobile="+447700900111")
    client = signed_in(Role.CHAIR, user)
    assert client.get(URL).soup.select_one("#mobile")["value"] == "07700 900111"
    assert client.submit(URL, {"mobile": "07700 900111", "remove": "y"}).status == 302
    db.session.refresh(user)
    assert user.mobile is None
    assert "07700 900111" not in client.get("/account").text
    user.mobile = "+447700900111"
    db.session.commit()
    assert client.submit(URL, {"mobile": "  "}).status == 302  # an emptied field removes it too
    db.session.refresh(user)
    assert user.mobile is None
