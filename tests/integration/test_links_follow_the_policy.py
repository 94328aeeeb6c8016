"""Links and buttons follow the access policy: templates ask ``can(endpoint, record)``, never a
role. On a few pages, as each kind of staff, every link and form to a page of ours is shown
exactly when the policy would let that person open it, as decided by the policy's own gate
(``enforce_access_policy``), not by ``can``."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask_login import login_user
from werkzeug.exceptions import HTTPException

from portal.auth.access import can, enforce_access_policy
from portal.extensions import db
from portal.models import ConferenceStatus, Role, StaffUser, utcnow
from tests.factories import (
    add_child,
    add_contactable_member,
    make_conference,
    make_staff,
    refer,
)
from tests.pages import Page, PageClient

Action = tuple[str, str]  # (method, path)


def _actions(page: Page) -> set[Action]:
    """Every link and form on the page that leads to one of our pages (not to a part of the
    same page, the static files or another site)."""
    found: set[Action] = set()
    for anchor in page.soup.select("a[href]"):
        url = urlsplit(anchor["href"])
        if not url.netloc and url.path.startswith("/") and not url.path.startswith("/static/"):
            found.add(("GET", url.path))
    for form in page.soup.select("form"):
        method = (form.get("method") or "get").upper()
        found.add((method, urlsplit(form.get("action") or "").path))
    return found


def _policy_allows(app: Flask, user: StaffUser, action: Action) -> bool:
    method, path = action
    with app.test_request_context(path, method=method):
        login_user(user)
        try:
            return enforce_access_policy() is None
        except HTTPException:
            return False


@pytest.fixture
def people() -> dict[str, StaffUser]:
    return {
        "coordinator": make_staff(Role.COORDINATOR),
        "chair of the conference": make_staff(Role.CHAIR),
        "chair who sees every conference": make_staff(Role.CHAIR, sees_all_conferences=True),
        "chair of none": make_staff(Role.CHAIR),
        "advocate of the child": make_staff(Role.ADVOCATE),
        "advocacy manager": make_staff(Role.ADVOCATE, is_advocacy_manager=True),
        "admin": make_staff(Role.ADMIN),
        "participation officer": make_staff(Role.PARTICIPATION_OFFICER),
    }


def _pages(people: dict[str, StaffUser]) -> dict[str, list[str]]:
    """A held, recorded conference with a referred child and a family member to send to; each
    page with the people who may open it."""
    conference = make_conference(
        people["chair of the conference"],
        starts_in=timedelta(days=-2),
        status=ConferenceStatus.HELD,
        held_on=date.today() - timedelta(days=2),
        quorate=True,
        recorded_at=utcnow(),
    )
    refer(conference, add_child(conference), people["advocate of the child"])
    add_contactable_member(conference)
    db.session.commit()
    on_the_conference = [
        "coordinator",
        "chair of the conference",
        "chair who sees every conference",
    ]
    reports = ["admin", "participation officer"]
    return {
        "/dashboard": list(people),
        f"/conferences/{conference.id}": on_the_conference,
        f"/conferences/{conference.id}/messages": on_the_conference,
        "/conferences/": [*on_the_conference, "chair of none"],
        "/reports/": reports,
        "/reports/activity": reports,
        "/advocacy/": ["advocate of the child", "advocacy manager"],
    }


def test_each_link_is_shown_exactly_when_the_policy_lets_the_person_follow_it(
    app: Flask, people: dict[str, StaffUser], monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    clients = {}
    for who, user in people.items():
        clients[who] = PageClient(app.test_client())
        clients[who].sign_in_as(user)
    checked = 0
    for url, viewers in _pages(people).items():
        shown = {}
        for who in viewers:
            page = clients[who].get(url)
            assert page.status == 200, f"{who}: {url} answered {page.status}"
            shown[who] = _actions(page)
        every_action = set().union(*shown.values())
        for who in viewers:
            for action in sorted(every_action):
                allowed = _policy_allows(app, people[who], action)
                on_page = action in shown[who]
                assert on_page == allowed, f"{who} on {url}: {action} shown {on_page}"
                checked += 1
    assert checked > 300


def test_the_menu_differs_by_role_as_the_policy_says(app: Flask, people, monkeypatch) -> None:
    """The same comparison read as a person does: the menu's words, for a few people."""
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", False)

    def menu(who: str) -> list[str]:
        client = PageClient(app.test_client())
        client.sign_in_as(people[who])
        page = client.get("/dashboard")
        return [a.get_text(strip=True) for a in page.soup.select(".heard-header__nav-link")]

    assert menu("coordinator") == [
        "Home",
        "Conferences",
        "Find a person",
        "Safety alerts",
        "Failed messages",
        "Your account",
    ]
    assert menu("advocate of the child") == ["Your children", "Your account"]
    assert menu("advocacy manager") == ["Your children", "Referrals", "Your account"]
    assert menu("admin") == [
        "Find a person",
        "Safety alerts",
        "Referrals",
        "Reports",
        "Audit log",
        "Message wording",
        "Subject access",
        "Merge records",
        "Staff accounts",
        "Your account",
    ]


def test_can_answers_as_the_policy_does(app: Flask, people) -> None:
    conference = make_conference(people["chair of the conference"])
    with app.test_request_context("/"):
        assert can("site.accessibility")  # public
        assert not can("site.dashboard")  # not signed in
        assert not can("no.such_endpoint")  # not in the policy: refused to everyone
    with app.test_request_context("/"):
        login_user(people["chair of none"])
        assert can("conferences.index")
        assert not can("conferences.new")  # not their role
        assert not can("conferences.show", conference)  # not their conference
        with pytest.raises(TypeError, match="needs the record"):
            can("conferences.show")
    with app.test_request_context("/"):
        login_user(people["chair of the conference"])
        assert can("recording.record", conference)
    people["admin"].must_change_password = True
    with app.test_request_context("/"):
        login_user(people["admin"])
        assert not can("staff_admin.accounts")  # a temporary password: their own first
        assert can("account.change_password")
