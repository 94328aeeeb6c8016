"""Health checks, request ids and JSON logs: what an operator and a load balancer rely on."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

import config
from portal import create_app
from portal.extensions import db, talisman
from portal.family_visit import FAMILY_SESSION_KEY
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.logs import JsonFormatter, install_json_handler
from portal.models import FormKind
from tests.factories import add_contactable_member, make_conference
from tests.pages import PageClient


@pytest.fixture
def log_lines(app: Flask) -> Iterator[Callable[[], list[dict]]]:
    """The app logger's JSON lines, through the handler create_app installs in production."""
    stream = io.StringIO()
    level = app.logger.level
    handler = install_json_handler(app.logger, stream)
    app.logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        app.logger.removeHandler(handler)
        app.logger.setLevel(level)


def _unreachable_app(monkeypatch: pytest.MonkeyPatch, url: str) -> Flask:
    monkeypatch.setenv("TEST_DATABASE_URL", url)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return create_app("test")


# A real unreachable database, not a mock: a SQLite file in a folder that does not exist, and a
# PostgreSQL port nobody listens on.
@pytest.mark.parametrize(
    "url",
    ["sqlite:///{tmp}/missing/heard.sqlite3", "postgresql+psycopg://postgres@127.0.0.1:9/heard"],
)
def test_healthz_answers_without_the_database_and_readyz_says_why_not(
    monkeypatch: pytest.MonkeyPatch, tmp_path, url: str
) -> None:
    broken = _unreachable_app(monkeypatch, url.format(tmp=tmp_path)).test_client()
    alive = broken.get("/healthz")
    assert (alive.status_code, alive.json) == (200, {"status": "ok"})
    ready = broken.get("/readyz")
    assert (ready.status_code, ready.json) == (503, {"status": "database unavailable"})
    for response in (alive, ready):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.mimetype == "application/json"


def test_readyz_answers_when_the_database_does(client: PageClient) -> None:
    page = client.get("/readyz")
    assert (page.status, page.response.json) == (200, {"status": "ok"})
    assert page.response.headers["Cache-Control"] == "no-store"


def test_probes_over_plain_http_are_answered_when_pages_are_sent_to_https(client, monkeypatch):
    monkeypatch.setattr(talisman, "force_https", True)
    assert client.get("/login").status == 302
    assert client.get("/login").location.startswith("https://")
    assert client.get("/healthz").status == 200
    assert client.get("/readyz").status == 200


def test_readyz_after_a_database_error_recovers(client: PageClient, monkeypatch) -> None:
    # The failed statement is rolled back: the next check on the same session answers again.
    from sqlalchemy.exc import OperationalError

    real_execute = db.session.execute
    calls = iter([OperationalError("SELECT 1", {}, Exception("gone"))])

    def failing_once(*args, **kwargs):
        error = next(calls, None)
        if error is not None:
            raise error
        return real_execute(*args, **kwargs)

    monkeypatch.setattr(db.session, "execute", failing_once)
    assert client.get("/readyz").status == 503
    assert client.get("/readyz").status == 200


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://127.0.0.1:6379/0", (200, {"status": "ok"})),  # the machine's real Redis
        ("redis://127.0.0.1:1/0", (503, {"status": "redis unavailable"})),  # nothing listens
    ],
    ids=["answers", "wrong-port"],
)
def test_readyz_asks_redis_when_set(client, app, monkeypatch, url, expected) -> None:
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    page = client.get("/readyz")
    assert (page.status, page.response.json) == expected
    assert client.get("/healthz").status == 200  # liveness never depends on Redis


def test_a_valid_request_id_is_echoed_and_logged(client: PageClient, app, log_lines) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.91_c"}).response
    assert response.headers["X-Request-ID"] == "lb-7f3a.91_c"
    access = [line for line in log_lines() if line.get("endpoint") == "site.healthz"]
    assert len(access) == 1
    assert access[0]["request_id"] == "lb-7f3a.91_c"
    assert access[0]["method"] == "GET"
    assert access[0]["status"] == 200
    assert access[0]["duration_ms"] >= 0
    assert access[0]["level"] == "INFO"
    assert access[0]["logger"] == app.logger.name
    assert access[0]["time"].endswith("+00:00")


@pytest.mark.parametrize(
    "header", ["short", "x" * 65, "x" * 200, "abcdefgh\nforged log line", "has spaces in it", ""]
)
def test_an_unusable_request_id_is_replaced(client: PageClient, header: str) -> None:
    # Set in the WSGI environ: Werkzeug's client refuses a header with a newline, a raw client not.
    response = client.get("/healthz", environ_overrides={"HTTP_X_REQUEST_ID": header}).response
    given = response.headers["X-Request-ID"]
    assert given != header
    assert len(given) == 32
    assert all(c in "0123456789abcdef" for c in given)


