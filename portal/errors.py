"""Error pages in the service's own words: every failure a person can hit gets a clear page."""

from __future__ import annotations

import time

from flask import Flask, Response, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
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


def database_unavailable(error: DBAPIError) -> tuple[str, int, dict[str, str]]:
    """The database dropped the connection (a restart, a failover), or refused a new one
    (no statement ran: SQLAlchemy raises those without one): say "try again" with 503, which
    is what happened; nothing was confirmed, so nothing claims to be saved."""
    if not (error.connection_invalidated or error.statement is None):
        raise error
    db.session.rollback()
    _never_ask_the_database_who_this_is()
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
    db.session.rollback()  # the page reads the signed-in user: the session must work again
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
