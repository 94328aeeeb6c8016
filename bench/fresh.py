"""A benchmark's app on an empty database: every table dropped, then migrated afresh."""

from __future__ import annotations

import os

from flask import Flask
from sqlalchemy.engine import make_url

# Databases a benchmark never empties: PostgreSQL's own, and the ones the tests and people use.
NEVER_EMPTIED = frozenset({"postgres", "template0", "template1", "root", "test"})


def ensure_database(database: str) -> None:
    """Create ``database`` when it is PostgreSQL and missing; refuse a name in NEVER_EMPTIED."""
    url = make_url(database)
    if not url.drivername.startswith("postgresql"):
        return
    if url.database in NEVER_EMPTIED:
        raise SystemExit(
            f"A benchmark empties its database: give it one of its own, not {url.database!r} "
            f"(for example postgresql://postgres@127.0.0.1:5432/bench_something)"
        )
    import psycopg
    from psycopg import sql

    server = url.set(drivername="postgresql", database="postgres")
    dsn = server.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(url.database)))


def app_on_an_empty_database(database: str) -> Flask:
    ensure_database(database)
    os.environ.update({"DATABASE_URL": database, "HEARD_CONFIG": "test"})
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    app = create_app("test")
    with app.app_context():
        existing = sa.MetaData()
        existing.reflect(bind=db.engine)
        existing.drop_all(bind=db.engine)
        upgrade()
    return app