def test_every_request_gets_its_own_id_even_when_answered_early(client: PageClient) -> None:
    # The access policy sends an anonymous visitor to sign in before the page's code runs.
    first = client.get("/conferences/").response
    second = client.get("/no-such-page").response
    assert first.status_code == 302
    assert second.status_code == 404
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_logs_never_hold_a_links_token_query_or_email(client: PageClient, app, log_lines) -> None:
    conference = make_conference()
    member = add_contactable_member(conference, email="parent@example.org")
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    token = token_for(invitation.token_salt)

    client.submit(f"/r/{token}?email=parent@example.org")
    client.get(f"/r/{token}x")  # a link that does not work
    # A child logger's record (the worker's) passes through the same handler and its filter.
    with app.test_request_context(f"/r/{token}"):
        logging.getLogger(f"{app.logger.name}.messaging.worker").warning("Opened /r/%s", token)

    lines = log_lines()
    assert {line.get("endpoint") for line in lines} >= {"links.open_link"}
    text = "\n".join(json.dumps(line) for line in lines)
    assert token not in text
    assert "parent@example.org" not in text
    assert "?" not in text
    assert "/r/[token]" in text
    for line in lines:
        if "endpoint" in line:
            assert len(line["request_id"]) == 32


def test_an_exception_is_logged_without_its_message(app: Flask) -> None:
    email = "parent@" + "example.org"  # not in the source line the traceback quotes
    try:
        raise ValueError(f"{email} could not be saved")
    except ValueError:
        record = app.logger.makeRecord(
            app.logger.name, logging.ERROR, __file__, 1, "Exception", None, sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["exception"] == "ValueError"
    assert "raise ValueError" in line["traceback"]
    assert email not in json.dumps(line)


def test_a_production_like_app_writes_json_lines_to_stderr(capsys) -> None:
    class Untested(config.TestConfig):
        TESTING = False

    logger = logging.getLogger("portal")
    handlers, level = list(logger.handlers), logger.level
    try:
        app = create_app(Untested())
        json_handlers = [h for h in app.logger.handlers if isinstance(h.formatter, JsonFormatter)]
        assert len(json_handlers) == 1
        assert app.logger.level == logging.INFO
        create_app(Untested())  # installing twice leaves one handler, not two
        assert sum(isinstance(h.formatter, JsonFormatter) for h in app.logger.handlers) == 1

        app.test_client().get("/healthz", headers={"X-Request-ID": "from-the-proxy-1"})
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
        assert [(line["endpoint"], line["request_id"]) for line in lines] == [
            ("site.healthz", "from-the-proxy-1")
        ]
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)


def test_a_lost_database_connection_is_a_503_page_even_for_staff(
    app: Flask, signed_in, monkeypatch
) -> None:
    """A restart or failover cuts the connection while the signed-in person is loaded: the page
    says "not available just now" with 503 (the fault benchmark does it for real; here the
    loader fails as psycopg does), and never a bare server error."""
    from sqlalchemy.exc import OperationalError

    from portal.extensions import login_manager
    from portal.models import Role

    browser = signed_in(Role.COORDINATOR)

    def connection_lost(user_id: str) -> None:
        raise OperationalError(
            "SELECT", {}, Exception("terminating connection"), connection_invalidated=True
        )

    monkeypatch.setattr(login_manager, "_user_callback", connection_lost)
    page = browser.get("/conferences/")
    assert page.status == 503
    assert page.h1 == "Sorry, the service is not available just now"
    assert page.response.headers["Retry-After"] == "30"


@pytest.mark.parametrize(
    "url",
    ["sqlite:///{tmp}/missing/heard.sqlite3", "postgresql+psycopg://postgres@127.0.0.1:9/heard"],
)
def test_a_database_that_cannot_be_reached_at_all_is_the_503_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path, url: str
) -> None:
    """During a restart new connections are refused before any statement runs (there is no
    connection to invalidate): that too is "not available just now" with 503, never a bare
    server error. The fault run found 500s on the family's pages when PostgreSQL came back
    quickly."""
    broken = _unreachable_app(monkeypatch, url.format(tmp=tmp_path))
    broken.config["PROPAGATE_EXCEPTIONS"] = False
    client = broken.test_client()
    with client.session_transaction() as session:
        session[FAMILY_SESSION_KEY] = 1  # a family's visit: the access policy loads it
    page = client.get("/your-say/check")
    assert page.status_code == 503
    assert "not available just now" in page.get_data(as_text=True)
    assert page.headers["Retry-After"] == "30"
