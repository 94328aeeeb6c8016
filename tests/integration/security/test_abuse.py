"""Abuse (issue 7, part of its proof): every POST without a CSRF token is refused; hostile
query strings on every page, hostile values in every field of every form and bodies over the
size limit never cause a 5xx; guessing links and codes is cut off at the rate limit. Each
request is made as someone the access expectations allow, so the refusal comes from the check
under test, not from the policy."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import timedelta
from functools import cache
from urllib.parse import quote_plus, urljoin, urlsplit

import pytest
import sqlalchemy as sa
from bs4 import Tag
from flask import Flask
from sqlalchemy import event

from portal.extensions import db
from portal.family_forms.questions import PARENT_FEEDBACK, PARENT_VIEWS
from portal.invitations.services import issue_invitation
from portal.link_tokens import TOKEN_LENGTH, code_for, token_for
from portal.models import Child, ConferenceStatus, FormKind, Role, SecondCheck
from tests.factories import add_child, add_contactable_member, make_conference, make_staff
from tests.helpers.access import (
    ANONYMOUS,
    EXPECTED,
    FAMILY_A,
    SIGNED_BY_PROVIDER_ONLY,
    world_of_records,
)
from tests.pages import Page, PageClient
from tests.proof import ABUSE

# Run last: they end the session or remove what other requests need.
LAST = (
    "people.remove_child",
    "people.remove_family_member",
    "family_forms.finish_for_now",
    "account.sign_out_everywhere",
    "auth.logout",
)

HOSTILE_QUERIES = [
    "year=%00&type=%FF%FE&page=-1",  # a null byte, malformed UTF-8, a negative page
    "year=' OR 1=1--&method=<script>alert(1)</script>",  # injection attempts
    "min_child_age=99999999999999999999&year=²&page=²&fmt=../../etc/passwd",  # overflow, odd digits
    "q=" + "A" * 5000,  # a long value
]


def _allowed_rules(app: Flask, method: str):  # type: ignore[no-untyped-def]
    """(rule, someone allowed to use it) for every endpoint with ``method``, LAST at the end."""
    rules = [r for r in app.url_map.iter_rules() if method in r.methods]
    rules.sort(key=lambda r: r.endpoint in LAST and LAST.index(r.endpoint) + 1)
    for rule in rules:
        allowed = EXPECTED.get(rule.endpoint, (set(), set()))[0]
        if rule.endpoint in SIGNED_BY_PROVIDER_ONLY or not allowed:
            continue
        yield rule, (ANONYMOUS if ANONYMOUS in allowed else sorted(allowed, key=str)[0])


def test_every_post_without_a_csrf_token_is_refused(app: Flask, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    values, client_for = world_of_records()
    client_of = cache(client_for)  # one client per kind of visitor
    refused = 0
    for rule, who in _allowed_rules(app, "POST"):
        client = client_of(who)
        url = rule.build(values, append_unknown=False)[1]
        for data in ({}, {"csrf_token": "not-a-real-token"}):
            page = client.post(url, data)  # type: ignore[attr-defined]
            assert page.status == 400, f"{who}: POST {url} {data} answered {page.status}"
            assert page.h1 == "Your page has expired", url
            refused += 1
    ABUSE.requests += refused
    assert refused >= 2 * 25  # every form in the service (26 today), twice


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=["null-utf8", "injection", "odd", "long"])
def test_hostile_query_strings_never_cause_a_server_error(app: Flask, query, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    values, client_for = world_of_records()
    client_of = cache(client_for)  # one client per kind of visitor
    checked = 0
    for rule, who in _allowed_rules(app, "GET"):
        if rule.endpoint in LAST:
            continue
        client = client_of(who)
        url = rule.build(values, append_unknown=False)[1]
        page = client.get(f"{url}?{query}")  # type: ignore[attr-defined]
        assert page.status < 500, f"{who}: GET {url}?{query[:60]} answered {page.status}"
        checked += 1
    ABUSE.requests += checked
    assert checked >= 40


def test_guessed_links_are_cut_off_at_the_rate_limit_however_they_are_posted(
    app: Flask, client: PageClient
) -> None:
    """GET guesses are tested with the links (tests/integration/messaging/test_links.py);
    Continue (a POST with a good form token) counts the same, and then even a good link waits."""
    limit = int(app.config["LINK_RATE_LIMIT"].split()[0])
    form_token = client.get("/login").csrf_token()
    answers = [
        client.post(f"/r/{secrets.token_urlsafe(16)[:TOKEN_LENGTH]}", {"csrf_token": form_token})
        for _ in range(limit + 1)
    ]
    ABUSE.requests += len(answers)
    assert [page.status for page in answers] == [404] * limit + [429]
    assert answers[-1].h1 == "Too many attempts"
    conference = make_conference()
    invitation = issue_invitation(conference, add_contactable_member(conference), FormKind.VIEWS)
    db.session.commit()
    good = client.post(f"/r/{token_for(invitation.token_salt)}", {"csrf_token": form_token})
    assert good.status == 429
    assert invitation.opened_at is None


def test_guessed_codes_are_cut_off_at_the_rate_limit(app: Flask, client: PageClient) -> None:
    """A shared phone's link waits for a code sent by the other channel: wrong codes are refused
    with a message (and five in all lock the code), then the rate limit answers 429, even to the
    right code."""
    limit = int(app.config["LINK_RATE_LIMIT"].split()[0])
    conference = make_conference()
    member = add_contactable_member(
        conference, email="jo@example.com", second_check=SecondCheck.CODE
    )
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    assert client.submit(f"/r/{token_for(invitation.token_salt)}").location == "/r/code"
    right = code_for(invitation.code_salt)  # type: ignore[arg-type]
    wrong = "000000" if right != "000000" else "111111"
    form_token = client.get("/login").csrf_token()
    answers = [
        client.post("/r/code", {"csrf_token": form_token, "code": wrong}) for _ in range(limit + 1)
    ]
    ABUSE.requests += len(answers) + 1
    assert [page.status for page in answers] == [400] * limit + [429]
    assert all(page.error_summary for page in answers[:limit]), "a wrong code says so"
    assert client.post("/r/code", {"csrf_token": form_token, "code": right}).status == 429
    assert invitation.opened_at is None


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_every_post_with_a_body_over_the_limit_is_refused_with_413(
    app: Flask, encoding: str, monkeypatch
) -> None:
    """One byte over MAX_CONTENT_LENGTH, on every POST endpoint, as someone allowed there."""
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    limit = app.config["MAX_CONTENT_LENGTH"]
    values, client_for = world_of_records()
    client_of = cache(client_for)  # one client per kind of visitor
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    if encoding == "urlencoded":
        content_type, prefix = "application/x-www-form-urlencoded", b"text="
    else:
        boundary = "heard-abuse-boundary"
        content_type = f"multipart/form-data; boundary={boundary}"
        prefix = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
    body = prefix + b"A" * (limit + 1 - len(prefix))
    assert len(body) == limit + 1
    refused = 0
    for rule in rules:
        allowed = EXPECTED.get(rule.endpoint, (set(), set()))[0]
        who = ANONYMOUS if not allowed or ANONYMOUS in allowed else sorted(allowed, key=str)[0]
        client = client_of(who)
        url = rule.build(values, append_unknown=False)[1]
        page = client.post(url, body, content_type=content_type)  # type: ignore[arg-type]
        # The providers' callbacks refuse a request without their signature before reading the body.
        expected = {403, 413} if rule.endpoint in SIGNED_BY_PROVIDER_ONLY else {413}
        assert page.status in expected, f"{who}: POST {url} of {len(body):,} bytes: {page.status}"
        refused += 1
    ABUSE.requests += refused
    assert refused >= 30


# Each value is sent already encoded: the malformed UTF-8 and the lone surrogate (as the UTF-8
# bytes of U+D800, which no decoder accepts) as raw bytes in the body, the rest percent-encoded.
HOSTILE_VALUES = {
    "null byte": quote_plus("before\x00after").encode(),
    "malformed UTF-8": b"\xff\xfe\xc3(\x80",
    "SQL injection": quote_plus("1' OR '1'='1'; DROP TABLE conference; --").encode(),
    "script": quote_plus('"><script>alert(1)</script>').encode(),
    "100,000 characters": b"A" * 100_000,
    "lone surrogate": b"\xed\xa0\x80",
}
NOT_FIELDS = {"button", "image", "reset"}


def _form_fields(form: Tag) -> tuple[list[tuple[str, str]], list[str]]:
    """What a browser would send for the form as it stands (the first button pressed), and the
    names of its fields: every input, select, textarea and named button whose value is read,
    but the CSRF token and WTForms' "submit" (only its presence counts)."""
    sent: list[tuple[str, str]] = []
    names: list[str] = []
    pressed = False
    for field in form.find_all(["input", "select", "textarea", "button"]):
        name, kind = field.get("name"), (field.get("type") or "text").lower()
        if field.name == "button":
            kind = (field.get("type") or "submit").lower()
        if not name or kind in NOT_FIELDS:
            continue
        if name not in ("csrf_token", "submit") and name not in names:
            names.append(name)
        if kind == "submit":
            if not pressed:
                sent.append((name, field.get("value", "")))
            pressed = True
        elif field.name == "textarea":
            sent.append((name, field.get_text()))
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            if chosen is not None:
                sent.append((name, chosen.get("value", chosen.get_text())))
        elif kind not in ("checkbox", "radio", "file") or field.has_attr("checked"):
            sent.append((name, field.get("value", "on" if kind == "checkbox" else "")))
    return sent, names


