"""The demo's staff accounts, one for each role (and more chairs and advocates), with passwords
printed for the person trying the demo."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.models import Role, StaffUser

DEMO_ACCOUNTS = [
    (Role.ADMIN, "admin@heard.example", "Alex Admin"),
    (Role.COORDINATOR, "coordinator@heard.example", "Corinne Coordinator"),
    (Role.CHAIR, "chair@heard.example", "Chidi Okafor"),
    (Role.ADVOCATE, "advocate@heard.example", "Ava Advocate"),  # also manages advocacy
    (Role.PARTICIPATION_OFFICER, "participation@heard.example", "Priya Participation"),
]
# Ofcom's drama range (portal/contact.py): the demo chair gets a safety alert's text as well, to
# be seen in /dev/outbox.
DEMO_MOBILES = {"chair@heard.example": "+447700900510"}
EXTRA_ADVOCATES = [("advocate2@heard.example", "Ben Okoro")]
EXTRA_CHAIRS = [
    ("chair2@heard.example", "Helen Marsh"),
    ("chair3@heard.example", "Tomasz Nowak"),
]


def demo_password(role: Role) -> str:
    return f"heard-demo-{role.value.replace('_', '-')}"


def _wanted() -> list[tuple[Role, str, str]]:
    wanted = [(role, email, name) for role, email, name in DEMO_ACCOUNTS]
    wanted += [(Role.CHAIR, email, name) for email, name in EXTRA_CHAIRS]
    wanted += [(Role.ADVOCATE, email, name) for email, name in EXTRA_ADVOCATES]
    return wanted


def sign_in_details() -> list[tuple[Role, str, str]]:
    """Each demo account's role, email and password, as printed."""
    return [(role, email, demo_password(role)) for role, email, _ in _wanted()]


def ensure_staff() -> list[StaffUser]:
    """Makes the demo staff that are missing; returns the chairs."""
    chairs = []
    for role, email, name in _wanted():
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is None:
            user = StaffUser(
                email=email,
                full_name=name,
                role=role,
                password_hash=hash_password(demo_password(role)),
                is_advocacy_manager=email == "advocate@heard.example",
                mobile=DEMO_MOBILES.get(email),
            )
            db.session.add(user)
        if role == Role.CHAIR:
            chairs.append(user)
    db.session.flush()
    return chairs


def staff_by_email(email: str) -> StaffUser:
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
    assert user is not None
    return user
