"""Error pages in the service's own words: every failure a person can hit gets a clear page."""

from __future__ import annotations

import time

from flask import Flask, Response, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import HTTPException

from portal.extensions import db, limiter, login_manager

TITLES = {
    400: _l("Sorry, something went wrong"),
    403: _l("You do not have permission to see this page"),
    404: _l("Page not found"),
    405: _l("Sorry, that did not work"),
    413: _l("The file must be smaller than 10 MB"),
    429: _l("Too many attempts"),
    500: _l("Sorry, there is a problem with the service"),
    503: _l("Sorry, the service is not available just now"),
}


def post_shows_a_result() -> None:
    """For the rare POST whose page is what was asked for (a preview), not a refusal."""
    g.post_shows_a_result = True


def minutes_until_limit_resets() -> int:
    """Minutes, to the nearest, until the limit just met lets the person try again (at least 1)."""
    limit = limiter.current_limit
    if limit is None:
        return 1
    return max(1, round((limit.reset_at - time.time()) / 60))


def _never_ask_the_database_who_this_is() -> None:
    """If loading the signed-in person was what failed, the error page must not try again (it
    would fail the same way and leave a bare server error): it shows the public layout."""
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()


def refusals_answer_400(response: Response) -> Response:
    """Every POST that succeeds redirects (Post/Redirect/Get), so a POST answered with a page
    is a form shown again with what was refused: the status says so too, for logs, monitors
    and assistive tools that read it."""
    if (
        request.method == "POST"
        and response.status_code == 200
        and response.mimetype == "text/html"
        and not g.get("post_shows_a_result")
    ):
        response.status_code = 400
    return response


def session_expired(error: CSRFError) -> tuple[str, int]:
    return render_template("errors/session_expired.html"), 400


def http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    title = TITLES.get(code, TITLES[400] if code < 500 else TITLES[500])
    wait = minutes_until_limit_resets() if code == 429 else None
    return render_template("errors/error.html", code=code, title=title, wait=wait), code


def removed_meanwhile(error: Exception) -> tuple[str, int]:
    """Someone else removed the record while this request was changing it: nothing is saved,
    and it is not found, as it would be a moment later (found by the web scan, which posts
    removals and edits at once)."""
    db.session.rollback()
    return render_template("errors/error.html", code=404, title=TITLES[404]), 404


def database_unavailable_just_now(error: DBAPIError) -> bool:
    """Whether the database, not the request, failed: the connection was lost (a restart, a
    failover), a new one refused (no statement ran: SQLAlchemy raises those without one), or
    the driver says the server could not do it just now (an OperationalError: shutting down or
    starting up, too many connections, a statement cancelled, a deadlock, a lock not given).
    SQLite's plain "SQL error" is an OperationalError too, but a fault in the query: not this."""
    if error.connection_invalidated or error.statement is None:
        return True
    if not isinstance(error, OperationalError):
        return False
    return getattr(error.orig, "sqlite_errorname", None) != "SQLITE_ERROR"


def _forget_the_transaction() -> None:
    """Nothing this request wrote is kept, and nothing is asked of the database again: the
    session is closed with its connection invalidated (no ROLLBACK sent down a connection that
    may be dead; the server rolls back when it goes). What was already read stays readable,
    detached, for the page; the pool replaces the connection at the next request."""
    try:
        db.session().invalidate()
    except SQLAlchemyError:
        db.session.registry.clear()


def database_unavailable(error: DBAPIError) -> tuple[str, int, dict[str, str]]:
    """The database could not answer just now: say "try again" with 503 and Retry-After,
    which is what happened; nothing was confirmed, so nothing claims to be saved. The page is
    drawn without the database (it may still be down)."""
    if not database_unavailable_just_now(error):
        raise error
    current_app.logger.warning("database unavailable", exc_info=error)
    _forget_the_transaction()
    _never_ask_the_database_who_this_is()
    try:
        page = render_template("errors/error.html", code=503, title=TITLES[503])
    except SQLAlchemyError:
        # Something on the page needed a record not read before the failure: the page is
        # drawn for nobody in particular, with the public layout.
        g._login_user = login_manager.anonymous_user()
        g.family_invitation = None
        page = render_template("errors/error.html", code=503, title=TITLES[503])
    return page, 503, {"Retry-After": "30"}


def end_database_session(error: BaseException | None) -> None:
    """Runs before Flask-SQLAlchemy's own teardown (registered earlier, so run later): if
    the connection died mid-request, closing the session must not turn an answered request
    into a bare server error."""
    try:
        db.session.remove()
    except DBAPIError:
        db.session.registry.clear()


def server_error(error: Exception) -> tuple[str, int]:
    try:
        db.session.rollback()  # the page reads the signed-in user: the session must work again
    except SQLAlchemyError:
        _forget_the_transaction()
    _never_ask_the_database_who_this_is()
    return render_template("errors/error.html", code=500, title=TITLES[500]), 500


def init_app(app: Flask) -> None:
    app.after_request(refusals_answer_400)
    app.register_error_handler(CSRFError, session_expired)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(ObjectDeletedError, removed_meanwhile)
    app.register_error_handler(StaleDataError, removed_meanwhile)
    app.register_error_handler(DBAPIError, database_unavailable)
    app.teardown_appcontext(end_database_session)
    app.register_error_handler(500, server_error)
