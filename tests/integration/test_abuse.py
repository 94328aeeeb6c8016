"""Abuse (issue 7, part of its proof): every POST without a CSRF token is refused, and hostile
query strings on every page never cause a 5xx. Each request is made as someone the access
expectations allow, so the refusal comes from the check under test, not from the policy."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.integration.test_access_policy import (
    ANONYMOUS,
    EXPECTED,
    SIGNED_BY_TWILIO_ONLY,
    world_of_records,
)

# Run last: they end the session or remove what other requests need.
LAST = ("people.remove_child", "people.remove_family_member", "auth.logout")

HOSTILE_QUERIES = [
    "year=%00&type=%FF%FE&page=-1",  # a null byte, malformed UTF-8, a negative page
    "year=' OR 1=1--&method=<script>alert(1)</script>",  # injection attempts
    "min_child_age=99999999999999999999&year=²&fmt=../../etc/passwd",  # overflow, odd digits
    "q=" + "A" * 5000,  # a long value
]


def _allowed_rules(app: Flask, method: str):  # type: ignore[no-untyped-def]
    """(rule, someone allowed to use it) for every endpoint with ``method``, LAST at the end."""
    rules = [r for r in app.url_map.iter_rules() if method in r.methods]
    rules.sort(key=lambda r: r.endpoint in LAST and LAST.index(r.endpoint) + 1)
    for rule in rules:
        allowed = EXPECTED.get(rule.endpoint, (set(), set()))[0]
        if rule.endpoint in SIGNED_BY_TWILIO_ONLY or not allowed:
            continue
        yield rule, (ANONYMOUS if ANONYMOUS in allowed else sorted(allowed, key=str)[0])


def test_every_post_without_a_csrf_token_is_refused(app: Flask, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    values, client_for = world_of_records()
    clients: dict[object, object] = {}
    refused = 0
    for rule, who in _allowed_rules(app, "POST"):
        client = clients.setdefault(who, client_for(who))
        url = rule.build(values, append_unknown=False)[1]
        for data in ({}, {"csrf_token": "not-a-real-token"}):
            page = client.post(url, data)  # type: ignore[attr-defined]
            assert page.status == 400, f"{who}: POST {url} {data} answered {page.status}"
            assert page.h1 == "Your page has expired", url
            refused += 1
    assert refused >= 2 * 25  # every form in the service (26 today), twice


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=["null-utf8", "injection", "odd", "long"])
def test_hostile_query_strings_never_cause_a_server_error(app: Flask, query, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    values, client_for = world_of_records()
    clients: dict[object, object] = {}
    checked = 0
    for rule, who in _allowed_rules(app, "GET"):
        if rule.endpoint in LAST:
            continue
        client = clients.setdefault(who, client_for(who))
        url = rule.build(values, append_unknown=False)[1]
        page = client.get(f"{url}?{query}")  # type: ignore[attr-defined]
        assert page.status < 500, f"{who}: GET {url}?{query[:60]} answered {page.status}"
        checked += 1
    assert checked >= 40