def _encoded(sent: list[tuple[str, str]], field: str, value: bytes) -> bytes:
    """The form as urlencoded bytes, with ``value`` (already encoded) as the field's only value."""
    pairs = [
        quote_plus(name).encode() + b"=" + quote_plus(v).encode()
        for name, v in sent
        if name != field
    ]
    return b"&".join([*pairs, quote_plus(field).encode() + b"=" + value])


def _held_conference_pages(app: Flask) -> list[tuple[PageClient, str]]:
    """The forms that wait for a conference to be held: the chair's record and "you said, we
    did", and every question of a parent's feedback form, through its own opened link."""
    chair = make_staff(Role.CHAIR)
    conference = make_conference(
        chair=chair, starts_in=timedelta(days=-1), status=ConferenceStatus.HELD
    )
    child = add_child(conference)
    invitation = issue_invitation(conference, add_contactable_member(conference), FormKind.FEEDBACK)
    db.session.commit()
    chair_client, family = PageClient(app.test_client()), PageClient(app.test_client())
    chair_client.sign_in_as(chair)
    family.submit(f"/r/{token_for(invitation.token_salt)}")
    assert family.submit("/your-say/start", on="/your-say/").status == 302
    return [
        (chair_client, f"/conferences/{conference.id}/record"),
        (chair_client, f"/conferences/{conference.id}/children/{child.id}/you-said-we-did"),
        *((family, f"/your-say/q/{question.id}") for question in PARENT_FEEDBACK.questions),
    ]


