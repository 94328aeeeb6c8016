"""Sign-in throttling per account (on top of the limit per client address), in memory and in a
real Redis shared by two processes; the 429 page says when to try again."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
import requests
from flask import Flask

from portal.models import Role
from tests.factories import PASSWORD, make_staff
from tests.pages import Page, PageClient

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/0"


def _attempt(client: PageClient, email: str, password: str, address: str) -> Page:
    """One sign-in from ``address``: an attacker moving from address to address."""
    token = client.get("/login").csrf_token()
    return client.post(
        "/login",
        {"csrf_token": token, "email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _limit(app: Flask) -> int:
    return int(app.config["LOGIN_ACCOUNT_RATE_LIMIT"].split()[0])


def test_failures_spread_over_many_addresses_still_lock_the_account(
    client: PageClient, app: Flask
) -> None:
    user = make_staff(Role.COORDINATOR)
    limit = _limit(app)
    answers = [
        _attempt(client, user.email, "guess", f"198.51.100.{n}").status for n in range(limit)
    ]
    assert answers == [400] * limit
    # The right password from yet another address: still refused until the window passes.
    page = _attempt(client, user.email, PASSWORD, "203.0.113.9")
    assert page.status == 429
    assert page.h1 == "Too many attempts"
    assert "Wait 15 minutes, then try again." in page.text
    assert 800 < int(page.response.headers["Retry-After"]) <= 900
    # Written another way, it is the same account.
    assert _attempt(client, "  " + user.email.upper(), PASSWORD, "203.0.113.10").status == 429
    # Someone else's account is not affected.
    other = make_staff(Role.COORDINATOR)
    assert _attempt(client, other.email, PASSWORD, "203.0.113.11").status == 302


def test_an_unknown_address_is_limited_the_same_way(client: PageClient, app: Flask) -> None:
    limit = _limit(app)
    unknown = "nobody.here@council.example"
    answers = [_attempt(client, unknown, "guess", f"198.51.100.{n}").status for n in range(limit)]
    assert answers == [400] * limit
    assert _attempt(client, unknown, "guess", "203.0.113.9").status == 429


def test_signing_in_successfully_is_never_counted(app: Flask) -> None:
    user = make_staff(Role.CHAIR)
    for n in range(_limit(app) + 2):
        browser = PageClient(app.test_client())  # a fresh browser each time: no session
        assert _attempt(browser, user.email, PASSWORD, f"198.51.100.{n}").status == 302


def _concurrent_sign_ins(base: str, email: str, password: str, count: int) -> list[int]:
    """``count`` browsers each open the sign-in page, then all post at the same moment."""
    ready = threading.Barrier(count)

    def one() -> int:
        with requests.Session() as browser:
            page = browser.get(f"{base}/login", timeout=60)
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
            assert token, "no form token on the sign-in page"
            ready.wait(timeout=60)
            answer = browser.post(
                f"{base}/login",
                data={"csrf_token": token[1], "email": email, "password": password},
                allow_redirects=False,
                timeout=60,
            )
            return answer.status_code

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: one(), range(count)))


@pytest.mark.parametrize("account", ["known", "unknown"])
def test_wrong_passwords_sent_at_once_are_all_counted(
    app: Flask, live_server: str, monkeypatch, account: str
) -> None:
    """Issue 15: the failure was counted after the answer, so 30 wrong passwords sent at once
    were all checked (the limit is 5). Each attempt is now counted before the password is."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")  # the account's only
    email = make_staff(Role.CHAIR).email if account == "known" else "nobody.here@council.example"
    answers = _concurrent_sign_ins(live_server, email, "guess", 30)
    evaluated = [status for status in answers if status != 429]
    assert len(evaluated) <= _limit(app), sorted(answers)
    assert evaluated == [400] * _limit(app)  # the rest refused, and nothing failed


def test_a_right_password_clears_the_accounts_count(client: PageClient, app: Flask) -> None:
    """The person who mistyped and then signed in starts again from nothing."""
    user = make_staff(Role.CHAIR)
    limit = _limit(app)
    for n in range(limit - 1):
        assert _attempt(client, user.email, "typo", f"198.51.100.{n}").status == 400
    assert (
        _attempt(PageClient(app.test_client()), user.email, PASSWORD, "198.51.100.50").status == 302
    )
    answers = [_attempt(client, user.email, "typo", f"198.51.100.{n}").status for n in range(limit)]
    assert answers == [400] * limit
    assert _attempt(client, user.email, PASSWORD, "198.51.100.60").status == 429


# Run in child processes: the limiter is one object per process, bound to its last app, so a
# Redis-backed app in this process would change the storage under every other test.
CHILD = """
import json, sys
from portal import create_app

app = create_app("test")
app.config["WTF_CSRF_ENABLED"] = False
client = app.test_client()
email, passwords, first = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
answers = []
for n, password in enumerate(passwords, start=first):
    response = client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
    )
    answers.append(response.status_code)
print(json.dumps({"answers": answers, "storage": app.config["RATELIMIT_STORAGE_URI"]}))
"""


@pytest.fixture
def redis_prefix(app: Flask):  # type: ignore[no-untyped-def]
    """A key prefix of this test's own in the machine's Redis; its keys are removed after."""
    prefix = f"h2-test-{secrets.token_hex(6)}"
    yield prefix
    server = redis.Redis.from_url(REDIS_URL)
    keys = list(server.scan_iter(match=f"*{prefix}*"))
    if keys:
        server.delete(*keys)
    assert not list(server.scan_iter(match=f"*{prefix}*"))


def _child(
    prefix: str, email: str, passwords: list[str], first: int, redis_url: str = REDIS_URL
) -> dict:
    env = {
        **os.environ,
        "HEARD_CONFIG": "test",
        "REDIS_URL": redis_url,
        "RATELIMIT_KEY_PREFIX": prefix,
        # Both processes must key accounts alike, as every instance of a deployment does.
        "SECRET_KEY": "h2 throttling test secret, shared by both processes",
    }
    env.pop("RATELIMIT_STORAGE_URI", None)
    done = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", CHILD, email, json.dumps(passwords), str(first)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_redis_counts_for_every_process(app: Flask, redis_prefix: str) -> None:
    user = make_staff(Role.ADVOCATE)
    limit = _limit(app)
    first = _child(redis_prefix, user.email, ["guess"] * (limit - 2), 0)
    assert first == {"answers": [400] * (limit - 2), "storage": REDIS_URL}
    server = redis.Redis.from_url(REDIS_URL)
    keys = [key.decode() for key in server.scan_iter(match=f"*{redis_prefix}*")]
    assert keys, "the counters are in Redis"
    assert not any(user.email in key for key in keys)  # a keyed hash, never the address
    # Another process (another machine, as far as it knows) sees the same count.
    second = _child(redis_prefix, user.email, ["guess", "guess", PASSWORD], 10)
    assert second["answers"] == [400, 400, 429]  # its right password comes too late


def test_without_redis_the_limits_still_hold_in_memory(app: Flask, redis_prefix: str) -> None:
    """Redis gone (nothing listens on that port): sign-in still works and is still limited,
    counted in the process's memory, never a server error."""
    user = make_staff(Role.ADVOCATE)
    limit = _limit(app)
    passwords = ["guess"] * limit + [PASSWORD]
    gone = _child(redis_prefix, user.email, passwords, 0, redis_url="redis://127.0.0.1:1/0")
    assert gone["answers"] == [400] * limit + [429]
