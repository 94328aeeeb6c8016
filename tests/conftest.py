"""Fixtures: one app on the migrated schema, every table emptied after each test.

The database is SQLite (a file under instance/) or, when TEST_DATABASE_URL is set, PostgreSQL.
Isolation is by deleting every row after each test (the canary tests prove it); Flask-SQLAlchemy
3's session binding makes the savepoint recipe fragile, and deleting is fast at this size.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db, limiter
from portal.models import Role, StaffUser
from tests.factories import make_staff
from tests.fakes.notify_server import FakeNotify
from tests.fakes.smtp_server import FakeSmtp
from tests.fakes.twilio_server import FakeTwilio
from tests.helpers.participation_year import add_year_2020
from tests.pages import PageClient
from tests.proof import ABUSE, ACCESS_MATRIX, AT_REST, FAULTS, LIMITS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The proof's figures, at the end of the run (issue 7)."""
    if ACCESS_MATRIX.requests:
        terminalreporter.write_line(
            f"access matrix: {ACCESS_MATRIX.requests:,} requests, {ACCESS_MATRIX.leaks:,} leaks"
        )
    if ABUSE.requests:
        terminalreporter.write_line(f"abuse: {ABUSE.requests:,} hostile requests")
    if AT_REST.values:
        terminalreporter.write_line(
            f"encryption at rest: checked {AT_REST.values:,} values in {AT_REST.columns:,} "
            f"columns and {AT_REST.files:,} files: {AT_REST.readable:,} readable"
        )
    for line in FAULTS + LIMITS:
        terminalreporter.write_line(line)


def drop_everything() -> None:
    """Empty the test database completely, alembic_version included."""
    existing = sa.MetaData()
    existing.reflect(bind=db.engine)
    existing.drop_all(bind=db.engine)


@pytest.fixture(scope="session")
def app() -> Flask:
    app = create_app("test")
    with app.app_context():
        drop_everything()
        upgrade()  # the schema the migrations make, never create_all()
    return app


@pytest.fixture(autouse=True)
def _empty_tables_after_each_test(app: Flask) -> Iterator[None]:
    # Tests run in an app context for factories and queries; PageClient gives each request its
    # own, as production does.
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        limiter.reset()


@pytest.fixture
def client(app: Flask) -> PageClient:
    return PageClient(app.test_client())


@pytest.fixture
def signed_in(app: Flask) -> Callable[..., PageClient]:
    """signed_in(Role.CHAIR) -> a client signed in as a new member of staff in that role."""

    def sign_in(role: Role, user: StaffUser | None = None) -> PageClient:
        user = user or make_staff(role)
        page_client = PageClient(app.test_client())
        page_client.sign_in_as(user)
        return page_client

    return sign_in


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A fake Twilio HTTP server on 127.0.0.1: the real SDK talks to it."""
    with FakeTwilio() as server:
        yield server


@pytest.fixture
def fake_notify() -> Iterator[FakeNotify]:
    """A fake GOV.UK Notify API on 127.0.0.1: the real notifications-python-client talks to it."""
    with FakeNotify() as server:
        yield server


@pytest.fixture
def fake_smtp() -> Iterator[FakeSmtp]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1."""
    with FakeSmtp() as server:
        yield server


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The test app served on a free port; it shares the test database through the database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def year_2020() -> None:
    """Financial year 2020, counted by hand (tests/helpers/participation_year.py): for the
    participation report's tests, in the test client and in the browser."""
    add_year_2020()
