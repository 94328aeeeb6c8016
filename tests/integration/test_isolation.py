"""Canary: a row written in one test is gone in the next (tests run in file order)."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Role, StaffUser
from tests.factories import make_staff


def test_canary_writes_a_row() -> None:
    make_staff(Role.ADMIN, email="canary@council.example")
    assert db.session.scalar(select(func.count(StaffUser.id))) == 1


def test_canary_row_is_gone() -> None:
    assert db.session.scalar(select(func.count(StaffUser.id))) == 0


def test_the_database_is_the_one_asked_for(app) -> None:
    """TEST_DATABASE_URL really switches the suite to PostgreSQL (and it is SQLite otherwise)."""
    import os

    from sqlalchemy.engine import make_url

    asked = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    assert db.engine.dialect.name == make_url(asked).get_backend_name()
