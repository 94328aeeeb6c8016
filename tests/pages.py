"""A test client that reads pages the way a person does: headings, errors, form fields.

After notifications-admin's page client: parse the HTML, then select by what is on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.auth.sessions import LAST_SEEN_AT, SESSION_ID, SIGNED_IN_AT, open_session_record
from portal.extensions import db
from portal.models import StaffUser, utcnow


@dataclass
class Page:
    response: TestResponse

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def location(self) -> str | None:
        return self.response.headers.get("Location")

    @property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.response.get_data(as_text=True), "html.parser")

    @property
    def text(self) -> str:
        return " ".join(self.soup.get_text(" ").split())

    @property
    def title(self) -> str:
        return self.soup.title.get_text(strip=True) if self.soup.title else ""

    @property
    def h1(self) -> str:
        heading = self.soup.find("h1")
        return " ".join(heading.get_text(" ").split()) if heading else ""

    @property
    def error_summary(self) -> list[str]:
        """The messages in the error summary, in order."""
        summary = self.soup.select_one(".govuk-error-summary")
        if summary is None:
            return []
        return [" ".join(a.get_text(" ").split()) for a in summary.select("li")]

    @property
    def banners(self) -> list[str]:
        return [
            " ".join(b.get_text(" ").split())
            for b in self.soup.select(".govuk-notification-banner__content")
        ]

    def link(self, text: str) -> str:
        """The href of the first link whose visible text starts with ``text``."""
        for anchor in self.soup.find_all("a"):
            if " ".join(anchor.get_text(" ").split()).startswith(text):
                return anchor["href"]
        raise AssertionError(f"No link starting {text!r} on {self.title!r}")

    def table(self, caption: str) -> list[list[str]]:
        """The body rows of the table whose caption starts with ``caption``, as cell texts."""
        for candidate in self.soup.select("table"):
            found = candidate.find("caption")
            if found and " ".join(found.get_text(" ").split()).startswith(caption):
                return [
                    [" ".join(cell.get_text(" ").split()) for cell in row.find_all(["th", "td"])]
                    for row in candidate.select("tbody tr")
                ]
        raise AssertionError(f"No table {caption!r} on {self.title!r}")

    def csrf_token(self) -> str:
        field = self.soup.find("input", attrs={"name": "csrf_token"})
        assert field is not None, f"No CSRF token on {self.title!r}"
        return field["value"]


class PageClient:
    """Each request runs in an app context of its own, as in production.

    Tests hold an app context of their own; without this, Flask would reuse it for every
    request, sharing ``g`` (Flask-Login's cached user) and the database session between them.
    """

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.app = client.application

    def _open(self, method: str, url: str, **kwargs: Any) -> Page:
        with self.app.app_context():
            response = self.client.open(url, method=method, **kwargs)
        db.session.expire_all()  # the test's own objects now reload what the request saved
        return Page(response)

    def sign_in_as(self, user: StaffUser) -> None:
        """Sign in without the sign-in page (tested on its own) and without argon2's cost."""
        now = utcnow().timestamp()
        session_id = open_session_record(user)
        db.session.commit()
        with self.client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
            session[SIGNED_IN_AT] = now
            session[LAST_SEEN_AT] = now
            session[SESSION_ID] = session_id

    def get(self, url: str, **kwargs: Any) -> Page:
        return self._open("GET", url, **kwargs)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Page:
        return self._open("POST", url, data=data or {}, **kwargs)

    def submit(
        self, url: str, data: dict[str, Any] | None = None, *, on: str | None = None
    ) -> Page:
        """Open the page (``on``, else ``url``), then post ``data`` to ``url`` with the page's
        CSRF token, as a browser would."""
        page = self.get(on or url)
        assert page.status == 200, f"GET {on or url} answered {page.status}"
        return self.post(url, {"csrf_token": page.csrf_token(), **(data or {})})
