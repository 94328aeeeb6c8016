"""A lost database connection is the "not available just now" page (503, Retry-After), never
the error page (issue 19). On PostgreSQL, through a relay that cuts the line as a restart does
(tests/helpers/tcp_relay.py), and with the app's own connection ended by the server
(pg_terminate_backend): real connections, real failures, the real pages.

The unreachable database (nothing listening at all) is tests/integration/test_operations.py's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

import config
from portal import create_app
from portal.extensions import db
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import FormKind
from tests.factories import add_contactable_member, make_conference
from tests.helpers.tcp_relay import TcpRelay
from tests.pages import PageClient

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
APPLICATION_NAME = "heard-lost-connection-test"

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"),
    reason="PostgreSQL's connections: runs in the PostgreSQL pass",
)


@pytest.fixture
def relay(app: Flask) -> Iterator[TcpRelay]:
    url = make_url(db.engine.url)
    with TcpRelay(url.host or "127.0.0.1", url.port or 5432) as relay:
        yield relay


@pytest.fixture
def relayed_app(app: Flask, relay: TcpRelay) -> Iterator[Flask]:
    """The portal on the test database, its connections through the relay and named, as in
    production (errors shown as pages, not raised into the test)."""
    settings = config.TestConfig()
    url = make_url(db.engine.url).set(host="127.0.0.1", port=relay.port)
    settings.SQLALCHEMY_DATABASE_URI = url.render_as_string(hide_password=False)
    options = config.engine_options(settings.SQLALCHEMY_DATABASE_URI)
    options["connect_args"] = {**options["connect_args"], "application_name": APPLICATION_NAME}
    settings.SQLALCHEMY_ENGINE_OPTIONS = options
    relayed = create_app(settings)
    relayed.config["PROPAGATE_EXCEPTIONS"] = False
    yield relayed
    with relayed.app_context():
        db.engine.dispose()


def family_on_their_form(relayed: Flask) -> PageClient:
    """A parent who opened their views link through the relayed app: on the form's first page."""
    conference = make_conference()
    member = add_contactable_member(conference)
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    family = PageClient(relayed.test_client())
    opened = family.submit(f"/r/{token_for(invitation.token_salt)}")
    assert opened.location == "/your-say/"
    assert family.get("/your-say/").status == 200
    return family


def test_a_connection_cut_mid_page_while_the_database_is_away_is_the_503_page(
    relayed_app: Flask, relay: TcpRelay
) -> None:
    """The line is cut after the visit was read and before the page's own query, and new
    connections are refused (PostgreSQL restarting): the family gets "not available just now",
    drawn without asking the database again. Before issue 19 the error page's own look-up of
    the visit failed too, and the person saw a bare 500."""
    family = family_on_their_form(relayed_app)
    statements: list[str] = []

    def cut_after_the_visit_is_read(conn, cursor, statement, parameters, context, many):
        if statements and "family_visit" in statements[-1]:
            relay.cut()
        statements.append(statement)

    with relayed_app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", cut_after_the_visit_is_read)
    try:
        page = family.get("/your-say/")
    finally:
        with relayed_app.app_context():
            sa.event.remove(db.engine, "before_cursor_execute", cut_after_the_visit_is_read)
    assert any("family_visit" in statement for statement in statements), statements
    assert page.status == 503, page.text[:500]
    assert page.h1 == "Sorry, the service is not available just now"
    assert page.response.headers["Retry-After"] == "30"

    # Still away: the next page is the same 503, not an error page.
    again = family.get("/your-say/")
    assert (again.status, again.response.headers.get("Retry-After")) == (503, "30")

    # Back: the same app answers normally, the dead connection replaced.
    relay.restore()
    assert family.get("/your-say/").status == 200


def test_the_first_page_on_a_pooled_connection_the_server_ended_opens_normally(
    app: Flask, relayed_app: Flask
) -> None:
    """PostgreSQL ended the app's idle connection (a restart, an administrator, an idle
    timeout): the pool's pre-ping finds it dead and opens another, so the next page is 200,
    not 500 (nor even 503)."""
    family = family_on_their_form(relayed_app)
    with db.engine.connect() as admin:
        ended = admin.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name AND datname = current_database()"
            ),
            {"name": APPLICATION_NAME},
        ).all()
    assert ended  # the app's pooled connection was there
    assert all(row[0] for row in ended)
    assert family.get("/your-say/").status == 200
