"""A benchmark's app on an empty database: every table dropped, then migrated afresh."""

from __future__ import annotations

import os

from flask import Flask


def app_on_an_empty_database(database: str) -> Flask:
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
