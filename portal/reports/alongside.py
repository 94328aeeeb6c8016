"""Run one long read on a second database connection while the caller runs the rest.

The activity report's child-rows query takes about as long as its dozen other statements put
together (bench/report.py: 0.67 s of 1.16 s on 1,000,000 rows). On PostgreSQL it runs in a
thread of its own, with its own app context, session and pooled connection, so the two halves
overlap. SQLite (one writer, and the tests' default) runs it where it is asked for.

Each statement already sees the data as it stood when that statement began (PostgreSQL's READ
COMMITTED, as before): running one of them on another connection changes no figure's meaning.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar, cast

from flask import Flask, current_app

from portal.extensions import db

T = TypeVar("T")


class Alongside(Generic[T]):
    """``read()`` started now; ``result()`` waits for it and returns it (or raises its error).
    Used in a ``with`` block, which waits for it however the block ends: if the caller raises
    before ``result()``, the thread does not outlive the request, holding its connection.

    Without a thread, the read runs at once, and its error is still raised by ``result()``.
    """

    def __init__(self, app: Flask, read: Callable[[], T], *, in_thread: bool) -> None:
        self._app, self._read = app, read
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if in_thread:
            self._thread = threading.Thread(target=self._run, name="report-read", daemon=True)
            self._thread.start()
        else:
            self._capture()  # in the caller's session

    def _run(self) -> None:
        # Its own app context: its own scoped session and connection, removed at the end.
        with self._app.app_context():
            self._capture()

    def _capture(self) -> None:
        try:
            self._value = self._read()
        except BaseException as error:  # handed to the caller, who raises it
            self._error = error

    def __enter__(self) -> Alongside[T]:
        return self

    def __exit__(self, *raised: object) -> None:
        self._join()  # only waits: an error raised in the block goes on as it was

    def _join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def result(self) -> T:
        self._join()
        if self._error is not None:
            raise self._error
        return cast(T, self._value)


def start_alongside(read: Callable[[], T]) -> Alongside[T]:
    """On PostgreSQL in a thread of its own; elsewhere at once."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's app
    return Alongside(app, read, in_thread=db.engine.dialect.name == "postgresql")
