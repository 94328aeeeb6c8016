"""Error pages in the service's own words: every failure a person can hit gets a clear page."""

from __future__ import annotations

from flask import Flask, Response, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.extensions import db

TITLES = {
    400: _l("Sorry, something went wrong"),
    403: _l("You do not have permission to see this page"),
    404: _l("Page not found"),
    405: _l("Sorry, that did not work"),
    413: _l("The file must be smaller than 10 MB"),
    429: _l("Too many attempts"),
    500: _l("Sorry, there is a problem with the service"),
}


def post_shows_a_result() -> None:
    """For the rare POST whose page is what was asked for (a preview), not a refusal."""
    g.post_shows_a_result = True


def init_app(app: Flask) -> None:
    @app.after_request
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

    @app.errorhandler(CSRFError)
    def session_expired(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/session_expired.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        title = TITLES.get(code, TITLES[400] if code < 500 else TITLES[500])
        return render_template("errors/error.html", code=code, title=title), code

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        db.session.rollback()  # the page reads the signed-in user: the session must work again
        return render_template("errors/error.html", code=500, title=TITLES[500]), 500