def _post_forms(app: Flask) -> Iterator[tuple[PageClient, str, str, Tag]]:
    """(client, page URL, form action, form) for every POST form on every page, as each kind of
    visitor allowed to see the page, once per action and set of fields."""
    values, client_for = world_of_records()
    client_of = cache(client_for)  # one client per kind of visitor
    pages: list[tuple[PageClient, str]] = []
    for rule in app.url_map.iter_rules():
        allowed = EXPECTED.get(rule.endpoint, (set(), set()))[0]
        if "GET" not in rule.methods or rule.endpoint in LAST or rule.endpoint == "static":
            continue
        url = rule.build(values, append_unknown=False)[1]
        pages += [(client_of(who), url) for who in sorted(allowed, key=str)]
    # Every question of family A's form, not only the one the URL values name
    family_a = client_of(FAMILY_A)
    pages += [(family_a, f"/your-say/q/{question.id}") for question in PARENT_VIEWS.questions]
    pages += _held_conference_pages(app)
    seen: set[tuple[str, object, tuple[str, ...], int]] = set()
    for client, url in pages:
        page = client.get(url)
        if page.status != 200 or page.response.mimetype != "text/html":
            continue
        for form in page.soup.find_all("form"):
            if (form.get("method") or "get").lower() != "post":
                continue
            action = urljoin(url, form.get("action") or url)
            endpoint, args = app.url_map.bind("localhost").match(urlsplit(action).path, "POST")
            family = id(client) if endpoint == "family_forms.question" else 0  # one per form
            key = (endpoint, args.get("question_id"), tuple(_form_fields(form)[1]), family)
            if key not in seen:
                seen.add(key)
                yield client, url, action, form


