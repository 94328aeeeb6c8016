"""Databases of a test's own on the PostgreSQL server, whatever database the suite runs on.

The server is TEST_DATABASE_URL's when that is PostgreSQL, else postgres@127.0.0.1:5432. Under
CI (CI=true) a server or a client program that cannot be used fails the test; elsewhere it
skips it, saying why.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

UNDER_CI = os.environ.get("CI") == "true"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _unavailable(reason: str) -> None:
    if UNDER_CI:
        pytest.fail(f"{reason} (CI=true: this test must run)")
    pytest.skip(reason)


def server_url() -> URL:
    configured = os.environ.get("TEST_DATABASE_URL", "")
    if configured.startswith(("postgres://", "postgresql")):
        url = make_url("postgresql+psycopg://" + configured.split("://", 1)[1])
        return url.set(drivername="postgresql+psycopg", database="postgres")
    return make_url(DEFAULT_SERVER)


def require_programs(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        _unavailable(f"PostgreSQL's client programs are missing: {', '.join(missing)}")


@contextmanager
def own_databases(*names: str) -> Iterator[list[str]]:
    """New empty databases with these names (dropped first if a failed run left them), as
    SQLAlchemy URLs; dropped again afterwards, whoever is still connected."""
    server = server_url()
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError:
        engine.dispose()
        _unavailable(f"No PostgreSQL answering at {server.host}:{server.port}")
    quoted = [engine.dialect.identifier_preparer.quote(name) for name in names]
    try:
        with engine.connect() as connection:
            for name in quoted:
                connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                connection.execute(sa.text(f"CREATE DATABASE {name}"))
        yield [server.set(database=name).render_as_string(hide_password=False) for name in names]
    finally:
        with engine.connect() as connection:
            for name in quoted:
                connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        engine.dispose()
