"""Security headers on every page (issue 7's headers review).

Every GET endpoint is opened as someone allowed to use it (the access test's world of records
and expectations, tests/helpers/access.py, as test_abuse.py does), and every HTML answer must
carry the full policy. The production settings (HSTS, HTTPS, the cookie's flags) are checked in a
child process built from ProductionConfig, since Talisman and the limiter are one object per
process.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from flask import Flask
from werkzeug.test import TestResponse

import config
from tests.helpers.access import (
    ANONYMOUS,
    EXPECTED,
    SIGNED_BY_PROVIDER_ONLY,
    world_of_records,
)

ROOT = Path(__file__).resolve().parents[3]
# Run last: they end the session or remove what other requests need.
LAST = ("people.remove_child", "people.remove_family_member", "auth.logout")


def content_security_policy(response: TestResponse) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in directives}


def problems_with(response: TestResponse) -> list[str]:
    """What is missing from one HTML answer's headers (empty when all is well)."""
    headers = response.headers
    policy = content_security_policy(response)
    whole_policy = headers.get("Content-Security-Policy", "")
    expected = {
        "default-src": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'none'",
        "object-src": "'none'",
        "form-action": "'self'",
    }
    problems = [
        f"CSP {name} is {policy.get(name)!r}, not {value!r}"
        for name, value in expected.items()
        if policy.get(name) != value
    ]
    problems += [
        f"CSP allows {word}" for word in ("unsafe-inline", "unsafe-eval") if word in whole_policy
    ]
    problems += [
        f"{name} is {headers.get(name)!r}"
        for name, value in {
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Cache-Control": "no-store",
        }.items()
        if headers.get(name) != value
    ]
    return problems


def test_every_html_page_carries_the_whole_policy(app: Flask, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SHOW_DEV_OUTBOX", True)
    values, client_for = world_of_records()
    clients: dict[object, object] = {}
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods]
    rules.sort(key=lambda r: r.endpoint in LAST and LAST.index(r.endpoint) + 1)
    pages = 0
    for rule in rules:
        if rule.endpoint in SIGNED_BY_PROVIDER_ONLY or rule.endpoint == "static":
            continue
        allowed = EXPECTED.get(rule.endpoint, (set(), set()))[0]
        # Family pages with no live link answer "link not working": a page all the same.
        who = ANONYMOUS if not allowed or ANONYMOUS in allowed else sorted(allowed, key=str)[0]
        client = clients.setdefault(who, client_for(who))
        url = rule.build(values, append_unknown=False)[1]
        response = client.get(url).response  # type: ignore[attr-defined]
        if response.mimetype != "text/html":
            assert response.headers.get("Cache-Control") == "no-store", url  # files, JSON
            continue
        assert problems_with(response) == [], f"{who}: GET {url} ({response.status_code})"
        pages += 1
    assert pages >= 45


def test_error_pages_carry_the_policy_too(app: Flask) -> None:
    client = app.test_client()
    for response in (
        client.get("/no-such-page"),  # 404
        client.post("/login", data={}),  # the CSRF refusal
        client.put("/login"),  # 405
    ):
        assert response.mimetype == "text/html"
        assert problems_with(response) == [], response.status


# The production app, in a child process; prints what the parent checks.
CHILD = """
import json
from portal import create_app

app = create_app("production")
client = app.test_client()
answers = {}
for name, url, base in [
    ("http_page", "/login", "http://heard.example"),
    ("http_healthz", "/healthz", "http://heard.example"),
    ("http_readyz", "/readyz", "http://heard.example"),
    ("https_page", "/login", "https://heard.example"),
]:
    response = client.get(url, base_url=base)
    answers[name] = {
        "status": response.status_code,
        "location": response.headers.get("Location"),
        "hsts": response.headers.get("Strict-Transport-Security"),
        "csp": response.headers.get("Content-Security-Policy"),
        "cookies": response.headers.getlist("Set-Cookie"),
    }
print(json.dumps(answers))
"""


def test_production_sends_hsts_redirects_to_https_and_guards_the_cookie(app: Flask) -> None:
    env = {
        **os.environ,
        "HEARD_CONFIG": "production",
        "SECRET_KEY": "h2 headers test secret key, long enough for production",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "DATA_ENCRYPTION_KEYS": config.TEST_DATA_KEY,
        # Production refuses to count rate limits per process (issue 15); /readyz pings it.
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RATELIMIT_KEY_PREFIX": f"h15-headers-{secrets.token_hex(6)}",
    }
    for setting in (
        "FORCE_HTTPS",
        "SESSION_COOKIE_SECURE",
        "RATELIMIT_STORAGE_URI",
        "PROXY_FIX_HOPS",
        "TRUSTED_PROXY_CIDRS",
    ):
        env.pop(setting, None)
    done = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answers = json.loads(done.stdout.strip().splitlines()[-1])

    assert answers["http_page"]["status"] in (301, 302)
    assert answers["http_page"]["location"] == "https://heard.example/login"
    # Load balancers probe over plain HTTP inside the network.
    assert answers["http_healthz"]["status"] == 200
    assert answers["http_readyz"]["status"] == 200

    page = answers["https_page"]
    assert page["status"] == 200
    hsts = [part.strip() for part in page["hsts"].split(";")]
    max_age = int(next(p for p in hsts if p.startswith("max-age=")).split("=")[1])
    assert max_age >= 31536000
    assert "includeSubDomains" in hsts
    assert "'unsafe-inline'" not in page["csp"]
    session_cookie = next(c for c in page["cookies"] if c.startswith("session="))
    flags = {part.strip().lower() for part in session_cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite=lax"} <= flags
