"""Logs as JSON lines with a request id, and one access line per request.

Nothing personal goes in: the access line names the endpoint, never the path (a family's link
holds its token) or the query string, and an exception is logged by its type and traceback
without its message (a database error's message carries the values it tried to write).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
import uuid
from datetime import UTC, datetime
from typing import IO

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler

from portal.security import RedactLinkTokens

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's or load balancer's id is kept when it is plainly an id; anything else (newlines,
# spaces, a page of text) is replaced, so a client cannot write into the logs through it.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Fields an access line adds to its record (logger.info(..., extra=...)); nothing else is copied.
ACCESS_FIELDS = ("method", "endpoint", "status", "duration_ms")


def init_app(app: Flask) -> None:
    # Registered before every other extension's hooks: a before_request that answers early (the
    # access policy's redirect, a rate limit) stops the ones after it, and the id must exist.
    app.before_request(start_request)
    app.after_request(finish_request)
    if not app.testing:
        install_json_handler(app.logger)
        if app.logger.level == logging.NOTSET:
            app.logger.setLevel(logging.INFO)


def request_id_from(header: str | None) -> str:
    if header and VALID_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def start_request() -> None:
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.request_started = time.perf_counter()


def finish_request(response: Response) -> Response:
    request_id = g.get("request_id") or request_id_from(None)
    response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    current_app.logger.info(
        "%s %s %s",
        request.method,
        request.endpoint,
        response.status_code,
        extra={
            "method": request.method,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": duration_ms,
        },
    )
    return response


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the request's id."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        for field in ACCESS_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            entry["exception"] = kind.__name__
            entry["traceback"] = "".join(traceback.format_tb(trace)).rstrip()
        return json.dumps(entry, default=str)


def install_json_handler(logger: logging.Logger, stream: IO[str] | None = None) -> logging.Handler:
    """Send ``logger``'s records (and its children's, like the worker's) to stderr as JSON."""
    for handler in list(logger.handlers):
        if handler is default_handler or isinstance(handler.formatter, JsonFormatter):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    # On the handler as well as the logger: a child logger's records skip the parent's filters.
    handler.addFilter(RedactLinkTokens())
    logger.addHandler(handler)
    return handler
