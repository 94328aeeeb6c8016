"""The activity report's long read runs alongside the rest: on PostgreSQL on a connection of its
own, on SQLite where it is asked for; either way its result, or its error, reaches the caller."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from sqlalchemy import text

from portal.extensions import db
from portal.reports.alongside import Alongside, start_alongside


def _backend() -> object:
    if db.engine.dialect.name == "postgresql":
        return db.session.scalar(text("SELECT pg_backend_pid()"))
    return None


def test_the_result_reaches_the_caller() -> None:
    assert start_alongside(lambda: db.session.scalar(text("SELECT 41 + 1"))).result() == 42


def test_an_error_in_the_read_is_raised_to_the_caller() -> None:
    def fails() -> None:
        raise LookupError("the read failed")

    reading = start_alongside(fails)
    with pytest.raises(LookupError, match="the read failed"):
        reading.result()


def test_on_postgresql_the_read_has_a_connection_of_its_own() -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads where it is asked (TEST_DATABASE_URL in CI)")
    here = _backend()
    there = start_alongside(_backend).result()
    assert isinstance(there, int)
    assert there != here


def test_a_with_block_waits_for_the_read_however_it_ends(app: Flask) -> None:
    """The caller raising before result() (the activity report's block) still waits for the
    thread: it does not outlive the request, holding its connection."""
    finished: list[bool] = []

    def slow() -> None:
        time.sleep(0.3)
        finished.append(True)

    with (
        pytest.raises(LookupError, match="the caller failed"),
        Alongside(app, slow, in_thread=True),
    ):
        raise LookupError("the caller failed")
    assert finished == [True]