def test_hostile_values_in_every_field_of_every_form_never_cause_a_server_error(
    app: Flask, monkeypatch
) -> None:
    """Each field in turn, the rest as the page has them, with a good form token. A form that
    refuses the value says why (400 with a message)."""
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    for setting in ("LOGIN_RATE_LIMIT", "LINK_RATE_LIMIT", "TWO_FACTOR_RATE_LIMIT"):
        monkeypatch.setitem(app.config, setting, "100000 per minute")  # not what is tested
    posted, forms = 0, 0
    for client, url, action, form in _post_forms(app):
        sent, names = _form_fields(form)
        forms += 1
        for field in names:
            for what, value in HOSTILE_VALUES.items():
                page: Page = client.post(  # type: ignore[attr-defined]
                    action,
                    _encoded(sent, field, value),
                    content_type="application/x-www-form-urlencoded",
                )
                where = f"{action} (form on {url}), {field} = {what}: {page.status}"
                assert page.status < 500, where
                if what == "null byte":  # PostgreSQL cannot store one: refused before any form
                    assert page.status == 400, where
                if page.status == 400:  # read as bytes: parsing 1,000 pages would double the time
                    body = page.response.get_data()
                    shown = b'class="govuk-error-summary' in body or b"<h1" in body
                    assert shown, f"{where} with no message"
                posted += 1
    ABUSE.requests += posted
    assert forms >= 30
    assert posted >= 6 * 100


def test_a_record_removed_while_someone_saves_it_is_not_found(app: Flask, signed_in) -> None:
    """Two coordinators: one removes a child while the other's save is on its way (the web scan
    found it, posting removals and edits at once). The save finds nothing to change: 404, not a
    server error, and nothing half-saved."""
    conference = make_conference()
    child = add_child(conference)
    coordinator = signed_in(Role.COORDINATOR)
    url = f"/conferences/{conference.id}/children/{child.id}/edit"
    form_token = coordinator.get(url).csrf_token()
    removed: list[int] = []

    def removed_just_before_the_update(connection, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("UPDATE child ") and not removed:
            removed.append(child.id)
            for table in ("conference_child", "child"):
                column = "child_id" if table == "conference_child" else "id"
                connection.execute(
                    sa.text(f"DELETE FROM {table} WHERE {column} = :id"),  # noqa: S608
                    {"id": child.id},
                )

    event.listen(db.engine, "before_cursor_execute", removed_just_before_the_update)
    try:
        page = coordinator.post(
            url,
            {
                "csrf_token": form_token,
                "first_name": "Samira",
                "last_name": "Tester",
                "born": "born",
                "birth_date-day": "1",
                "birth_date-month": "5",
                "birth_date-year": "2015",
            },
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", removed_just_before_the_update)
    assert removed, "the save never reached the database"
    assert page.status == 404, page.error_summary
    assert page.h1 == "Page not found"
    # The removal ran inside the save's own transaction here, so the rollback brings it back:
    # what matters is that the new name was never saved.
    assert db.session.scalar(sa.select(Child.first_name).where(Child.id == child.id)) == "Sam"
