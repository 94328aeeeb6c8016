"""X-Forwarded-* headers are honoured only from the proxies in front (issue 15, finding 3).

With PROXY_FIX_HOPS set, anyone who reached the app directly could write their own
X-Forwarded-For and so be a new address to the per-address limits at every request. With
TRUSTED_PROXY_CIDRS the headers count only when the connection itself comes from inside one of
those ranges; from anywhere else they are dropped unread.
"""

from __future__ import annotations

import json
import secrets

import pytest
from flask import Flask

from portal import proxy
from portal.link_tokens import TOKEN_LENGTH
from tests.pages import PageClient

PROXY = "10.0.0.5"  # inside the trusted range below
STRANGER = "203.0.113.7"  # reached the app directly


def echo(environ, start_response):  # type: ignore[no-untyped-def]
    """A WSGI app that says what it was told: who, over what, and the headers left."""
    start_response("200 OK", [("Content-Type", "application/json")])
    seen = {
        "remote_addr": environ.get("REMOTE_ADDR"),
        "scheme": environ.get("wsgi.url_scheme"),
        "host": environ.get("HTTP_HOST"),
        "forwarded": sorted(k for k in environ if k.startswith("HTTP_X_FORWARDED")),
    }
    return [json.dumps(seen).encode()]


def seen_by(middleware: proxy.TrustedProxies, peer: str) -> dict:
    from werkzeug.test import Client

    response = Client(middleware).get(
        "/",
        environ_base={"REMOTE_ADDR": peer},
        headers={
            "X-Forwarded-For": "198.51.100.1",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "heard.example",
        },
    )
    return json.loads(response.get_data(as_text=True))


def test_a_trusted_peers_forwarded_headers_are_used() -> None:
    middleware = proxy.TrustedProxies(echo, hops=1, networks=["10.0.0.0/8", "fd00::/8"])
    for peer in (PROXY, "fd00::1", "::ffff:10.0.0.5"):
        assert seen_by(middleware, peer) == {
            "remote_addr": "198.51.100.1",
            "scheme": "https",
            "host": "heard.example",
            "forwarded": [
                "HTTP_X_FORWARDED_FOR",
                "HTTP_X_FORWARDED_HOST",
                "HTTP_X_FORWARDED_PROTO",
            ],
        }, peer


@pytest.mark.parametrize("peer", [STRANGER, "2001:db8::1", "", "unix:/run/heard.sock"])
def test_anyone_elses_forwarded_headers_are_dropped_unread(peer: str) -> None:
    middleware = proxy.TrustedProxies(echo, hops=1, networks=["10.0.0.0/8"])
    seen = seen_by(middleware, peer)
    assert seen["remote_addr"] == peer
    assert seen["scheme"] == "http"
    assert seen["host"] == "localhost"
    assert seen["forwarded"] == []


def test_without_trusted_ranges_every_peer_is_believed_as_before() -> None:
    """The default (TRUSTED_PROXY_CIDRS empty): for an app only the proxy can reach."""
    middleware = proxy.TrustedProxies(echo, hops=1, networks=[])
    assert seen_by(middleware, STRANGER)["remote_addr"] == "198.51.100.1"


@pytest.fixture
def behind_proxy(app: Flask, monkeypatch):  # type: ignore[no-untyped-def]
    """The session's app wired as create_app wires it with PROXY_FIX_HOPS=1 and
    TRUSTED_PROXY_CIDRS=10.0.0.0/8; unwired again after the test."""
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)
    monkeypatch.setitem(app.config, "PROXY_FIX_HOPS", 1)
    monkeypatch.setitem(app.config, "TRUSTED_PROXY_CIDRS", ["10.0.0.0/8"])
    proxy.init_app(app)
    return PageClient(app.test_client())


def _look_ups(client: PageClient, peer: str, count: int) -> list[int]:
    """``count`` guessed links, each claiming to come from a new address."""
    return [
        client.get(
            f"/r/{secrets.token_urlsafe(16)[:TOKEN_LENGTH]}",
            environ_base={"REMOTE_ADDR": peer},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status
        for n in range(count)
    ]


def _link_limit(app: Flask) -> int:
    return int(app.config["LINK_RATE_LIMIT"].split()[0])


def test_through_the_trusted_proxy_each_client_has_its_own_limit(behind_proxy, app) -> None:
    limit = _link_limit(app)
    assert _look_ups(behind_proxy, PROXY, 2 * limit) == [404] * (2 * limit)


def test_a_direct_client_cannot_step_around_the_limit(behind_proxy, app) -> None:
    limit = _link_limit(app)
    assert _look_ups(behind_proxy, STRANGER, 2 * limit) == [404] * limit + [429] * limit
